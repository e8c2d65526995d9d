// Issue 16, second pass: for a parsed body in the "fast form" (non-empty objects with plain, unrepeated keys;
// string or number leaves; arrays of leaves), the core answers `verifyOstWebhook` with JSON text written while it
// canonicalises (src/webhook/ost.rs, verify_ost_webhook_params_json), without reading the canonical query back.
// This file is the differential test of that shortcut: old path (the property-by-property reader and the general
// core, forced by a foreign prototype) and new path give the same answer — the same keys IN THE SAME ORDER, the
// same values — or the same typed error (name, code, message), on every OST vector, on the hostile and edge
// cases of webhook_safety.test.mjs, and on random trees from a fixed seed. It also checks that the shortcut is
// taken where it should be (the wasm export answers with text), so that the comparison is not vacuous.
//
// Third pass (issue 16, session 3): the glue reads the options itself when they are the common kind (limits
// absent, url a string, toleranceSeconds/now numbers or absent, contentType a string or absent) and calls
// __verifyOstWebhookParts (any body) or __verifyOstWebhookDirect (its own copy of a parsed body of strings,
// objects and arrays of strings, as JSON text without signature; the answer is that copy). The tests below
// compare those with the core's own reading of the options (forced by setting maxBodyBytes to its default,
// which the glue leaves to the core): same answers, same errors, for option variants, bodies of every kind and
// random trees as Express parses them.
import { test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import qs from "qs";
import { SEED_OST, hmacSha256Hex, kyc, loadVectors, railsToQuery, referenceOstWebhook, rng } from "./helpers.mjs";

// The glue's internal export (not re-exported by the entry), to see which way the core answered.
const glue = createRequire(import.meta.url)("../../pkg/node/kyc_wasm.js");
const OPTIONS = { url: SEED_OST.url, secret: SEED_OST.secret, now: SEED_OST.timestamp };
const viaGeneral = (body) => Object.assign(Object.create(Object.create(null)), body);

function outcome(fn) {
  try {
    const ok = fn();
    // JSON.stringify writes keys in Object.keys order: the order is compared too, not only the content.
    return { ok, order: JSON.stringify(ok) };
  } catch (e) {
    return { name: e?.name, code: e?.code, message: e?.message };
  }
}

/** Whether the core answered with JSON text (the shortcut) for this plain body. */
function tookShortcut(body, options) {
  try {
    const answer = glue.__verifyOstWebhookPlain(new TextEncoder().encode(JSON.stringify(body)), options);
    return typeof answer === "string";
  } catch {
    return false;
  }
}

/** Whether the glue's direct path (its copy of the body, verified from JSON text) answers for this body. */
function tookDirect(body, options) {
  try {
    const { signature, ...rest } = body;
    if (typeof signature !== "string") return false;
    return glue.__verifyOstWebhookDirect(JSON.stringify(rest), signature, options.url, options.secret, options.toleranceSeconds, options.now, options.contentType) === true;
  } catch {
    return false;
  }
}

let shortcuts = 0;
let directs = 0;
function same(body, options = OPTIONS, { shortcut } = {}) {
  const before = outcome(() => kyc.verifyOstWebhook(viaGeneral(body), options));
  const after = outcome(() => kyc.verifyOstWebhook(body, options));
  assert.deepEqual(after, before);
  const took = tookShortcut(body, options);
  if (took) shortcuts++;
  if (tookDirect(body, options)) directs++;
  if (shortcut !== undefined) assert.equal(took, shortcut, shortcut ? "expected the JSON-text shortcut" : "expected no shortcut");
  return after;
}

const signed = (params, options = OPTIONS, timestamp = options.now) => {
  const { signature, params: all } = referenceOstWebhook(params, { ...options, timestamp });
  return { ...all, signature };
};

/** Signs `params` exactly as given (request_timestamp included or not), with the node:crypto peer. */
const signedAsIs = (params) => ({ ...params, signature: hmacSha256Hex(OPTIONS.secret, `${OPTIONS.url}?${railsToQuery(params)}`) });

test("the wasm export is reachable (else the shortcut checks below would be vacuous)", () => {
  assert.equal(typeof glue.__verifyOstWebhookPlain, "function");
  assert.equal(typeof glue.__verifyOstWebhookDirect, "function");
  assert.equal(typeof glue.__verifyOstWebhookParts, "function");
  const seedParams = qs.parse(SEED_OST.body);
  assert.ok(tookShortcut(seedParams, OPTIONS));
  assert.ok(tookDirect(seedParams, OPTIONS));
  // The answer of the direct path is a fresh object: the caller's body is not handed back, nor shared.
  const answer = kyc.verifyOstWebhook(seedParams, OPTIONS);
  assert.notEqual(answer, seedParams);
  assert.notEqual(answer.data, seedParams.data);
  assert.notEqual(answer.data.user.properties, seedParams.data.user.properties);
  assert.equal(Object.getPrototypeOf(answer), Object.prototype);
  assert.ok(!("signature" in answer));
  assert.ok("signature" in seedParams, "the body is not changed");
});

test("every OST webhook vector: as an object, as Express urlencoded parses its body, numbers, and tampered", () => {
  const { cases } = loadVectors("ost_webhooks.json");
  assert.ok(cases.length >= 90);
  for (const c of cases) {
    const options = { url: c.url, secret: c.secret, now: Number(c.params.request_timestamp) };
    const object = { ...c.params, signature: c.signature };
    const ok = same(object, options).ok;
    assert.ok(ok, c.name);
    // The answer is Rack's reading of the signed body, its keys in the body's order.
    const reading = kyc.parseQuery(c.body);
    delete reading.signature;
    assert.equal(JSON.stringify(ok), JSON.stringify(reading), c.name);
    same(qs.parse(c.body, { allowPrototypes: true, arrayLimit: 100, depth: 32, parameterLimit: 1000 }), options);
    same({ ...object, request_timestamp: Number(c.params.request_timestamp) }, options);
    same({ ...object, signature: c.signature.replace(/^./, (d) => (d === "0" ? "1" : "0")) }, options);
    same({ ...object, extra: "x" }, options);
    const { request_timestamp: _, ...noTimestamp } = object;
    same(noTimestamp, options);
    same(object, { ...options, now: options.now + 301 });
    same(object, { ...options, maxKeyBytes: 8 });
    same(object, { ...options, maxDepth: 2 });
    same(object, { ...options, maxParams: 5 });
    same(object, { ...options, maxBodyBytes: 100 });
  }
  assert.ok(shortcuts >= cases.length, `shortcut taken ${shortcuts} times`);
  assert.ok(directs >= cases.length / 2, `direct path taken ${directs} times`);
});

test("webhook_safety's hostile and edge cases", () => {
  const legit = { id: "901", kyc_status: "denied", data: { user: { id: "7" } } };
  const base = signed(legit);
  assert.equal(same(base, OPTIONS, { shortcut: true }).ok.kyc_status, "denied");
  const forgeries = [
    { id: "901", kyc_status: "denied", "data[user][id]": "7", request_timestamp: base.request_timestamp, signature: base.signature },
    { ...base, kyc_status_override: {} },
    { ...base, admin: [] },
    { ...base, data: { user: { id: "7", roles: [] } } },
  ];
  for (const forged of forgeries) assert.equal(same(forged).code, "MALFORMED_BODY", JSON.stringify(forged));
  // Outside the fast form and not what was signed: an error, the general path's.
  for (const forged of [
    { ...base, "data[]": "x" },
    { ...base, "": "x" },
    { ...base, data: { user: { id: "7", "": "" } } },
    { ...base, list: [{ a: "1" }, { b: "2" }] },
    { ...base, list: [["1"], ["2"]] },
    { ...base, list: ["1", { a: "2" }] },
  ]) {
    assert.ok(same(forged).code, JSON.stringify(forged));
  }
  const leaves = signed({ a: "", b: "true" });
  for (const forged of [{ ...leaves, a: null }, { ...leaves, b: true }]) assert.equal(same(forged).code, "MALFORMED_BODY");
  // Signed structures outside the fast form are still the general path's answers.
  for (const params of [{ list: [{ a: "1", b: "2" }] }, { list: [{ a: "1" }, { a: "2" }] }, { "a[b]": "1" }, { a: {} }, { a: null }]) {
    same(signed(params));
  }
  // Nested keys named signature and request_timestamp stay (only the top-level signature is dropped).
  const nested = signed({ data: { signature: "s", request_timestamp: "1" }, list: ["signature"] });
  assert.deepEqual(same(nested, OPTIONS, { shortcut: true }).ok.data, { signature: "s", request_timestamp: "1" });
  // __proto__ and constructor as own data keys, escapes, controls, astral and lone surrogates, numbers.
  same({ ...JSON.parse('{"__proto__": {"x": "1"}}'), ...signed({ name: "p" }) });
  const proto = JSON.parse('{"__proto__": {"x": "1"}, "constructor": {"prototype": "2"}}');
  const protoSigned = { ...signed(proto) };
  Object.defineProperty(protoSigned, "__proto__", { value: { x: "1" }, enumerable: true, writable: true, configurable: true });
  same(protoSigned);
  for (const value of ['q"uote', "back\\slash", "ctl\u0001\u001f\u007f", "nl\n\r\t", "😀日本", "lone\ud800x", "é/€", "a&b=c", "%zz", "+ +"]) {
    same(signed({ name: value, [value]: "k", n: { [value]: [value, "x"] } }));
  }
  for (const n of [0, 7, -7, 1e15, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) same(signed({ n, list: [n, "x"] }));
  // Signature problems: missing, empty, not a string, two of them (not expressible as one object), wrong length.
  const { signature: _, ...unsigned } = base;
  for (const body of [unsigned, { ...base, signature: "" }, { ...base, signature: ["a"] }, { ...base, signature: { a: "1" } }, { ...base, signature: "00" }]) {
    assert.ok(same(body).code);
  }
  // Timestamps: a string that is not a number, an object, a fraction-looking text, out of tolerance.
  for (const t of ["x", "1.5", "-", "", "1e3", " 1", { a: "1" }, ["1"], 1.5]) {
    assert.ok(same(signedAsIs({ id: "1", request_timestamp: t })).code, JSON.stringify(t));
  }
  // Rotation: the second secret matches.
  same(base, { ...OPTIONS, secret: ["nope", OPTIONS.secret] }, { shortcut: true });
  same(base, { ...OPTIONS, secret: ["nope", "other"] });
});

/** A random tree, mostly inside the fast form, sometimes just outside it. */
function tree(r, depth) {
  const keyPieces = ["a", "b", "Z", "9", "_", "-", ".", " ", "é", "😀", "%", "+", "&", "=", "\"", "\\", "\u0001", "\n", "x".repeat(40)];
  const oddKeys = ["", "[", "]", "a[b]", "a[]", "[]"];
  const key = () => (r.bool(0.02) ? r.pick(oddKeys) : Array.from({ length: 1 + r.int(3) }, () => r.pick(keyPieces)).join(""));
  const leaf = () => {
    const k = r.int(10);
    if (k < 6) return Array.from({ length: r.int(4) }, () => r.pick(keyPieces)).join("");
    if (k < 9) return r.pick([0, 1, -1, 42, 1541144915, 2 ** 40, -(2 ** 52)]);
    return r.pick([null, true, false]);
  };
  const value = (d) => {
    const k = r.int(10);
    if (d <= 0 || k < 5) return leaf();
    if (k < 7) {
      const items = Array.from({ length: r.bool(0.03) ? 0 : 1 + r.int(4) }, () => (r.bool(0.05) ? value(d - 1) : leaf()));
      return items;
    }
    return object(d - 1);
  };
  const object = (d) => {
    const out = {};
    const n = r.bool(0.03) ? 0 : 1 + r.int(5);
    for (let i = 0; i < n; i++) out[key()] = value(d);
    return out;
  };
  return object(depth);
}

test("random trees from a fixed seed: the same answer or error on both paths", () => {
  const seed = 0x16_0002;
  const r = rng(seed);
  let before = shortcuts;
  const directBefore = directs;
  let accepted = 0;
  for (let i = 0; i < 1500; i++) {
    const params = tree(r, 4);
    delete params.signature;
    delete params.request_timestamp;
    let body;
    try {
      body = signed(params);
    } catch {
      body = { ...params, request_timestamp: String(OPTIONS.now), signature: "0".repeat(64) };
    }
    if (r.bool(0.1)) body = { ...body, request_timestamp: OPTIONS.now };
    if (r.bool(0.05)) body = { ...body, tampered: "1" };
    try {
      if (same(body).ok) accepted++;
      // As Express urlencoded hands it over: the signed form body through qs (canonical order, all strings).
      const form = qs.parse(railsToQuery(body), { allowPrototypes: true, arrayLimit: 100, depth: 32, parameterLimit: 1000 });
      same(form);
      if (r.bool(0.2)) same({ ...form, extra: "x" });
    } catch (e) {
      e.message = `iteration ${i} (seed ${seed}): ${e.message}\n${JSON.stringify(body)}`;
      throw e;
    }
  }
  // Both sides of the shortcut are exercised.
  assert.ok(shortcuts - before > 300, `shortcut ${shortcuts - before} times`);
  assert.ok(directs - directBefore > 200, `direct path ${directs - directBefore} times`);
  assert.ok(accepted > 300 && accepted < 1500, `accepted ${accepted}`);
});

// ---- Options read by the glue (third pass) ----------------------------------------------------------------

/** `options` made twice by `make(extra)`: once as given, once with maxBodyBytes at its default (1 MiB), which
 * makes the glue leave every option to the core. Same answer (keys in order) or same error. */
const isRecord = (b) => typeof b === "object" && b !== null && !ArrayBuffer.isView(b) && !(b instanceof ArrayBuffer) && !Array.isArray(b);

function sameOptions(body, make, label) {
  const general = isRecord(body) ? viaGeneral(body) : body;
  const run = () => [
    outcome(() => kyc.verifyOstWebhook(general, make({ maxBodyBytes: 1 << 20 }))),
    outcome(() => kyc.verifyOstWebhook(body, make({}))),
  ];
  // With `now` absent both calls read the real clock: a second boundary between them changes the age in a
  // tolerance message, so a disagreement is checked again on new pairs of calls (a real one persists).
  let [before, after] = run();
  for (let i = 0; i < 3 && !isDeepStrictEqual(after, before); i++) [before, after] = run();
  assert.deepEqual(after, before, label);
  return after;
}

const SEED_PARSED = () => qs.parse(SEED_OST.body, { allowPrototypes: true, arrayLimit: 100, depth: 32, parameterLimit: 1000 });
const BODIES = [
  ["parsed", SEED_PARSED],
  ["string", () => SEED_OST.body],
  ["Buffer", () => Buffer.from(SEED_OST.body)],
  ["Uint8Array", () => new TextEncoder().encode(SEED_OST.body)],
  ["ArrayBuffer", () => new TextEncoder().encode(SEED_OST.body).buffer],
  ["tampered string", () => SEED_OST.body.replace("11493", "11494")],
  ["tampered parsed", () => ({ ...SEED_PARSED(), id: "237" })],
  ["parsed with a number", () => ({ ...SEED_PARSED(), request_timestamp: SEED_OST.timestamp })],
  ["JSON text", () => JSON.stringify(SEED_PARSED())],
  ["empty", () => ""],
  ["undefined", () => undefined],
  ["null", () => null],
  ["number", () => 5],
  ["array", () => [SEED_OST.body]],
];

test("options read by the glue: every variant answers as the core's own reading", () => {
  const now = SEED_OST.timestamp;
  const variants = {
    url: [undefined, null, 5, "", "/webhooks/ost", "https://", "ftp://webhook.ost.com/test/", `${SEED_OST.url}?q=1#f`, SEED_OST.url.toUpperCase(), new String(SEED_OST.url), [SEED_OST.url]],
    secret: [undefined, null, "", 5, [], [""], ["nope"], ["nope", SEED_OST.secret], [SEED_OST.secret, 5], [SEED_OST.secret, ""], {}, new String(SEED_OST.secret), "wrong"],
    toleranceSeconds: [undefined, null, 0, 1, 300, 299.9, -1, Number.NaN, Infinity, -Infinity, "300", 1e20, true],
    now: [undefined, null, now, now + 0.9, now + 301, now - 301, now * 1000, -1, 0, Number.NaN, Infinity, 1e300, String(now), true, 2 ** 53],
    contentType: [undefined, null, "application/json", "application/x-www-form-urlencoded", "Application/JSON; charset=utf-8", "text/plain", "", 5, {}],
    maxParams: [undefined, null, 5, 4096],
    maxDepth: [undefined, null, 2],
    maxKeyBytes: [undefined, null, 4],
    extra: [undefined, 1, "x"],
  };
  let cases = 0;
  for (const [name, body] of BODIES) {
    for (const [key, values] of Object.entries(variants)) {
      for (const value of values) {
        const make = (extra) => {
          const o = { url: SEED_OST.url, secret: SEED_OST.secret, now, ...extra };
          if (value !== undefined || key !== "extra") o[key] = value;
          return o;
        };
        sameOptions(body(), make, `${name}, ${key} = ${String(value)}`);
        cases++;
      }
    }
  }
  assert.ok(cases > 1000);
  // The common options answer on the fast paths, and correctly.
  for (const [, body] of BODIES.slice(0, 5)) {
    assert.equal(kyc.verifyOstWebhook(body(), OPTIONS).name, "user_register");
  }
});

test("options that are not a plain record, getters, proxies, inherited and absent options", () => {
  const now = SEED_OST.timestamp;
  const plain = { url: SEED_OST.url, secret: SEED_OST.secret, now };
  const makers = {
    "options undefined": () => undefined,
    "options null": () => null,
    "options a string": () => "https://webhook.ost.com/test/",
    "options a number": () => 5,
    "options an array": (extra) => Object.assign([], plain, extra),
    "options a function": (extra) => Object.assign(() => {}, plain, extra),
    "inherited options": (extra) => Object.assign(Object.create(plain), extra),
    "null-prototype options": (extra) => Object.assign(Object.create(null), plain, extra),
    "getters": (extra) => {
      const o = { ...extra };
      for (const [k, v] of Object.entries(plain)) Object.defineProperty(o, k, { get: () => v, enumerable: true });
      return o;
    },
    "a throwing getter (secret)": (extra) => {
      const o = { url: SEED_OST.url, now, ...extra };
      Object.defineProperty(o, "secret", { get() { throw new Error("boom"); } });
      return o;
    },
    "a throwing getter (now)": (extra) => {
      const o = { url: SEED_OST.url, secret: SEED_OST.secret, ...extra };
      Object.defineProperty(o, "now", { get() { throw new TypeError("no clock"); } });
      return o;
    },
    "a proxy": (extra) => new Proxy({ ...plain, ...extra }, {}),
    "a throwing proxy": () => new Proxy({}, { get() { throw new RangeError("trap"); } }),
  };
  for (const [label, make] of Object.entries(makers)) {
    for (const [name, body] of BODIES.slice(0, 9)) {
      const general = isRecord(body()) ? viaGeneral(body()) : body();
      // Options that cannot take maxBodyBytes (not objects) go the core's way on both sides anyway.
      const withLimit = (extra) => {
        const o = make(extra);
        return o !== null && typeof o === "object" ? make({ maxBodyBytes: 1 << 20 }) : o;
      };
      const before = outcome(() => kyc.verifyOstWebhook(general, withLimit()));
      const after = outcome(() => kyc.verifyOstWebhook(body(), make({})));
      assert.deepEqual(after, before, `${label}, ${name}`);
    }
  }
});

test("parsed bodies the direct path leaves to the others: the same answers", () => {
  const base = SEED_PARSED();
  const bodies = [
    // Key order other than canonical, escapes, controls, astral and lone surrogates, empty and odd values.
    Object.fromEntries(Object.entries(base).reverse()),
    { ...base, description: 'q"uote\\back' },
    { ...base, description: "ctl\u0001" },
    { ...base, description: "😀 日本" },
    { ...base, description: "lone\ud800" },
    { ...base, description: "" },
    { ...base, data: {} },
    { ...base, data: [] },
    { ...base, data: { user: { properties: [] } } },
    { ...base, data: { user: { properties: ["a", 1] } } },
    { ...base, data: { user: { properties: ["a", ["b"]] } } },
    { ...base, data: { user: { properties: [, "a"] } } },
    { ...base, data: { user: { toJSON: "x" } } },
    { ...base, data: { user: { toJSON: () => ({}) } } },
    { ...base, data: new Map([["a", "1"]]) },
    { ...base, data: new Date(0) },
    { ...base, "a[b]": "1" },
    { ...base, "": "1" },
    { ...base, signature: undefined },
    { ...base, signature: 5 },
    { ...base, signature: "" },
    { ...base, signature: ["x"] },
    JSON.parse(`{"__proto__": {"x": "1"}, "id": "1", "signature": "${"0".repeat(64)}"}`),
    Object.assign(Object.create(null), base),
  ];
  let deep = { v: "x" };
  for (let i = 0; i < 40; i++) deep = { d: deep };
  bodies.push({ ...base, deep });
  const wide = { ...base };
  for (let i = 0; i < 5000; i++) wide[`k${String(i).padStart(5, "0")}`] = "v";
  bodies.push(wide);
  for (const body of bodies) same(body);
  // A getter in the body runs once on the direct path, and its value is what was verified and returned.
  let reads = 0;
  const getterBody = { ...base };
  Object.defineProperty(getterBody, "name", { get: () => (reads++ === 0 ? "user_register" : "forged"), enumerable: true });
  const answer = kyc.verifyOstWebhook(getterBody, OPTIONS);
  assert.equal(answer.name, "user_register");
  assert.equal(reads, 1);
  // A toJSON on Object.prototype (someone else's polyfill) sends parsed bodies the general way.
  Object.prototype.toJSON = function () { return this; };
  try {
    same(SEED_PARSED());
  } finally {
    delete Object.prototype.toJSON;
  }
});
