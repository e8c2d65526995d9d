// The handlers' `record` option and `kyc-wasm replay`: deliveries recorded by a real webhookHandler server
// (installed from the tarball), re-sent byte for byte, and verified offline.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { hmacSha1Base64, referenceOstWebhook } from "../js/helpers.mjs";
import { cliExpect, installed, listen, referenceEndpoint, referenceVerifyOst } from "./setup.mjs";

const OST_SECRET = "ost-secret-for-replay-tests";
const TOT_SECRET = "tot-secret-for-replay-tests";
const dir = mkdtempSync(path.join(tmpdir(), "kyc-replay-"));
const OST_FILE = path.join(dir, "ost.jsonl");
const TOT_FILE = path.join(dir, "tot.jsonl");
const quiet = { warn() {}, error() {} };
let recorder; // handlers writing the files
const got = [];
let started;

const lines = (file) => readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));

before(async () => {
  const { webhookHandler } = await installed();
  let origin;
  const ost = webhookHandler({ provider: "ost", secret: OST_SECRET, url: () => `${origin}/ost`, record: OST_FILE, onEvent: (e) => got.push(e), logger: quiet });
  const tot = webhookHandler({ provider: "tot", secret: TOT_SECRET, record: TOT_FILE, onEvent: (e) => got.push(e), logger: quiet });
  recorder = await listen((req, res) => (req.url === "/ost" ? ost(req, res) : tot(req, res)));
  origin = recorder.origin;
  started = Date.now();
  // Three good OST deliveries and one forged, two TOT deliveries and one body that is not UTF-8.
  for (const event of ["user_register", "kyc_submit", "kyc_status_update"]) {
    await cliExpect(0, ["trigger", "ost", event, "--to", `${origin}/ost`, "--secret", OST_SECRET]);
  }
  const forged = referenceOstWebhook({ id: "9", name: "kyc_status_update", created_at: "1" }, { url: `${origin}/ost`, secret: "forger", timestamp: Math.floor(Date.now() / 1000) });
  assert.equal((await fetch(`${origin}/ost`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: forged.body })).status, 401);
  for (const event of ["verification.isSubmitted", "verification.isCleared"]) {
    await cliExpect(0, ["trigger", "tot", event, "--to", `${origin}/tot`, "--secret", TOT_SECRET]);
  }
  const binary = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0xff, 0x22, 0x7d]); // {"a":"\xe9\xff"}
  const answer = await fetch(`${origin}/tot`, { method: "POST", headers: { authorization: hmacSha1Base64(TOT_SECRET, binary), "x-extra": "kept" }, body: binary });
  assert.equal(answer.status, 400);
});
after(() => recorder?.close());

test("record: one JSON line per request that reached verification, exact bodies", () => {
  const ost = lines(OST_FILE);
  assert.equal(ost.length, 4);
  for (const [i, r] of ost.entries()) {
    assert.deepEqual(Object.keys(r).sort(), ["body", "bodyEncoding", "headers", "method", "provider", "receivedAt", "url"]);
    assert.deepEqual([r.provider, r.method, r.url, r.bodyEncoding], ["ost", "POST", `${recorder.origin}/ost`, "text"]);
    assert.equal(r.headers["content-type"], "application/x-www-form-urlencoded");
    const at = Date.parse(r.receivedAt);
    assert.ok(at >= started - 1000 && at <= Date.now(), r.receivedAt);
    const check = referenceVerifyOst(r.body, { url: r.url, secret: OST_SECRET });
    assert.equal(check.valid, i < 3, `line ${i + 1}`);
  }
  const tot = lines(TOT_FILE);
  assert.equal(tot.length, 3);
  assert.equal(tot[0].headers.authorization, hmacSha1Base64(TOT_SECRET, tot[0].body));
  assert.equal(tot[2].bodyEncoding, "base64");
  assert.deepEqual([...Buffer.from(tot[2].body, "base64")], [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0xff, 0x22, 0x7d]);
  assert.equal(tot[2].headers["x-extra"], "kept");
});

