// Shared helpers for the JavaScript test suites (`node --test tests/js/`).
//
// Everything that computes an expected answer here is independent of the Rust code: HMACs come from
// node:crypto, the canonical query string from `railsToQuery` below (a from-scratch transcription of
// ActiveSupport's Hash#to_query / Array#to_query / Object#to_query with Ruby 2.4's CGI.escape), and the
// Token of Trust reason functions are the provider's own code, copied from the seed document.

import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "../..");
export const PKG = path.join(ROOT, "pkg");
export const VECTORS = path.join(ROOT, "tests", "vectors");

/** Exported by every build: the Node build, the edge build and the builds pages load (pkg/web, pkg/browser). */
const SHARED_API_NAMES = [
  "KycError",
  "appUserIdFromEmail",
  "evaluateVerification",
  "isKycError",
  "kycFilePaths",
  "parseQuery",
  "parseUploadTargets",
  "processPersonResponse",
  "reasonIsPositive",
  "reasonValue",
  "toQuery",
  "uploadFile",
  "validateKycSubmission",
];
/**
 * Exported by the Node and edge builds, not by the builds pages load (issue 16): everything that takes a
 * server secret (OST/TOT signing and verification, raw HMACs, the OST request builders), the webhook
 * handler with its stores, and the typed events (their input is a verified webhook).
 */
export const SERVER_API_NAMES = [
  "isNewerEvent",
  "parseOstEvent",
  "parseTotEvent",
  "buildCreateUserRequest",
  "buildGetUserKycDetailRequest",
  "buildGetUserKycRequest",
  "buildGetUserRequest",
  "buildListUsersKycRequest",
  "buildListUsersRequest",
  "buildPresignedUrlsRequest",
  "buildSendApproveEmailRequest",
  "buildSendDenyEmailRequest",
  "buildSendReportIssueEmailRequest",
  "buildSubmitKycRequest",
  "buildValidateEthereumAddressRequest",
  "hmacSha1Base64",
  "hmacSha256Hex",
  "memoryStore",
  "postgresStore",
  "redisStore",
  "signOstRequest",
  "signOstWebhook",
  "totWebhookSignature",
  "verifyOstWebhook",
  "verifyTotWebhook",
  "webhookFetchHandler",
];
/** Only in the Node build: server-side code that holds a provider secret. */
export const NODE_ONLY_API_NAMES = ["OstKycClient", "buildVerifyPersonBody", "presignedUrlRequest", "webhookHandler"];
/** Only in the browser build: the Token of Trust modal and the client side of verifyPerson. */
export const WEB_ONLY_API_NAMES = ["loadTotEmbed", "onModalClose", "onModalFormSubmitted", "openContinuation", "verifyPerson"];

/**
 * The Node build's public API, exactly (pkg/node: require() and import, without `default`), sorted the way
 * `Array.prototype.sort` sorts `Object.keys`.
 */
/** Names starting with `__` are the package's internal helpers (the handlers' __webhookDelivery), not API. */
export const isApiName = (name) => !name.startsWith("__");

export const API_NAMES = [...SHARED_API_NAMES, ...SERVER_API_NAMES, ...NODE_ONLY_API_NAMES].sort();
export const NODE_API_NAMES = API_NAMES;
/**
 * The browser build's public API, exactly (pkg/web, and pkg/browser which re-exports it), sorted, without the
 * server API (SERVER_API_NAMES) and without the loaders: kyc-wasm/web adds `default` (init) and `initSync`, kyc-wasm's browser entry adds `initSync`.
 */
export const WEB_API_NAMES = [...SHARED_API_NAMES, ...WEB_ONLY_API_NAMES].sort();

export const ERROR_CODES = [
  "INVALID_SIGNATURE",
  "MISSING_SIGNATURE",
  "TIMESTAMP_OUT_OF_TOLERANCE",
  "MALFORMED_BODY",
  "BODY_TOO_LARGE",
  "OUT_OF_MEMORY",
  "TOO_DEEP",
  "TOO_MANY_PARAMS",
  "INVALID_ARGUMENT",
];

if (!existsSync(path.join(PKG, "node", "index.mjs"))) {
  throw new Error(`pkg/ is not built (no ${path.join(PKG, "node", "index.mjs")}): run \`bash scripts/build.sh\` first`);
}

/** The package as Node's ESM entry exposes it (by path: ../../pkg/node/index.mjs). */
export const kyc = await import("../../pkg/node/index.mjs");
/** The package as CommonJS (by path: ../../pkg/node/index.js, the `require` entry). */
export const requirePkg = () => createRequire(import.meta.url)("../../pkg/node/index.js");

