// Issue 14, the core's half: bounded work before authentication, only signed data returned, the content type
// deciding form vs JSON, Token of Trust timestamps and body digests, the byte-order mark, memory failures as
// KycErrors, and error messages without body content. Each test fails on the code before the issue.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { SEED_OST, expectKycError, hmacSha1Base64, hmacSha256Hex, kyc, railsToQuery, requirePkg, seedOstParams } from "./helpers.mjs";

const { url, secret, timestamp: ts, body: SEED_BODY } = SEED_OST;
const seed = (extra = {}) => ({ url, secret, now: ts, ...extra });
const sign = (params) => kyc.signOstWebhook(params, { url, secret, timestamp: ts });
const signatureOf = (params) => hmacSha256Hex(secret, `${url}?${railsToQuery({ ...params, request_timestamp: String(ts) })}`);

/** A body of `size` bytes: `count` pairs whose keys share a long prefix, plus a wrong signature. */
function hostileBody(size, count) {
  const tail = `signature=${"0".repeat(64)}`;
  const keyLength = Math.floor((size - tail.length) / count) - 3;
  const prefix = "k".repeat(keyLength - 6);
  const pairs = [];
  for (let i = 0; i < count - 1; i++) pairs.push(`${prefix}${String(i).padStart(6, "0")}=v`);
  pairs.push(tail);
  return pairs.join("&");
}

describe("work before authentication is linear and bounded", () => {
  const body = hostileBody(1 << 20, 4095);

  test("a 1 MiB unsigned body of 4,095 parameters is rejected within 500 ms (the quadratic parser took 2 s)", () => {
    assert.ok(body.length > 1_000_000 && body.length <= 1 << 20, String(body.length));
    kyc.toQuery({ warm: "up" });
    const started = performance.now();
    expectKycError(() => kyc.verifyOstWebhook(body, seed()), "INVALID_SIGNATURE");
    const ms = performance.now() - started;
    assert.ok(ms < 500, `rejected after ${ms.toFixed(0)} ms`);
  });

  test("parseQuery of the same body, signed or not, within 500 ms", () => {
    const started = performance.now();
    const parsed = kyc.parseQuery(body);
    const ms = performance.now() - started;
    assert.equal(Object.keys(parsed).length, 4095);
    assert.ok(ms < 500, `parsed in ${ms.toFixed(0)} ms`);
  });
});

describe("only signed data comes back", () => {
  test("the result is Rack's reading of the signed query, whatever the input form", () => {
    const expected = kyc.parseQuery(SEED_BODY);
    delete expected.signature;
    for (const [input, extra] of [
      [SEED_BODY, {}],
      [Buffer.from(SEED_BODY), {}],
      [{ ...seedOstParams(), signature: SEED_OST.signature }, {}],
      [JSON.stringify({ ...seedOstParams(), signature: SEED_OST.signature }), { contentType: "application/json" }],
    ]) {
      assert.deepEqual(kyc.verifyOstWebhook(input, seed(extra)), expected);
    }
    // A number is carried as its text: it comes back as the string Rack reads.
    const out = kyc.verifyOstWebhook({ ...seedOstParams(), request_timestamp: ts, signature: SEED_OST.signature }, seed());
    assert.equal(out.request_timestamp, String(ts));
  });

  test("JSON or parsed input with a structure other than the signed one is never accepted", () => {
    // One legitimately signed webhook in hand...
    const legit = { id: "901", kyc_status: "denied", data: { user: { id: "7" } } };
    const sig = signatureOf(legit);
    const base = { ...legit, request_timestamp: String(ts), signature: sig };
    assert.equal(kyc.verifyOstWebhook(base, seed()).kyc_status, "denied");
    // ...and bodies with the same canonical query but other content.
    const forgeries = [
      // bracketed keys encode like nesting
      { id: "901", kyc_status: "denied", "data[user][id]": "7", request_timestamp: String(ts), signature: sig },
      // empty containers vanish from the query
      { ...base, kyc_status_override: {} },
      { ...base, admin: [] },
      { ...base, data: { user: { id: "7", roles: [] } } },
    ];
    for (const forged of forgeries) {
      expectKycError(() => kyc.verifyOstWebhook(forged, seed()), "MALFORMED_BODY");
      expectKycError(() => kyc.verifyOstWebhook(JSON.stringify(forged), seed({ contentType: "application/json" })), "MALFORMED_BODY");
    }
    // Leaves a form cannot carry: null (read back as ""), booleans (read back as strings).
    const leaves = { a: "", b: "true" };
    const leafSig = signatureOf(leaves);
    for (const forged of [{ a: null, b: "true" }, { a: "", b: true }]) {
      const input = { ...forged, request_timestamp: String(ts), signature: leafSig };
      expectKycError(() => kyc.verifyOstWebhook(input, seed()), "MALFORMED_BODY");
    }
  });

  test("the content type decides form vs JSON, not the first byte", () => {
    const json = JSON.stringify({ ...seedOstParams(), signature: SEED_OST.signature });
    for (const contentType of ["application/json", "Application/JSON; charset=utf-8", "application/vnd.ost+json"]) {
      assert.equal(kyc.verifyOstWebhook(json, seed({ contentType })).id, "236", contentType);
      assert.equal(kyc.verifyOstWebhook(Buffer.from(json), seed({ contentType })).id, "236", contentType);
    }
    // Without a JSON content type, a body starting with `{` is a form body (with no signature pair).
    for (const contentType of [undefined, null, "application/x-www-form-urlencoded", "text/plain"]) {
      expectKycError(() => kyc.verifyOstWebhook(json, seed({ contentType })), "MISSING_SIGNATURE");
    }
    // A form body sent as JSON is not JSON.
    expectKycError(() => kyc.verifyOstWebhook(SEED_BODY, seed({ contentType: "application/json" })), "MALFORMED_BODY");
    expectKycError(() => kyc.verifyOstWebhook(SEED_BODY, seed({ contentType: 42 })), "INVALID_ARGUMENT");
  });
});

