// The whole API from CommonJS: require() by path, the same names as import(), and one call of each function
// checked against node:crypto.

"use strict";

const assert = require("node:assert/strict");
const { createHmac } = require("node:crypto");
const { test, before } = require("node:test");

const kyc = require("../../pkg/node/index.js");

let h; // helpers.mjs (ESM), loaded in before()
before(async () => {
  h = await import("./helpers.mjs");
});

const SEED_URL = "https://webhook.ost.com/test/";
const SEED_SECRET = "WEBHOOK_SECRET_KEY";
const SEED_TS = 1542185198;

test("require() and import() expose the same names and the same functions", async () => {
  const esm = await import("../../pkg/node/index.mjs");
  const cjsNames = Object.keys(kyc).filter((n) => !n.startsWith("__")).sort(); // __ names: internal helpers
  const esmNames = Object.keys(esm).filter((n) => n !== "default" && !n.startsWith("__")).sort();
  assert.deepEqual(cjsNames, esmNames);
  for (const name of h.API_NAMES) assert.ok(cjsNames.includes(name), `exports ${name}`);
  for (const name of cjsNames) {
    assert.equal(typeof kyc[name], "function", name);
    assert.equal(kyc[name], esm[name], name);
  }
});

test("toQuery", () => {
  assert.equal(kyc.toQuery({ email: "kyc@ost.com", id2: 3, id: 5 }), "email=kyc%40ost.com&id2=3&id=5");
});

test("parseQuery", () => {
  assert.deepEqual(kyc.parseQuery("?a[b]=1&c[]=x&c[]=y&d"), { a: { b: "1" }, c: ["x", "y"], d: null });
});

test("signOstRequest (the seed's authentication example)", () => {
  const signed = kyc.signOstRequest("/api/v2/users", { email: "kyc@ost.com" }, { apiKey: "API_KEY", apiSecret: "API_SECRET" }, { timestamp: SEED_TS });
  const stringToSign = "/api/v2/users?api_key=API_KEY&email=kyc%40ost.com&request_timestamp=1542185198";
  const signature = createHmac("sha256", "API_SECRET").update(stringToSign).digest("hex");
  assert.deepEqual(signed, {
    stringToSign,
    signature,
    query: `api_key=API_KEY&email=kyc%40ost.com&request_timestamp=1542185198&signature=${signature}`,
    params: { email: "kyc@ost.com", api_key: "API_KEY", request_timestamp: SEED_TS, signature },
  });
});

test("verifyOstWebhook and signOstWebhook (the seed's webhook example)", () => {
  const params = kyc.verifyOstWebhook(h.SEED_OST.body, { url: SEED_URL, secret: SEED_SECRET, now: SEED_TS });
  assert.deepEqual(params, h.seedOstParams());
  assert.equal(kyc.signOstWebhook(params, { url: SEED_URL, secret: SEED_SECRET }), h.SEED_OST.body);
});

test("totWebhookSignature and verifyTotWebhook", () => {
  const body = JSON.stringify({ operation: "isCleared", gates: { isCleared: { value: true } } });
  const sig = createHmac("sha1", "tot-secret").update(body, "utf8").digest("base64");
  assert.equal(kyc.totWebhookSignature(body, "tot-secret"), sig);
  assert.equal(kyc.totWebhookSignature(Buffer.from(body), "tot-secret"), sig);
  assert.deepEqual(kyc.verifyTotWebhook(body, sig, "tot-secret"), JSON.parse(body));
});

test("reasonValue and reasonIsPositive", () => {
  assert.equal(kyc.reasonValue({ value: "fullMatch", status: "noMatch" }), "fullMatch");
  assert.equal(kyc.reasonValue({ status: "notApplicable" }), undefined);
  assert.equal(kyc.reasonIsPositive({ status: "fullMatch" }), true);
  assert.equal(kyc.reasonIsPositive("noMatch"), false);
  assert.equal(kyc.reasonIsPositive(undefined), false);
});

test("errors are real Errors named KycError with a code; isKycError tells them apart", () => {
  let error;
  try {
    kyc.verifyTotWebhook("{}", undefined, "s");
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof Error);
  assert.ok(error instanceof kyc.KycError, "instanceof KycError");
  assert.ok(!(new Error("x") instanceof kyc.KycError));
  const made = new kyc.KycError("MISSING_SECRET", "no secret", { status: 500 });
  assert.ok(made instanceof kyc.KycError && made instanceof Error);
  assert.deepEqual([made.name, made.code, made.message, made.status], ["KycError", "MISSING_SECRET", "no secret", 500]);
  assert.equal(kyc.isKycError(made), true);
  assert.equal(Object.prototype.toString.call(error), "[object Error]");
  assert.equal(error.name, "KycError");
  assert.equal(error.code, "MISSING_SIGNATURE");
  assert.match(String(error), /^KycError: /);
  assert.equal(typeof error.stack, "string");
  assert.equal(kyc.isKycError(error), true);
  for (const other of [new Error("x"), new TypeError("x"), null, undefined, 0, "KycError", {}, { name: "KycError" }, Symbol("s")]) {
    assert.equal(kyc.isKycError(other), false, String(other?.toString?.() ?? other));
  }
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  assert.equal(kyc.isKycError(revoked.proxy), false);
  assert.equal(kyc.isKycError({ get name() { throw new Error("getter"); } }), false);
});