// ---------------------------------------------------------------------------------------------------------
// The OST seed example (seed 000, "WebHooks / Signature Generation").

export const SEED_OST = Object.freeze({
  url: "https://webhook.ost.com/test/",
  secret: "WEBHOOK_SECRET_KEY",
  timestamp: 1542185198,
  signature: "34e852b1bb2b73357483ce7d35a837611f098f9e7df580edb0bb735993868c0a",
  body:
    "created_at=1541144915&data%5Bresult_type%5D=user&data%5Buser%5D%5Bcreated_at%5D=1541144915" +
    "&data%5Buser%5D%5Bemail%5D=yogesh%2B13233%40ost.com&data%5Buser%5D%5Bid%5D=11493" +
    "&data%5Buser%5D%5Bproperties%5D%5B%5D=doptin_mail_sent&description=User+has+signed+up&id=236" +
    "&name=user_register&request_timestamp=1542185198" +
    "&signature=34e852b1bb2b73357483ce7d35a837611f098f9e7df580edb0bb735993868c0a" +
    "&source=web&type=user&version=v1",
});

/** The event parameters of the seed example, as verified (no signature; every value a string). */
export function seedOstParams() {
  return {
    created_at: "1541144915",
    data: {
      result_type: "user",
      user: {
        created_at: "1541144915",
        email: "yogesh+13233@ost.com",
        id: "11493",
        properties: ["doptin_mail_sent"],
      },
    },
    description: "User has signed up",
    id: "236",
    name: "user_register",
    request_timestamp: "1542185198",
    source: "web",
    type: "user",
    version: "v1",
  };
}

// ---------------------------------------------------------------------------------------------------------
// Independent reference implementations.

export const hmacSha256Hex = (secret, text) => createHmac("sha256", secret).update(text).digest("hex");
export const hmacSha1Base64 = (secret, body) => createHmac("sha1", secret).update(body).digest("base64");

