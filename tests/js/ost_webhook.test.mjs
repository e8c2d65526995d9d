// OST webhooks: verifyOstWebhook and signOstWebhook against the seed example, the committed vectors and
// webhooks signed independently (node:crypto + the reference encoder), then every way verification must fail.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  SEED_OST,
  expectKycError,
  hmacSha256Hex,
  kyc,
  railsToQuery,
  randParams,
  randText,
  referenceOstWebhook,
  rng,
  seedOstParams,
  testSeed,
  withVectors,
} from "./helpers.mjs";

const { url, secret, timestamp: ts, body } = SEED_OST;
const seed = (extra = {}) => ({ url, secret, now: ts, ...extra });
const withSignature = () => ({ ...seedOstParams(), signature: SEED_OST.signature });

describe("the seed example verifies in every form it can arrive in", () => {
  test("raw string, Buffer, Uint8Array, ArrayBuffer and an offset Buffer slice", () => {
    const expected = seedOstParams();
    const bytes = new TextEncoder().encode(body);
    const padded = Buffer.from(`garbage&${body}&more`);
    for (const input of [body, Buffer.from(body), bytes, bytes.buffer, padded.subarray(8, 8 + body.length)]) {
      assert.deepEqual(kyc.verifyOstWebhook(input, seed()), expected);
    }
  });

  test("an already-parsed object (all values strings), also frozen or prototype-less", () => {
    assert.deepEqual(kyc.verifyOstWebhook(withSignature(), seed()), seedOstParams());
    assert.deepEqual(kyc.verifyOstWebhook(structuredClone(Object.freeze(withSignature())), seed()), seedOstParams());
    const frozen = Object.freeze(withSignature());
    assert.deepEqual(kyc.verifyOstWebhook(frozen, seed()), seedOstParams());
    assert.equal(frozen.signature, SEED_OST.signature, "the caller's object keeps its signature");
    const bare = Object.assign(Object.create(null), withSignature());
    assert.deepEqual(kyc.verifyOstWebhook(bare, seed()), seedOstParams());
    // As in the seed's Ruby example, request_timestamp may arrive as a number; what comes back is what the
    // signed form says, the string (issue 14: only signed data comes back).
    assert.deepEqual(kyc.verifyOstWebhook({ ...withSignature(), request_timestamp: ts }, seed()), { ...seedOstParams(), request_timestamp: String(ts) });
    // The result of parseQuery, fed straight back.
    assert.deepEqual(kyc.verifyOstWebhook(kyc.parseQuery(body), seed()), seedOstParams());
  });

  test("a JSON text body (content type application/json), with or without leading whitespace", () => {
    // Since issue 14 the content type decides; without it, this text is a form body (no signature pair).
    const asJson = seed({ contentType: "application/json" });
    const json = JSON.stringify(withSignature());
    assert.deepEqual(kyc.verifyOstWebhook(json, asJson), seedOstParams());
    assert.deepEqual(kyc.verifyOstWebhook(`\n\t ${json}`, asJson), seedOstParams());
    assert.deepEqual(kyc.verifyOstWebhook(JSON.stringify(withSignature(), null, 2), asJson), seedOstParams());
    expectKycError(() => kyc.verifyOstWebhook(json, seed()), "MISSING_SIGNATURE");
  });

  test("the URL's query string and fragment are not signed; the rest of the URL is", () => {
    for (const u of [`${url}?token=abc`, `${url}#frag`, `${url}?a=1#b`]) {
      assert.equal(kyc.verifyOstWebhook(body, seed({ url: u })).name, "user_register", u);
    }
    expectKycError(() => kyc.verifyOstWebhook(body, seed({ url: "https://webhook.ost.com/test" })), "INVALID_SIGNATURE");
    expectKycError(() => kyc.verifyOstWebhook(body, seed({ url: "https://webhook.ost.com/other/" })), "INVALID_SIGNATURE");
  });

  test("signOstWebhook reproduces the seed body byte for byte", () => {
    assert.equal(kyc.signOstWebhook(seedOstParams(), { url, secret }), body);
    assert.equal(kyc.signOstWebhook(seedOstParams(), { url, secret, timestamp: ts }), body);
    const { request_timestamp: _, ...event } = seedOstParams();
    assert.equal(kyc.signOstWebhook(event, { url, secret, timestamp: ts }), body);
    // A stale signature in the params is replaced, not kept.
    assert.equal(kyc.signOstWebhook({ ...event, signature: "00" }, { url, secret, timestamp: ts }), body);
  });
});

