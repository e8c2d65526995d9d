// Webhook endpoints for OST and Token of Trust: `webhookHandler(options)` for node:http-style `(req, res)`
// (node:http, Express, Koa's ctx.req/ctx.res, Fastify's raw request and reply) with the Fetch form as its
// `.fetch`, and `webhookFetchHandler(options)`, `(request: Request) => Promise<Response>`, for Fetch runtimes
// (Next.js, Cloudflare Workers, Deno, Bun, Hono, service workers).
//
// This file is I/O glue: it reads the body under a size limit and an idle timeout, keeps delivery state in a
// store, calls the user's `onEvent` and answers. Every decision about the bytes is the wasm core's:
// verification (verifyOstWebhook, verifyTotWebhook), the typed event (parseOstEvent, parseTotEvent), and the
// de-duplication key, ordering subject and position (__webhookDelivery).
//
// Delivery is at least once: the answer is `200` only after `onEvent` resolved. When it throws or times out,
// the answer is non-2xx and the event's claim is released, so the provider's retry calls `onEvent` again.
//
// Runs in Node 18+, browsers and service workers, Cloudflare workerd, Next.js edge, Deno and Bun: no Node
// module is imported, and Node's streams are recognised by their shape when a request arrives.

import * as core from "./kyc_wasm.js";
import { KycError } from "./errors.js";
import { memoryStore } from "./store-memory.js";
import { __deliveryRecord, __recorder } from "./record.js";

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const HARD_MAX_BODY_BYTES = 1 << 30;
const DEFAULTS = {
  bodyTimeoutMs: 10000,
  onEventTimeoutMs: 8000,
  storeTimeoutMs: 5000,
  dedupeTtlMs: 7 * 24 * 3600 * 1000, // OST retries for 63 hours
  orderTtlMs: 30 * 24 * 3600 * 1000,
};
const LIMIT_NAMES = ["maxBodyBytes", "maxDepth", "maxParams", "maxKeyBytes"];
const JSON_TYPE = "application/json; charset=utf-8";

const BODY_ALREADY_READ_MESSAGE =
  "the request body was already read (a body parser ran before this handler) and no raw body was left on " +
  "the request; the signature covers the exact bytes received. Give this route the raw body: Express " +
  '`express.raw({ type: "*/*" })` on the route, before any app-wide parser; Fastify: a content-type parser ' +
  'with `parseAs: "buffer"` (then `request.raw.rawBody = request.body`); Koa: remove koa-bodyparser for this ' +
  "route, or use its rawBody (`ctx.req.rawBody = ctx.request.rawBody`); Next.js pages API routes: " +
  "`export const config = { api: { bodyParser: false } }`; Hono and other Fetch frameworks: pass the request " +
  "(`c.req.raw`) before anything reads its body";

/** HTTP status of a failed verification, by error code. */
function statusOf(code) {
  switch (code) {
    case "INVALID_SIGNATURE":
    case "MISSING_SIGNATURE":
    case "TIMESTAMP_OUT_OF_TOLERANCE":
      return 401;
    case "BODY_TOO_LARGE":
      return 413;
    case "MALFORMED_BODY":
    case "TOO_DEEP":
    case "TOO_MANY_PARAMS":
      return 400;
    case "OUT_OF_MEMORY":
      return 503;
    default:
      return 500;
  }
}

const isKyc = (e) => e !== null && typeof e === "object" && e.name === "KycError" && typeof e.code === "string";

function failure(status, code, message, headers) {
  return { status, payload: { ok: false, error: { code, message } }, headers };
}

const noop = () => {};

