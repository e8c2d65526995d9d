// The Node webhook recipes over real HTTP on 127.0.0.1: valid, tampered, stale, replayed, out-of-order,
// oversized and malformed deliveries, for both providers, through node:http and the Fetch-API form.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";

const kyc = createRequire(import.meta.url)("../../pkg/node/kyc_wasm.js");

const OST_SECRET = "ost-webhook-secret-\u00e9";
const TOT_SECRET = "tot-webhook-secret";
const received = [];
let server;
let base;
let ostUrl;

const now = () => Math.floor(Date.now() / 1000);

function ostEvent(id, createdAt, userId = "11493") {
  return {
    id: String(id),
    name: "kyc_status_update",
    type: "user_kyc",
    source: "web",
    version: "v1",
    description: "user kyc state has changed",
    created_at: String(createdAt),
    data: {
      result_type: "user_kyc",
      user_kyc: { id: "328", user_id: userId, kyc_status: "approved", submission_count: "3", admin_action_types: [] },
    },
  };
}

function totBody(eventId, timestamp, gates = { isCleared: "fullMatch", isRejected: "noMatch" }) {
  return JSON.stringify({
    app_user_id: "user-1",
    app_transaction_id: "R:1",
    app_domain: "example.com",
    operation: "isCleared",
    name: "verification.isCleared",
    eventId,
    timestamp: new Date(timestamp * 1000).toUTCString(),
    gates,
    reasons: { selfieIsGoodHeadShot: "fullMatch" },
  });
}

const totSig = (body) => createHmac("sha1", TOT_SECRET).update(body).digest("base64");

async function post(path, body, headers = {}) {
  const res = await fetch(base + path, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) };
}

before(async () => {
  await new Promise((resolve) => {
    let ost;
    let tot;
    server = http.createServer((req, res) => (req.url === "/ost" ? ost(req, res) : tot(req, res)));
    server.listen(0, "127.0.0.1", () => {
      base = `http://127.0.0.1:${server.address().port}`;
      ostUrl = `${base}/ost`;
      ost = kyc.webhookHandler({ provider: "ost", secret: ["old-secret", OST_SECRET], url: ostUrl, onEvent: (e) => received.push(e) });
      tot = kyc.webhookHandler({ provider: "tot", secret: TOT_SECRET, maxBodyBytes: 64 * 1024, onEvent: (e) => received.push(e) });
      resolve();
    });
  });
});

after(() => server.close());

test("OST: a valid delivery is acknowledged, then onEvent gets the typed event", async () => {
  const body = kyc.signOstWebhook(ostEvent(1001, now()), { url: ostUrl, secret: OST_SECRET });
  const before = received.length;
  const r = await post("/ost", body);
  assert.deepEqual([r.status, r.json], [200, { ok: true }]);
  await new Promise((res) => setTimeout(res, 20));
  const event = received.at(-1);
  assert.equal(received.length, before + 1);
  assert.equal(event.id, 1001);
  assert.equal(event.name, "kyc_status_update");
  assert.equal(event.data.user_kyc.user_id, 11493);
  assert.equal(event.unknown, false);
});

test("OST: tampered, wrong-secret, stale, future, missing-signature and malformed deliveries", async () => {
  const good = kyc.signOstWebhook(ostEvent(1002, now() + 1), { url: ostUrl, secret: OST_SECRET });
  const cases = [
    [good.replace("approved", "denied"), 401, "INVALID_SIGNATURE"],
    [kyc.signOstWebhook(ostEvent(1003, now()), { url: ostUrl, secret: "someone-else" }), 401, "INVALID_SIGNATURE"],
    [kyc.signOstWebhook(ostEvent(1004, now()), { url: ostUrl, secret: OST_SECRET, timestamp: now() - 3600 }), 401, "TIMESTAMP_OUT_OF_TOLERANCE"],
    [kyc.signOstWebhook(ostEvent(1005, now()), { url: ostUrl, secret: OST_SECRET, timestamp: now() + 3600 }), 401, "TIMESTAMP_OUT_OF_TOLERANCE"],
    [good.replace(/&signature=[0-9a-f]+/, ""), 401, "MISSING_SIGNATURE"],
    ["id=1&name=%zz&signature=00", 400, "MALFORMED_BODY"],
    [`a${"[b]".repeat(100)}=1&signature=00`, 400, "TOO_DEEP"],
  ];
  const before = received.length;
  for (const [body, status, code] of cases) {
    const r = await post("/ost", body);
    assert.equal(r.status, status, code);
    assert.equal(r.json.ok, false);
    assert.equal(r.json.error.code, code);
    assert.ok(!JSON.stringify(r.json).includes(OST_SECRET));
  }
  assert.equal(received.length, before, "no event for a rejected delivery");
});

