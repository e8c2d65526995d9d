// Hostile and careless callers: wrong types, symbols, bigints, dates, cycles, throwing getters, proxies,
// frozen objects, re-entrant getters, milliseconds, empty secrets. Every failure must be a KycError with a
// documented code, no message may contain a secret, and the wasm module must keep working afterwards
// (expectKycError checks that after every call).
//
// The hostile inputs that used to escape as non-KycErrors and eventually break the module are also exercised
// in loops, in child processes, by regressions.test.mjs.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  ERROR_CODES,
  SEED_OST,
  assertModuleWorks,
  assertNoSecrets,
  expectKycError,
  hmacSha1Base64,
  kyc,
  railsToQuery,
  rng,
  seedOstParams,
  testSeed,
  thrown,
} from "./helpers.mjs";

const SECRET = "whsec_HOSTILE_TEST_SECRET_5e1f";
const { url, timestamp: ts } = SEED_OST;
const secrets = [SECRET, SEED_OST.secret];
const ostOptions = (extra = {}) => ({ url, secret: SEED_OST.secret, now: ts, ...extra });
const totBody = '{"operation":"isCleared"}';
const totSig = hmacSha1Base64(SECRET, totBody);

const cyclic = () => {
  const o = { a: 1 };
  o.self = o;
  return o;
};
const cyclicArray = () => {
  const a = [1];
  a.push(a);
  return { a };
};
const wideDag = () => {
  // 2^40 paths through 40 shared nodes: must stop at a limit, not walk them all.
  let node = "leaf";
  for (let i = 0; i < 40; i++) node = [node, node];
  return { node };
};
const throwingGetter = (message = `getter exploded near ${SECRET}`) => ({
  ok: 1,
  get bad() {
    throw new Error(message);
  },
});

