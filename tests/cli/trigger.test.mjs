// `kyc-wasm trigger`, in fresh processes, against a real HTTP server built with the installed package's
// webhookHandler and against an endpoint written with node:crypto alone (the independent check).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { SEED_OST_EVENTS, SEED_TOT_EVENTS, cli, cliExpect, installed, listen, referenceEndpoint } from "./setup.mjs";

const OST_SECRET = "ost-webhook-secret-for-trigger";
const TOT_SECRET = "tot-webhook-secret-for-trigger";
let app; // the package's handlers
let ref; // node:crypto only
const events = [];

before(async () => {
  const { webhookHandler } = await installed();
  let origin = null;
  const quiet = { warn() {}, error() {} };
  const ost = webhookHandler({ provider: "ost", secret: OST_SECRET, url: () => `${origin}/ost`, onEvent: (e) => events.push(e), logger: quiet });
  const tot = webhookHandler({ provider: "tot", secret: TOT_SECRET, onEvent: (e) => events.push(e), logger: quiet });
  app = await listen((req, res) => (req.url === "/ost" ? ost(req, res) : tot(req, res)));
  origin = app.origin;
  ref = await referenceEndpoint({ ostSecret: OST_SECRET, totSecret: TOT_SECRET });
});
after(async () => {
  await app?.close();
  await ref?.close();
});

const take = () => events.splice(0, events.length);
const trigger = (code, provider, event, to, ...rest) =>
  cliExpect(code, ["trigger", provider, event, "--to", to, "--secret", provider === "ost" ? OST_SECRET : TOT_SECRET, ...rest]);

test("every OST event of the seed: delivered to the handler, and signed as OST signs (node:crypto check)", async () => {
  for (const name of SEED_OST_EVENTS) {
    const before = Math.floor(Date.now() / 1000);
    const r = await trigger(0, "ost", name, `${app.origin}/ost`);
    assert.match(r.stdout, new RegExp(`→ POST ${app.origin}/ost  OST ${name} #\\d+ \\(1 of 1, request_timestamp \\d+\\)\\n  ← 200 \\{"ok":true\\}  ✓ expected 2xx\\n`));
    assert.match(r.stdout, /ok: 1 of 1 answers as expected\n$/);
    const got = take();
    assert.equal(got.length, 1, name);
    assert.deepEqual([got[0].provider, got[0].name, got[0].unknown], ["ost", name, false]);

    await trigger(0, "ost", name, `${ref.origin}/ost`);
    const req = ref.requests.at(-1);
    assert.equal(req.method, "POST");
    assert.equal(req.headers["content-type"], "application/x-www-form-urlencoded");
    assert.ok(req.check.valid, `${name}: signature does not check out with node:crypto`);
    assert.ok(req.check.fresh);
    assert.equal(req.check.params.name, name);
    assert.equal(req.check.params.version, "v1");
    assert.ok(Number(req.check.params.request_timestamp) >= before);
    assert.ok(Number(req.check.params.created_at) >= before, "a fresh created_at");
    assert.match(req.check.params.id, /^\d+$/);
  }
});

test("every TOT operation and gate change, reputation.* and the test envelope: handler and node:crypto", async () => {
  for (const name of SEED_TOT_EVENTS) {
    await trigger(0, "tot", name, `${app.origin}/tot`);
    const got = take();
    assert.equal(got.length, 1, name);
    assert.equal(got[0].provider, "tot");
    if (name.startsWith("verification.")) {
      const operation = name.slice("verification.".length);
      assert.deepEqual([got[0].name, got[0].operation], [name, operation]);
      const status = { isSubmitted: "submitted", isCleared: "cleared", isRejected: "rejected", isUpdateRequested: "updateRequested" }[operation];
      assert.equal(got[0].status, status, name);
    }
    if (name.startsWith("reputation.")) assert.equal(got[0].name, name);
    if (name === "test") {
      // parseTotEvent reads the envelope: the event at content.sentWebhookBody, stamped now by the CLI.
      assert.deepEqual([got[0].name, got[0].operation], ["reputation.created", "created"]);
      assert.ok(Math.abs(got[0].timestamp - Date.now() / 1000) < 5, `timestamp ${got[0].timestamp}`);
    }

    await trigger(0, "tot", name, `${ref.origin}/tot`);
    const req = ref.requests.at(-1);
    assert.ok(req.valid, `${name}: Authorization is not the HMAC-SHA1 of the body`);
    assert.equal(req.headers["content-type"], "application/json");
    const body = JSON.parse(req.text);
    if (name === "test") {
      assert.equal(body.content.sentWebhookBody.name, "reputation.created");
      assert.equal(body.content.sentWebhookBody.testMode, true);
      assert.ok(Math.abs(Date.parse(body.content.sentWebhookBody.timestamp) - Date.now()) < 5000);
    } else {
      assert.equal(body.name, name);
      assert.ok(Math.abs(Date.parse(body.timestamp) - Date.now()) < 5000, "stamped now");
    }
  }
  // The short names of the gate changes.
  await trigger(0, "tot", "isRejected", `${app.origin}/tot`);
  assert.equal(take()[0].name, "verification.isRejected");
});