test("replay offline: each delivery judged at its receivedAt; the forged one fails (exit 1)", async () => {
  const r = await cliExpect(1, ["replay", OST_FILE, "--secret", OST_SECRET]);
  assert.match(r.stdout, /^line 1: verified: OST user_register #\d+ /m);
  assert.match(r.stdout, /^line 3: verified: OST kyc_status_update #\d+ /m);
  assert.match(r.stdout, /^line 4: not verified: INVALID_SIGNATURE: /m);
  assert.match(r.stdout, /FAILED: 1 of 4 not verified\n$/);
  const j = JSON.parse((await cliExpect(1, ["replay", OST_FILE, "--secret", OST_SECRET, "--json"])).stdout);
  assert.deepEqual(j.deliveries.map((d) => d.ok), [true, true, true, false]);
  assert.deepEqual(j.deliveries.slice(0, 3).map((d) => d.event.name), ["user_register", "kyc_submit", "kyc_status_update"]);

  const good = path.join(dir, "ost-good.jsonl");
  writeFileSync(good, readFileSync(OST_FILE, "utf8").split("\n").slice(0, 3).join("\n") + "\n");
  const ok = await cliExpect(0, ["replay", good, "--secret", OST_SECRET]);
  assert.match(ok.stdout, /ok: 3 of 3 verified\n$/);
  await cliExpect(0, ["replay", good, "--secret", "rotated-new", "--secret", OST_SECRET]);
  await cliExpect(1, ["replay", good, "--secret", "wrong-secret"]);
  await cliExpect(1, ["replay", good, "--secret", OST_SECRET, "--url", "https://example.com/elsewhere"]);
  const later = await cliExpect(1, ["replay", good, "--secret", OST_SECRET, "--now", String(Math.floor(Date.now() / 1000) + 1000)]);
  assert.match(later.stdout, /TIMESTAMP_OUT_OF_TOLERANCE/);
  await cliExpect(0, ["replay", good, "--secret", OST_SECRET, "--now", String(Math.floor(Date.now() / 1000) + 1000), "--tolerance", "2000"]);
  await cliExpect(0, ["replay", good, "--secret", OST_SECRET, "--now", "received"]);

  const tot = await cliExpect(1, ["replay", TOT_FILE, "--secret", TOT_SECRET, "--json"]);
  const t = JSON.parse(tot.stdout);
  assert.deepEqual(t.deliveries.map((d) => d.ok), [true, true, false]);
  assert.equal(t.deliveries[1].event.status, "cleared");
  assert.equal(t.deliveries[2].error.code, "MALFORMED_BODY");
});

test("replay --to: the recorded requests again, byte for byte, to a handler and to a node:crypto endpoint", async () => {
  const ref = await referenceEndpoint({ ostSecret: OST_SECRET, totSecret: TOT_SECRET, answer: () => 200 });
  try {
    await cliExpect(0, ["replay", TOT_FILE, "--to", `${ref.origin}/tot`]);
    const recorded = lines(TOT_FILE);
    assert.equal(ref.requests.length, 3);
    for (const [i, r] of recorded.entries()) {
      const sent = ref.requests[i];
      assert.deepEqual(sent.bytes, Buffer.from(r.body, r.bodyEncoding === "base64" ? "base64" : "utf8"), `line ${i + 1}`);
      assert.equal(sent.headers.authorization, r.headers.authorization);
    }
    assert.equal(ref.requests[2].headers["x-extra"], "kept");
    assert.deepEqual([ref.requests[0].valid, ref.requests[1].valid, ref.requests[2].valid], [true, true, true]);
  } finally {
    await ref.close();
  }
  // A second handler (its own store) with the same registered URL: the OST deliveries verify again (recent
  // timestamps); the forged one does not.
  const { webhookHandler } = await installed();
  const second = [];
  const h = webhookHandler({ provider: "ost", secret: OST_SECRET, url: `${recorder.origin}/ost`, onEvent: (e) => second.push(e), logger: quiet });
  const server = await listen(h);
  const origin = server.origin;
  try {
    const r = await cliExpect(1, ["replay", OST_FILE, "--to", `${origin}/ost`, "--json"]);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.deliveries.map((d) => d.status), [200, 200, 200, 401]);
    assert.deepEqual(second.map((e) => e.name), ["user_register", "kyc_submit", "kyc_status_update"]);
    assert.deepEqual(second.map((e) => e.id), got.filter((e) => e.provider === "ost").map((e) => e.id));
    // Replayed once more: the handler recognises the same deliveries.
    const again = JSON.parse((await cliExpect(1, ["replay", OST_FILE, "--to", `${origin}/ost`, "--json"])).stdout);
    assert.deepEqual(again.deliveries.slice(0, 3).map((d) => d.answer), [{ ok: true, duplicate: true }, { ok: true, duplicate: true }, { ok: true, duplicate: true }]);
  } finally {
    await server.close();
  }
});

test("record as a function; bad record options are refused when the handler is built", async () => {
  const { webhookHandler, webhookFetchHandler } = await installed();
  const records = [];
  const h = webhookFetchHandler({ provider: "tot", secret: "k", record: (r) => records.push(r), logger: quiet });
  // Stamped now: the handler refuses a signed timestamp outside its 300 s window.
  const body = JSON.stringify({ name: "verification.isCleared", eventId: "e9", app_user_id: "u9", timestamp: new Date().toUTCString() });
  const res = await h(new Request("http://h.test/tot?x=1", { method: "POST", headers: { authorization: hmacSha1Base64("k", body), "content-type": "application/json" }, body }));
  assert.equal(res.status, 200);
  assert.equal(records.length, 1);
  assert.deepEqual({ ...records[0], receivedAt: "-" }, {
    provider: "tot", method: "POST", url: "http://h.test/tot?x=1",
    headers: { authorization: hmacSha1Base64("k", body), "content-type": "application/json" },
    body, bodyEncoding: "text", receivedAt: "-",
  });
  // A throwing recorder is logged and the delivery goes on.
  const errors = [];
  const h2 = webhookFetchHandler({ provider: "tot", secret: "k", record: () => { throw new Error("disk full"); }, logger: { warn() {}, error: (m) => errors.push(m) } });
  assert.equal((await h2(new Request("http://h.test/", { method: "POST", headers: { authorization: hmacSha1Base64("k", body) }, body }))).status, 200);
  assert.match(errors.join("\n"), /options\.record failed/);
  for (const bad of [42, {}, ""]) {
    assert.throws(() => webhookHandler({ provider: "ost", record: bad }), (e) => e.code === "INVALID_ARGUMENT" && /options\.record/.test(e.message));
  }
});

test("replay: a malformed file is a usage error (exit 2) naming the line", async () => {
  const bad = path.join(dir, "bad.jsonl");
  writeFileSync(bad, `${readFileSync(OST_FILE, "utf8").split("\n")[0]}\n{not json\n`);
  const r = await cliExpect(2, ["replay", bad, "--secret", OST_SECRET]);
  assert.match(r.stderr, /bad\.jsonl:2: not JSON/);
  writeFileSync(bad, '{"body": 5}\n');
  assert.match((await cliExpect(2, ["replay", bad, "--secret", "s"])).stderr, /bad\.jsonl:1: "body" must be a string/);
  writeFileSync(bad, '{"body": "x"}\n');
  assert.match((await cliExpect(2, ["replay", bad, "--secret", "s"])).stderr, /give --provider ost\|tot/);
  // --provider supplies it: a hand-written line with a signed TOT body.
  writeFileSync(bad, JSON.stringify({ body: "{}", headers: { Authorization: hmacSha1Base64("s", "{}") } }) + "\n");
  await cliExpect(0, ["replay", bad, "--secret", "s", "--provider", "tot"]);
  writeFileSync(bad, "\n");
  assert.match((await cliExpect(2, ["replay", bad, "--secret", "s"])).stderr, /holds no deliveries/);
});
