// `import { fixtures } from "kyc-wasm/testing"` in a project that installed the tarball: resolved through the
// package's exports map, in a fresh process; the signed Requests checked with node:crypto and by the package's
// own handler; the types checked with tsc (node16 resolution).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

import { NODE, ROOT, SCRATCH, SEED_OST_EVENTS, SEED_TOT_EVENTS } from "./setup.mjs";

const CHECK = `
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { webhookFetchHandler } from "kyc-wasm";
import { fixtures, signedOstRequest, signedTotRequest } from "kyc-wasm/testing";

const [ostNames, totNames, railsToQueryUrl] = JSON.parse(process.argv[2]);
const { railsToQuery } = await import(railsToQueryUrl);
assert.deepEqual([...fixtures.ostEventNames], ostNames);
assert.deepEqual([...fixtures.totEventNames], totNames);
assert.deepEqual(Object.keys(fixtures.ost), ostNames);
assert.ok(Object.isFrozen(fixtures.ost.user_register.data));
assert.equal(fixtures.signedOstRequest, signedOstRequest);
assert.equal(fixtures.tot.test.content.sentWebhookBody.name, "reputation.created");
// The seed's documented example values.
assert.equal(fixtures.ost.user_register.data.user.email, "yogesh+13233@ost.com");
assert.equal(fixtures.tot["verification.isRejected"].gates.isRejected, "fullMatch");

const url = "https://example.com/webhooks/ost";
const quiet = { warn() {}, error() {} };
const seen = [];
const ost = webhookFetchHandler({ provider: "ost", secret: "s", url, onEvent: (e) => seen.push(e), logger: quiet });
for (const name of ostNames) {
  const req = signedOstRequest(name, { url, secret: "s", overrides: { id: String(1000 + seen.length) } });
  assert.ok(req instanceof Request);
  assert.equal(req.method, "POST");
  assert.equal(req.url, url);
  assert.equal(req.headers.get("content-type"), "application/x-www-form-urlencoded");
  const body = await req.clone().text();
  const pairs = new URLSearchParams(body);
  const signature = pairs.get("signature");
  // node:crypto over the documented string to sign: the body's own canonical order, signature left out.
  const unsigned = body.split("&").filter((c) => !c.startsWith("signature=")).join("&");
  assert.equal(createHmac("sha256", "s").update(url + "?" + unsigned).digest("hex"), signature, name);
  const res = await ost(req);
  assert.equal(res.status, 200, name + " " + (await res.clone().text()));
}
assert.deepEqual(seen.map((e) => e.name), ostNames);
// Overrides, an old timestamp, tampering, another address.
const custom = signedOstRequest("kyc_status_update", { url, secret: "s", overrides: { id: "77", created_at: String(Math.floor(Date.now() / 1000)), data: { user_kyc: { kyc_status: "denied" } } }, to: "http://127.0.0.1:9/x" });
assert.equal(custom.url, "http://127.0.0.1:9/x");
assert.equal(new URLSearchParams(await custom.clone().text()).get("data[user_kyc][kyc_status]"), "denied");
assert.deepEqual(await (await ost(custom)).json(), { ok: true }); // newer than the fixture's kyc_status_update: not stale
assert.equal(seen.at(-1).data.user_kyc.kyc_status, "denied");
assert.equal(seen.at(-1).data.user_kyc.user_id, 11493, "the other fields are kept");
const old = signedOstRequest("user_register", { url, secret: "s", timestamp: Math.floor(Date.now() / 1000) - 1000, overrides: { id: "78" } });
assert.equal((await (await ost(old)).json()).error.code, "TIMESTAMP_OUT_OF_TOLERANCE");
const tampered = signedOstRequest("kyc_submit", { url, secret: "s", tamper: true, overrides: { id: "79" } });
assert.equal((await ost(tampered)).status, 401);
assert.throws(() => signedOstRequest("nope", { url, secret: "s" }), /unknown OST fixture event "nope"/);
assert.throws(() => signedOstRequest("user_register", { secret: "s" }), /options.url/);

const tot = webhookFetchHandler({ provider: "tot", secret: "t", onEvent: (e) => seen.push(e), logger: quiet });
for (const name of totNames) {
  const req = signedTotRequest(name, { secret: "t" });
  const bytes = Buffer.from(await req.clone().arrayBuffer());
  assert.equal(req.headers.get("authorization"), createHmac("sha1", "t").update(bytes).digest("base64"), name);
  assert.equal(req.headers.get("content-type"), "application/json");
  const sent = JSON.parse(bytes);
  if ("timestamp" in fixtures.tot[name]) {
    // Stamped when built (RFC 1123), as Token of Trust stamps a delivery; everything else is the fixture.
    assert.ok(Math.abs(Date.parse(sent.timestamp) / 1000 - Date.now() / 1000) < 60, name + " " + sent.timestamp);
    assert.match(sent.timestamp, / GMT$/);
  }
  assert.deepEqual("timestamp" in sent ? { ...sent, timestamp: fixtures.tot[name].timestamp } : sent, fixtures.tot[name]);
  assert.equal((await tot(req)).status, 200, name);
}
const stale = signedTotRequest("verification.isRejected", { secret: "t", timestamp: Math.floor(Date.now() / 1000) - 1000 });
assert.equal((await (await tot(stale)).json()).error.code, "TIMESTAMP_OUT_OF_TOLERANCE");
const exact = signedTotRequest("test", { secret: "t", body: '{"x": 1}', url: "http://h.test/hook" });
assert.equal(await exact.clone().text(), '{"x": 1}');
assert.equal(exact.url, "http://h.test/hook");
assert.equal((await tot(signedTotRequest("verification.isCleared", { secret: "t", tamper: true }))).status, 401);
assert.equal((await tot(signedTotRequest("verification.isCleared", { secret: "other" }))).status, 401);
console.log("testing: ok");
`;