test("--repeat: OST re-signs every attempt with a fresh request_timestamp and keeps the id; duplicates acknowledged", async () => {
  const n0 = ref.requests.length;
  const r = await trigger(0, "ost", "kyc_status_update", `${ref.origin}/ost`, "--repeat", "3", "--interval", "1100");
  const sent = ref.requests.slice(n0);
  assert.equal(sent.length, 3);
  assert.ok(sent.every((s) => s.check.valid && s.check.fresh));
  const ids = new Set(sent.map((s) => s.check.params.id));
  assert.equal(ids.size, 1, "same webhook id on every attempt");
  const ts = sent.map((s) => Number(s.check.params.request_timestamp));
  assert.ok(ts[0] < ts[1] && ts[1] < ts[2], `request_timestamp not fresh per attempt: ${ts}`);
  assert.equal(new Set(sent.map((s) => s.check.signature)).size, 3);
  assert.match(r.stdout, /ok: 3 of 3 answers as expected/);

  const j = JSON.parse((await trigger(0, "ost", "kyc_submit", `${app.origin}/ost`, "--repeat", "3", "--json")).stdout);
  assert.equal(j.ok, true);
  assert.deepEqual(j.deliveries.map((d) => [d.status, d.answer]), [
    [200, { ok: true }],
    [200, { ok: true, duplicate: true }],
    [200, { ok: true, duplicate: true }],
  ]);
  assert.equal(take().length, 1, "onEvent once");

  const t = JSON.parse((await trigger(0, "tot", "verification.isSubmitted", `${app.origin}/tot`, "--repeat", "2", "--json")).stdout);
  assert.deepEqual(t.deliveries.map((d) => d.answer), [{ ok: true }, { ok: true, duplicate: true }]);
  assert.equal(take().length, 1);
});

test("--id fixes the event id across invocations (the handler then answers duplicate)", async () => {
  await trigger(0, "ost", "user_register", `${app.origin}/ost`, "--id", "424242");
  const again = JSON.parse((await trigger(0, "ost", "user_register", `${app.origin}/ost`, "--id", "424242", "--json")).stdout);
  assert.deepEqual(again.deliveries[0].answer, { ok: true, duplicate: true });
  const got = take();
  assert.equal(got.length, 1);
  assert.equal(got[0].id, 424242);
});

test("--tamper: refused by the handler (exit 0: as expected), really invalid for node:crypto, and exit 1 when accepted", async () => {
  for (const [provider, event] of [["ost", "kyc_submit"], ["ost", "user_register"], ["tot", "verification.isRejected"], ["tot", "test"], ["tot", "reputation.updated"]]) {
    const path = `/${provider}`;
    const j = JSON.parse((await trigger(0, provider, event, `${app.origin}${path}`, "--tamper", "--json")).stdout);
    assert.deepEqual([j.deliveries[0].status, j.deliveries[0].answer.error.code, j.deliveries[0].expected], [401, "INVALID_SIGNATURE", "4xx"]);
    await trigger(0, provider, event, `${ref.origin}${path}`, "--tamper");
    const req = ref.requests.at(-1);
    assert.equal(provider === "ost" ? req.check.valid : req.valid, false, `${provider} ${event}: the tampered body still verifies`);
  }
  assert.equal(take().length, 0, "no tampered event reached onEvent");
  // The tampering changes what matters: an OST KYC verdict, a TOT gate.
  const lastOst = ref.requests.filter((r) => r.path === "/ost").at(-1);
  assert.equal(lastOst.check.params.data.user.email, "attacker@example.com");
  const lax = await referenceEndpoint({ ostSecret: OST_SECRET, totSecret: TOT_SECRET, answer: () => 200 });
  try {
    const r = await trigger(1, "tot", "verification.isRejected", `${lax.origin}/tot`, "--tamper");
    assert.match(r.stdout, /✗ expected 4xx/);
    assert.match(r.stdout, /FAILED: 1 of 1 answers not as expected/);
    assert.equal(JSON.parse(lax.requests[0].text).gates.isCleared, "fullMatch");
  } finally {
    await lax.close();
  }
});

