// Issue 16: `verifyOstWebhook` on a body that middleware already parsed takes a fast path (the glue checks the
// body is plain, serialises it once with JSON.stringify, and the wasm reads that text: scripts/ost-plain-body.cjs,
// src/plain_json.rs, src/wasm/ost_plain.rs). These tests pin that the fast path gives exactly the general
// path's answer or typed error (code and message), and that everything JSON.stringify would silently change
// goes the general way. The general path is forced by giving the same own properties a prototype that is
// neither Object.prototype nor null (the property-by-property reader reads own enumerable keys only).
import { test } from "node:test";
import assert from "node:assert/strict";
import qs from "qs";
import { SEED_OST, kyc, randParams, referenceOstWebhook, rng, testSeed } from "./helpers.mjs";

const OPTIONS = { url: SEED_OST.url, secret: SEED_OST.secret, now: SEED_OST.timestamp };
const viaGeneral = (body) => Object.assign(Object.create(Object.create(null)), body);

function outcome(fn) {
  try {
    return { ok: fn() };
  } catch (e) {
    return { name: e?.name, code: e?.code, message: e?.message };
  }
}

/** Runs `verifyOstWebhook(body, options)` counting JSON.stringify calls (1 when the fast path was taken). */
function counted(body, options) {
  const original = JSON.stringify;
  let calls = 0;
  JSON.stringify = function (...args) {
    calls++;
    return original.apply(this, args);
  };
  try {
    return { result: outcome(() => kyc.verifyOstWebhook(body, options)), calls };
  } finally {
    JSON.stringify = original;
  }
}

function same(body, options = OPTIONS, { fast } = {}) {
  const general = outcome(() => kyc.verifyOstWebhook(viaGeneral(body), options));
  const { result, calls } = counted(body, options);
  assert.deepEqual(result, general);
  if (fast !== undefined) assert.equal(calls > 0, fast, fast ? "expected the fast path" : "expected the general path");
  return result;
}

const signed = (params, timestamp = SEED_OST.timestamp) => {
  const { signature, params: all } = referenceOstWebhook(params, { ...OPTIONS, timestamp });
  return { ...all, signature };
};

test("the seed webhook as Express urlencoded parses it: the fast path, the same answer", () => {
  const parsed = qs.parse(SEED_OST.body, { allowPrototypes: true, arrayLimit: 100, depth: 32, parameterLimit: 1000 });
  const r = same(parsed, OPTIONS, { fast: true });
  assert.equal(r.ok.name, "user_register");
  assert.equal(r.ok.data.user.properties[0], "doptin_mail_sent");
});

test("rule and verification errors are the general path's: codes and messages", () => {
  const base = { name: "x", data: { a: "1" } };
  // null / boolean leaves, empty containers, bracketed keys: MALFORMED_BODY (their form cannot carry them).
  for (const extra of [{ n: null }, { b: true }, { e: {} }, { l: [] }, { "a[b]": "1" }, { d: { "x[]": "y" } }]) {
    const r = same(signed({ ...base, ...extra }), OPTIONS, { fast: true });
    assert.ok(r.code, `expected an error for ${JSON.stringify(extra)}`);
  }
  const good = signed(base);
  assert.ok(same(good, OPTIONS, { fast: true }).ok);
  assert.equal(same({ ...good, signature: "0".repeat(64) }, OPTIONS, { fast: true }).code, "INVALID_SIGNATURE");
  assert.equal(same({ ...good, name: "y" }, OPTIONS, { fast: true }).code, "INVALID_SIGNATURE");
  assert.ok(same(signed(base, SEED_OST.timestamp - 3600)).code);
  const { signature: _, ...unsigned } = good;
  assert.ok(same(unsigned).code);
  // Safe integers are read as numbers on both paths.
  assert.deepEqual(same(signed({ ...base, id: 42, neg: -7 }), OPTIONS, { fast: true }).ok?.id, "42");
});

test("strings with escapes, controls, astral characters, lone surrogates and __proto__ keys", () => {
  for (const value of ['q"uote', "back\\slash", "ctl\u0001\u001f", "nl\n\r\t", "😀日本", "lone\ud800x", "\udc00", "é/€"]) {
    same(signed({ name: value, [value]: "k" }), OPTIONS, { fast: true });
  }
  const proto = JSON.parse('{"__proto__": {"x": "1"}, "name": "p"}');
  same({ ...signed({ name: "p" }), ...proto });
  same(proto);
});