describe("Token of Trust: the signed timestamp, the body digest", () => {
  const SECRET = "tot_webhook_secret_DO_NOT_PRINT";
  const date = (unix) => new Date(unix * 1000).toUTCString();
  const now = 1_796_000_000;
  const body = (timestamp) => JSON.stringify({ operation: "gates.changed", appUserid: "u1", timestamp, gates: { isCleared: { value: true } } });

  test("toleranceSeconds (default 300) and now", () => {
    const fresh = body(date(now - 299));
    assert.equal(kyc.verifyTotWebhook(fresh, hmacSha1Base64(SECRET, fresh), SECRET, { now }).appUserid, "u1");
    for (const t of [now - 301, now + 301]) {
      const b = body(date(t));
      expectKycError(() => kyc.verifyTotWebhook(b, hmacSha1Base64(SECRET, b), SECRET, { now }), "TIMESTAMP_OUT_OF_TOLERANCE", { secrets: [SECRET] });
    }
    const b = body(date(now - 3600));
    const sig = hmacSha1Base64(SECRET, b);
    assert.ok(kyc.verifyTotWebhook(b, sig, SECRET, { now, toleranceSeconds: 3600 }));
    expectKycError(() => kyc.verifyTotWebhook(b, sig, SECRET, { now, toleranceSeconds: 3599 }), "TIMESTAMP_OUT_OF_TOLERANCE");
    assert.ok(kyc.verifyTotWebhook(b, sig, SECRET, { now, toleranceSeconds: null }));
    assert.ok(kyc.verifyTotWebhook(b, sig, SECRET, { now, toleranceSeconds: Infinity }));
    // The limits keys still work in the same object.
    expectKycError(() => kyc.verifyTotWebhook(b, sig, SECRET, { now, toleranceSeconds: null, maxBodyBytes: 10 }), "BODY_TOO_LARGE");
    for (const bad of [-1, NaN, "300"]) {
      expectKycError(() => kyc.verifyTotWebhook(b, sig, SECRET, { now, toleranceSeconds: bad }), "INVALID_ARGUMENT");
    }
    expectKycError(() => kyc.verifyTotWebhook(b, sig, SECRET, { now: now * 1000 }), "INVALID_ARGUMENT", { message: /milliseconds/ });
  });

  test("a captured 2019 body is refused against the real clock; a body without a timestamp is accepted", () => {
    const old = body("Tue, 05 Mar 2019 10:00:00 GMT");
    expectKycError(() => kyc.verifyTotWebhook(old, hmacSha1Base64(SECRET, old), SECRET), "TIMESTAMP_OUT_OF_TOLERANCE");
    const fresh = body(date(Math.floor(Date.now() / 1000)));
    assert.ok(kyc.verifyTotWebhook(fresh, hmacSha1Base64(SECRET, fresh), SECRET));
    const none = JSON.stringify({ operation: "gates.changed" });
    assert.deepEqual(kyc.verifyTotWebhook(none, hmacSha1Base64(SECRET, none), SECRET), { operation: "gates.changed" });
    const odd = body("soon");
    expectKycError(() => kyc.verifyTotWebhook(odd, hmacSha1Base64(SECRET, odd), SECRET), "MALFORMED_BODY");
    // The signature is checked first: a stale forgery is INVALID_SIGNATURE.
    expectKycError(() => kyc.verifyTotWebhook(old, "AAAA", SECRET), "INVALID_SIGNATURE");
  });
});