test("--stale: OST an hour-old request_timestamp is refused; TOT an out-of-order delivery is acknowledged, not delivered", async () => {
  const now = Math.floor(Date.now() / 1000);
  const j = JSON.parse((await trigger(0, "ost", "kyc_status_update", `${app.origin}/ost`, "--stale", "--json")).stdout);
  assert.deepEqual([j.deliveries[0].status, j.deliveries[0].answer.error.code], [401, "TIMESTAMP_OUT_OF_TOLERANCE"]);
  await trigger(0, "ost", "kyc_status_update", `${ref.origin}/ost`, "--stale");
  const req = ref.requests.at(-1);
  assert.equal(req.check.valid, true, "signed correctly, only old");
  assert.ok(Math.abs(now - 3600 - Number(req.check.params.request_timestamp)) <= 5);

  const t = JSON.parse((await trigger(0, "tot", "verification.isCleared", `${app.origin}/tot`, "--stale", "--json")).stdout);
  assert.deepEqual(t.deliveries.map((d) => d.answer), [{ ok: true }, { ok: true, stale: true }]);
  assert.equal(take().length, 1, "only the newer event reaches onEvent");
  const n0 = ref.requests.length;
  await trigger(0, "tot", "verification.isCleared", `${ref.origin}/tot`, "--stale");
  const [newer, older] = ref.requests.slice(n0).map((r) => JSON.parse(r.text));
  assert.equal(newer.app_user_id, older.app_user_id);
  assert.notEqual(newer.eventId, older.eventId);
  assert.equal((Date.parse(newer.timestamp) - Date.parse(older.timestamp)) / 1000, 60); // inside the 300 s window
});

test("a wrong secret, an endpoint that is down, and a non-2xx answer exit 1", async () => {
  const wrong = await cliExpect(1, ["trigger", "ost", "kyc_submit", "--to", `${app.origin}/ost`, "--secret", "not-the-secret"]);
  assert.match(wrong.stdout, /← 401 .*INVALID_SIGNATURE.*✗ expected 2xx/);
  const closed = await listen((req, res) => res.end());
  const deadOrigin = closed.origin;
  await closed.close();
  const down = await cliExpect(1, ["trigger", "tot", "test", "--to", `${deadOrigin}/tot`, "--secret", "s", "--json"]);
  const j = JSON.parse(down.stdout);
  assert.deepEqual([j.ok, j.deliveries[0].status], [false, 0]);
  assert.match(j.deliveries[0].error, /ECONNREFUSED/);
  const failing = await referenceEndpoint({ ostSecret: OST_SECRET, totSecret: TOT_SECRET, answer: () => 500 });
  try {
    await trigger(1, "ost", "user_deleted", `${failing.origin}/ost`);
  } finally {
    await failing.close();
  }
  assert.equal(take().length, 0);
});

test("--url: OST signs the registered URL while sending elsewhere", async () => {
  const registered = "https://example.com/webhooks/ost";
  const { webhookHandler } = await installed();
  const got = [];
  const h = webhookHandler({ provider: "ost", secret: OST_SECRET, url: registered, onEvent: (e) => got.push(e) });
  const server = await listen(h);
  try {
    await cliExpect(0, ["trigger", "ost", "kyc_reopen", "--to", `${server.origin}/local`, "--url", registered, "--secret", OST_SECRET]);
    await cliExpect(1, ["trigger", "ost", "kyc_reopen", "--to", `${server.origin}/local`, "--secret", OST_SECRET]);
    assert.equal(got.length, 1);
  } finally {
    await server.close();
  }
});