let ownerSeq = 0;
/** A token unique to one delivery attempt, across processes. */
function newOwner() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === "function") return c.randomUUID();
  ownerSeq = (ownerSeq + 1) % 1e9;
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${ownerSeq.toString(36)}`;
}

/** `promise`, or `onTimeout()` after `ms`; the timer is cleared either way and a late rejection is caught. */
function withTimeout(promise, ms, onTimeout) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  promise.catch(noop);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const TIMED_OUT = Symbol("timed out");

function toBytes(value) {
  if (typeof value === "string") return new TextEncoder().encode(value);
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return null;
}

function concat(chunks, total) {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function positiveMs(options, name) {
  const v = options[name];
  if (v === undefined || v === null) return DEFAULTS[name];
  if (typeof v !== "number" || !(v > 0) || v > 2147483647) {
    throw new KycError("INVALID_ARGUMENT", `options.${name} must be a number of milliseconds > 0`);
  }
  return v;
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value;
}

/** Checks the options that do not depend on the environment; secrets and the URL are read per request. */
function configure(options) {
  if (options === null || typeof options !== "object") {
    throw new KycError("INVALID_ARGUMENT", "options must be {provider, secret, url?, onEvent, ...}");
  }
  const provider = options.provider;
  if (provider !== "ost" && provider !== "tot") {
    throw new KycError("INVALID_ARGUMENT", 'options.provider must be "ost" or "tot"');
  }
  const { secret, url, onEvent } = options;
  if (secret !== undefined && secret !== null && !["string", "function"].includes(typeof secret) && !Array.isArray(secret)) {
    throw new KycError(
      "INVALID_ARGUMENT",
      `options.secret must be a string, an array of strings or a function returning one, got ${describe(secret)}`,
    );
  }
  if (url !== undefined && url !== null && typeof url !== "string" && typeof url !== "function") {
    throw new KycError("INVALID_ARGUMENT", `options.url must be a string or a function returning one, got ${describe(url)}`);
  }
  if (onEvent !== undefined && typeof onEvent !== "function") {
    throw new KycError("INVALID_ARGUMENT", `options.onEvent must be a function, got ${describe(onEvent)}`);
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (typeof maxBodyBytes !== "number" || !Number.isInteger(maxBodyBytes) || maxBodyBytes < 1 || maxBodyBytes > HARD_MAX_BODY_BYTES) {
    throw new KycError("INVALID_ARGUMENT", `options.maxBodyBytes must be a whole number from 1 to ${HARD_MAX_BODY_BYTES}`);
  }
  const store = options.store ?? memoryStore();
  for (const method of ["claim", "done", "release", "advance"]) {
    if (typeof store?.[method] !== "function") {
      throw new KycError("INVALID_ARGUMENT", `options.store must implement WebhookStore: ${method}() is missing`);
    }
  }
  const logger = options.logger ?? console;
  const record = __recorder(options.record);
  if (record === undefined) {
    throw new KycError("INVALID_ARGUMENT", `options.record must be a file path or a function, got ${describe(options.record)}`);
  }
  const fromQuery = options.authorizationFromQuery;
  if (fromQuery !== undefined && fromQuery !== null && typeof fromQuery !== "boolean") {
    throw new KycError("INVALID_ARGUMENT", `options.authorizationFromQuery must be true or false, got ${describe(fromQuery)}`);
  }
  if (fromQuery === true && provider !== "tot") {
    throw new KycError(
      "INVALID_ARGUMENT",
      'options.authorizationFromQuery is for provider "tot" (OST signs the form body, with no Authorization header)',
    );
  }
  const config = {
    record,
    provider,
    authorizationFromQuery: fromQuery === true,
    options,
    onEvent,
    store,
    maxBodyBytes,
    bodyTimeoutMs: positiveMs(options, "bodyTimeoutMs"),
    onEventTimeoutMs: positiveMs(options, "onEventTimeoutMs"),
    storeTimeoutMs: positiveMs(options, "storeTimeoutMs"),
    dedupeTtlMs: positiveMs(options, "dedupeTtlMs"),
    orderTtlMs: positiveMs(options, "orderTtlMs"),
    dedupe: options.dedupe !== false,
    inOrder: options.ignoreOutOfOrder !== false,
    deliverStale: options.deliverStale === true,
    log: {
      warn: (m) => {
        try {
          (logger.warn ?? logger.log ?? noop).call(logger, m);
        } catch {}
      },
      error: (m, e) => {
        try {
          (logger.error ?? logger.log ?? noop).call(logger, m, ...(e === undefined ? [] : [e]));
        } catch {}
      },
    },
    stats: {
      received: 0,
      delivered: 0,
      duplicates: 0,
      stale: 0,
      rejected: 0,
      failed: 0,
      timedOut: 0,
      busy: 0,
      storeErrors: 0,
    },
  };
  config.leaseMs = options.leaseMs === undefined ? config.onEventTimeoutMs + config.storeTimeoutMs : positiveMs(options, "leaseMs");
  config.verifyOptions = {};
  for (const name of LIMIT_NAMES) if (options[name] !== undefined) config.verifyOptions[name] = options[name];
  if (options.toleranceSeconds !== undefined) config.verifyOptions.toleranceSeconds = options.toleranceSeconds;
  return config;
}

const where = (config) => `kyc-wasm webhook handler (${config.provider})`;

/** `options.secret` now: a string or a non-empty list, or null when there is none. */
async function resolveSecret(config) {
  let value = config.options.secret;
  if (typeof value === "function") value = await value();
  if (typeof value === "string") return value === "" ? null : value;
  if (Array.isArray(value)) {
    // An unset entry ([process.env.NEW, process.env.OLD] with OLD absent) is skipped.
    const list = value.filter((s) => s !== undefined && s !== null && s !== "");
    return list.length ? list : null;
  }
  if (value === undefined || value === null) return null;
  return value; // the core names the wrong type
}

async function resolveUrl(config) {
  let value = config.options.url;
  if (typeof value === "function") value = await value();
  return typeof value === "string" && value !== "" ? value : null;
}

/** Runs a store call under `storeTimeoutMs`; a throw, a rejection or the timeout is `{error}`. */
async function storeCall(config, what, run) {
  try {
    const value = await withTimeout(Promise.resolve().then(run), config.storeTimeoutMs, () => TIMED_OUT);
    if (value === TIMED_OUT) throw new Error(`store.${what}() did not answer within ${config.storeTimeoutMs} ms`);
    return { value };
  } catch (error) {
    config.stats.storeErrors++;
    config.log.error(`${where(config)}: store.${what}() failed; answering 503 so that the provider retries`, error);
    return { error };
  }
}

/**
 * The `authorization` query parameter of a request URL (absolute, or a path as Node's `req.url`), or null. A
 * `+` left unencoded in the URL reads as a space: put it back, since base64 has no spaces.
 */
function authorizationQuery(url) {
  if (typeof url !== "string" || !url.includes("?")) return null;
  try {
    const value = new URL(url, "http://localhost").searchParams.get("authorization");
    return value ? value.replace(/ /g, "+") : null;
  } catch {
    return null;
  }
}

const storeUnavailable = () =>
  failure(503, "STORE_UNAVAILABLE", "the delivery store is unavailable; retry later", { "retry-after": "30" });

/**
 * Verifies and delivers one request whose body has been read: `{status, payload, headers?}`.
 * @param {{bytes: Uint8Array, header: (name: string) => string | null | undefined}} input
 */
async function deliver(config, input) {
  const { provider, stats } = config;
  if (config.record && input.meta) {
    try {
      await config.record(__deliveryRecord(provider, { ...input.meta(), bytes: input.bytes }));
    } catch (e) {
      config.log.error(`${where(config)}: options.record failed (the delivery goes on)`, e);
    }
  }
  // The secret (and OST URL) are read now, not at construction: a build evaluates modules without them.
  let secret;
  try {
    secret = await resolveSecret(config);
  } catch (e) {
    config.log.error(`${where(config)}: options.secret() threw; answering 500 MISSING_SECRET`, e);
    return failure(500, "MISSING_SECRET", "the webhook secret could not be read on the server");
  }
  if (secret === null) {
    config.log.error(
      `${where(config)}: no webhook secret: options.secret is unset or empty at request time ` +
        "(an environment variable missing on this server?); answering 500 MISSING_SECRET",
    );
    return failure(500, "MISSING_SECRET", "the webhook secret is not configured on the server");
  }
  let event;
  try {
    if (provider === "ost") {
      const url = await resolveUrl(config);
      if (url === null) {
        config.log.error(`${where(config)}: options.url is unset or empty at request time; answering 500`);
        return failure(500, "INVALID_ARGUMENT", "the webhook URL is not configured on the server");
      }
      const contentType = input.header("content-type");
      const params = core.verifyOstWebhook(input.bytes, {
        ...config.verifyOptions,
        url,
        secret,
        ...(contentType ? { contentType } : {}),
      });
      event = core.parseOstEvent(params);
    } else {
      let authorization = input.header("authorization");
      // Opt-in (options.authorizationFromQuery): some hosts strip the header, so Token of Trust's own plugin also
      // takes the signature from `?authorization=`. Only when the header is absent; never for OST.
      if ((authorization === null || authorization === undefined || authorization === "") && config.authorizationFromQuery) {
        authorization = authorizationQuery(input.url?.());
      }
      const body = core.verifyTotWebhook(input.bytes, authorization ?? undefined, secret, config.verifyOptions);
      event = core.parseTotEvent(body);
    }
  } catch (e) {
    stats.rejected++;
    if (!isKyc(e)) {
      config.log.error(`${where(config)}: verification failed unexpectedly`, e);
      return failure(500, "INTERNAL", "the webhook could not be verified");
    }
    const status = statusOf(e.code);
    if (status >= 500) config.log.error(`${where(config)}: ${e.code}: ${e.message}`);
    return failure(status, e.code, e.message);
  }

  const facts = core.__webhookDelivery(provider, event, input.bytes);
  const { store } = config;
  const owner = newOwner();
  const key = facts.key;
  if (config.dedupe) {
    const claim = await storeCall(config, "claim", () => store.claim(key, owner, config.leaseMs));
    if (claim.error) return storeUnavailable();
    if (claim.value === "done") {
      stats.duplicates++;
      return { status: 200, payload: { ok: true, duplicate: true } };
    }
    if (claim.value !== "claimed") {
      // Another delivery of this event is in flight: not 2xx, so that this one is retried if that one fails.
      stats.busy++;
      const retry = String(Math.max(1, Math.ceil(config.leaseMs / 1000)));
      return failure(409, "BUSY", "this event is being processed by another delivery; retry later", { "retry-after": retry });
    }
  }
  const release = async () => {
    if (config.dedupe) await storeCall(config, "release", () => store.release(key, owner));
  };

  let stale = false;
  if (config.inOrder && facts.subject !== null && facts.position !== null) {
    const advanced = await storeCall(config, "advance", () => store.advance(facts.subject, facts.position, config.orderTtlMs));
    if (advanced.error) {
      await release();
      return storeUnavailable();
    }
    stale = advanced.value === false;
  }
  if (stale) {
    stats.stale++;
    config.log.warn(
      `${where(config)}: event ${key} is older than the last one recorded for its subject (stale): answered 200, ` +
        (config.deliverStale ? "delivered with stale: true" : "not delivered (set deliverStale: true to receive it)"),
    );
    if (!config.deliverStale) {
      if (config.dedupe) await storeCall(config, "done", () => store.done(key, owner, config.dedupeTtlMs));
      return { status: 200, payload: { ok: true, stale: true } };
    }
    event.stale = true;
  }

  if (config.onEvent) {
    const controller = typeof AbortController === "function" ? new AbortController() : null;
    let outcome;
    try {
      const run = Promise.resolve().then(() => config.onEvent(event, { signal: controller ? controller.signal : undefined }));
      outcome = await withTimeout(
        run.then(() => "ok"),
        config.onEventTimeoutMs,
        () => TIMED_OUT,
      );
    } catch (error) {
      outcome = { error };
    }
    if (outcome === TIMED_OUT) {
      stats.timedOut++;
      try {
        controller?.abort();
      } catch {}
      config.log.error(
        `${where(config)}: onEvent did not finish within ${config.onEventTimeoutMs} ms; answered 503 and released ` +
          "the event, so the provider's retry delivers it again (make onEvent a quick durable write)",
      );
      await release();
      return failure(503, "ON_EVENT_TIMEOUT", "the event was not processed in time; retry later", { "retry-after": "60" });
    }
    if (outcome !== "ok") {
      stats.failed++;
      config.log.error(`${where(config)}: onEvent failed; answered 500 and released the event for the provider's retry`, outcome.error);
      await release();
      return failure(500, "ON_EVENT_FAILED", "the event could not be processed; retry later");
    }
  }
  stats.delivered++;
  if (config.dedupe) {
    // onEvent has the event: a store failure now only means a later replay may be delivered again.
    await storeCall(config, "done", () => store.done(key, owner, config.dedupeTtlMs));
  }
  return { status: 200, payload: stale ? { ok: true, stale: true } : { ok: true } };
}