describe("wrong argument types are INVALID_ARGUMENT, never a crash", () => {
  const notStrings = [undefined, null, 42, 0, NaN, true, 10n, Symbol("s"), {}, [], () => "x", new String("x")];

  test("numbers, symbols, objects where strings belong", () => {
    for (const v of notStrings) {
      expectKycError(() => kyc.signOstRequest(v, {}, { apiKey: "k", apiSecret: SECRET }, { timestamp: ts }), "INVALID_ARGUMENT", { secrets });
      expectKycError(() => kyc.signOstRequest("/x", {}, { apiKey: v, apiSecret: SECRET }, { timestamp: ts }), "INVALID_ARGUMENT", { secrets });
      expectKycError(() => kyc.signOstRequest("/x", {}, { apiKey: "k", apiSecret: v }, { timestamp: ts }), "INVALID_ARGUMENT", { secrets });
      expectKycError(() => kyc.verifyOstWebhook(SEED_OST.body, ostOptions({ url: v })), "INVALID_ARGUMENT", { secrets });
      expectKycError(() => kyc.signOstWebhook({ a: "1" }, { url, secret: v, timestamp: ts }), "INVALID_ARGUMENT", { secrets });
      expectKycError(() => kyc.totWebhookSignature(totBody, v), "INVALID_ARGUMENT", { secrets });
      if (!Array.isArray(v)) {
        expectKycError(() => kyc.verifyOstWebhook(SEED_OST.body, ostOptions({ secret: v })), "INVALID_ARGUMENT", { secrets });
        expectKycError(() => kyc.verifyTotWebhook(totBody, totSig, v), "INVALID_ARGUMENT", { secrets });
      }
      if (v !== undefined && v !== null) {
        expectKycError(() => kyc.verifyTotWebhook(totBody, v, SECRET), "INVALID_ARGUMENT", { secrets });
      }
    }
  });

  test("undefined or non-object options where options are required", () => {
    for (const options of [undefined, null, 1, "x", Symbol("o"), 5n]) {
      expectKycError(() => kyc.verifyOstWebhook(SEED_OST.body, options), "INVALID_ARGUMENT");
      expectKycError(() => kyc.signOstWebhook({ a: "1" }, options), "INVALID_ARGUMENT");
    }
    expectKycError(() => kyc.signOstRequest("/x", {}, undefined), "INVALID_ARGUMENT");
    expectKycError(() => kyc.signOstRequest("/x", {}), "INVALID_ARGUMENT");
    expectKycError(() => kyc.signOstRequest(), "INVALID_ARGUMENT");
    expectKycError(() => kyc.verifyOstWebhook(), "INVALID_ARGUMENT");
    expectKycError(() => kyc.verifyTotWebhook(), "INVALID_ARGUMENT");
    expectKycError(() => kyc.totWebhookSignature(), "INVALID_ARGUMENT");
    expectKycError(() => kyc.toQuery(), "INVALID_ARGUMENT");
    expectKycError(() => kyc.parseQuery(), "INVALID_ARGUMENT");
    // Optional options may be left out, or be undefined.
    assert.equal(kyc.verifyTotWebhook(totBody, totSig, SECRET, undefined).operation, "isCleared");
    assert.deepEqual(kyc.parseQuery("a=1", undefined), { a: "1" });
    assert.equal(typeof kyc.signOstRequest("/x", {}, { apiKey: "k", apiSecret: SECRET }, undefined).signature, "string");
    assert.equal(kyc.reasonValue(), undefined);
    assert.equal(kyc.reasonIsPositive(), false);
    assert.equal(kyc.isKycError(), false);
  });

  test("option numbers given as strings, bigints, Dates", () => {
    for (const v of ["1542185198", 1542185198n, new Date(ts * 1000), [ts], { valueOf: () => ts }]) {
      expectKycError(() => kyc.verifyOstWebhook(SEED_OST.body, ostOptions({ now: v })), "INVALID_ARGUMENT", { message: /options\.now must be a number/ });
      expectKycError(() => kyc.signOstRequest("/x", {}, { apiKey: "k", apiSecret: SECRET }, { timestamp: v }), "INVALID_ARGUMENT", { secrets });
      expectKycError(() => kyc.signOstWebhook({ a: "1" }, { url, secret: SECRET, timestamp: v }), "INVALID_ARGUMENT", { secrets });
      expectKycError(() => kyc.verifyOstWebhook(SEED_OST.body, ostOptions({ toleranceSeconds: v })), "INVALID_ARGUMENT");
      expectKycError(() => kyc.parseQuery("a=1", { maxDepth: v }), "INVALID_ARGUMENT");
    }
  });
});

describe("timestamps in milliseconds are explained", () => {
  const ms = Date.now();
  test("options.now, options.timestamp and params.request_timestamp", () => {
    for (const v of [ms, ts * 1000, 1e11]) {
      expectKycError(() => kyc.verifyOstWebhook(SEED_OST.body, ostOptions({ now: v })), "INVALID_ARGUMENT", { message: /milliseconds/ });
      expectKycError(() => kyc.signOstRequest("/x", {}, { apiKey: "k", apiSecret: SECRET }, { timestamp: v }), "INVALID_ARGUMENT", { message: /milliseconds/, secrets });
      expectKycError(() => kyc.signOstWebhook({ a: "1" }, { url, secret: SECRET, timestamp: v }), "INVALID_ARGUMENT", { message: /milliseconds/, secrets });
      expectKycError(() => kyc.signOstWebhook({ request_timestamp: v }, { url, secret: SECRET }), "INVALID_ARGUMENT", { message: /milliseconds/, secrets });
    }
    // Just under the threshold is a (far-future) time in seconds, not an argument error.
    expectKycError(() => kyc.verifyOstWebhook(SEED_OST.body, ostOptions({ now: 99_999_999_999 })), "TIMESTAMP_OUT_OF_TOLERANCE");
  });
});

