// `redisStore(client, options)`: webhook de-duplication and ordering state in Redis, shared by every instance
// of a webhook endpoint. The caller passes a connected client: node-redis 4+ (`createClient()` from "redis")
// or ioredis (`new Redis()`); this module imports neither. Every operation is one Lua script, so it is atomic
// on the server, and every expiry is the server's (`PX`), so instances whose clocks disagree still agree on a
// lease. A client error (connection lost, Redis down) rejects the returned promise as it is.
//
// Keys: `${prefix}e:${key}` holds "c:" + owner while an event is claimed, "d" once it is done;
// `${prefix}s:${subject}` holds the newest position recorded for a subject.

import { KycError } from "./errors.js";

// A claim by the owner that holds it renews the lease.
const CLAIM = `
local v = redis.call('GET', KEYS[1])
if (not v) or v == 'c:' .. ARGV[1] then
  redis.call('SET', KEYS[1], 'c:' .. ARGV[1], 'PX', ARGV[2])
  return 'claimed'
end
if v == 'd' then return 'done' end
return 'busy'`;

// Done when the caller still holds the claim, or nobody does (the lease ran out and was not taken over).
const DONE = `
local v = redis.call('GET', KEYS[1])
if (not v) or v == 'c:' .. ARGV[1] then
  redis.call('SET', KEYS[1], 'd', 'PX', ARGV[2])
end
return 1`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == 'c:' .. ARGV[1] then
  redis.call('DEL', KEYS[1])
end
return 1`;

// Lua's `<` on strings is strcoll(), which follows the server's locale: positions compare byte by byte here.
const ADVANCE = `
local v = redis.call('GET', KEYS[1])
if v then
  local a, b = v, ARGV[1]
  local n = math.min(#a, #b)
  local order = 0
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      if x < y then order = -1 else order = 1 end
      break
    end
  end
  if order == 0 and #a ~= #b then
    if #a < #b then order = -1 else order = 1 end
  end
  if order > 0 then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

function invalid(message) {
  return new KycError("INVALID_ARGUMENT", message);
}

function text(value, name) {
  if (typeof value !== "string" || value.length === 0) throw invalid(`${name} must be a non-empty string`);
  return value;
}

function millis(value, name) {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw invalid(`${name} must be a positive number of milliseconds`);
  }
  return String(Math.max(1, Math.ceil(value)));
}

/** How to run a one-key script on this client, told apart by API shape. */
function runnerFor(client) {
  if (client === null || typeof client !== "object") {
    throw invalid("redisStore(client): pass a connected node-redis 4+ or ioredis client");
  }
  // ioredis (Redis and Cluster) has defineCommand and a positional EVAL call: (script, numKeys, ...keysAndArgs).
  if (typeof client.defineCommand === "function" && typeof client.eval === "function") {
    return (script, key, args) => client.eval(script, 1, key, ...args);
  }
  // node-redis 4 in legacyMode: callback-style methods, the promise API under `.v4`.
  if (client.v4 && typeof client.v4.eval === "function") {
    const modern = client.v4;
    return (script, key, args) => modern.eval(script, { keys: [key], arguments: args });
  }
  // node-redis 4+ (client and cluster): an EVAL call taking (script, { keys, arguments }), and isOpen / sendCommand.
  if (typeof client.eval === "function" && ("isOpen" in client || typeof client.sendCommand === "function")) {
    return (script, key, args) => client.eval(script, { keys: [key], arguments: args });
  }
  throw invalid("redisStore(client): pass a connected node-redis 4+ or ioredis client");
}

/**
 * @param {object} client a connected node-redis 4+ or ioredis client
 * @param {{prefix?: string}} [options]
 */
export function redisStore(client, options = {}) {
  const run = runnerFor(client);
  if (options === null || typeof options !== "object") throw invalid("redisStore options must be an object");
  const prefix = options.prefix === undefined ? "kyc-wasm:" : options.prefix;
  if (typeof prefix !== "string") throw invalid("options.prefix must be a string");
  const eventKey = (key) => `${prefix}e:${text(key, "key")}`;
  const subjectKey = (subject) => `${prefix}s:${text(subject, "subject")}`;
  // The methods are async: an argument error rejects, like a client error, rather than throwing.
  const call = run;

  return {
    async claim(key, owner, leaseMs) {
      const outcome = await call(CLAIM, eventKey(key), [text(owner, "owner"), millis(leaseMs, "leaseMs")]);
      const answer = typeof outcome === "string" ? outcome : String(outcome);
      if (answer !== "claimed" && answer !== "done" && answer !== "busy") {
        throw new KycError("INVALID_ARGUMENT", "redisStore: unexpected answer from the claim script");
      }
      return answer;
    },
    async done(key, owner, ttlMs) {
      await call(DONE, eventKey(key), [text(owner, "owner"), millis(ttlMs, "ttlMs")]);
    },
    async release(key, owner) {
      await call(RELEASE, eventKey(key), [text(owner, "owner")]);
    },
    async advance(subject, position, ttlMs) {
      if (typeof position !== "string") throw invalid("position must be a string");
      const recorded = await call(ADVANCE, subjectKey(subject), [position, millis(ttlMs, "ttlMs")]);
      return Number(recorded) === 1;
    },
  };
}
