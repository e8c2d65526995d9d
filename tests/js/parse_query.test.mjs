// parseQuery: Rack-style nested parameters, round trips with toQuery, limits and errors.

import assert from "node:assert/strict";
import { test } from "node:test";

import { SEED_OST, expectKycError, kyc, railsToQuery, randParams, rng, seedOstParams, testSeed, withVectors } from "./helpers.mjs";

test("the seed webhook body parses into its nested parameters", () => {
  assert.deepEqual(kyc.parseQuery(SEED_OST.body), { ...seedOstParams(), signature: SEED_OST.signature });
});

test("Rack shapes: nested objects, arrays, arrays of objects, bare keys, + and %XX", () => {
  assert.deepEqual(kyc.parseQuery("a[b][c]=1&x[]=1&x[]=2&y[][k]=1&y[][l]=2&y[][k]=3&n&e=&s=a+b%2B%C3%A9"), {
    a: { b: { c: "1" } },
    x: ["1", "2"],
    y: [{ k: "1", l: "2" }, { k: "3" }],
    n: null,
    e: "",
    s: "a b+é",
  });
  assert.deepEqual(kyc.parseQuery("?a=1&&b=2&"), { a: "1", b: "2" });
  assert.deepEqual(kyc.parseQuery(""), {});
  assert.deepEqual(kyc.parseQuery("a=1&a=2"), { a: "2" }); // the last one wins, as in Rack
});

test("string, Uint8Array, Buffer and ArrayBuffer inputs parse alike", () => {
  const text = "a[b]=1&c[]=%E2%82%AC";
  const expected = { a: { b: "1" }, c: ["€"] };
  const bytes = new TextEncoder().encode(text);
  assert.deepEqual(kyc.parseQuery(text), expected);
  assert.deepEqual(kyc.parseQuery(bytes), expected);
  assert.deepEqual(kyc.parseQuery(Buffer.from(text)), expected);
  assert.deepEqual(kyc.parseQuery(bytes.buffer), expected);
  const padded = Buffer.from(`xxxx${text}yyyy`);
  assert.deepEqual(kyc.parseQuery(padded.subarray(4, 4 + text.length)), expected);
});

test("random round trips: parseQuery(toQuery(p)) gives p back (string leaves, Rack-readable keys)", (t) => {
  const seed = testSeed();
  t.diagnostic(`KYC_TEST_SEED=${seed}`);
  const r = rng(seed);
  for (let i = 0; i < 1500; i++) {
    const params = randParams(r, 1 + r.int(3), { rackSafe: true });
    const query = kyc.toQuery(params);
    assert.equal(query, railsToQuery(params));
    assert.deepEqual(kyc.parseQuery(query), params, `case ${i} (KYC_TEST_SEED=${seed}): ${query}`);
  }
});

test(
  "vectors: every to_query.json query that Rack reads back (rack_round_trip) round-trips through parseQuery",
  withVectors("to_query.json", (vectors, t) => {
    const cases = vectors.cases.filter((c) => c.rack_round_trip === true);
    if (cases.length === 0) {
      t.skip("to_query.json has no rack_round_trip cases yet");
      return;
    }
    for (const c of cases) assert.equal(kyc.toQuery(kyc.parseQuery(c.query)), c.query, c.name);
  }),
);

test("__proto__ and constructor keys are plain own data, and nothing is polluted", () => {
  const parsed = kyc.parseQuery("__proto__[polluted]=1&constructor[prototype][polluted]=2&a=3");
  assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
  assert.deepEqual(Object.keys(parsed), ["__proto__", "constructor", "a"]);
  assert.deepEqual(Object.getOwnPropertyDescriptor(parsed, "__proto__").value, { polluted: "1" });
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.polluted, undefined);
});

test("malformed input is MALFORMED_BODY", () => {
  expectKycError(() => kyc.parseQuery("a=%zz"), "MALFORMED_BODY", { message: /%-encoding/ });
  expectKycError(() => kyc.parseQuery("a=%"), "MALFORMED_BODY");
  expectKycError(() => kyc.parseQuery("a=%ff"), "MALFORMED_BODY", { message: /UTF-8/ });
  expectKycError(() => kyc.parseQuery("a[]=1&a[b]=2"), "MALFORMED_BODY");
  expectKycError(() => kyc.parseQuery("a=1&a[b]=2"), "MALFORMED_BODY");
  expectKycError(() => kyc.parseQuery(new Uint8Array([0x61, 0x3d, 0xff])), "MALFORMED_BODY");
});

test("limits: depth, number of parameters, body size, key length; bad limit options", () => {
  expectKycError(() => kyc.parseQuery(`a${"[b]".repeat(100)}=1`), "TOO_DEEP");
  expectKycError(() => kyc.parseQuery("a[b][c]=1", { maxDepth: 2 }), "TOO_DEEP");
  assert.deepEqual(kyc.parseQuery("a[b][c]=1", { maxDepth: 3 }), { a: { b: { c: "1" } } });
  expectKycError(() => kyc.parseQuery("a=1&".repeat(5000)), "TOO_MANY_PARAMS");
  expectKycError(() => kyc.parseQuery("a=1&b=2&c=3", { maxParams: 2 }), "TOO_MANY_PARAMS");
  expectKycError(() => kyc.parseQuery("a=123456", { maxBodyBytes: 4 }), "BODY_TOO_LARGE");
  expectKycError(() => kyc.parseQuery(`${"k".repeat(2000)}=1`), "MALFORMED_BODY", { message: /maxKeyBytes/ });
  assert.deepEqual(kyc.parseQuery(`${"k".repeat(2000)}=1`, { maxKeyBytes: 4096 }), { ["k".repeat(2000)]: "1" });
  for (const bad of [0, -1, 1.5, NaN, Infinity, "10", 10n, 513]) {
    expectKycError(() => kyc.parseQuery("a=1", { maxDepth: bad }), "INVALID_ARGUMENT", { message: /maxDepth/ });
  }
  expectKycError(() => kyc.parseQuery("a=1", { maxBodyBytes: 2 ** 31 }), "INVALID_ARGUMENT");
});

test("only a string or bytes is a query", () => {
  for (const bad of [undefined, null, 42, true, 1n, Symbol("q")]) {
    expectKycError(() => kyc.parseQuery(bad), "INVALID_ARGUMENT", { message: /query must be/ });
  }
  expectKycError(() => kyc.parseQuery({ a: 1 }), "INVALID_ARGUMENT", { message: /raw body/ });
});