// ---- the Fetch form ----

/** Reads a Fetch body stream under the limit and the idle timeout: `{bytes}` or `{answer}`. */
async function readStream(config, stream) {
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  const cancel = () => {
    try {
      reader.cancel().catch(noop);
    } catch {}
  };
  for (;;) {
    let step;
    try {
      step = await withTimeout(reader.read(), config.bodyTimeoutMs, () => TIMED_OUT);
    } catch {
      cancel();
      return { answer: failure(400, "MALFORMED_BODY", "the request body could not be read") };
    }
    if (step === TIMED_OUT) {
      cancel();
      return { answer: bodyTimeout(config) };
    }
    if (step.done) break;
    const chunk = toBytes(step.value);
    if (chunk === null) {
      cancel();
      return { answer: failure(400, "MALFORMED_BODY", "the request body stream gave something other than bytes") };
    }
    total += chunk.byteLength;
    if (total > config.maxBodyBytes) {
      cancel();
      return { answer: tooLarge(config, total, false) };
    }
    chunks.push(chunk);
  }
  try {
    reader.releaseLock();
  } catch {}
  return { bytes: concat(chunks, total) };
}

function tooLarge(config, size, declared) {
  return failure(
    413,
    "BODY_TOO_LARGE",
    `body is ${declared ? "declared as " : "over "}${size} bytes, over the ${config.maxBodyBytes}-byte limit ` +
      "(raise maxBodyBytes if this is expected)",
  );
}

