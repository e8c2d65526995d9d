// toQuery: the committed Rails vectors, a differential test against the reference encoder in helpers.mjs
// on random input, and the documented coercions and limits.

import assert from "node:assert/strict";
import { test } from "node:test";

import { cgiEscape, expectKycError, kyc, railsToQuery, randParams, rng, testSeed, withVectors } from "./helpers.mjs";

test(
  "vectors: to_query.json (ActiveSupport's own Hash#to_query)",
  withVectors("to_query.json", (vectors) => {
    for (const c of vectors.cases) {
      assert.equal(kyc.toQuery(c.input), c.query, `library: ${c.name}`);
      // The reference encoder must agree with Rails too, or the random differential test below means little.
      assert.equal(railsToQuery(c.input), c.query, `reference encoder: ${c.name}`);
    }
  }),
);

test("random parameter trees: toQuery equals the reference Rails encoder", (t) => {
  const seed = testSeed();
  t.diagnostic(`KYC_TEST_SEED=${seed}`);
  const r = rng(seed);
  for (let i = 0; i < 3000; i++) {
    const params = randParams(r, 1 + r.int(4));
    const expected = railsToQuery(params);
    let actual;
    try {
      actual = kyc.toQuery(params);
    } catch (e) {
      assert.fail(`toQuery threw ${e.code} ${e.message} on case ${i} (KYC_TEST_SEED=${seed})`);
    }
    assert.equal(actual, expected, `case ${i} (KYC_TEST_SEED=${seed})`);
  }
});

test("Ruby 2.4 CGI.escape: only A-Z a-z 0-9 - . _ bare, space is +, other bytes %XX uppercase", () => {
  let all = "";
  for (let c = 0; c < 128; c++) all += String.fromCharCode(c);
  all += "é€😀\u00a0\u2028";
  const q = kyc.toQuery({ v: all });
  assert.equal(q, `v=${cgiEscape(all)}`);
  assert.match(q, /^v=%00%01/);
  assert.ok(q.includes("+%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F0123456789%3A"));
  assert.ok(q.includes("%7E%7F%C3%A9%E2%82%AC%F0%9F%98%80%C2%A0%E2%80%A8"));
  assert.equal(kyc.toQuery({ "a b": "~" }), "a+b=%7E");
});

test("chunks are sorted bytewise on their encoded form, at each object level", () => {
  assert.equal(kyc.toQuery({ id: 5, id2: 3 }), "id2=3&id=5"); // "2" < "="
  assert.equal(kyc.toQuery({ b: 1, B: 2, a: 3, "a b": 4, "a+b": 5 }), "B=2&a%2Bb=5&a+b=4&a=3&b=1");
  // A nested object's joined text is one chunk: its pairs are sorted among themselves, not with the parent's.
  assert.equal(kyc.toQuery({ a: { z: 1, b: 2 }, a0: 1 }), "a%5Bb%5D=2&a%5Bz%5D=1&a0=1"); // "%" < "0"
  assert.equal(kyc.toQuery({ a: { z: 1, b: 2 }, "a[c]": 3 }), "a%5Bb%5D=2&a%5Bz%5D=1&a%5Bc%5D=3");
});

test("arrays keep their order and turn sorting off below them; a key containing [] does too", () => {
  assert.equal(kyc.toQuery({ a: [3, 1, 2] }), "a%5B%5D=3&a%5B%5D=1&a%5B%5D=2");
  assert.equal(kyc.toQuery({ a: [{ z: 1, b: 2 }] }), "a%5B%5D%5Bz%5D=1&a%5B%5D%5Bb%5D=2");
  assert.equal(kyc.toQuery({ "a[]": { z: 1, b: 2 } }), "a%5B%5D%5Bz%5D=1&a%5B%5D%5Bb%5D=2");
  assert.equal(kyc.toQuery({ a: [[1, 2], [3]] }), "a%5B%5D%5B%5D=1&a%5B%5D%5B%5D=2&a%5B%5D%5B%5D=3");
});

test("empty arrays and objects vanish; null is k=; undefined properties are skipped", () => {
  assert.equal(kyc.toQuery({ a: [], b: {}, c: { d: [] }, e: [[], {}], f: null, g: undefined }), "f=");
  assert.equal(kyc.toQuery({}), "");
  assert.equal(kyc.toQuery({ a: [null, undefined] }), "a%5B%5D=&a%5B%5D=");
  assert.equal(kyc.toQuery({ t: true, f: false }), "f=false&t=true");
});

test("numbers are written as JavaScript writes them; a bigint in decimal", () => {
  const cases = [
    [1, "1"], [-0, "0"], [0.1, "0.1"], [1.5, "1.5"], [-2.25, "-2.25"], [1e21, "1e%2B21"], [1e-7, "1e-7"],
    [123456789012345680000, "123456789012345680000"], [2 ** 53 + 2, "9007199254740994"], [5e-324, "5e-324"],
    [Number.MAX_VALUE, "1.7976931348623157e%2B308"],
  ];
  for (const [n, text] of cases) assert.equal(kyc.toQuery({ n }), `n=${text}`, String(n));
  assert.equal(kyc.toQuery({ n: 12345678901234567890123456789n }), "n=12345678901234567890123456789");
  assert.equal(kyc.toQuery({ n: -5n }), "n=-5");
  for (const bad of [NaN, Infinity, -Infinity]) {
    expectKycError(() => kyc.toQuery({ n: bad }), "INVALID_ARGUMENT", { message: /non-finite/ });
  }
});

test("only a plain object is accepted at the top", () => {
  for (const bad of [undefined, null, 42, "a=1", true, 1n, Symbol("s"), [], [["a", 1]], () => {}]) {
    expectKycError(() => kyc.toQuery(bad), "INVALID_ARGUMENT", { message: /params must be an object/ });
  }
});

test("limits: depth, number of parameters, key length", () => {
  let deep = 1;
  for (let i = 0; i < 40; i++) deep = { a: deep };
  expectKycError(() => kyc.toQuery(deep), "TOO_DEEP");
  const wide = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
  expectKycError(() => kyc.toQuery(wide), "TOO_MANY_PARAMS");
  const long = Array.from({ length: 5000 }, (_, i) => i);
  expectKycError(() => kyc.toQuery({ long }), "TOO_MANY_PARAMS");
  expectKycError(() => kyc.toQuery({ ["k".repeat(2000)]: 1 }), "INVALID_ARGUMENT", { message: /maxKeyBytes/ });
  expectKycError(() => kyc.toQuery({ a: "x".repeat(2 * 1024 * 1024) }), "BODY_TOO_LARGE");
  // Just inside the limits is fine.
  let ok = 1;
  for (let i = 0; i < 20; i++) ok = { a: ok };
  assert.equal(kyc.toQuery(ok), `${"a" + "%5Ba%5D".repeat(19)}=1`);
  assert.equal(kyc.toQuery(Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`k${i}`, i]))).split("&").length, 4000);
});
