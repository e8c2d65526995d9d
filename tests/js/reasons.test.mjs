// reasonValue / reasonIsPositive against the Token of Trust seed's own functions (copied into helpers.mjs).

import assert from "node:assert/strict";
import { test } from "node:test";

import { kyc, rng, seedReasonIsPositive, seedReasonValue, testSeed, withVectors } from "./helpers.mjs";

const SCALAR_TEXTS = [
  "true", "false", "null", "0", "-0", "1", "-1", "0.5", "1e21", "2e-7", "123456789012345678901234567890",
  '""', '"false"', '"true"', '"noMatch"', '"no match"', '"insufficientData"', '"notApplicable"', '"fullMatch"',
  '"partialMatch"', '"0"', '"null"', '"undefined"', '"NoMatch"', '" noMatch"', '"notapplicable"', '"cleared"',
  '"x"', '"é😀"', '"\\u0000"', '"\\"quoted\\""',
];
const KEYS = ["value", "status", "value", "status", "other", "details", "__proto__", "constructor", "toString", "Value", ""];

/** Random JSON text of a reason-like value: scalars, gates `{value, status}`, arrays, nested reasons. */
function reasonJson(r, depth) {
  const roll = r.next();
  if (depth <= 0 || roll < 0.45) return r.pick(SCALAR_TEXTS);
  if (roll < 0.55) {
    const n = r.int(4);
    return `[${Array.from({ length: n }, () => reasonJson(r, depth - 1)).join(",")}]`;
  }
  const n = r.int(4);
  const entries = [];
  for (let i = 0; i < n; i++) entries.push(`${JSON.stringify(r.pick(KEYS))}:${reasonJson(r, depth - 1)}`);
  return `{${entries.join(",")}}`;
}

function check(input, where) {
  assert.deepStrictEqual(kyc.reasonValue(input), seedReasonValue(input), `reasonValue ${where}`);
  // Like the seed's function, it hands back the caller's own value, not a copy.
  assert.strictEqual(kyc.reasonValue(input), seedReasonValue(input), `reasonValue identity ${where}`);
  assert.strictEqual(kyc.reasonIsPositive(input), seedReasonIsPositive(input), `reasonIsPositive ${where}`);
}

test("differential: a few thousand generated JSON reasons judge exactly as the seed's functions", (t) => {
  const seed = testSeed();
  t.diagnostic(`KYC_TEST_SEED=${seed}`);
  const r = rng(seed);
  let positives = 0;
  for (let i = 0; i < 4000; i++) {
    const text = reasonJson(r, 1 + r.int(5));
    const input = JSON.parse(text);
    check(input, `of ${text} (case ${i}, KYC_TEST_SEED=${seed})`);
    if (seedReasonIsPositive(input)) positives++;
  }
  // The generator must exercise both answers.
  assert.ok(positives > 500 && positives < 3500, `${positives} positives of 4000`);
});

test("the table from the provider's documentation and the Rust tests", () => {
  for (const text of [
    "true", "false", '"fullMatch"', '"partialMatch"', '"noMatch"', '"no match"', '"notApplicable"',
    '"insufficientData"', '"false"', '"0"', "0", "1", '""', "null", "[]", "{}",
    '{"value":"fullMatch","status":"noMatch"}', '{"status":"fullMatch"}', '{"value":null,"status":"fullMatch"}',
    '{"value":{"value":false}}', '{"value":"notApplicable"}', '{"status":"notApplicable"}', '{"value":[1]}',
    '{"value":false,"status":"fullMatch"}', '{"value":0,"status":"fullMatch"}', '{"__proto__":{"value":"fullMatch"}}',
  ]) {
    check(JSON.parse(text), text);
  }
  // A missing reason (a gate absent from the webhook) is undefined.
  check(undefined, "undefined");
  assert.equal(kyc.reasonValue(undefined), undefined);
  assert.equal(kyc.reasonIsPositive(undefined), false);
  const gate = { value: { nested: [1, "two", null] } };
  assert.strictEqual(kyc.reasonValue(gate), gate.value);
});

test(
  "vectors: reasons.json (made by running the seed's functions)",
  withVectors("reasons.json", (vectors) => {
    for (const [i, c] of vectors.cases.entries()) {
      const input = c.missing ? undefined : c.input;
      const where = `reasons.json case ${i}: ${JSON.stringify(c)}`.slice(0, 300);
      assert.strictEqual(kyc.reasonIsPositive(input), c.positive, where);
      if (c.value_undefined) assert.strictEqual(kyc.reasonValue(input), undefined, where);
      else if ("value" in c) assert.deepStrictEqual(kyc.reasonValue(input), c.value, where);
      // The vectors and the seed copy in helpers.mjs agree.
      check(input, where);
    }
  }),
);