describe("empty secrets are INVALID_ARGUMENT", () => {
  test("every function that takes a secret", () => {
    const empty = /empty/;
    expectKycError(() => kyc.signOstRequest("/x", {}, { apiKey: "k", apiSecret: "" }, { timestamp: ts }), "INVALID_ARGUMENT", { message: empty });
    expectKycError(() => kyc.signOstWebhook({}, { url, secret: "", timestamp: ts }), "INVALID_ARGUMENT", { message: empty });
    expectKycError(() => kyc.verifyOstWebhook(SEED_OST.body, ostOptions({ secret: "" })), "INVALID_ARGUMENT", { message: empty });
    expectKycError(() => kyc.verifyOstWebhook(SEED_OST.body, ostOptions({ secret: [] })), "INVALID_ARGUMENT", { message: empty });
    expectKycError(() => kyc.verifyOstWebhook(SEED_OST.body, ostOptions({ secret: [SEED_OST.secret, ""] })), "INVALID_ARGUMENT", { message: empty });
    expectKycError(() => kyc.totWebhookSignature(totBody, ""), "INVALID_ARGUMENT", { message: empty });
    expectKycError(() => kyc.verifyTotWebhook(totBody, totSig, ""), "INVALID_ARGUMENT", { message: empty });
    expectKycError(() => kyc.verifyTotWebhook(totBody, totSig, []), "INVALID_ARGUMENT", { message: empty });
    expectKycError(() => kyc.verifyTotWebhook(totBody, totSig, ["", SECRET]), "INVALID_ARGUMENT", { message: empty });
  });
});

describe("values without a query form", () => {
  const carriers = [
    ["toQuery", (v) => kyc.toQuery({ v })],
    ["signOstRequest", (v) => kyc.signOstRequest("/x", { v }, { apiKey: "k", apiSecret: SECRET }, { timestamp: ts })],
    ["signOstWebhook", (v) => kyc.signOstWebhook({ v }, { url, secret: SECRET, timestamp: ts })],
    ["verifyOstWebhook (object body)", (v) => kyc.verifyOstWebhook({ ...seedOstParams(), signature: SEED_OST.signature, v }, ostOptions())],
    ["reasonValue", (v) => kyc.reasonValue({ value: "fullMatch", v })],
  ];

  test("BigInt params are written in decimal (documented)", () => {
    assert.equal(kyc.toQuery({ id: 2n ** 70n, neg: -1n, list: [0n] }), "id=1180591620717411303424&list%5B%5D=0&neg=-1");
    const signed = kyc.signOstRequest("/x", { id: 2n ** 70n }, { apiKey: "k", apiSecret: SECRET }, { timestamp: ts });
    assert.equal(signed.params.id, "1180591620717411303424");
    assert.equal(signed.stringToSign, `/x?${railsToQuery({ api_key: "k", id: "1180591620717411303424", request_timestamp: ts })}`);
  });

  test("symbols and functions as values are INVALID_ARGUMENT naming the path; symbol keys are ignored", () => {
    for (const [name, call] of carriers) {
      for (const v of [Symbol("s"), () => 1, class {}]) {
        // A webhook body's entries are named by position, not by key (issue 14: no body content in messages).
        expectKycError(() => call(v), "INVALID_ARGUMENT", { message: /params\.v|body \(entry \d+\)|reason\.v/, secrets });
      }
      if (!name.startsWith("verifyOstWebhook")) assert.doesNotThrow(() => call("fine"), name); // (an extra field breaks the seed's signature)
    }
    assert.equal(kyc.toQuery({ [Symbol("hidden")]: 1, a: 2 }), "a=2");
  });

  test("Date, Map, Set and binary data as values are INVALID_ARGUMENT with advice", () => {
    for (const [, call] of carriers) {
      expectKycError(() => call(new Date(0)), "INVALID_ARGUMENT", { message: /Date.*toISOString/, secrets });
      expectKycError(() => call(new Map([["a", 1]])), "INVALID_ARGUMENT", { message: /Map/ });
      expectKycError(() => call(new Set([1])), "INVALID_ARGUMENT", { message: /Set/ });
      expectKycError(() => call(new Uint8Array(2)), "INVALID_ARGUMENT", { message: /binary/ });
      expectKycError(() => call(new ArrayBuffer(2)), "INVALID_ARGUMENT", { message: /binary/ });
    }
    expectKycError(() => kyc.reasonValue(new Date(0)), "INVALID_ARGUMENT");
  });

  test("cyclic and exponentially shared structures stop at a limit", () => {
    for (const [, call] of carriers) {
      for (const make of [cyclic, cyclicArray, wideDag]) {
        const e = thrown(() => call(make()));
        assert.ok(["TOO_DEEP", "TOO_MANY_PARAMS"].includes(e.code), `${e.name} ${e.code} ${e.message}`);
        assert.equal(e.name, "KycError");
        assertModuleWorks();
      }
    }
    for (const make of [cyclic, cyclicArray, wideDag]) {
      const e = thrown(() => kyc.toQuery(make()));
      assert.ok(["TOO_DEEP", "TOO_MANY_PARAMS"].includes(e.code), e.message);
      const r = thrown(() => kyc.reasonIsPositive(make()));
      assert.ok(["TOO_DEEP", "TOO_MANY_PARAMS"].includes(r.code), r.message);
    }
    const cyclicBody = cyclic();
    cyclicBody.signature = "00";
    const e = thrown(() => kyc.verifyOstWebhook(cyclicBody, ostOptions()));
    assert.ok(["TOO_DEEP", "TOO_MANY_PARAMS"].includes(e.code), e.message);
    assertModuleWorks();
  });
});