function bodyTimeout(config) {
  return failure(408, "BODY_TIMEOUT", `nothing of the body was received for ${config.bodyTimeoutMs} ms`);
}

function methodNotAllowed() {
  return failure(405, "METHOD_NOT_ALLOWED", "webhooks are delivered with POST", { allow: "POST" });
}

function declaredLength(value) {
  if (typeof value !== "string" || !/^\s*\d+\s*$/.test(value)) return null;
  return Number(value);
}

function internal(config, e) {
  config.log.error(`${where(config)}: unexpected failure; answered 500`, e);
  return failure(500, "INTERNAL", "unexpected failure in the webhook handler");
}

async function handleFetch(config, request) {
  config.stats.received++;
  const method = typeof request?.method === "string" ? request.method.toUpperCase() : "";
  const headers = request?.headers;
  const header = (name) => {
    try {
      return typeof headers?.get === "function" ? headers.get(name) : null;
    } catch {
      return null;
    }
  };
  const body = request?.body;
  const discard = () => {
    try {
      if (body && typeof body.cancel === "function" && !body.locked) body.cancel().catch(noop);
    } catch {}
  };
  if (method !== "POST") {
    discard();
    return methodNotAllowed();
  }
  const length = declaredLength(header("content-length"));
  if (length !== null && length > config.maxBodyBytes) {
    discard();
    return tooLarge(config, length, true);
  }
  let bytes;
  if (request.bodyUsed) {
    config.log.error(`${where(config)}: BODY_ALREADY_READ: ${BODY_ALREADY_READ_MESSAGE}`);
    return failure(500, "BODY_ALREADY_READ", BODY_ALREADY_READ_MESSAGE);
  }
  if (body && typeof body.getReader === "function") {
    const read = await readStream(config, body);
    if (read.answer) return read.answer;
    bytes = read.bytes;
  } else if (body === null || body === undefined) {
    bytes = new Uint8Array(0);
  } else if (typeof request.arrayBuffer === "function") {
    bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > config.maxBodyBytes) return tooLarge(config, bytes.byteLength, false);
  } else {
    return failure(400, "MALFORMED_BODY", "the request has no readable body");
  }
  const meta = () => {
    const all = {};
    headers?.forEach?.((value, name) => (all[name] = value));
    return { method, url: request.url, headers: all };
  };
  return deliver(config, { bytes, header, meta, url: () => request.url });
}