const TYPES = `
import { fixtures, signedOstRequest, signedTotRequest, type OstFixtureName } from "kyc-wasm/testing";
const name: OstFixtureName = "kyc_submit";
const a: Request = signedOstRequest(name, { url: "https://x.test/", secret: "s", timestamp: 1, tamper: true, overrides: { data: { user_kyc: { kyc_status: "denied" } } } });
const b: Request = fixtures.signedTotRequest("verification.isCleared", { secret: "s" });
const c: Request = signedTotRequest({ any: "body" }, { secret: "s", url: "http://h.test/" });
// @ts-expect-error: an OST request needs the URL it signs
signedOstRequest("kyc_submit", { secret: "s" });
// @ts-expect-error: not a fixture name
const wrong: OstFixtureName = "kyc_approved";
export { a, b, c, wrong };
`;

test('import { fixtures } from "kyc-wasm/testing": every seed event, Requests node:crypto and the handler accept', () => {
  const file = path.join(SCRATCH, "testing-check.mjs");
  writeFileSync(file, CHECK);
  const helpers = new URL("../js/helpers.mjs", import.meta.url).href;
  const r = spawnSync(NODE, [file, JSON.stringify([SEED_OST_EVENTS, SEED_TOT_EVENTS, helpers])], { cwd: SCRATCH, encoding: "utf8", timeout: 60000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.equal(r.stdout, "testing: ok\n");
});

test("kyc-wasm/testing types (tsc, moduleResolution node16)", () => {
  writeFileSync(path.join(SCRATCH, "testing-types.mts"), TYPES);
  writeFileSync(path.join(SCRATCH, "tsconfig.json"), JSON.stringify({
    compilerOptions: { module: "node16", moduleResolution: "node16", target: "es2022", strict: true, noEmit: true, lib: ["es2022", "dom"], types: [] },
    files: ["testing-types.mts"],
  }));
  const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", SCRATCH], { cwd: SCRATCH, encoding: "utf8", timeout: 120000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
});