describe("throwing getters", () => {
  test("in params, nested params, array items: INVALID_ARGUMENT naming the path, not leaking the getter's message", () => {
    const withArrayGetter = () => {
      const arr = [1, 2];
      Object.defineProperty(arr, 1, { get() { throw new Error(SECRET); }, enumerable: true });
      return { arr };
    };
    const makers = [() => throwingGetter(), () => ({ nested: { deeper: throwingGetter() } }), withArrayGetter];
    // Copies descriptors, so that building a webhook body does not itself run the getter.
    const plus = (extra, params) => Object.defineProperties({ ...extra }, Object.getOwnPropertyDescriptors(params));
    for (const make of makers) {
      const e = expectKycError(() => kyc.toQuery(make()), "INVALID_ARGUMENT", { message: /threw/, secrets });
      assert.match(e.message, /params\.(bad|nested\.deeper\.bad|arr\[1\])/);
      expectKycError(() => kyc.signOstRequest("/x", make(), { apiKey: "k", apiSecret: SECRET }, { timestamp: ts }), "INVALID_ARGUMENT", { secrets });
      expectKycError(() => kyc.signOstWebhook(make(), { url, secret: SECRET, timestamp: ts }), "INVALID_ARGUMENT", { secrets });
      expectKycError(() => kyc.verifyOstWebhook(plus({ signature: "00", request_timestamp: String(ts) }, make()), ostOptions()), "INVALID_ARGUMENT", { secrets });
      expectKycError(() => kyc.reasonValue({ value: "x", params: make() }), "INVALID_ARGUMENT", { secrets });
    }
  });

  test("in options and credentials", () => {
    const boom = () => {
      throw new Error(`boom ${SECRET}`);
    };
    for (const key of ["url", "secret", "now", "toleranceSeconds", "maxDepth", "maxBodyBytes"]) {
      const options = ostOptions();
      Object.defineProperty(options, key, { get: boom });
      expectKycError(() => kyc.verifyOstWebhook(SEED_OST.body, options), "INVALID_ARGUMENT", { message: new RegExp(`options\\.${key}`), secrets });
    }
    for (const key of ["apiKey", "apiSecret"]) {
      const credentials = { apiKey: "k", apiSecret: SECRET };
      Object.defineProperty(credentials, key, { get: boom });
      expectKycError(() => kyc.signOstRequest("/x", {}, credentials, { timestamp: ts }), "INVALID_ARGUMENT", { secrets });
    }
    expectKycError(() => kyc.signOstRequest("/x", {}, { apiKey: "k", apiSecret: SECRET }, { get timestamp() { return boom(); } }), "INVALID_ARGUMENT", { secrets });
    expectKycError(() => kyc.signOstWebhook({}, { url, get secret() { return boom(); } }), "INVALID_ARGUMENT", { secrets });
    expectKycError(() => kyc.verifyTotWebhook(totBody, totSig, SECRET, { get maxBodyBytes() { return boom(); } }), "INVALID_ARGUMENT", { secrets });
    // Throwing something that is not an Error.
    for (const thrownValue of [undefined, null, 42, Symbol("t"), { message: SECRET }]) {
      expectKycError(() => kyc.toQuery({ get a() { throw thrownValue; } }), "INVALID_ARGUMENT", { secrets });
    }
  });

  test("getters that call back into the library (re-entrancy) work", () => {
    const params = {
      get inner() {
        return kyc.toQuery({ b: "c d" });
      },
      get failing() {
        try {
          kyc.toQuery(null);
        } catch (e) {
          return e.code;
        }
        return "no";
      },
    };
    assert.equal(kyc.toQuery(params), "failing=INVALID_ARGUMENT&inner=b%3Dc%2Bd");
    const options = ostOptions();
    Object.defineProperty(options, "now", { get: () => (kyc.verifyOstWebhook(SEED_OST.body, ostOptions()) ? ts : 0) });
    assert.equal(kyc.verifyOstWebhook(SEED_OST.body, options).id, "236");
    assertModuleWorks();
  });
});