function toResponse(answer) {
  const headers = { "content-type": JSON_TYPE, "cache-control": "no-store", ...(answer.headers ?? {}) };
  return new Response(JSON.stringify(answer.payload), { status: answer.status, headers });
}

function fetchForm(config) {
  return async function webhookFetch(request) {
    let answer;
    try {
      answer = await handleFetch(config, request);
    } catch (e) {
      answer = internal(config, e);
    }
    return toResponse(answer);
  };
}

// ---- the node:http form ----

/** A raw body that a framework left on the request: `req.rawBody`, or a Buffer/Uint8Array/string `req.body`. */
function leftRawBody(req) {
  for (const candidate of [req.rawBody, req.body]) {
    if (candidate === undefined || candidate === null) continue;
    const bytes = toBytes(candidate);
    if (bytes !== null) return bytes;
  }
  return null;
}

/** A parsed (non-raw) body: an object or array that is not bytes. `{}` alone may be a placeholder. */
function parsedBody(req) {
  const b = req.body;
  if (b === undefined || b === null || typeof b !== "object" || toBytes(b) !== null) return "none";
  return Object.keys(b).length === 0 && !Array.isArray(b) ? "empty" : "parsed";
}

/** Whether another reader already took the stream (or it is gone). */
function streamConsumed(req) {
  const s = req.readableState ?? req._readableState;
  if (req.readableEnded === true || s?.endEmitted === true || req._body === true) return true;
  if (req.destroyed === true || req.readable === false) return true;
  // Read to the end by someone else, the 'end' event not yet emitted: complete, drained, and read before.
  if (req.complete === true && req.readableFlowing !== null && req.readableFlowing !== undefined && req.readableLength === 0) {
    return true;
  }
  return false;
}

