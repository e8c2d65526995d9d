// The webhook handlers (pkg-template/lib/webhook.js) from the built package, over real HTTP on 127.0.0.1
// (node:http) and through the Fetch form. Every delivery is signed here with node:crypto
// (helpers.referenceOstWebhook, hmacSha1Base64), never with kyc-wasm.
//
// What is shown: at-least-once delivery into onEvent (200 only after it resolved; 500 / 503 and a released
// claim when it fails or is slow), de-duplication of retries (OST re-signs every attempt), ordering that
// never drops a distinct event (same-second OST events, equal TOT timestamps), stale events, streaming limits
// (413 before an oversized chunked body is sent, memory flat, 408 for a stalled body), 405 with Allow,
// secrets read at request time (MISSING_SECRET, async functions), bodies already read by a parser
// (BODY_ALREADY_READ, raw bodies left by a framework), a failing store (503), and no unhandled rejection.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { fork } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

import { referenceOstWebhook, hmacSha1Base64 } from "./helpers.mjs";

const require = createRequire(import.meta.url);
// KYC_WASM_TEST_ENTRY runs the same tests against another build (e.g. an older one, to see them fail).
const ENTRY = process.env.KYC_WASM_TEST_ENTRY ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../pkg/node/index.js");
const kyc = require(ENTRY);

const OST_SECRET = "ost-webhook-secret-\u00e9";
const TOT_SECRET = "tot-webhook-secret";
const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const unhandled = [];
process.on("unhandledRejection", (e) => unhandled.push(e));
process.on("uncaughtException", (e) => unhandled.push(e));

/** A logger that records instead of printing (the handlers log failures by design). */
function recorder() {
  const lines = [];
  return {
    lines,
    warn: (m) => lines.push(["warn", String(m)]),
    error: (m, e) => lines.push(["error", String(m), e]),
  };
}

let userSeq = 5000;
function ostParams(id, createdAt, { userId = String(++userSeq), status = "approved", adminStatus = "qualified" } = {}) {
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
      user_kyc: { id: "328", user_id: userId, kyc_status: status, admin_status: adminStatus, submission_count: "3" },
    },
  };
}

const ostBody = (params, url, { secret = OST_SECRET, timestamp = now() } = {}) =>
  referenceOstWebhook(params, { url, secret, timestamp }).body;