describe("proxies", () => {
  test("a transparent proxy behaves like its target", () => {
    const target = { b: [1, { c: "d" }], a: "x" };
    assert.equal(kyc.toQuery(new Proxy(target, {})), kyc.toQuery(target));
    const body = new Proxy({ ...seedOstParams(), signature: SEED_OST.signature }, {});
    assert.deepEqual(kyc.verifyOstWebhook(body, new Proxy(ostOptions(), {})), seedOstParams());
    assert.equal(kyc.reasonIsPositive(new Proxy({ status: "fullMatch" }, {})), true);
  });

  test("traps that throw, lie or are revoked give INVALID_ARGUMENT or a limit code", () => {
    const fail = () => {
      throw new Error(SECRET);
    };
    // Walking params lists keys and reads them: any of these traps fails the walk.
    for (const handler of [{ get: fail }, { ownKeys: fail }, { getOwnPropertyDescriptor: fail }, { getPrototypeOf: fail, get: fail }]) {
      expectKycError(() => kyc.toQuery({ p: new Proxy({ a: 1 }, handler) }), "INVALID_ARGUMENT", { secrets });
      expectKycError(() => kyc.toQuery(new Proxy({ a: 1 }, handler)), "INVALID_ARGUMENT", { secrets });
    }
    // Options and credentials are only read by name.
    expectKycError(() => kyc.verifyOstWebhook(SEED_OST.body, new Proxy(ostOptions(), { get: fail })), "INVALID_ARGUMENT", { secrets });
    expectKycError(() => kyc.signOstRequest("/x", {}, new Proxy({ apiKey: "k", apiSecret: SECRET }, { get: fail }), { timestamp: ts }), "INVALID_ARGUMENT", { secrets });
    assert.equal(kyc.verifyOstWebhook(SEED_OST.body, new Proxy(ostOptions(), { ownKeys: fail, has: fail })).id, "236");
    // ownKeys that breaks the proxy invariants (duplicates) makes Object.keys throw.
    expectKycError(() => kyc.toQuery(new Proxy({}, { ownKeys: () => ["a", "a"] })), "INVALID_ARGUMENT");
    // A proxy array whose length lies.
    const huge = new Proxy([1], { get: (t, p) => (p === "length" ? 1e9 : Reflect.get(t, p)) });
    expectKycError(() => kyc.toQuery({ huge }), "TOO_MANY_PARAMS");
    const stringLength = new Proxy([1], { get: (t, p) => (p === "length" ? "2" : Reflect.get(t, p)) });
    expectKycError(() => kyc.toQuery({ stringLength }), "INVALID_ARGUMENT");
    // Revoked proxies, at the top and nested.
    const revoked = () => {
      const r = Proxy.revocable({}, {});
      r.revoke();
      return r.proxy;
    };
    expectKycError(() => kyc.toQuery(revoked()), "INVALID_ARGUMENT", { message: /revoked/ });
    expectKycError(() => kyc.toQuery({ a: revoked() }), "INVALID_ARGUMENT", { message: /revoked/ });
    expectKycError(() => kyc.verifyOstWebhook(revoked(), ostOptions()), "INVALID_ARGUMENT");
    expectKycError(() => kyc.verifyOstWebhook(SEED_OST.body, revoked()), "INVALID_ARGUMENT");
    expectKycError(() => kyc.reasonValue(revoked()), "INVALID_ARGUMENT");
    assert.equal(kyc.isKycError(revoked()), false);
  });

  test("a proxy whose get trap counts reads: each property is read once", () => {
    const reads = {};
    const target = { a: 1, b: { c: 2 } };
    const counting = new Proxy(target, {
      get(t, p, r) {
        reads[String(p)] = (reads[String(p)] ?? 0) + 1;
        return Reflect.get(t, p, r);
      },
    });
    assert.equal(kyc.toQuery(counting), "a=1&b%5Bc%5D=2");
    assert.equal(reads.a, 1);
    assert.equal(reads.b, 1);
  });
});