/** Ruby 2.4's CGI.escape: only A-Z a-z 0-9 - . _ bare, space is "+", every other UTF-8 byte %XX uppercase. */
export function cgiEscape(text) {
  let out = "";
  for (const b of new TextEncoder().encode(text)) {
    const bare =
      (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2e || b === 0x5f;
    if (bare) out += String.fromCharCode(b);
    else if (b === 0x20) out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

const isPlainObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const isEmptyContainer = (v) => (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
const bytewise = (a, b) => (a < b ? -1 : a > b ? 1 : 0); // chunks are ASCII once escaped
// Ruby's String#split("&") + reject(&:empty?) + join("&"): the "no empty chunks" patch of the vectors.
const dropEmptyChunks = (query) => query.split("&").filter((c) => c !== "").join("&");

/** `to_param.to_s` of a scalar as the JS API defines it: null is "", numbers and bigints as JS writes them. */
function scalarText(v) {
  if (v === null || v === undefined) return "";
  return String(v);
}

/** Object#to_query(key): "#{CGI.escape(key)}=#{CGI.escape(value)}". */
const scalarToQuery = (v, key) => `${cgiEscape(key)}=${cgiEscape(scalarText(v))}`;

/** Array#to_query(key): each item under "key[]", in order; an empty array vanishes. */
function arrayToQuery(items, key) {
  if (items.length === 0) return "";
  const prefix = `${key}[]`;
  // Array items that are `undefined` are written as null, as JSON.stringify does.
  return dropEmptyChunks(items.map((v) => valueToQuery(v === undefined ? null : v, prefix)).join("&"));
}

/** Hash#to_query(namespace): chunks sorted bytewise unless the raw namespace contains "[]". */
function hashToQuery(object, namespace) {
  const chunks = [];
  for (const key of Object.keys(object)) {
    const v = object[key];
    if (v === undefined || isEmptyContainer(v)) continue;
    chunks.push(valueToQuery(v, namespace === null ? key : `${namespace}[${key}]`));
  }
  if (!(namespace ?? "").includes("[]")) chunks.sort(bytewise);
  return dropEmptyChunks(chunks.join("&"));
}

function valueToQuery(v, key) {
  if (Array.isArray(v)) return arrayToQuery(v, key);
  if (isPlainObject(v)) return hashToQuery(v, key);
  return scalarToQuery(v, key);
}

/** The reference canonical query: `params.to_query` on the OST server. */
export function railsToQuery(params) {
  return hashToQuery(params, null);
}

/** The URL as OST signs it: without query string or fragment. */
export const signingUrl = (url) => url.split(/[?#]/)[0];

/** A webhook body signed the way OST's server does it, computed without the library. */
export function referenceOstWebhook(params, { url, secret, timestamp }) {
  const all = { ...params, request_timestamp: String(timestamp) };
  const stringToSign = `${signingUrl(url)}?${railsToQuery(all)}`;
  const signature = hmacSha256Hex(secret, stringToSign);
  return { stringToSign, signature, body: railsToQuery({ ...all, signature }), params: all };
}

// The provider's own utility functions, copied from the Token of Trust seed document
// (shared/seeds/004_47e5d2f9b23f90e7.txt, "Utility Functions"; the seed text lost the closing braces,
// restored here and nothing else changed).
/* eslint-disable */
function seedReasonIsPositive(reason) {
  var theReasonValue = seedReasonValue(reason);
  return !! (theReasonValue && theReasonValue !== 'false' && theReasonValue !==
  'noMatch' && theReasonValue !== 'no match' && theReasonValue !==
  'insufficientData' && theReasonValue !== 'notApplicable');
}
function handleNotApplicable(value) {
  return (value === 'notApplicable') ? undefined : value;
}
function seedReasonValue(reason) {
  var retVal = reason;
  if (isBoolean(reason)) {
      retVal = reason;
   } else if (isObject(reason)) {
      retVal = reason.value !== undefined ? reason.value : reason.status;
   }
  return handleNotApplicable(retVal);
}
function isObject(possibleObject) {
  return (possibleObject !== undefined) &&
Object.prototype.toString.call(possibleObject) === '[object Object]';
}
function isBoolean(possibleBool) {
  return (possibleBool !== undefined) &&
Object.prototype.toString.call(possibleBool) === '[object Boolean]';
}
/* eslint-enable */
export { seedReasonIsPositive, seedReasonValue };

// ---------------------------------------------------------------------------------------------------------
// Randomness: a seeded PRNG so that any failure can be replayed with KYC_TEST_SEED=<seed>.

export function testSeed() {
  const fromEnv = process.env.KYC_TEST_SEED;
  return fromEnv ? Number(fromEnv) >>> 0 : randomBytes(4).readUInt32LE(0);
}

export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (n) => Math.floor(next() * n),
    bool: (p = 0.5) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
    bytes: (n) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256)),
  };
  return r;
}

// Pieces that stress the encoder: unreserved, reserved, space, brackets, multi-byte UTF-8 (no lone surrogates).
const KEY_PIECES = [
  "a", "b", "z", "A", "Z", "id", "id2", "0", "10", "2", "email", "user", "-", ".", "_", "~", "*", " ", "+",
  "&", "=", "%", "/", "?", "#", "!", "'", "(", ")", ",", ";", ":", "@", "$", "é", "€", "ü", "日本", "😀",
  "\t", "\n", "\"", "\\", "<", ">", "^", "`", "{", "}", "|",
];
const BRACKET_PIECES = ["[", "]", "[]", "[x]"];
const WORDS = [
  "", "x", "yogesh+13233@ost.com", "User has signed up", "doptin_mail_sent", "1541144915", "0", "-1", "1.5",
  "true", "false", "null", "a b", "100%", "x&y=z", "naïve café", "€100", "😀", "日本語", "line\nbreak", "tab\t",
  "~tilde*star", "[brackets]", "semi;colon", "slash/path", "q?s#f",
];

export function randText(r, { brackets = false, max = 4 } = {}) {
  const pieces = brackets && r.bool(0.2) ? [...KEY_PIECES, ...BRACKET_PIECES] : KEY_PIECES;
  let s = "";
  const n = 1 + r.int(max);
  for (let i = 0; i < n; i++) s += r.pick(pieces);
  return s;
}

export function randKey(r, { rackSafe = false } = {}) {
  if (rackSafe) {
    // Rack's parser gives brackets a meaning; keys it can read back exactly.
    let k;
    do k = randText(r); while (k.includes("[") || k.includes("]") || k.trim() !== k || k === "");
    return k;
  }
  if (r.bool(0.03)) return "";
  return randText(r, { brackets: true });
}

export function randScalar(r, { strings = false, bigint = true } = {}) {
  if (strings) return r.bool(0.5) ? r.pick(WORDS) : randText(r, { max: 6 });
  switch (r.int(10)) {
    case 0: return null;
    case 1: return r.bool();
    case 2: return r.int(2000) - 1000;
    case 3: return r.pick([0, -0, 1.5, -2.25, 0.1, 1e21, 1e-7, 123456789.125, 2 ** 53, Number.MAX_SAFE_INTEGER, 5e-324, 1e300]);
    case 4: return bigint ? BigInt(r.int(1e9)) * 10n ** BigInt(r.int(30)) : r.int(1e6);
    case 5: return randText(r, { max: 6 });
    default: return r.pick(WORDS);
  }
}

/**
 * A random parameter tree. `rackSafe` keeps to what Rack's parser reads back as written (string leaves,
 * arrays of strings, no empty containers, bracket-free keys); `json` keeps to JSON values.
 */
export function randValue(r, depth, opts = {}) {
  const { rackSafe = false, json = false } = opts;
  const roll = r.next();
  if (depth <= 0 || roll < 0.55) return randScalar(r, { strings: rackSafe, bigint: !json && !rackSafe });
  if (roll < 0.75) {
    const n = rackSafe ? 1 + r.int(3) : r.int(4);
    const items = [];
    for (let i = 0; i < n; i++) {
      items.push(rackSafe ? randScalar(r, { strings: true }) : randValue(r, depth - 1, opts));
    }
    if (!rackSafe && !json && r.bool(0.05)) items.push(undefined);
    return items;
  }
  return randParams(r, depth - 1, opts);
}

export function randParams(r, depth = 3, opts = {}) {
  const { rackSafe = false, json = false, reserved = [] } = opts;
  const out = {};
  const n = (rackSafe ? 1 : 0) + r.int(5);
  for (let i = 0; i < n; i++) {
    const key = randKey(r, { rackSafe });
    if (reserved.includes(key)) continue;
    out[key] = randValue(r, depth, opts);
  }
  if (!rackSafe && !json && r.bool(0.05)) out[randKey(r)] = undefined;
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Assertions.

/** Throws unless the wasm module still answers known questions correctly. */
export function assertModuleWorks(api = kyc) {
  assert.equal(api.toQuery({ b: "x y", a: 1 }), "a=1&b=x+y");
  assert.deepEqual(api.parseQuery("a[b]=x+y&c[]=1"), { a: { b: "x y" }, c: ["1"] });
  // The builds pages load have no server API (issue 16): the calls above are what they can do.
  if (!("verifyOstWebhook" in api)) return;
  const params = api.verifyOstWebhook(SEED_OST.body, { url: SEED_OST.url, secret: SEED_OST.secret, now: SEED_OST.timestamp });
  assert.equal(params.name, "user_register");
  const body = '{"operation":"isCleared"}';
  assert.deepEqual(api.verifyTotWebhook(body, hmacSha1Base64("k", body), "k"), { operation: "isCleared" });
}

/**
 * Calls `fn`, which must throw a KycError with `code`. Checks the error is a real Error, that its message
 * matches `message` (when given) and contains none of `secrets`, then that the module still works.
 */
export function expectKycError(fn, code, { message, secrets = [], api = kyc } = {}) {
  let error;
  let threw = false;
  try {
    fn();
  } catch (e) {
    threw = true;
    error = e;
  }
  assert.ok(threw, `expected a KycError ${code}, but the call returned`);
  assert.ok(error instanceof Error, `expected an Error, got ${Object.prototype.toString.call(error)}: ${String(error)}`);
  assert.equal(error.name, "KycError", `expected name KycError, got ${error.name}: ${error.message}`);
  assert.equal(error.code, code, `expected code ${code}, got ${error.code}: ${error.message}`);
  assert.ok(ERROR_CODES.includes(error.code));
  assert.equal(typeof error.message, "string");
  assert.ok(error.message.length > 0);
  assert.ok(api.isKycError(error));
  if (message) assert.match(error.message, message);
  assertNoSecrets(error, secrets);
  assertModuleWorks(api);
  return error;
}

/**
 * Checks that none of `secrets` appears anywhere in what an error would print or serialise. Secrets shorter
 * than 8 characters are skipped: "s" or "key" occur in ordinary English messages.
 */
export function assertNoSecrets(error, secrets) {
  const texts = [String(error?.message), String(error?.stack), String(error), JSON.stringify(Object.getOwnPropertyDescriptors(error ?? {}))];
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret.length < 8) continue;
    for (const text of texts) assert.ok(!text.includes(secret), `an error text contains a secret: ${text}`);
  }
}

/** Calls `fn` and returns its thrown value (or fails). */
export function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected a throw");
}

// ---------------------------------------------------------------------------------------------------------
// Committed vectors (tests/vectors/*.json): loaded when present; a missing file is skipped with a message.

export function loadVectors(name) {
  const file = path.join(VECTORS, name);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, "utf8"));
}

/** `test` body wrapper: runs `fn(vectors)` or skips with a message when the file is missing. */
export function withVectors(name, fn) {
  return async (t) => {
    const vectors = loadVectors(name);
    if (vectors === null) {
      t.skip(`tests/vectors/${name} is not there yet`);
      return;
    }
    assert.ok(Array.isArray(vectors.cases) && vectors.cases.length > 0, `${name} has no cases`);
    await fn(vectors, t);
  };
}