test("what JSON.stringify would change takes the general path, with the general path's answer or error", () => {
  const good = signed({ name: "x", data: { a: "1" } });
  class Event {
    constructor() {
      Object.assign(this, good);
    }
  }
  const cyclic = { ...good };
  cyclic.self = cyclic;
  const cases = {
    undefinedProperty: { ...good, u: undefined },
    undefinedNested: { ...good, data: { a: "1", u: undefined } },
    func: { ...good, f() {} },
    symbolValue: { ...good, s: Symbol("s") },
    date: { ...good, when: new Date(0) },
    toJSON: { ...good, toJSON: () => ({}) },
    nestedToJSON: { ...good, data: { a: "1", toJSON: () => "x" } },
    classInstance: new Event(),
    nestedClass: { ...good, data: new Event() },
    map: { ...good, m: new Map([["a", "1"]]) },
    bigint: { ...good, big: 10n },
    negativeZero: { ...good, z: -0 },
    fraction: { ...good, f: 1.5 },
    nan: { ...good, n: NaN },
    infinity: { ...good, i: Infinity },
    unsafeInteger: { ...good, i: 2 ** 53 },
    boxedString: { ...good, s: new String("x") },
    cycle: cyclic,
    bytes: { ...good, b: new Uint8Array(2) },
  };
  for (const [name, body] of Object.entries(cases)) {
    const general = outcome(() => kyc.verifyOstWebhook(viaGeneral(body), OPTIONS));
    const { result, calls } = counted(body, OPTIONS);
    assert.deepEqual(result, general, name);
    // The fast path serialises only after the whole body passed the check: no JSON.stringify here.
    assert.equal(calls, 0, `${name}: expected the general path`);
  }
  // Holes and undefined array items: null on both paths (and a MALFORMED_BODY, as null leaves are).
  same(signed({ name: "x", list: ["a", undefined, "b"] }));
  // Symbol keys and non-enumerable properties are invisible to both readers.
  const hidden = { ...good, [Symbol("k")]: "v" };
  Object.defineProperty(hidden, "secret", { value: "x", enumerable: false });
  same(hidden, OPTIONS, { fast: true });
});

test("throwing getters and revoked proxies: the general path's typed error", () => {
  const good = signed({ name: "x" });
  const getter = { ...good };
  Object.defineProperty(getter, "boom", { enumerable: true, get() { throw new Error("getter"); } });
  const { proxy, revoke } = Proxy.revocable({ ...good }, {});
  revoke();
  for (const body of [getter, { ...good, data: proxy }, proxy]) {
    const r = outcome(() => kyc.verifyOstWebhook(body, OPTIONS));
    assert.equal(r.name, "KycError", r.message);
  }
});

test("limits: the fast path falls back where the general path refuses (same code and message)", () => {
  const wide = signed(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, "v"])));
  const deep = signed({ name: "d", a: { b: { c: { d: { e: "1" } } } } });
  const longKey = signed({ name: "l", ["k".repeat(300)]: "v" });
  const big = signed({ name: "b", text: "x".repeat(5000) });
  for (const [body, limits] of [
    [wide, { maxParams: 10 }], [wide, { maxParams: 41 }], [wide, { maxParams: 43 }],
    [deep, { maxDepth: 3 }], [deep, { maxDepth: 5 }], [deep, { maxDepth: 6 }],
    [longKey, { maxKeyBytes: 100 }], [longKey, { maxKeyBytes: 300 }],
    [big, { maxBodyBytes: 1000 }], [big, { maxBodyBytes: 6000 }],
  ]) {
    same(body, { ...OPTIONS, ...limits });
  }
});

test("options errors are the same on both paths", () => {
  const good = signed({ name: "x" });
  for (const options of [
    null, {}, { ...OPTIONS, url: 1 }, { ...OPTIONS, secret: "" }, { ...OPTIONS, secret: ["a", 2] },
    { ...OPTIONS, toleranceSeconds: -1 }, { ...OPTIONS, now: Date.now() }, { ...OPTIONS, contentType: 5 },
    { ...OPTIONS, contentType: "application/json" }, { ...OPTIONS, maxParams: 0 }, { ...OPTIONS, secret: ["nope", SEED_OST.secret] },
  ]) {
    same(good, options);
  }
});

test("random parameter trees: the same answer or error on both paths", () => {
  const seed = testSeed();
  const r = rng(seed);
  for (let i = 0; i < 300; i++) {
    const json = r.bool(0.7);
    const params = randParams(r, 3, { json, reserved: ["signature", "request_timestamp"] });
    let body;
    try {
      body = signed(params);
    } catch {
      body = { ...params, signature: "0".repeat(64) };
    }
    try {
      same(body);
    } catch (e) {
      e.message = `iteration ${i} (KYC_TEST_SEED=${seed}): ${e.message}`;
      throw e;
    }
  }
});