describe("frozen, sealed and odd objects", () => {
  test("frozen and sealed inputs are read without being changed; outputs are fresh and mutable", () => {
    const deepFreeze = (o) => {
      for (const v of Object.values(o)) if (typeof v === "object" && v !== null) deepFreeze(v);
      return Object.freeze(o);
    };
    const params = deepFreeze({ b: [1, { c: "d" }], a: "x" });
    assert.equal(kyc.toQuery(params), "a=x&b%5B%5D=1&b%5B%5D%5Bc%5D=d");
    assert.equal(kyc.toQuery(Object.seal({ a: 1 })), "a=1");
    assert.equal(kyc.toQuery(Object.preventExtensions({ a: 1 })), "a=1");
    const body = deepFreeze({ ...seedOstParams(), signature: SEED_OST.signature });
    const out = kyc.verifyOstWebhook(body, deepFreeze(ostOptions()));
    assert.ok(!Object.isFrozen(out));
    out.extra = 1;
    out.data.user.id = "changed";
    assert.equal(body.data.user.id, "11493");
    // reasonValue hands back the caller's own value, frozen or not (as the seed's function does).
    const gate = deepFreeze({ value: { a: [1] } });
    assert.equal(kyc.reasonValue(gate), gate.value);
  });

  test("prototype-less objects, inherited properties, non-enumerable properties", () => {
    const bare = Object.create(null);
    bare.b = 1;
    bare.a = 2;
    assert.equal(kyc.toQuery(bare), "a=2&b=1");
    const child = Object.create({ inherited: 1 });
    child.own = 2;
    assert.equal(kyc.toQuery(child), "own=2");
    const hidden = { shown: 1 };
    Object.defineProperty(hidden, "hidden", { value: 2, enumerable: false });
    assert.equal(kyc.toQuery(hidden), "shown=1");
    assert.equal(kyc.toQuery({ __proto__: { inherited: 1 }, own: 1 }), "own=1"); // a literal __proto__ sets the prototype
    assert.equal(kyc.toQuery({ ["__proto__"]: 1 }), "__proto__=1"); // a computed one is an own property
    assert.equal(kyc.toQuery(JSON.parse('{"__proto__":{"x":1}}')), "__proto__%5Bx%5D=1");
  });
});