test(
  "vectors: ost_webhooks.json (sign reproduces the body, verify accepts it)",
  withVectors("ost_webhooks.json", (vectors) => {
    for (const c of vectors.cases) {
      const now = Number(c.params.request_timestamp);
      assert.equal(kyc.signOstWebhook(c.params, { url: c.url, secret: c.secret }), c.body, c.name);
      const verified = kyc.verifyOstWebhook(c.body, { url: c.url, secret: c.secret, now });
      assert.equal(verified.signature, undefined, c.name);
      assert.equal(verified.request_timestamp, c.params.request_timestamp, c.name);
      assert.equal(kyc.verifyOstWebhook(Buffer.from(c.body), { url: c.url, secret: c.secret, now }).request_timestamp, c.params.request_timestamp);
      // The independent computation agrees with the vectors.
      assert.equal(hmacSha256Hex(c.secret, c.string_to_sign), c.signature, c.name);
      assert.equal(railsToQuery({ ...c.params, signature: c.signature }), c.body, c.name);
      // Re-canonicalising a parsed body works whenever parsing and encoding round-trip (Rack merges some arrays
      // of objects, and such bodies can only be verified raw).
      const parsed = kyc.parseQuery(c.body);
      if (railsToQuery(parsed) === c.body) {
        assert.deepEqual(kyc.verifyOstWebhook(parsed, { url: c.url, secret: c.secret, now }), verified, c.name);
        assert.deepEqual(kyc.verifyOstWebhook(JSON.stringify(parsed), { url: c.url, secret: c.secret, now, contentType: "application/json" }), verified, c.name);
      }
      expectKycError(() => kyc.verifyOstWebhook(c.body, { url: c.url, secret: `${c.secret}x`, now }), "INVALID_SIGNATURE");
    }
  }),
);

test("random webhooks signed independently: sign matches, and raw, parsed and JSON bodies verify", (t) => {
  const s = testSeed();
  t.diagnostic(`KYC_TEST_SEED=${s}`);
  const r = rng(s);
  for (let i = 0; i < 400; i++) {
    const params = randParams(r, 1 + r.int(3), { rackSafe: true, reserved: ["signature", "request_timestamp"] });
    const key = randText(r, { max: 8 });
    const hook = r.pick(["https://example.com/webhooks/ost", "http://127.0.0.1:8080/hook?x=1", "https://a.example/p/q/#frag", url]);
    const timestamp = 1_500_000_000 + r.int(1e8);
    const ref = referenceOstWebhook(params, { url: hook, secret: key, timestamp });
    const where = `case ${i} (KYC_TEST_SEED=${s})`;
    assert.equal(kyc.signOstWebhook(params, { url: hook, secret: key, timestamp }), ref.body, where);
    const options = { url: hook, secret: key, now: timestamp + r.int(601) - 300 };
    assert.deepEqual(kyc.verifyOstWebhook(ref.body, options), ref.params, where);
    assert.deepEqual(kyc.verifyOstWebhook(Buffer.from(ref.body), options), ref.params, where);
    const parsedWithSignature = { ...ref.params, signature: ref.signature };
    assert.deepEqual(kyc.verifyOstWebhook(parsedWithSignature, options), ref.params, where);
    assert.deepEqual(kyc.verifyOstWebhook(JSON.stringify(parsedWithSignature), { ...options, contentType: "application/json" }), ref.params, where);
  }
});