/**
 * Reads a Node request stream under the limit and the idle timeout. `{bytes}`, or `{answer, close}`, or
 * `{gone}` when the client went away.
 */
function readNode(config, req) {
  return new Promise((resolve) => {
    const chunks = [];
    let total = 0;
    let settled = false;
    let timer = null;
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.removeListener("data", onData);
      req.removeListener("end", onEnd);
      req.removeListener("aborted", onGone);
      req.removeListener("close", onClose);
      if (result.close) {
        // Stop reading: the socket is closed once the answer has gone out (see respond()).
        try {
          req.pause();
        } catch {}
      }
      resolve(result);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish({ answer: bodyTimeout(config), close: true }), config.bodyTimeoutMs);
    };
    const onData = (chunk) => {
      const bytes = toBytes(chunk);
      if (bytes === null) return finish({ answer: failure(400, "MALFORMED_BODY", "the request body could not be read"), close: true });
      total += bytes.byteLength;
      if (total > config.maxBodyBytes) {
        chunks.length = 0;
        return finish({ answer: tooLarge(config, total, false), close: true });
      }
      chunks.push(bytes);
      arm();
    };
    const onEnd = () => finish({ bytes: concat(chunks, total) });
    const onGone = () => finish({ gone: true });
    const onClose = () => {
      if (!req.complete) finish({ gone: true });
    };
    req.on("error", noop); // a client reset must not become an uncaught 'error'
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("aborted", onGone);
    req.on("close", onClose);
    arm();
    if (typeof req.resume === "function" && req.isPaused?.()) req.resume();
  });
}

/** How long a closing connection stays half-open after the answer, so the client reads it before the reset. */
const LINGER_MS = 2000;

/**
 * Closes a connection whose body is not read to the end: FIN once the answer is flushed, the socket destroyed
 * a little later. Destroying at once would reset the connection while the client is still sending, and a
 * client can lose the answer to that reset; meanwhile nothing more is read (the request is paused).
 */
function lingeringClose(socket) {
  let closing = false;
  return () => {
    if (closing) return;
    closing = true;
    try {
      socket.end();
    } catch {}
    const timer = setTimeout(() => {
      try {
        socket.destroy();
      } catch {}
    }, LINGER_MS);
    timer.unref?.();
  };
}

