// signOstRequest: known answers from node:crypto + the reference encoder, the committed vectors, and the
// argument checks.

import assert from "node:assert/strict";
import { test } from "node:test";

import { expectKycError, hmacSha256Hex, kyc, railsToQuery, randParams, randText, rng, testSeed, withVectors } from "./helpers.mjs";

const creds = { apiKey: "API_KEY", apiSecret: "API_SECRET" };

/** What signOstRequest must return, computed without the library. */
function expectedSigned(endpoint, params, { apiKey, apiSecret }, timestamp) {
  const all = { ...params, api_key: apiKey, request_timestamp: timestamp };
  const canonical = railsToQuery(all);
  const stringToSign = `${endpoint}?${canonical}`;
  const signature = hmacSha256Hex(apiSecret, stringToSign);
  return { stringToSign, signature, query: `${canonical}&signature=${signature}`, params: { ...all, signature } };
}

test("the seed's authentication example", () => {
  const signed = kyc.signOstRequest("/api/v2/users", { email: "kyc@ost.com" }, creds, { timestamp: 1542185198 });
  assert.equal(signed.stringToSign, "/api/v2/users?api_key=API_KEY&email=kyc%40ost.com&request_timestamp=1542185198");
  assert.deepEqual(signed, expectedSigned("/api/v2/users", { email: "kyc@ost.com" }, creds, 1542185198));
});

test(
  "vectors: ost_signing.json",
  withVectors("ost_signing.json", (vectors) => {
    for (const c of vectors.cases) {
      const signed = kyc.signOstRequest(c.endpoint, c.params, { apiKey: c.api_key, apiSecret: c.api_secret }, { timestamp: c.timestamp });
      assert.equal(signed.stringToSign, c.string_to_sign, c.name);
      assert.equal(signed.signature, c.signature, c.name);
      assert.equal(signed.query, `${c.string_to_sign.slice(c.endpoint.length + 1)}&signature=${c.signature}`, c.name);
      assert.equal(signed.params.signature, c.signature, c.name);
      // The independent computation agrees with the vectors too.
      assert.equal(hmacSha256Hex(c.api_secret, c.string_to_sign), c.signature, c.name);
    }
  }),
);

test("random requests: every field equals the independent computation", (t) => {
  const seed = testSeed();
  t.diagnostic(`KYC_TEST_SEED=${seed}`);
  const r = rng(seed);
  for (let i = 0; i < 600; i++) {
    const endpoint = r.pick(["/api/v2/users", "/api/v2/users-kyc/11420", "/api/v2/users/" + r.int(1e6), "/api/v2/kyc/check-ethereum-address", "/x"]);
    const params = randParams(r, 1 + r.int(3), { json: true, reserved: ["api_key", "request_timestamp", "signature"] });
    const c = { apiKey: randText(r), apiSecret: randText(r, { max: 8 }) };
    const timestamp = 1_500_000_000 + r.int(1e8);
    const signed = kyc.signOstRequest(endpoint, params, c, { timestamp });
    assert.deepEqual(signed, expectedSigned(endpoint, params, c, timestamp), `case ${i} (KYC_TEST_SEED=${seed})`);
  }
});

test("api_key, request_timestamp and signature in params are replaced, never sent twice", () => {
  const signed = kyc.signOstRequest("/x", { api_key: "evil", request_timestamp: 1, signature: "forged", a: 1 }, creds, { timestamp: 1542185198 });
  assert.deepEqual(signed, expectedSigned("/x", { a: 1 }, creds, 1542185198));
  assert.equal(signed.query.match(/signature=/g).length, 1);
});

test("params may be null or undefined; options and timestamp are optional (the clock is used)", () => {
  const before = Math.floor(Date.now() / 1000);
  for (const params of [undefined, null, {}]) {
    const signed = kyc.signOstRequest("/api/v2/users", params, creds);
    const after = Math.floor(Date.now() / 1000);
    const ts = signed.params.request_timestamp;
    assert.ok(Number.isInteger(ts) && ts >= before && ts <= after, `request_timestamp ${ts} is now, in seconds`);
    assert.deepEqual(signed, expectedSigned("/api/v2/users", {}, creds, ts));
  }
  assert.equal(kyc.signOstRequest("/x", {}, creds, {}).params.api_key, "API_KEY");
  assert.equal(kyc.signOstRequest("/x", {}, creds, { timestamp: undefined }).params.api_key, "API_KEY");
});

test("frozen params are read, not changed", () => {
  const params = Object.freeze({ a: Object.freeze([1, 2]), b: Object.freeze({ c: "d" }) });
  const signed = kyc.signOstRequest("/x", params, creds, { timestamp: 1542185198 });
  assert.deepEqual(signed, expectedSigned("/x", params, creds, 1542185198));
  assert.deepEqual(params, { a: [1, 2], b: { c: "d" } });
});

test("bad arguments are INVALID_ARGUMENT, and the secret is never echoed", () => {
  const secret = "sk_live_DO_NOT_PRINT_7f3a9c";
  const c = { apiKey: "key", apiSecret: secret };
  const opts = { secrets: [secret] };
  const ts = { timestamp: 1542185198 };
  for (const endpoint of ["/x?a=1", "/x#f", "", "/a b", 42, undefined, null, Symbol("e")]) {
    expectKycError(() => kyc.signOstRequest(endpoint, {}, c, ts), "INVALID_ARGUMENT", opts);
  }
  for (const params of [42, "a=1", [1], true]) {
    expectKycError(() => kyc.signOstRequest("/x", params, c, ts), "INVALID_ARGUMENT", opts);
  }
  for (const credentials of [undefined, null, "key:secret", { apiKey: "key" }, { apiSecret: secret }, { apiKey: 1, apiSecret: secret }, { apiKey: "key", apiSecret: 123 }, { apiKey: "", apiSecret: secret }]) {
    expectKycError(() => kyc.signOstRequest("/x", {}, credentials, ts), "INVALID_ARGUMENT", opts);
  }
  expectKycError(() => kyc.signOstRequest("/x", {}, { apiKey: "key", apiSecret: "" }, ts), "INVALID_ARGUMENT", { message: /empty/ });
  expectKycError(() => kyc.signOstRequest("/x", {}, c, { timestamp: 1542185198000 }), "INVALID_ARGUMENT", { ...opts, message: /milliseconds/ });
  expectKycError(() => kyc.signOstRequest("/x", {}, c, { timestamp: Date.now() }), "INVALID_ARGUMENT", { ...opts, message: /milliseconds/ });
  for (const timestamp of [1.5, -1, NaN, Infinity, "1542185198", 1542185198n, new Date()]) {
    expectKycError(() => kyc.signOstRequest("/x", {}, c, { timestamp }), "INVALID_ARGUMENT", opts);
  }
});