describe("verification fails, with the right code, and the module keeps working", () => {
  const opts = { secrets: [secret] };

  test("tampered body: a changed value, a dropped pair, an added pair, a changed signature", () => {
    for (const tampered of [
      body.replace("11493", "11494"),
      body.replace("user_register", "user_registeR"),
      body.replace("&source=web", ""),
      `${body}&admin=1`,
      `admin=1&${body}`,
      body.replace("signature=34e8", "signature=34e9"),
      body.replace("&signature=34e852b1", "&signature=34e852b"),
      body.replace(/signature=[0-9a-f]+/, `signature=${"zz".repeat(32)}`),
      body.replace("request_timestamp=1542185198", "request_timestamp=1542185199"),
    ]) {
      expectKycError(() => kyc.verifyOstWebhook(tampered, seed()), "INVALID_SIGNATURE", opts);
      expectKycError(() => kyc.verifyOstWebhook(Buffer.from(tampered), seed()), "INVALID_SIGNATURE", opts);
    }
  });

  test("tampered parsed object and JSON text", () => {
    const changed = withSignature();
    changed.data.user.email = "attacker@example.com";
    expectKycError(() => kyc.verifyOstWebhook(changed, seed()), "INVALID_SIGNATURE", opts);
    expectKycError(() => kyc.verifyOstWebhook(JSON.stringify(changed), seed({ contentType: "application/json" })), "INVALID_SIGNATURE", opts);
    expectKycError(() => kyc.verifyOstWebhook({ ...withSignature(), extra: "1" }, seed()), "INVALID_SIGNATURE", opts);
  });

  test("wrong secret; secret lists for rotation", () => {
    expectKycError(() => kyc.verifyOstWebhook(body, seed({ secret: "WEBHOOK_SECRET_KEY2" })), "INVALID_SIGNATURE", opts);
    expectKycError(() => kyc.verifyOstWebhook(body, seed({ secret: "webhook_secret_key" })), "INVALID_SIGNATURE", opts);
    expectKycError(() => kyc.verifyOstWebhook(body, seed({ secret: ["old", "older"] })), "INVALID_SIGNATURE", opts);
    assert.equal(kyc.verifyOstWebhook(body, seed({ secret: ["new-secret", secret] })).id, "236");
    assert.equal(kyc.verifyOstWebhook(body, seed({ secret: [secret, "old"] })).id, "236");
    assert.equal(kyc.verifyOstWebhook(body, seed({ secret: [secret] })).id, "236");
  });

  test("stale and future timestamps against toleranceSeconds and now", () => {
    assert.equal(kyc.verifyOstWebhook(body, seed({ now: ts + 300 })).id, "236");
    assert.equal(kyc.verifyOstWebhook(body, seed({ now: ts - 300 })).id, "236");
    assert.equal(kyc.verifyOstWebhook(body, seed({ now: ts + 300.9 })).id, "236", "now is floored");
    expectKycError(() => kyc.verifyOstWebhook(body, seed({ now: ts + 301 })), "TIMESTAMP_OUT_OF_TOLERANCE", { message: /301 s old/ });
    expectKycError(() => kyc.verifyOstWebhook(body, seed({ now: ts - 301 })), "TIMESTAMP_OUT_OF_TOLERANCE", { message: /301 s in the future/ });
    expectKycError(() => kyc.verifyOstWebhook(body, seed({ now: ts + 11, toleranceSeconds: 10 })), "TIMESTAMP_OUT_OF_TOLERANCE");
    expectKycError(() => kyc.verifyOstWebhook(body, seed({ now: ts - 11, toleranceSeconds: 10 })), "TIMESTAMP_OUT_OF_TOLERANCE");
    assert.equal(kyc.verifyOstWebhook(body, seed({ now: ts + 10, toleranceSeconds: 10 })).id, "236");
    assert.equal(kyc.verifyOstWebhook(body, seed({ toleranceSeconds: 0 })).id, "236");
    expectKycError(() => kyc.verifyOstWebhook(body, seed({ now: ts + 1, toleranceSeconds: 0 })), "TIMESTAMP_OUT_OF_TOLERANCE");
    assert.equal(kyc.verifyOstWebhook(body, seed({ now: 1, toleranceSeconds: Infinity })).id, "236");
    // Without `now`, the clock is used: the 2018 seed is stale today.
    expectKycError(() => kyc.verifyOstWebhook(body, { url, secret }), "TIMESTAMP_OUT_OF_TOLERANCE");
    expectKycError(() => kyc.verifyOstWebhook(withSignature(), { url, secret }), "TIMESTAMP_OUT_OF_TOLERANCE");
    // A stale body is still rejected for its signature first when that is wrong too.
    expectKycError(() => kyc.verifyOstWebhook(body.replace("11493", "1"), { url, secret }), "INVALID_SIGNATURE");
  });

  test("a fresh webhook verifies against the real clock", () => {
    const fresh = kyc.signOstWebhook({ event: "kyc_submit", id: "1" }, { url, secret });
    const out = kyc.verifyOstWebhook(fresh, { url, secret });
    assert.equal(out.event, "kyc_submit");
    assert.ok(Math.abs(Number(out.request_timestamp) - Date.now() / 1000) < 5);
  });

  test("bad tolerance and now options; now in milliseconds", () => {
    expectKycError(() => kyc.verifyOstWebhook(body, seed({ now: ts * 1000 })), "INVALID_ARGUMENT", { ...opts, message: /milliseconds/ });
    expectKycError(() => kyc.verifyOstWebhook(body, seed({ now: Date.now() })), "INVALID_ARGUMENT", { ...opts, message: /milliseconds/ });
    for (const now of ["1542185198", 1542185198n, new Date(), -1, NaN]) {
      expectKycError(() => kyc.verifyOstWebhook(body, seed({ now })), "INVALID_ARGUMENT", opts);
    }
    for (const toleranceSeconds of [-1, NaN, -Infinity, "300", 300n]) {
      expectKycError(() => kyc.verifyOstWebhook(body, seed({ toleranceSeconds })), "INVALID_ARGUMENT", { ...opts, message: /toleranceSeconds/ });
    }
  });

  test("a body signed with milliseconds is out of tolerance, and the message says why", () => {
    const ref = referenceOstWebhook({ a: "1" }, { url, secret, timestamp: ts * 1000 });
    expectKycError(() => kyc.verifyOstWebhook(ref.body, seed()), "TIMESTAMP_OUT_OF_TOLERANCE", { message: /milliseconds/ });
  });

  test("missing or empty signature is MISSING_SIGNATURE", () => {
    const unsigned = body.replace(/&signature=[0-9a-f]+/, "");
    expectKycError(() => kyc.verifyOstWebhook(unsigned, seed()), "MISSING_SIGNATURE", opts);
    expectKycError(() => kyc.verifyOstWebhook(Buffer.from(unsigned), seed()), "MISSING_SIGNATURE", opts);
    expectKycError(() => kyc.verifyOstWebhook(body.replace(/signature=[0-9a-f]+/, "signature="), seed()), "MISSING_SIGNATURE", opts);
    expectKycError(() => kyc.verifyOstWebhook("", seed()), "MISSING_SIGNATURE", opts);
    const { signature: _, ...parsed } = withSignature();
    expectKycError(() => kyc.verifyOstWebhook(parsed, seed()), "MISSING_SIGNATURE", opts);
    expectKycError(() => kyc.verifyOstWebhook(JSON.stringify(parsed), seed({ contentType: "application/json" })), "MISSING_SIGNATURE", opts);
    expectKycError(() => kyc.verifyOstWebhook({}, seed()), "MISSING_SIGNATURE", opts);
  });

  test("malformed bodies are MALFORMED_BODY", () => {
    expectKycError(() => kyc.verifyOstWebhook(`${body}&signature=00`, seed()), "MALFORMED_BODY", { message: /more than one signature/ });
    expectKycError(() => kyc.verifyOstWebhook(`${body}&sig%6Eature=00`, seed()), "MALFORMED_BODY", { message: /more than one signature/ });
    expectKycError(() => kyc.verifyOstWebhook(body.replace("version=v1", "version=%zz"), seed()), "MALFORMED_BODY");
    expectKycError(() => kyc.verifyOstWebhook("{not json", seed({ contentType: "application/json" })), "MALFORMED_BODY", { message: /JSON/ });
    expectKycError(() => kyc.verifyOstWebhook({ ...withSignature(), signature: ["a", "b"] }, seed()), "MALFORMED_BODY");
    expectKycError(() => kyc.verifyOstWebhook([withSignature()], seed()), "MALFORMED_BODY");
    // A correctly signed body without request_timestamp.
    const canonical = railsToQuery({ a: "1" });
    const sig = hmacSha256Hex(secret, `${url}?${canonical}`);
    expectKycError(() => kyc.verifyOstWebhook(`${canonical}&signature=${sig}`, seed()), "MALFORMED_BODY", { message: /request_timestamp/ });
    // ... or with one that is not a number of seconds.
    const odd = referenceOstWebhook({ a: "1" }, { url, secret, timestamp: "soon" });
    expectKycError(() => kyc.verifyOstWebhook(odd.body, seed()), "MALFORMED_BODY", { message: /request_timestamp/ });
  });

  test("limits: body size, parameter count, depth", () => {
    expectKycError(() => kyc.verifyOstWebhook(body, seed({ maxBodyBytes: 100 })), "BODY_TOO_LARGE");
    expectKycError(() => kyc.verifyOstWebhook(Buffer.from(body), seed({ maxBodyBytes: 100 })), "BODY_TOO_LARGE");
    expectKycError(() => kyc.verifyOstWebhook(`a=${"x".repeat(2 * 1024 * 1024)}`, seed()), "BODY_TOO_LARGE");
    expectKycError(() => kyc.verifyOstWebhook(body, seed({ maxParams: 5 })), "TOO_MANY_PARAMS");
    expectKycError(() => kyc.verifyOstWebhook(withSignature(), seed({ maxParams: 5 })), "TOO_MANY_PARAMS");
    expectKycError(() => kyc.verifyOstWebhook(body, seed({ maxDepth: 2 })), "TOO_DEEP");
    expectKycError(() => kyc.verifyOstWebhook(withSignature(), seed({ maxDepth: 2 })), "TOO_DEEP");
    expectKycError(() => kyc.verifyOstWebhook(JSON.stringify(withSignature()), seed({ maxDepth: 2, contentType: "application/json" })), "TOO_DEEP");
    assert.equal(kyc.verifyOstWebhook(body, seed({ maxDepth: 3, maxParams: 20, maxBodyBytes: body.length })).id, "236");
  });

  test("bad options: missing, wrong types, relative URL, empty secrets", () => {
    for (const options of [undefined, null, "secret", 42]) {
      expectKycError(() => kyc.verifyOstWebhook(body, options), "INVALID_ARGUMENT", opts);
    }
    expectKycError(() => kyc.verifyOstWebhook(body, { secret, now: ts }), "INVALID_ARGUMENT", { ...opts, message: /options\.url/ });
    expectKycError(() => kyc.verifyOstWebhook(body, { url, now: ts }), "INVALID_ARGUMENT", { message: /options\.secret/ });
    for (const u of ["/test/", "webhook.ost.com/test/", "ftp://webhook.ost.com/", "https://", "https://a b/", 42]) {
      expectKycError(() => kyc.verifyOstWebhook(body, seed({ url: u })), "INVALID_ARGUMENT", opts);
    }
    for (const badSecret of ["", [], [""], [secret, ""], 42, [42], null, Buffer.from(secret)]) {
      expectKycError(() => kyc.verifyOstWebhook(body, seed({ secret: badSecret })), "INVALID_ARGUMENT", opts);
    }
    for (const badBody of [undefined, null, 42, true, Symbol("b"), 1n]) {
      expectKycError(() => kyc.verifyOstWebhook(badBody, seed()), "INVALID_ARGUMENT", opts);
    }
  });

  test("signOstWebhook argument checks", () => {
    const params = { a: "1" };
    expectKycError(() => kyc.signOstWebhook(params), "INVALID_ARGUMENT");
    expectKycError(() => kyc.signOstWebhook(params, { url, secret: "" }), "INVALID_ARGUMENT", { message: /empty/ });
    expectKycError(() => kyc.signOstWebhook(params, { url, secret: ["a"] }), "INVALID_ARGUMENT");
    expectKycError(() => kyc.signOstWebhook(params, { url: "/hook", secret }), "INVALID_ARGUMENT", opts);
    expectKycError(() => kyc.signOstWebhook(42, { url, secret }), "INVALID_ARGUMENT", opts);
    expectKycError(() => kyc.signOstWebhook(params, { url, secret, timestamp: ts * 1000 }), "INVALID_ARGUMENT", { ...opts, message: /milliseconds/ });
    expectKycError(() => kyc.signOstWebhook({ request_timestamp: ts * 1000 }, { url, secret }), "INVALID_ARGUMENT", { ...opts, message: /milliseconds/ });
    expectKycError(() => kyc.signOstWebhook({ request_timestamp: String(ts * 1000) }, { url, secret }), "INVALID_ARGUMENT", { ...opts, message: /milliseconds/ });
    expectKycError(() => kyc.signOstWebhook(params, { url, secret, timestamp: 1.5 }), "INVALID_ARGUMENT", opts);
  });
});