describe("error messages never contain a secret", () => {
  test("a sweep of failing calls that all carry the secret", () => {
    const longSecret = `sk_${"Z".repeat(40)}_secret`;
    const errors = [];
    const collect = (fn) => {
      try {
        fn();
      } catch (e) {
        errors.push(e);
      }
    };
    const body = SEED_OST.body;
    collect(() => kyc.verifyOstWebhook(body, ostOptions({ secret: longSecret })));
    collect(() => kyc.verifyOstWebhook(body, ostOptions({ secret: [longSecret, `${longSecret}2`] })));
    collect(() => kyc.verifyOstWebhook(body, { url: longSecret, secret: longSecret, now: ts }));
    collect(() => kyc.verifyOstWebhook(body, { url, secret: longSecret }));
    collect(() => kyc.verifyOstWebhook(body, ostOptions({ secret: longSecret, now: Date.now() })));
    collect(() => kyc.verifyOstWebhook(body, ostOptions({ secret: [longSecret, 1] })));
    collect(() => kyc.verifyOstWebhook(`signature=${longSecret}`, ostOptions({ secret: longSecret })));
    collect(() => kyc.verifyOstWebhook({ signature: longSecret }, ostOptions({ secret: longSecret })));
    collect(() => kyc.signOstRequest(`${longSecret}?x`, {}, { apiKey: "k", apiSecret: longSecret }));
    collect(() => kyc.signOstRequest("/x?y", {}, { apiKey: longSecret, apiSecret: longSecret }));
    collect(() => kyc.signOstRequest("/x", { v: Symbol(longSecret) }, { apiKey: "k", apiSecret: longSecret }));
    collect(() => kyc.signOstRequest("/x", {}, { apiKey: "k", apiSecret: longSecret }, { timestamp: Date.now() }));
    collect(() => kyc.signOstWebhook({ a: NaN }, { url, secret: longSecret }));
    collect(() => kyc.signOstWebhook({}, { url: "relative", secret: longSecret }));
    collect(() => kyc.totWebhookSignature(42, longSecret));
    collect(() => kyc.verifyTotWebhook(totBody, hmacSha1Base64(longSecret, "other"), longSecret));
    collect(() => kyc.verifyTotWebhook(totBody, longSecret, longSecret));
    collect(() => kyc.verifyTotWebhook(totBody, undefined, [longSecret]));
    collect(() => kyc.verifyTotWebhook("not json", hmacSha1Base64(longSecret, "not json"), longSecret));
    collect(() => kyc.verifyTotWebhook(totBody, totSig, [longSecret, ""]));
    assert.equal(errors.length, 20);
    for (const e of errors) {
      assert.equal(e.name, "KycError", String(e));
      assert.ok(ERROR_CODES.includes(e.code));
      assertNoSecrets(e, [longSecret, "Z".repeat(20)]);
    }
    assertModuleWorks();
  });
});

const detached = () => {
  const buffer = new ArrayBuffer(4);
  structuredClone(buffer, { transfer: [buffer] });
  return buffer;
};
const lyingView = () => {
  const view = new Uint8Array(4);
  Object.defineProperty(view, "byteLength", { value: 4096 });
  return view;
};
const throwingList = () => {
  const list = ["x"];
  Object.defineProperty(list, 0, { get() { throw new Error("item"); } });
  return list;
};

