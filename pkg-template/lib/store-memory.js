// `memoryStore()`: the default store of the webhook handlers (webhook.js), in this process's memory.
//
// It implements the `WebhookStore` interface (see webhook.d.ts) that redisStore() and postgresStore() share:
// claim/done/release for de-duplication with a lease, advance for ordering. It is bounded: at most
// `maxKeys` keys and `maxSubjects` subjects; past that, the entries written longest ago are forgotten first.
// Its state goes with the process: several instances, or a restart, need a shared store (Redis, PostgreSQL).

import { KycError } from "./errors.js";

const DEFAULT_MAX_KEYS = 10000;
const DEFAULT_MAX_SUBJECTS = 10000;

function bound(value, name, fallback) {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new KycError("INVALID_ARGUMENT", `memoryStore: options.${name} must be a whole number >= 1`);
  }
  return value;
}

/** Deletes the entries written longest ago (a Map iterates in insertion order) until `map` holds `max`. */
function trim(map, max, now) {
  if (map.size <= max) return;
  // Expired entries first, within a bounded scan, then the oldest.
  let scanned = 0;
  for (const [key, entry] of map) {
    if (map.size <= max || scanned++ > 64) break;
    if (entry.expires <= now) map.delete(key);
  }
  for (const key of map.keys()) {
    if (map.size <= max) break;
    map.delete(key);
  }
}

/**
 * @param {{maxKeys?: number, maxSubjects?: number}} [options]
 * @returns {import("./webhook.js").WebhookStore}
 */
export function memoryStore(options) {
  const opts = options && typeof options === "object" ? options : {};
  const maxKeys = bound(opts.maxKeys, "maxKeys", DEFAULT_MAX_KEYS);
  const maxSubjects = bound(opts.maxSubjects, "maxSubjects", DEFAULT_MAX_SUBJECTS);
  /** key -> {done: boolean, owner: string, expires: number} */
  const keys = new Map();
  /** subject -> {position: string, expires: number} */
  const subjects = new Map();

  const write = (map, key, entry, max, now) => {
    map.delete(key); // re-inserted last: the newest write
    map.set(key, entry);
    trim(map, max, now);
  };

  return {
    async claim(key, owner, leaseMs) {
      const now = Date.now();
      const entry = keys.get(key);
      if (entry && entry.expires > now) {
        if (entry.done) return "done";
        if (entry.owner !== owner) return "busy";
      }
      write(keys, key, { done: false, owner, expires: now + leaseMs }, maxKeys, now);
      return "claimed";
    },

    async done(key, owner, ttlMs) {
      const now = Date.now();
      const entry = keys.get(key);
      if (entry && entry.expires > now && !entry.done && entry.owner !== owner) return; // another live lease
      write(keys, key, { done: true, owner, expires: now + ttlMs }, maxKeys, now);
    },

    async release(key, owner) {
      const entry = keys.get(key);
      if (entry && !entry.done && entry.owner === owner) keys.delete(key);
    },

    async advance(subject, position, ttlMs) {
      const now = Date.now();
      const entry = subjects.get(subject);
      // Positions are ASCII (digits and '.'), so string order is byte order.
      if (entry && entry.expires > now && entry.position > position) return false;
      write(subjects, subject, { position, expires: now + ttlMs }, maxSubjects, now);
      return true;
    },

    /** How many keys and subjects are held (for tests and monitoring). */
    get size() {
      return { keys: keys.size, subjects: subjects.size };
    },
  };
}