describe("a UTF-8 byte-order mark is handled alike everywhere", () => {
  const SECRET = "tot_webhook_secret_DO_NOT_PRINT";
  const json = JSON.stringify({ operation: "gates.changed", appUserid: "u1", gates: { isRejected: { value: true } } });
  const withBom = `\u{feff}${json}`;

  test("verifyTotWebhook and parseTotEvent read the same body the same way", () => {
    const verified = kyc.verifyTotWebhook(withBom, hmacSha1Base64(SECRET, withBom), SECRET);
    assert.deepEqual(verified, JSON.parse(json));
    assert.deepEqual(kyc.parseTotEvent(withBom), kyc.parseTotEvent(json));
    assert.deepEqual(kyc.parseTotEvent(withBom), kyc.parseTotEvent(verified));
  });

  test("OST form and JSON bodies", () => {
    assert.equal(kyc.verifyOstWebhook(`\u{feff}${SEED_BODY}`, seed()).id, "236");
    assert.equal(kyc.verifyOstWebhook(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SEED_BODY)]), seed()).id, "236");
    const jsonBody = `\u{feff}${JSON.stringify({ ...seedOstParams(), signature: SEED_OST.signature })}`;
    assert.equal(kyc.verifyOstWebhook(jsonBody, seed({ contentType: "application/json" })).id, "236");
  });
});

describe("error messages carry no body content", () => {
  const KEY = "BodyKeyContent_ZQX";
  test("conflicting pairs, unreadable entries, long keys", () => {
    for (const body of [`${KEY}[]=1&${KEY}[b]=2`, `${KEY}=1&${KEY}[]=2`, `${KEY}[]=1&${KEY}[][b]=2&${KEY}=x&${KEY}[c]=1`]) {
      const e = expectKycError(() => kyc.parseQuery(body), "MALFORMED_BODY");
      assert.ok(!e.message.includes(KEY), e.message);
    }
    const evil = { get [KEY]() { throw new Error("boom"); }, signature: "00" };
    let e = expectKycError(() => kyc.verifyOstWebhook(evil, seed()), "INVALID_ARGUMENT");
    assert.ok(!e.message.includes(KEY), e.message);
    e = expectKycError(() => kyc.verifyOstWebhook({ [KEY]: Symbol("s"), signature: "00" }, seed()), "INVALID_ARGUMENT");
    assert.ok(!e.message.includes(KEY), e.message);
    e = expectKycError(() => kyc.parseTotEvent({ [KEY]: () => 1 }), "INVALID_ARGUMENT");
    assert.ok(!e.message.includes(KEY), e.message);
  });
});

describe("memory", () => {
  test("a body too large for wasm memory is OUT_OF_MEMORY or BODY_TOO_LARGE, and the module keeps working", () => {
    // 1000 MiB, under the raised maxBodyBytes cap (1 GiB): wasm32 memory (4 GiB at most) cannot hold it and
    // what parsing it needs. Before: RuntimeError: unreachable.
    const big = Buffer.alloc(1000 * 1024 * 1024, 0x78);
    big.write("a=", 0);
    // A signed Token of Trust body that size: verified (by node:crypto), then too long a text for the engine.
    const totSecret = "tot_webhook_secret_DO_NOT_PRINT";
    const totSignature = hmacSha1Base64(totSecret, big);
    for (const call of [
      () => kyc.parseQuery(big, { maxBodyBytes: 1 << 30 }),
      () => kyc.verifyOstWebhook(big, seed({ maxBodyBytes: 1 << 30 })),
      () => kyc.verifyTotWebhook(big, totSignature, totSecret, { maxBodyBytes: 1 << 30, toleranceSeconds: null }),
    ]) {
      let error;
      try {
        call();
      } catch (e) {
        error = e;
      }
      assert.ok(error, "the call returned");
      assert.equal(error.name, "KycError", `${error.name}: ${error.message}`);
      assert.ok(["OUT_OF_MEMORY", "BODY_TOO_LARGE"].includes(error.code), error.code);
      assert.equal(kyc.verifyOstWebhook(SEED_BODY, seed()).id, "236", "a normal call succeeds afterwards");
      assert.deepEqual(kyc.parseQuery("a[b]=1"), { a: { b: "1" } });
    }
  });
});
