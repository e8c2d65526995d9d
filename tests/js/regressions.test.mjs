// Regressions: library bugs these suites found, fixed in 5560108 ("No JavaScript exception may unwind through
// wasm ..."). Before the fix, each hostile argument below escaped as a TypeError/RangeError/Error instead of a
// KycError, and every escape skipped the wasm function's epilogue, leaking shadow stack: after ~3000 of them,
// every later call (valid ones too) failed with "RuntimeError: memory access out of bounds". The loops that
// could break the module run in child processes, so a regression cannot take the other tests down with it.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";

import { PKG, SEED_OST, expectKycError, hmacSha1Base64, kyc, seedOstParams } from "./helpers.mjs";

const ostOptions = { url: SEED_OST.url, secret: SEED_OST.secret, now: SEED_OST.timestamp };

const detachedBuffer = () => {
  const buffer = new ArrayBuffer(8);
  structuredClone(buffer, { transfer: [buffer] });
  return buffer;
};
const detachedView = () => {
  const buffer = new ArrayBuffer(8);
  const view = new Uint8Array(buffer);
  structuredClone(buffer, { transfer: [buffer] });
  return view;
};
const lyingView = (prop, value) => () => {
  const view = new Uint8Array(10);
  Object.defineProperty(view, prop, { value });
  return view;
};
const secretsWithThrowingItem = () => {
  const list = ["a-secret"];
  Object.defineProperty(list, 0, {
    get() {
      throw new Error("boom");
    },
  });
  return list;
};
const secretsProxy = () =>
  new Proxy(["a-secret"], {
    get() {
      throw new Error("trap");
    },
  });

test("detached, lying or out-of-range binary bodies are KycErrors (INVALID_ARGUMENT)", () => {
  const totBody = '{"a":1}';
  for (const make of [detachedBuffer, detachedView, lyingView("byteLength", 100), lyingView("byteOffset", 50), lyingView("buffer", new ArrayBuffer(2))]) {
    expectKycError(() => kyc.totWebhookSignature(make(), "secret"), "INVALID_ARGUMENT");
    expectKycError(() => kyc.verifyTotWebhook(make(), hmacSha1Base64("secret", totBody), "secret"), "INVALID_ARGUMENT");
    expectKycError(() => kyc.verifyOstWebhook(make(), ostOptions), "INVALID_ARGUMENT");
    expectKycError(() => kyc.parseQuery(make()), "INVALID_ARGUMENT");
  }
});

test("secret lists whose items or length throw are KycErrors (INVALID_ARGUMENT)", () => {
  for (const make of [secretsWithThrowingItem, secretsProxy]) {
    expectKycError(() => kyc.verifyTotWebhook('{"a":1}', "AAAA", make()), "INVALID_ARGUMENT", { message: /secret/ });
    expectKycError(() => kyc.verifyOstWebhook(SEED_OST.body, { ...ostOptions, secret: make() }), "INVALID_ARGUMENT", { message: /secret/ });
  }
});

const LOOP = `
  const k = require(${JSON.stringify(path.join(PKG, "node", "kyc_wasm.js"))});
  const make = {
    secretItem() { const l = ["s"]; Object.defineProperty(l, 0, { get() { throw new Error("boom"); } }); return () => k.verifyTotWebhook("{}", "AAAA", l); },
    detached() { const b = new ArrayBuffer(8); structuredClone(b, { transfer: [b] }); return () => k.totWebhookSignature(b, "s"); },
    lyingLength() { const v = new Uint8Array(4); Object.defineProperty(v, "byteLength", { value: 64 }); return () => k.totWebhookSignature(v, "s"); },
    throwingGetter() { return () => k.toQuery({ get a() { throw new Error("getter"); } }); },
  }[process.argv[1]];
  const names = new Set();
  for (let i = 0; i < 6000; i++) { try { make()(); } catch (e) { names.add(e.name); } }
  console.log([...names].join(",") + " " + k.toQuery({ still: "works" }));
`;

for (const form of ["secretItem", "detached", "lyingLength", "throwingGetter"]) {
  test(`the module survives 6000 calls with a hostile ${form} argument`, () => {
    const run = spawnSync(process.execPath, ["-e", LOOP, form], { encoding: "utf8", timeout: 120_000 });
    assert.equal(run.stdout.trim(), "KycError still=works", run.stderr.split("\n").slice(0, 6).join("\n"));
    assert.equal(run.status, 0);
  });
}

test("a JSON OST webhook body verifies as bytes too, as it does as a string", () => {
  // Since issue 14 the content type, not the first byte, says JSON.
  const asJson = { ...ostOptions, contentType: "application/json" };
  const json = JSON.stringify({ ...seedOstParams(), signature: SEED_OST.signature });
  assert.deepEqual(kyc.verifyOstWebhook(json, asJson), seedOstParams());
  assert.deepEqual(kyc.verifyOstWebhook(Buffer.from(json), asJson), seedOstParams());
  assert.deepEqual(kyc.verifyOstWebhook(new TextEncoder().encode(`\n ${json}`), asJson), seedOstParams());
  expectKycError(() => kyc.verifyOstWebhook(Buffer.from(json.replace("11493", "11494")), asJson), "INVALID_SIGNATURE");
});

test("reasonValue hands back the caller's own value: lone surrogates and object identity kept", () => {
  assert.equal(kyc.reasonValue(JSON.parse('{"value":"\\ud800x"}')), "\ud800x");
  assert.equal(kyc.reasonValue("\udfff"), "\udfff");
  const inner = { nested: [1] };
  assert.equal(kyc.reasonValue({ value: inner }), inner);
  assert.equal(kyc.reasonValue({ status: inner }), inner);
});

test("the text budget covers the whole converted value: 4000 parameters of 1 MiB fail fast with a KycError", () => {
  // Before the fix each string was checked alone, so the walk ran wasm out of memory (RuntimeError:
  // unreachable) after ~50 s.
  const big = "x".repeat(1 << 20);
  const params = {};
  for (let i = 0; i < 4000; i++) params[`k${i}`] = big;
  const started = Date.now();
  expectKycError(() => kyc.toQuery(params), "BODY_TOO_LARGE");
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  // Budgets count UTF-8 bytes, not UTF-16 units: 1 Mi euro signs are 3 MiB.
  expectKycError(() => kyc.toQuery({ a: "€".repeat(1 << 20) }), "BODY_TOO_LARGE");
});

// Found by the same suites after that fix (open items of their first report).
test("signOstRequest wants an endpoint path starting with /", () => {
  const creds = { apiKey: "k", apiSecret: "s" };
  expectKycError(() => kyc.signOstRequest("api/v2/users", {}, creds, { timestamp: 1 }), "INVALID_ARGUMENT");
  assert.ok(kyc.signOstRequest("/api/v2/users", {}, creds, { timestamp: 1 }).signature);
});

test("signOstWebhook refuses a request_timestamp that is not whole seconds instead of replacing it", () => {
  expectKycError(
    () => kyc.signOstWebhook({ id: "1", request_timestamp: "abc" }, { url: SEED_OST.url, secret: "s" }),
    "INVALID_ARGUMENT",
  );
});

test("a signed TOT body that starts with a byte-order mark verifies and parses", () => {
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"eventId":"bom"}')]);
  const parsed = kyc.verifyTotWebhook(body, hmacSha1Base64("secret", body), "secret");
  assert.equal(parsed.eventId, "bom");
  const text = body.toString("utf8");
  assert.equal(kyc.verifyTotWebhook(text, hmacSha1Base64("secret", body), "secret").eventId, "bom");
});