function respond(req, res, answer, close) {
  return new Promise((resolve) => {
    try {
      if (!res || res.headersSent || res.writableEnded || res.destroyed) return resolve();
      const json = JSON.stringify(answer.payload);
      const headers = { "content-type": JSON_TYPE, "cache-control": "no-store", ...(answer.headers ?? {}) };
      const socket = req?.socket;
      let closeSocket = null;
      if (close) {
        headers.connection = "close";
        if (socket && typeof socket.end === "function" && typeof socket.destroy === "function") {
          closeSocket = lingeringClose(socket);
          // node:http calls socket.destroySoon() once a `Connection: close` answer is flushed: linger instead.
          if (typeof socket.destroySoon === "function") socket.destroySoon = closeSocket;
        }
      }
      res.statusCode = answer.status;
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.setHeader("content-length", String(new TextEncoder().encode(json).byteLength));
      res.end(json, () => {
        closeSocket?.();
        resolve();
      });
      if (typeof res.once === "function") {
        res.once("close", () => resolve());
        res.once("error", () => resolve());
      }
    } catch {
      resolve();
    }
  });
}

async function handleNode(config, req) {
  config.stats.received++;
  const method = typeof req?.method === "string" ? req.method.toUpperCase() : "";
  const headers = req?.headers ?? {};
  const header = (name) => {
    const v = headers[name];
    return Array.isArray(v) ? v.join(", ") : (v ?? null);
  };
  if (method !== "POST") return { answer: methodNotAllowed() };
  const meta = () => {
    const all = {};
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) all[name] = header(name);
    const path = req.originalUrl ?? req.url ?? "/";
    return { method, url: `${req.socket?.encrypted ? "https" : "http"}://${header("host") ?? "localhost"}${path}`, headers: all };
  };
  let bytes = leftRawBody(req);
  if (bytes !== null) {
    if (bytes.byteLength > config.maxBodyBytes) return { answer: tooLarge(config, bytes.byteLength, false) };
    return { answer: await deliver(config, { bytes, header, meta, url: () => req.originalUrl ?? req.url }) };
  }
  const parsed = parsedBody(req);
  if (parsed === "parsed" || streamConsumed(req) || typeof req.on !== "function") {
    config.log.error(`${where(config)}: BODY_ALREADY_READ: ${BODY_ALREADY_READ_MESSAGE}`);
    return { answer: failure(500, "BODY_ALREADY_READ", BODY_ALREADY_READ_MESSAGE) };
  }
  const length = declaredLength(header("content-length"));
  if (length !== null && length > config.maxBodyBytes) {
    return { answer: tooLarge(config, length, true), close: true };
  }
  const read = await readNode(config, req);
  if (read.gone) return { gone: true };
  if (read.answer) return { answer: read.answer, close: read.close };
  bytes = read.bytes;
  return { answer: await deliver(config, { bytes, header, meta, url: () => req.originalUrl ?? req.url }) };
}

function nodeForm(config) {
  return async function webhook(req, res) {
    let result;
    try {
      result = await handleNode(config, req);
    } catch (e) {
      result = { answer: internal(config, e) };
    }
    if (result.gone) return;
    await respond(req, res, result.answer, result.close === true);
  };
}

function attach(handler, config) {
  Object.defineProperty(handler, "stats", { value: config.stats, enumerable: true });
  Object.defineProperty(handler, "store", { value: config.store, enumerable: true });
  return handler;
}

/**
 * A webhook endpoint for node:http-style `(req, res)`, with the Fetch form as `.fetch`. Never throws once
 * built; building throws `INVALID_ARGUMENT` only for options that are wrong whatever the environment.
 */
export function webhookHandler(options) {
  const config = configure(options);
  const handler = attach(nodeForm(config), config);
  Object.defineProperty(handler, "fetch", { value: attach(fetchForm(config), config), enumerable: true });
  return handler;
}

/** The same endpoint as `(request: Request) => Promise<Response>`, for every runtime with Fetch types. */
export function webhookFetchHandler(options) {
  const config = configure(options);
  return attach(fetchForm(config), config);
}