test("OST: a replayed delivery is acknowledged once, and an older one for the same user is skipped", async () => {
  const t = now();
  const first = kyc.signOstWebhook(ostEvent(2001, t, "777"), { url: ostUrl, secret: OST_SECRET });
  const older = kyc.signOstWebhook(ostEvent(2000, t - 50, "777"), { url: ostUrl, secret: OST_SECRET });
  const before = received.length;
  assert.deepEqual((await post("/ost", first)).json, { ok: true });
  assert.deepEqual((await post("/ost", first)).json, { ok: true, duplicate: true });
  assert.deepEqual((await post("/ost", older)).json, { ok: true, outOfOrder: true });
  await new Promise((res) => setTimeout(res, 20));
  assert.equal(received.length, before + 1);
});

test("OST: an oversized body is refused with 413 and the server keeps serving", async () => {
  const r = await post("/ost", "a=" + "x".repeat(1_100_000));
  assert.equal(r.status, 413);
  assert.equal(r.json.error.code, "BODY_TOO_LARGE");
  const ok = kyc.signOstWebhook(ostEvent(3001, now(), "888"), { url: ostUrl, secret: OST_SECRET });
  assert.equal((await post("/ost", ok)).status, 200);
});

test("TOT: valid, tampered, missing header, replayed, out of order, oversized, malformed", async () => {
  const t = now();
  const body = totBody("tot-1", t);
  const before = received.length;
  assert.deepEqual(await post("/tot", body, { authorization: totSig(body) }), { status: 200, json: { ok: true } });
  assert.deepEqual((await post("/tot", body, { authorization: totSig(body) })).json, { ok: true, duplicate: true });
  const older = totBody("tot-0", t - 100);
  assert.deepEqual((await post("/tot", older, { authorization: totSig(older) })).json, { ok: true, outOfOrder: true });
  const tampered = body.replace("fullMatch", "partialMatch");
  assert.equal((await post("/tot", tampered, { authorization: totSig(body) })).json.error.code, "INVALID_SIGNATURE");
  const noHeader = await post("/tot", body);
  assert.deepEqual([noHeader.status, noHeader.json.error.code], [401, "MISSING_SIGNATURE"]);
  const big = JSON.stringify({ pad: "x".repeat(70 * 1024) });
  const tooBig = await post("/tot", big, { authorization: totSig(big) });
  assert.deepEqual([tooBig.status, tooBig.json.error.code], [413, "BODY_TOO_LARGE"]);
  const notJson = "not json";
  const malformed = await post("/tot", notJson, { authorization: totSig(notJson) });
  assert.deepEqual([malformed.status, malformed.json.error.code], [400, "MALFORMED_BODY"]);
  await new Promise((res) => setTimeout(res, 20));
  assert.equal(received.length, before + 1);
  const event = received.at(-1);
  assert.equal(event.eventId, "tot-1");
  assert.equal(event.status, "cleared");
  assert.equal(event.timestamp, t);
});

test("a GET is answered 405, and a handler whose onEvent throws still answers 200", async () => {
  const res = await fetch(base + "/ost");
  assert.equal(res.status, 405);
  assert.equal((await res.json()).error.code, "METHOD_NOT_ALLOWED");
  const throwing = kyc.webhookFetchHandler({
    provider: "tot",
    secret: TOT_SECRET,
    onEvent: () => {
      throw new Error("application bug");
    },
  });
  const body = totBody("tot-fetch", now());
  const response = await throwing(
    new Request("http://localhost/tot", { method: "POST", body, headers: { authorization: totSig(body) } }),
  );
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { ok: true });
});

test("the Fetch-API form rejects a tampered body and a declared oversized body", async () => {
  const handler = kyc.webhookHandler({ provider: "tot", secret: TOT_SECRET, maxBodyBytes: 1000 }).fetch;
  const body = totBody("tot-fetch-2", now());
  const bad = await handler(new Request("http://localhost/", { method: "POST", body, headers: { authorization: "AAAA" } }));
  assert.equal(bad.status, 401);
  const big = "x".repeat(5000);
  const tooBig = await handler(new Request("http://localhost/", { method: "POST", body: big, headers: { authorization: totSig(big) } }));
  assert.equal(tooBig.status, 413);
});

test("bad options throw KycError INVALID_ARGUMENT at construction", () => {
  for (const options of [
    {},
    { provider: "stripe", secret: "x" },
    { provider: "ost", secret: "x" },
    { provider: "ost", secret: "x", url: "/relative" },
    { provider: "tot", secret: "" },
    { provider: "tot", secret: "x", onEvent: 42 },
  ]) {
    assert.throws(() => kyc.webhookHandler(options), (e) => e.name === "KycError" && e.code === "INVALID_ARGUMENT");
  }
});