let totSeq = 0;
function totBody(timestamp, { user = `tot-user-${++totSeq}`, eventId = `evt-${totSeq}`, gates = { isCleared: "fullMatch" } } = {}) {
  return JSON.stringify({
    app_user_id: user,
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
const totSig = (body) => hmacSha1Base64(TOT_SECRET, body);

// ---- one server, many routes: each test mounts its own handler on a fresh path ----

let server;
let base;
const routes = new Map();
let routeSeq = 0;

/** Mounts `make(url)` (a (req, res) function) on a fresh path; returns its absolute URL. */
function mount(make) {
  const p = `/r${++routeSeq}`;
  const url = base + p;
  routes.set(p, make(url));
  return url;
}

before(async () => {
  server = http.createServer((req, res) => {
    const route = routes.get(req.url.split("?")[0]);
    if (!route) {
      res.statusCode = 404;
      return res.end();
    }
    route(req, res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(async () => {
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
  assert.deepEqual(unhandled, [], "no unhandled rejection or exception");
});

async function post(url, body, headers = {}, method = "POST") {
  const res = await fetch(url, {
    method,
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    signal: AbortSignal.timeout(15000),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null, at: Date.now() };
}

const ostHandler = (options) => (url) => kyc.webhookHandler({ provider: "ost", secret: OST_SECRET, url, logger: recorder(), ...options });
const totHandler = (options) => () => kyc.webhookHandler({ provider: "tot", secret: TOT_SECRET, logger: recorder(), ...options });

// ---------------------------------------------------------------------------------------------------------

test("OST: 200 only after onEvent resolved, with the typed event (provider: \"ost\")", async () => {
  const events = [];
  let finishedAt = 0;
  const url = mount(
    ostHandler({
      onEvent: async (e) => {
        await sleep(150);
        events.push(e);
        finishedAt = Date.now();
      },
    }),
  );
  const r = await post(url, ostBody(ostParams(1001, now(), { userId: "11493" }), url));
  assert.deepEqual([r.status, r.json], [200, { ok: true }]);
  assert.equal(events.length, 1);
  assert.ok(finishedAt > 0 && r.at >= finishedAt, "the answer came after onEvent finished");
  const e = events[0];
  assert.equal(e.provider, "ost");
  assert.equal(e.id, 1001);
  assert.equal(e.name, "kyc_status_update");
  assert.equal(e.data.user_kyc.user_id, 11493);
  assert.equal(e.stale, undefined);
});

test("OST: tampered, wrong-secret, stale, future, unsigned, malformed: 401/400, onEvent never called", async () => {
  const events = [];
  const url = mount(ostHandler({ onEvent: (e) => events.push(e) }));
  const good = ostBody(ostParams(1002, now()), url);
  const cases = [
    [good.replace("approved", "denied"), 401, "INVALID_SIGNATURE"],
    [ostBody(ostParams(1003, now()), url, { secret: "someone-else" }), 401, "INVALID_SIGNATURE"],
    [ostBody(ostParams(1004, now()), url, { timestamp: now() - 3600 }), 401, "TIMESTAMP_OUT_OF_TOLERANCE"],
    [ostBody(ostParams(1005, now()), url, { timestamp: now() + 3600 }), 401, "TIMESTAMP_OUT_OF_TOLERANCE"],
    [good.replace(/&signature=[0-9a-f]+/, ""), 401, "MISSING_SIGNATURE"],
    ["id=1&name=%zz&signature=00", 400, "MALFORMED_BODY"],
  ];
  for (const [body, status, code] of cases) {
    const r = await post(url, body);
    assert.deepEqual([r.status, r.json.ok, r.json.error.code], [status, false, code], code);
    assert.ok(!JSON.stringify(r.json).includes(OST_SECRET));
  }
  assert.equal(events.length, 0);
});

test("OST: a retry (same id, re-signed with a fresh request_timestamp) is a duplicate; onEvent runs once", async () => {
  const events = [];
  const url = mount(ostHandler({ onEvent: (e) => events.push(e.id) }));
  const params = ostParams(1101, now());
  assert.deepEqual((await post(url, ostBody(params, url, { timestamp: now() - 5 }))).json, { ok: true });
  const retry = await post(url, ostBody(params, url, { timestamp: now() }));
  assert.deepEqual([retry.status, retry.json], [200, { ok: true, duplicate: true }]);
  assert.deepEqual(events, [1101]);
});

test("at least once: onEvent throws -> 500 ON_EVENT_FAILED, and the provider's retry calls onEvent again", async () => {
  let calls = 0;
  const log = recorder();
  const url = mount((u) =>
    kyc.webhookHandler({
      provider: "ost",
      secret: OST_SECRET,
      url: u,
      logger: log,
      onEvent: async () => {
        calls++;
        if (calls === 1) throw new Error("database down");
        if (calls === 2) return Promise.reject(new Error("still down"));
      },
    }),
  );
  const params = ostParams(1201, now());
  const first = await post(url, ostBody(params, url));
  assert.deepEqual([first.status, first.json.ok, first.json.error.code], [500, false, "ON_EVENT_FAILED"]);
  assert.ok(!first.json.error.message.includes("database down"), "the application's error is not echoed");
  const second = await post(url, ostBody(params, url));
  assert.equal(second.status, 500, "a rejection counts as a failure too");
  const third = await post(url, ostBody(params, url));
  assert.deepEqual([third.status, third.json], [200, { ok: true }]);
  assert.equal(calls, 3, "each retry reached onEvent until it succeeded");
  const fourth = await post(url, ostBody(params, url));
  assert.deepEqual(fourth.json, { ok: true, duplicate: true });
  assert.equal(calls, 3);
  assert.ok(log.lines.some(([level, m]) => level === "error" && m.includes("onEvent failed")));
});

test("a slow onEvent -> 503 ON_EVENT_TIMEOUT after onEventTimeoutMs, its signal aborted, and the retry delivers", async () => {
  let calls = 0;
  let aborted = false;
  const url = mount((u) =>
    kyc.webhookHandler({
      provider: "ost",
      secret: OST_SECRET,
      url: u,
      logger: recorder(),
      onEventTimeoutMs: 200,
      onEvent: (_e, { signal }) => {
        calls++;
        if (calls > 1) return undefined;
        signal.addEventListener("abort", () => (aborted = true));
        return new Promise((_resolve, reject) => setTimeout(() => reject(new Error("late failure")), 1500));
      },
    }),
  );
  const params = ostParams(1301, now());
  const t0 = Date.now();
  const r = await post(url, ostBody(params, url));
  const took = Date.now() - t0;
  assert.deepEqual([r.status, r.json.error.code], [503, "ON_EVENT_TIMEOUT"]);
  assert.ok(took >= 190 && took < 1400, `answered after the timeout, not after onEvent (${took} ms)`);
  assert.ok(r.headers.get("retry-after"));
  assert.equal(aborted, true);
  const retry = await post(url, ostBody(params, url));
  assert.deepEqual([retry.status, retry.json], [200, { ok: true }]);
  assert.equal(calls, 2);
  await sleep(1500); // the first onEvent's late rejection must not surface as an unhandled rejection
});

test("a concurrent duplicate while the first delivery is in flight is not 2xx (409 BUSY, Retry-After)", async () => {
  let calls = 0;
  let release;
  const gate = new Promise((r) => (release = r));
  const url = mount(
    ostHandler({
      onEvent: async () => {
        calls++;
        await gate;
      },
    }),
  );
  const params = ostParams(1401, now());
  const first = post(url, ostBody(params, url));
  await sleep(100);
  const second = await post(url, ostBody(params, url));
  assert.deepEqual([second.status, second.json.error.code], [409, "BUSY"]);
  assert.ok(Number(second.headers.get("retry-after")) >= 1);
  release();
  assert.equal((await first).status, 200);
  assert.equal(calls, 1);
});

test("OST events created in the same second (901, then 902) both reach onEvent", async () => {
  const events = [];
  const url = mount(ostHandler({ onEvent: (e) => events.push([e.id, e.data.user_kyc.admin_status]) }));
  const t = now() - 10;
  const r1 = await post(url, ostBody(ostParams(901, t, { userId: "4242", adminStatus: "unprocessed" }), url));
  const r2 = await post(url, ostBody(ostParams(902, t, { userId: "4242", adminStatus: "qualified" }), url));
  assert.deepEqual([r1.json, r2.json], [{ ok: true }, { ok: true }]);
  assert.deepEqual(events, [
    [901, "unprocessed"],
    [902, "qualified"],
  ]);
});

test("an older event: 200 {stale: true}, counted and logged, delivered only with deliverStale", async () => {
  for (const deliverStale of [false, true]) {
    const events = [];
    const log = recorder();
    const url = mount((u) =>
      kyc.webhookHandler({ provider: "ost", secret: OST_SECRET, url: u, logger: log, deliverStale, onEvent: (e) => events.push(e) }),
    );
    const t = now() - 100;
    assert.deepEqual((await post(url, ostBody(ostParams(2002, t, { userId: "777" }), url))).json, { ok: true });
    const older = await post(url, ostBody(ostParams(2001, t - 50, { userId: "777" }), url));
    assert.deepEqual([older.status, older.json], [200, { ok: true, stale: true }]);
    // Same second, smaller id: older by the (created_at, id) order.
    const tie = await post(url, ostBody(ostParams(2000, t, { userId: "777" }), url));
    assert.deepEqual(tie.json, { ok: true, stale: true });
    const handler = routes.get(new URL(url).pathname);
    assert.equal(handler.stats.stale, 2);
    assert.equal(log.lines.filter(([level, m]) => level === "warn" && m.includes("stale")).length, 2);
    if (deliverStale) {
      assert.deepEqual(events.map((e) => [e.id, e.stale]), [[2002, undefined], [2001, true], [2000, true]]);
    } else {
      assert.deepEqual(events.map((e) => e.id), [2002]);
    }
    // Another user's events are ordered on their own.
    assert.deepEqual((await post(url, ostBody(ostParams(1999, t - 500, { userId: "778" }), url))).json, { ok: true });
    // A retry of the stale event is a duplicate, not a second stale delivery.
    assert.deepEqual((await post(url, ostBody(ostParams(2001, t - 50, { userId: "777" }), url))).json, { ok: true, duplicate: true });
  }
});

test("TOT: valid (provider: \"tot\"), replay, equal timestamp with another body, older, tampered, unsigned", async () => {
  const events = [];
  const url = mount(totHandler({ onEvent: (e) => events.push(e) }));
  const t = now() - 20;
  const body = totBody(t, { user: "u-1", eventId: "a" });
  const ok = await post(url, body, { "content-type": "application/json", authorization: totSig(body) });
  assert.deepEqual([ok.status, ok.json], [200, { ok: true }]);
  assert.equal(events[0].provider, "tot");
  assert.equal(events[0].status, "cleared");
  assert.equal(events[0].timestamp, t);
  const replay = await post(url, body, { authorization: totSig(body) });
  assert.deepEqual(replay.json, { ok: true, duplicate: true });
  const sameTime = totBody(t, { user: "u-1", eventId: "b", gates: { isRejected: "fullMatch" } });
  const r = await post(url, sameTime, { authorization: totSig(sameTime) });
  assert.deepEqual(r.json, { ok: true }, "an equal timestamp with a different body is delivered");
  assert.deepEqual(events.map((e) => e.status), ["cleared", "rejected"]);
  const older = totBody(t - 10, { user: "u-1", eventId: "c" });
  assert.deepEqual((await post(url, older, { authorization: totSig(older) })).json, { ok: true, stale: true });
  const tampered = body.replace("fullMatch", "partialMatch");
  assert.equal((await post(url, tampered, { authorization: totSig(body) })).json.error.code, "INVALID_SIGNATURE");
  const unsigned = await post(url, body);
  assert.deepEqual([unsigned.status, unsigned.json.error.code], [401, "MISSING_SIGNATURE"]);
  const notJson = "not json";
  const malformed = await post(url, notJson, { authorization: totSig(notJson) });
  assert.deepEqual([malformed.status, malformed.json.error.code], [400, "MALFORMED_BODY"]);
  assert.equal(events.length, 2);
});

test("TOT: a body with a UTF-8 BOM is judged as verifyTotWebhook judges it", async () => {
  const events = [];
  const url = mount(totHandler({ onEvent: (e) => events.push(e) }));
  const json = totBody(now(), { user: "bom-user" });
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]);
  const sig = hmacSha1Base64(TOT_SECRET, bytes);
  let direct;
  try {
    kyc.verifyTotWebhook(bytes, sig, TOT_SECRET);
    direct = "accepted";
  } catch (e) {
    direct = e.code;
  }
  const r = await post(url, bytes, { "content-type": "application/json", authorization: sig });
  assert.equal(r.status === 200 ? "accepted" : r.json.error.code, direct);
  if (direct === "accepted") assert.equal(events[0].appUserId, "bom-user");
});

test("405 carries Allow: POST (node:http and Fetch forms)", async () => {
  const url = mount(totHandler({}));
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("allow"), "POST");
  assert.equal((await res.json()).error.code, "METHOD_NOT_ALLOWED");
  const fetchForm = kyc.webhookFetchHandler({ provider: "tot", secret: TOT_SECRET });
  const r = await fetchForm(new Request("http://localhost/", { method: "PUT", body: "x" }));
  assert.deepEqual([r.status, r.headers.get("allow"), (await r.json()).error.code], [405, "POST", "METHOD_NOT_ALLOWED"]);
});

test("secrets are read at request time: absent at construction is no throw; MISSING_SECRET 500, logged, never 2xx", async () => {
  const name = `KYC_WASM_TEST_SECRET_${process.pid}`;
  delete process.env[name];
  const log = recorder();
  const events = [];
  let handler;
  const url = mount((u) => {
    handler = kyc.webhookHandler({ provider: "ost", secret: process.env[name], url: u, logger: log, onEvent: (e) => events.push(e) });
    return handler;
  });
  const r = await post(url, ostBody(ostParams(3001, now()), url));
  assert.deepEqual([r.status, r.json.ok, r.json.error.code], [500, false, "MISSING_SECRET"]);
  assert.ok(log.lines.some(([level, m]) => level === "error" && m.includes("MISSING_SECRET")));

  // A function is read at each request: unset, then set.
  const log2 = recorder();
  const lazy = mount((u) =>
    kyc.webhookHandler({ provider: "ost", secret: () => process.env[name], url: () => u, logger: log2, onEvent: (e) => events.push(e) }),
  );
  assert.equal((await post(lazy, ostBody(ostParams(3002, now()), lazy))).json.error.code, "MISSING_SECRET");
  process.env[name] = OST_SECRET;
  try {
    assert.deepEqual((await post(lazy, ostBody(ostParams(3003, now()), lazy))).json, { ok: true });
  } finally {
    delete process.env[name];
  }
  for (const [, message, error] of [...log.lines, ...log2.lines]) {
    assert.ok(!String(message).includes(OST_SECRET) && error === undefined);
  }
  assert.deepEqual(events.map((e) => e.id), [3003]);

  // Empty string, empty list, a function returning undefined, a throwing function: all MISSING_SECRET.
  for (const secret of ["", [], [undefined, ""], () => undefined, async () => null, () => { throw new Error("vault down"); }]) {
    const f = kyc.webhookFetchHandler({ provider: "tot", secret, logger: recorder() });
    const body = totBody(now());
    const res = await f(new Request("http://localhost/", { method: "POST", body, headers: { authorization: totSig(body) } }));
    assert.deepEqual([res.status, (await res.json()).error.code], [500, "MISSING_SECRET"], String(secret));
  }
});

test("a secret given as an async function (and a rotation list with an unset entry)", async () => {
  const events = [];
  const url = mount(totHandler({ secret: async () => { await sleep(5); return TOT_SECRET; }, onEvent: (e) => events.push(e) }));
  const body = totBody(now());
  assert.deepEqual((await post(url, body, { authorization: totSig(body) })).json, { ok: true });
  const rotating = mount(totHandler({ secret: [undefined, "old-secret", TOT_SECRET], onEvent: (e) => events.push(e) }));
  const body2 = totBody(now());
  assert.deepEqual((await post(rotating, body2, { authorization: totSig(body2) })).json, { ok: true });
  assert.equal(events.length, 2);
});

test("BODY_ALREADY_READ at once for a consumed stream or a parsed body; a raw body left on the request is used", async () => {
  const events = [];
  const make = (prepare) =>
    mount((u) => {
      const h = kyc.webhookHandler({ provider: "ost", secret: OST_SECRET, url: u, logger: recorder(), onEvent: (e) => events.push(e.id) });
      return (req, res) => {
        // A body parser: reads the whole stream, then leaves what `prepare` says on the request.
        const chunks = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => {
          prepare(req, Buffer.concat(chunks));
          h(req, res);
        });
      };
    });
  const cases = [
    ["consumed, nothing left", () => {}, 500],
    ["express.json() on an empty {} body", (req) => { req.body = {}; req._body = true; }, 500],
    ["a parsed object", (req, raw) => { req.body = Object.fromEntries(new URLSearchParams(raw.toString())); }, 500],
    ["req.rawBody Buffer", (req, raw) => { req.body = {}; req.rawBody = raw; }, 200],
    ["req.rawBody string", (req, raw) => { req.rawBody = raw.toString("utf8"); }, 200],
    ["Buffer req.body (express.raw)", (req, raw) => { req.body = raw; }, 200],
    ["Uint8Array req.body", (req, raw) => { req.body = new Uint8Array(raw); }, 200],
  ];
  let id = 4000;
  for (const [what, prepare, status] of cases) {
    const url = make(prepare);
    const t0 = Date.now();
    const r = await post(url, ostBody(ostParams(++id, now()), url));
    assert.equal(r.status, status, what);
    assert.ok(Date.now() - t0 < 2000, `${what}: answered at once`);
    if (status === 500) {
      assert.equal(r.json.error.code, "BODY_ALREADY_READ", what);
      for (const fix of ["express.raw", "parseAs", "rawBody", "koa-bodyparser"]) assert.ok(r.json.error.message.includes(fix), fix);
    }
  }
  assert.deepEqual(events, [4004, 4005, 4006, 4007]);

  // The Fetch form: a Request whose body was already read.
  const f = kyc.webhookFetchHandler({ provider: "tot", secret: TOT_SECRET, logger: recorder() });
  const request = new Request("http://localhost/", { method: "POST", body: "{}", headers: { authorization: "x" } });
  await request.text();
  const res = await f(request);
  assert.deepEqual([res.status, (await res.json()).error.code], [500, "BODY_ALREADY_READ"]);
});

test("an empty {} placeholder body (Express 4 with express.json() and another content type): the stream is still read", async () => {
  const events = [];
  const url = mount((u) => {
    const h = kyc.webhookHandler({ provider: "ost", secret: OST_SECRET, url: u, logger: recorder(), onEvent: (e) => events.push(e.id) });
    return (req, res) => {
      req.body = {}; // body-parser 1.x sets this before finding the content type is not its own
      h(req, res);
    };
  });
  assert.deepEqual((await post(url, ostBody(ostParams(4100, now()), url))).json, { ok: true });
  assert.deepEqual(events, [4100]);
});

/** Sends a chunked body of `total` bytes as fast as the socket takes it; resolves with what happened. */
function sendChunked(url, total, { chunk = 64 * 1024 } = {}) {
  return new Promise((resolve) => {
    const u = new URL(url);
    let written = 0;
    let status = null;
    let connection = null;
    let body = "";
    let done = false;
    const payload = Buffer.alloc(chunk, 0x61);
    const finish = (why) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ status, connection, written, why, json: body ? JSON.parse(body) : null });
    };
    const timer = setTimeout(() => finish("timeout"), 30000);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } });
    req.on("response", (res) => {
      status = res.statusCode;
      connection = res.headers.connection;
      res.on("data", (d) => (body += d));
      res.on("end", () => finish("response"));
      res.on("error", () => finish("response error"));
    });
    req.on("error", () => finish("error"));
    const pump = () => {
      while (!done && written < total) {
        written += payload.length;
        if (!req.write(payload)) return req.once("drain", pump);
      }
      if (!done) req.end();
    };
    pump();
  });
}

