// Values handed back to JavaScript (src/wasm/interop.rs `from_value`): written as JSON in wasm and
// JSON.parse'd in one crossing. These pin that the result equals building the objects one property at a time.

import assert from "node:assert/strict";
import { test } from "node:test";

import { kyc, rng, testSeed } from "./helpers.mjs";

/**
 * parseTotEvent hands a body's `gates` back as it got them: a direct probe of from_value. (This used
 * verifyOstWebhook on parsed params until issue 14: it now returns only what a form body can carry, strings.)
 */
function roundTrip(params) {
  return kyc.parseTotEvent({ gates: params }).gates;
}

test("every ASCII character, quotes, backslashes, control characters and non-BMP text come back unchanged", () => {
  const all = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join("");
  const text = `${all} é € 𝄞 \u2028\u2029 "\\"`;
  const out = roundTrip({ [all]: text, nested: { [`k"\\\n`]: [text, "", "\u0000"] } });
  assert.equal(out[all], text);
  assert.deepEqual(out.nested, { [`k"\\\n`]: [text, "", "\u0000"] });
});

test("numbers keep their exact value, -0 included; booleans and null stay typed", () => {
  const numbers = [-0, 0, 1, -1, 0.1, 1 / 3, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, -Number.MIN_VALUE, 2 ** 53 + 2];
  const out = roundTrip({ numbers, t: true, f: false, n: null });
  assert.equal(out.numbers.length, numbers.length);
  numbers.forEach((n, i) => assert.ok(Object.is(out.numbers[i], n), `${n} came back as ${out.numbers[i]}`));
  assert.equal(out.t, true);
  assert.equal(out.f, false);
  assert.equal(out.n, null);
});

test("__proto__ is an own data property, the prototype is Object.prototype, key order is insertion order", () => {
  const body = JSON.parse('{"__proto__":{"polluted":1},"b":"2","a":"1","10":"x","2":"y"}');
  const out = roundTrip(body);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.ok(Object.hasOwn(out, "__proto__"));
  assert.deepEqual(out.__proto__, { polluted: 1 });
  assert.equal({}.polluted, undefined);
  assert.deepEqual(Object.keys(out), ["2", "10", "__proto__", "b", "a"]);
});

test("parseQuery on random bodies equals a property-by-property build of the same parse", () => {
  const r = rng(testSeed());
  for (let n = 0; n < 300; n++) {
    const pairs = [];
    for (let i = 0; i < 1 + r.int(6); i++) {
      // No brackets (they would nest) and never empty (Rack drops an empty key).
      const key = Array.from({ length: 1 + r.int(4) }, () => String.fromCharCode(r.int(0x250))).join("").replace(/[[\]]/g, "_");
      const value = Array.from({ length: r.int(5) }, () => String.fromCharCode(r.int(0x250))).join("");
      pairs.push([key, value]);
    }
    const text = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
    const expected = {};
    for (const [k, v] of pairs) Object.defineProperty(expected, k, { value: v, enumerable: true, writable: true, configurable: true });
    const parsed = kyc.parseQuery(text);
    assert.deepEqual(Object.entries(parsed), Object.entries(expected), text);
  }
});