// Junk for the fuzz below, including the forms that once escaped as non-KycErrors (regressions.test.mjs).
function junk(r, depth = 2) {
  const simple = [
    undefined, null, true, false, 0, -0, NaN, Infinity, -Infinity, 1.5, -1, 2 ** 53, 1542185198, 1542185198000,
    "", "x", " ", "a=1&b=2", "signature=00", "{", "{}", '{"a":1}', "https://example.com/h", "/api/v2/users",
    "%zz", "\u0000", "😀", 10n, -1n,
  ];
  switch (r.int(depth > 0 ? 16 : 4)) {
    case 0: case 1: case 2: return r.pick(simple);
    case 3: return Symbol("junk");
    case 4: return () => 1;
    case 5: return Array.from({ length: r.int(4) }, () => junk(r, depth - 1));
    case 6: case 7: {
      // defineProperty, so that "__proto__" is an own data property (not the prototype setter).
      const o = {};
      const n = r.int(5);
      for (let i = 0; i < n; i++) {
        const key = r.pick(["a", "signature", "request_timestamp", "value", "status", "url", "secret", "now", "maxDepth", "__proto__", "0"]);
        Object.defineProperty(o, key, { value: junk(r, depth - 1), enumerable: true, writable: true, configurable: true });
      }
      return o;
    }
    case 8: return r.pick([new Date(0), new Map(), new Set(), new Uint8Array([1, 2]), Buffer.from("a=1"), new ArrayBuffer(3), new DataView(new ArrayBuffer(2)), /re/, new Error("e"), Promise.resolve(1), new WeakMap()]);
    case 9: return new Proxy({ a: junk(r, depth - 1) }, r.bool() ? {} : { get() { throw new Error("trap"); } });
    case 10: {
      const rr = Proxy.revocable({}, {});
      rr.revoke();
      return rr.proxy;
    }
    case 11: return throwingGetter();
    case 12: return Object.freeze({ a: junk(r, depth - 1) });
    case 13: return r.bool() ? cyclic() : wideDag();
    case 14: return r.pick([new String("s"), new Number(1), new Boolean(false), Object.create(null), detached(), lyingView(), throwingList(), new Proxy(["x"], { get() { throw new Error("list"); } })]);
    default: return { value: junk(r, depth - 1), status: junk(r, depth - 1) };
  }
}

test("fuzz: junk arguments to every function throw only KycErrors, and the module keeps working", (t) => {
  const seed = testSeed();
  t.diagnostic(`KYC_TEST_SEED=${seed}`);
  const r = rng(seed);
  const maybe = (valid) => (r.bool(0.6) ? valid : junk(r));
  // Each entry builds its arguments first (outside the try), then returns the call to make.
  const calls = [
    () => [kyc.toQuery, [junk(r)]],
    () => [kyc.toQuery, [{ a: junk(r), b: junk(r) }]],
    () => [kyc.parseQuery, [maybe("a[b]=1&c"), junk(r)]],
    () => [kyc.signOstRequest, [maybe("/x"), junk(r), maybe({ apiKey: maybe("k"), apiSecret: maybe(SECRET) }), maybe({ timestamp: maybe(ts) })]],
    () => [kyc.signOstWebhook, [junk(r), maybe({ url: maybe(url), secret: maybe(SECRET), timestamp: maybe(ts) })]],
    () => [kyc.verifyOstWebhook, [maybe(SEED_OST.body), maybe({ url: maybe(url), secret: maybe(SEED_OST.secret), now: maybe(ts), toleranceSeconds: junk(r), maxDepth: junk(r) })]],
    () => [kyc.verifyOstWebhook, [{ ...seedOstParams(), signature: SEED_OST.signature, x: junk(r) }, ostOptions()]],
    () => [kyc.totWebhookSignature, [maybe(totBody), maybe(SECRET)]],
    () => [kyc.verifyTotWebhook, [maybe(totBody), maybe(totSig), maybe(SECRET), junk(r)]],
    () => [kyc.reasonValue, [junk(r)]],
    () => [kyc.reasonIsPositive, [junk(r)]],
    () => [kyc.isKycError, [junk(r)]],
  ];
  let thrownCount = 0;
  for (let i = 0; i < 3000; i++) {
    const which = r.int(calls.length);
    const [fn, args] = calls[which]();
    try {
      fn(...args);
    } catch (e) {
      thrownCount++;
      const where = `${fn.name}, iteration ${i} (KYC_TEST_SEED=${seed})`;
      assert.ok(e instanceof Error, `${where}: threw a non-Error ${String(e)}`);
      assert.equal(e.name, "KycError", `${where}: ${e.name}: ${e.message}`);
      assert.ok(ERROR_CODES.includes(e.code), `${where}: code ${e.code}`);
      assertNoSecrets(e, [SECRET]);
    }
    assertModuleWorks();
  }
  assert.ok(thrownCount > 500, `only ${thrownCount} of 3000 junk calls threw`);
});