test("node:http: an oversized chunked body -> 413 before it is all sent, connection closed; declared length -> 413 at once", async () => {
  const url = mount(totHandler({ maxBodyBytes: 64 * 1024 }));
  const total = 64 * 1024 * 1024;
  const r = await sendChunked(url, total);
  assert.equal(r.status, 413, r.why);
  assert.equal(r.json.error.code, "BODY_TOO_LARGE");
  assert.equal(r.connection, "close");
  assert.ok(r.written < total / 4, `stopped early: ${r.written} of ${total} bytes written`);
  // Declared too large: answered without reading.
  const declared = await new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { "content-length": String(10 * 1024 * 1024) } });
    req.on("response", (res) => resolve([res.statusCode, res.headers.connection]));
    req.on("error", reject);
    req.write("x".repeat(1000)); // and then nothing: the answer must not wait for the rest
  });
  assert.deepEqual(declared, [413, "close"]);
});

test("memory stays flat under parallel 100 MiB chunked bodies (server in a child process, peak RSS)", { timeout: 120000 }, async () => {
  const child = fork(
    fileURLToPath(import.meta.url).replace(/webhook_handler\.test\.mjs$/, "webhook_server.child.mjs"),
    [ENTRY],
    { stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  try {
    const ask = (message) =>
      new Promise((resolve) => {
        child.once("message", resolve);
        child.send(message);
      });
    const { port } = await new Promise((resolve) => child.once("message", resolve));
    const url = `http://127.0.0.1:${port}/tot`;
    // Warm up: one valid delivery, so the module and the server are at their working size.
    const body = totBody(now());
    assert.equal((await post(url, body, { authorization: totSig(body) })).status, 200);
    const before = await ask("rss");
    const total = 100 * 1024 * 1024;
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map(() => sendChunked(url, total)));
    const afterUpload = await ask("rss");
    for (const r of results) {
      assert.equal(r.status, 413, r.why);
      assert.ok(r.written < 16 * 1024 * 1024, `wrote ${r.written} bytes before the 413`);
    }
    const growth = (afterUpload.maxRss - before.maxRss) / 1024 / 1024;
    const most = Math.max(...results.map((r) => r.written)) / 1048576;
    console.log(
      `# webhookHandler: 6 x 100 MiB chunked bodies, peak RSS growth ${growth.toFixed(1)} MiB ` +
        `(${(before.maxRss / 1048576).toFixed(1)} -> ${(afterUpload.maxRss / 1048576).toFixed(1)} MiB), ` +
        `at most ${most.toFixed(1)} MiB sent before the 413`,
    );
    assert.ok(growth < 48, `peak RSS grew by ${growth.toFixed(1)} MiB`);
    // Still serving.
    const again = totBody(now());
    assert.equal((await post(url, again, { authorization: totSig(again) })).status, 200);
  } finally {
    child.kill();
  }
});

/** A body stream of `total` bytes made on demand; counts what was pulled, and whether it was cancelled. */
function lazyStream(total, chunk = 64 * 1024) {
  const state = { pulled: 0, cancelled: false };
  const payload = new Uint8Array(chunk).fill(0x61);
  const stream = new ReadableStream({
    pull(controller) {
      if (state.pulled >= total) return controller.close();
      state.pulled += chunk;
      controller.enqueue(payload.slice());
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

test("Fetch form: a streamed ReadableStream body over the limit -> 413, the stream cancelled, memory flat", async () => {
  const f = kyc.webhookFetchHandler({ provider: "tot", secret: TOT_SECRET, logger: recorder() }); // 1 MiB default
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const total = 100 * 1024 * 1024;
  const runs = await Promise.all(
    [1, 2, 3, 4].map(async () => {
      const { stream, state } = lazyStream(total);
      const res = await f(new Request("http://localhost/", { method: "POST", body: stream, duplex: "half", headers: { authorization: "AAAA" } }));
      return { status: res.status, code: (await res.json()).error.code, state };
    }),
  );
  const growth = (process.memoryUsage().rss - rss0) / 1048576;
  for (const { status, code, state } of runs) {
    assert.deepEqual([status, code], [413, "BODY_TOO_LARGE"]);
    assert.ok(state.pulled <= 2 * 1024 * 1024, `pulled ${state.pulled} bytes`);
    assert.equal(state.cancelled, true);
  }
  console.log(`# webhookFetchHandler: 4 x 100 MiB streamed bodies, RSS growth ${growth.toFixed(1)} MiB`);
  assert.ok(growth < 64, `RSS grew by ${growth.toFixed(1)} MiB`);
  // Declared oversized: refused before reading.
  const big = "x".repeat(5000);
  const small = kyc.webhookHandler({ provider: "tot", secret: TOT_SECRET, maxBodyBytes: 1000, logger: recorder() }).fetch;
  const tooBig = await small(new Request("http://localhost/", { method: "POST", body: big, headers: { authorization: totSig(big) } }));
  assert.equal(tooBig.status, 413);
});

test("a stalled body -> 408 BODY_TIMEOUT after bodyTimeoutMs (node:http and Fetch forms)", async () => {
  const url = mount(totHandler({ bodyTimeoutMs: 300 }));
  const u = new URL(url);
  const t0 = Date.now();
  const answer = await new Promise((resolve, reject) => {
    const socket = net.connect(Number(u.port), u.hostname, () => {
      socket.write(`POST ${u.pathname} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"app_user`);
    });
    let text = "";
    socket.on("data", (d) => (text += d));
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
    setTimeout(() => socket.destroy(), 5000);
  });
  const took = Date.now() - t0;
  assert.match(answer, /^HTTP\/1\.1 408 /);
  assert.match(answer, /BODY_TIMEOUT/);
  assert.ok(took >= 280 && took < 3000, `answered after ${took} ms, and the connection closed`);

  const f = kyc.webhookFetchHandler({ provider: "tot", secret: TOT_SECRET, bodyTimeoutMs: 200, logger: recorder() });
  let cancelled = false;
  const stalled = new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode("{"));
    },
    cancel() {
      cancelled = true;
    },
  });
  const res = await f(new Request("http://localhost/", { method: "POST", body: stalled, duplex: "half" }));
  assert.deepEqual([res.status, (await res.json()).error.code, cancelled], [408, "BODY_TIMEOUT", true]);
});

test("a store that fails (Redis down) -> 503 STORE_UNAVAILABLE, onEvent not called; delivered once it is back", async () => {
  const events = [];
  const inner = kyc.memoryStore();
  let down = true;
  const flaky = {
    claim: (...a) => (down ? Promise.reject(new Error("ECONNREFUSED")) : inner.claim(...a)),
    done: (...a) => inner.done(...a),
    release: (...a) => inner.release(...a),
    advance: (...a) => (down ? Promise.reject(new Error("ECONNREFUSED")) : inner.advance(...a)),
  };
  const url = mount(ostHandler({ store: flaky, onEvent: (e) => events.push(e.id) }));
  const params = ostParams(5001, now());
  const r = await post(url, ostBody(params, url));
  assert.deepEqual([r.status, r.json.error.code], [503, "STORE_UNAVAILABLE"]);
  assert.equal(events.length, 0);
  // A store that throws synchronously, or never answers.
  const hung = { ...flaky, claim: () => new Promise(() => {}) };
  const throwing = { ...flaky, claim: () => { throw new Error("boom"); } };
  for (const store of [hung, throwing]) {
    const u2 = mount(ostHandler({ store, storeTimeoutMs: 200, onEvent: (e) => events.push(e.id) }));
    assert.equal((await post(u2, ostBody(params, u2))).status, 503);
  }
  down = false;
  assert.deepEqual((await post(url, ostBody(params, url))).json, { ok: true });
  assert.deepEqual(events, [5001]);
});

test("memoryStore: the WebhookStore contract", async () => {
  const s = kyc.memoryStore({ maxKeys: 3, maxSubjects: 2 });
  assert.equal(await s.claim("k", "a", 10000), "claimed");
  assert.equal(await s.claim("k", "b", 10000), "busy");
  await s.release("k", "b"); // not b's claim: no effect
  assert.equal(await s.claim("k", "b", 10000), "busy");
  await s.release("k", "a");
  assert.equal(await s.claim("k", "b", 10000), "claimed");
  await s.done("k", "a", 10000); // a no longer holds it, b does: no effect
  assert.equal(await s.claim("k", "c", 10000), "busy");
  await s.done("k", "b", 10000);
  assert.equal(await s.claim("k", "c", 10000), "done");
  await s.done("unclaimed", "z", 10000);
  assert.equal(await s.claim("unclaimed", "y", 10000), "done");
  assert.equal(await s.claim("lease", "a", 20), "claimed");
  await sleep(40);
  assert.equal(await s.claim("lease", "b", 10000), "claimed", "an expired lease can be claimed");
  // Bounded.
  for (let i = 0; i < 10; i++) await s.claim(`x${i}`, "a", 10000);
  assert.ok(s.size.keys <= 3);
  assert.equal(await s.advance("u", "0002", 10000), true);
  assert.equal(await s.advance("u", "0002", 10000), true, "a tie is not older");
  assert.equal(await s.advance("u", "0001", 10000), false);
  assert.equal(await s.advance("u", "0003", 10000), true);
  await s.advance("v", "1", 10000);
  await s.advance("w", "1", 10000);
  assert.ok(s.size.subjects <= 2);
});

test("options: wrong whatever the environment -> INVALID_ARGUMENT at construction; absent secret or url is not", () => {
  for (const options of [
    undefined,
    {},
    { provider: "stripe", secret: "x" },
    { provider: "tot", secret: 42 },
    { provider: "tot", secret: "x", onEvent: 42 },
    { provider: "ost", secret: "x", url: 42 },
    { provider: "tot", secret: "x", maxBodyBytes: 0 },
    { provider: "tot", secret: "x", bodyTimeoutMs: -1 },
    { provider: "tot", secret: "x", store: {} },
  ]) {
    assert.throws(() => kyc.webhookHandler(options), (e) => e instanceof kyc.KycError && e.code === "INVALID_ARGUMENT", JSON.stringify(options));
    assert.throws(() => kyc.webhookFetchHandler(options), (e) => e.code === "INVALID_ARGUMENT");
  }
  for (const options of [
    { provider: "ost" },
    { provider: "ost", secret: undefined, url: undefined },
    { provider: "tot", secret: "" },
    { provider: "tot", secret: () => process.env.NOPE },
  ]) {
    assert.equal(typeof kyc.webhookHandler(options), "function");
    assert.equal(typeof kyc.webhookFetchHandler(options), "function");
  }
});

test("OST: url given as a function; a missing URL at request time is 500, not 2xx", async () => {
  const events = [];
  const url = mount((u) => kyc.webhookHandler({ provider: "ost", secret: OST_SECRET, url: async () => u, logger: recorder(), onEvent: (e) => events.push(e.id) }));
  assert.deepEqual((await post(url, ostBody(ostParams(6001, now()), url))).json, { ok: true });
  const missing = mount(() => kyc.webhookHandler({ provider: "ost", secret: OST_SECRET, url: () => undefined, logger: recorder() }));
  const r = await post(missing, ostBody(ostParams(6002, now()), missing));
  assert.equal(r.status, 500);
  assert.deepEqual(events, [6001]);
});

test("dedupe: false delivers every retry; ignoreOutOfOrder: false delivers older events as new", async () => {
  const events = [];
  const url = mount(ostHandler({ dedupe: false, ignoreOutOfOrder: false, onEvent: (e) => events.push([e.id, e.stale]) }));
  const t = now() - 100;
  const params = ostParams(7002, t, { userId: "9001" });
  await post(url, ostBody(params, url));
  assert.deepEqual((await post(url, ostBody(params, url))).json, { ok: true });
  assert.deepEqual((await post(url, ostBody(ostParams(7001, t - 50, { userId: "9001" }), url))).json, { ok: true });
  assert.deepEqual(events, [[7002, undefined], [7002, undefined], [7001, undefined]]);
});

test("nothing throws out of the handlers, whatever they are given", async () => {
  const log = recorder();
  const h = kyc.webhookHandler({ provider: "tot", secret: TOT_SECRET, logger: log });
  const f = kyc.webhookFetchHandler({ provider: "tot", secret: TOT_SECRET, logger: log });
  const written = [];
  const fakeRes = { statusCode: 0, headersSent: false, setHeader() {}, end(body, cb) { written.push([this.statusCode, JSON.parse(body).error.code]); cb?.(); } };
  await h(undefined, fakeRes);
  await h({ method: "POST", headers: {} }, fakeRes);
  await h({ method: "POST", headers: {}, body: { parsed: true } }, fakeRes);
  await h({ method: "POST", get headers() { throw new Error("getter"); } }, fakeRes);
  await h({ method: "POST", headers: {} }, undefined);
  assert.deepEqual(written.map((w) => w[0]), [405, 500, 500, 500]);
  for (const request of [undefined, null, {}, { method: "POST" }, { method: "POST", headers: new Headers(), body: 42 }]) {
    const res = await f(request);
    assert.ok(res instanceof Response && res.status >= 400, String(res.status));
  }
});

test("two handler instances behind one store: a retry on the other is a duplicate; concurrent copies reach onEvent once", async () => {
  const store = kyc.memoryStore();
  const events = [];
  let release;
  const gate = new Promise((r) => (release = r));
  const onEvent = async (e) => {
    events.push(e.id);
    await gate;
  };
  const a = mount((u) => kyc.webhookHandler({ provider: "ost", secret: OST_SECRET, url: u, store, logger: recorder(), onEvent }));
  // Both instances are registered under the same URL with OST (one load balancer): the second signs for `a`.
  const b = mount(() => kyc.webhookHandler({ provider: "ost", secret: OST_SECRET, url: a, store, logger: recorder(), onEvent }));
  const params = ostParams(8001, now());
  const [ra, rb] = await Promise.all([
    post(a, ostBody(params, a)),
    sleep(50).then(() => post(b, ostBody(params, a))),
    sleep(150).then(release),
  ]);
  assert.deepEqual([ra.status, rb.status].sort(), [200, 409]);
  assert.deepEqual(events, [8001]);
  const retry = await post(b, ostBody(params, a));
  assert.deepEqual(retry.json, { ok: true, duplicate: true });
  assert.deepEqual(events, [8001]);
});

test("OST: the content type is passed to verifyOstWebhook (form vs JSON): the handler judges as verifyOstWebhook does", async () => {
  const events = [];
  const url = mount(ostHandler({ onEvent: (e) => events.push(e.id) }));
  let id = 9100;
  for (const contentType of ["application/json", "application/x-www-form-urlencoded", "text/plain"]) {
    const signed = referenceOstWebhook(ostParams(++id, now()), { url, secret: OST_SECRET, timestamp: now() });
    const body = JSON.stringify({ ...signed.params, signature: signed.signature });
    let direct;
    try {
      kyc.verifyOstWebhook(body, { url, secret: OST_SECRET, contentType });
      direct = 200;
    } catch (e) {
      direct = e.code;
    }
    const r = await post(url, body, { "content-type": contentType });
    assert.equal(r.status === 200 ? 200 : r.json.error.code, direct, contentType);
  }
  // The form body as a form: always accepted.
  const form = ostBody(ostParams(++id, now()), url);
  assert.equal((await post(url, form, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" })).status, 200);
});

test("TOT authorizationFromQuery: the signature from ?authorization= only when opted in and the header is absent (node:http and Fetch forms, real HTTP)", async () => {
  const events = [];
  const onEvent = (e) => events.push(e.eventId);
  // A body whose signature has a "+", to send it unencoded too (a query string reads "+" as a space).
  let body;
  let sig;
  for (let i = 0; ; i++) {
    body = totBody(now() - 5, { user: `q-user-${i}`, eventId: `q-${i}` });
    sig = totSig(body);
    if (sig.includes("+") && sig.includes("/")) break;
  }
  const json = { "content-type": "application/json" };
  const q = (url, value) => `${url}?foo=1&authorization=${value}`;

  // Off by default: the query parameter is ignored.
  const plain = mount(totHandler({ onEvent }));
  const off = await post(q(plain, encodeURIComponent(sig)), body, json);
  assert.deepEqual([off.status, off.json.error.code], [401, "MISSING_SIGNATURE"]);
  assert.deepEqual(events, []);

  // node:http form, opted in.
  const opted = mount(totHandler({ onEvent, authorizationFromQuery: true }));
  const encoded = await post(q(opted, encodeURIComponent(sig)), body, json);
  assert.deepEqual([encoded.status, encoded.json], [200, { ok: true }]);
  assert.equal(events.length, 1);
  const other = totBody(now() - 4, { user: "q-raw", eventId: "q-raw" });
  let rawSig = totSig(other);
  let rawBody = other;
  for (let i = 0; !(rawSig.includes("+")); i++) {
    rawBody = totBody(now() - 4, { user: `q-raw-${i}`, eventId: `q-raw-${i}` });
    rawSig = totSig(rawBody);
  }
  const raw = await post(q(opted, rawSig), rawBody, json); // "+" and "/" left as they are
  assert.deepEqual([raw.status, raw.json], [200, { ok: true }]);
  assert.equal(events.length, 2);
  // The header, when present, wins: a wrong header is refused even with a right query, and the other way round.
  const third = totBody(now() - 3, { user: "q-third", eventId: "q-third" });
  const wrongHeader = await post(q(opted, encodeURIComponent(totSig(third))), third, { ...json, authorization: totSig(body) });
  assert.deepEqual([wrongHeader.status, wrongHeader.json.error.code], [401, "INVALID_SIGNATURE"]);
  const rightHeader = await post(q(opted, encodeURIComponent(sig)), third, { ...json, authorization: totSig(third) });
  assert.deepEqual([rightHeader.status, rightHeader.json], [200, { ok: true }]);
  assert.equal(events.length, 3);
  // A wrong query signature, and none at all.
  const fourth = totBody(now() - 2, { user: "q-fourth", eventId: "q-fourth" });
  const wrongQuery = await post(q(opted, encodeURIComponent(sig)), fourth, json);
  assert.deepEqual([wrongQuery.status, wrongQuery.json.error.code], [401, "INVALID_SIGNATURE"]);
  const none = await post(`${opted}?authorization=`, fourth, json);
  assert.deepEqual([none.status, none.json.error.code], [401, "MISSING_SIGNATURE"]);
  assert.equal(events.length, 3);

  // Fetch form behind node:http: the Request carries the full URL.
  const fetchHandler = kyc.webhookFetchHandler({ provider: "tot", secret: TOT_SECRET, logger: recorder(), onEvent, authorizationFromQuery: true });
  const fetchPlain = kyc.webhookFetchHandler({ provider: "tot", secret: TOT_SECRET, logger: recorder(), onEvent });
  const adapt = (handler) => (url) => async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    const response = await handler(new Request(new URL(req.url, url).href, { method: req.method, headers, body: Buffer.concat(chunks) }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
  const viaFetch = mount(adapt(fetchHandler));
  const fifth = totBody(now() - 1, { user: "q-fifth", eventId: "q-fifth" });
  const f1 = await post(q(viaFetch, encodeURIComponent(totSig(fifth))), fifth, json);
  assert.deepEqual([f1.status, f1.json], [200, { ok: true }]);
  assert.equal(events.at(-1), "q-fifth");
  const viaFetchPlain = mount(adapt(fetchPlain));
  const sixth = totBody(now(), { user: "q-sixth", eventId: "q-sixth" });
  const f2 = await post(q(viaFetchPlain, encodeURIComponent(totSig(sixth))), sixth, json);
  assert.deepEqual([f2.status, f2.json.error.code], [401, "MISSING_SIGNATURE"]);
  assert.equal(events.length, 4);

  // OST is unaffected: the option is refused for it; a non-boolean is refused for Token of Trust.
  for (const [provider, value] of [["ost", true], ["tot", "yes"], ["tot", 1]]) {
    assert.throws(
      () => kyc.webhookHandler({ provider, secret: "s", url: "https://example.com/hook", authorizationFromQuery: value }),
      (e) => e.code === "INVALID_ARGUMENT" && /authorizationFromQuery/.test(e.message),
      `${provider} ${value}`,
    );
  }
  kyc.webhookHandler({ provider: "ost", secret: "s", url: "https://example.com/hook", authorizationFromQuery: false });
});
