// `kyc-wasm sign` / `verify` (and the help and usage errors of every command), in fresh processes, against
// answers computed with node:crypto and the reference to_query (tests/js/helpers.mjs), and the seed's example.

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

import { SEED_OST, hmacSha1Base64, hmacSha256Hex, railsToQuery, randParams, referenceOstWebhook, rng, seedOstParams, testSeed } from "../js/helpers.mjs";
import { SCRATCH, cli, cliExpect } from "./setup.mjs";

const dir = mkdtempSync(path.join(tmpdir(), "kyc-cli-"));
const file = (name, content) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
const seedEvent = () => {
  const { request_timestamp: _t, ...p } = seedOstParams();
  return p;
};
const SEED_STRING_TO_SIGN =
  "https://webhook.ost.com/test/?created_at=1541144915&data%5Bresult_type%5D=user&data%5Buser%5D%5Bcreated_at%5D=1541144915" +
  "&data%5Buser%5D%5Bemail%5D=yogesh%2B13233%40ost.com&data%5Buser%5D%5Bid%5D=11493&data%5Buser%5D%5Bproperties%5D%5B%5D=doptin_mail_sent" +
  "&description=User+has+signed+up&id=236&name=user_register&request_timestamp=1542185198&source=web&type=user&version=v1";

test("--help on every command, and the top-level help", async () => {
  for (const command of ["sign", "verify", "trigger", "replay", "sandbox"]) {
    for (const flag of ["--help", "-h"]) {
      const r = await cliExpect(0, [command, flag]);
      assert.match(r.stdout, new RegExp(`^Usage: kyc-wasm ${command} `));
      assert.match(r.stdout, /--json/);
      assert.match(r.stdout, /Exit codes: 0 ok, 1 verification failed.*2 usage error/);
    }
    const viaHelp = await cliExpect(0, ["help", command]);
    assert.match(viaHelp.stdout, new RegExp(`^Usage: kyc-wasm ${command} `));
  }
  const top = await cliExpect(0, ["--help"]);
  for (const command of ["sign", "verify", "trigger", "replay", "sandbox"]) assert.match(top.stdout, new RegExp(`\\n  ${command} `));
  const bare = await cliExpect(2, []);
  assert.match(bare.stderr, /Usage: kyc-wasm <command>/);
  const version = await cliExpect(0, ["--version"]);
  assert.match(version.stdout, /^\d+\.\d+\.\d+/);
});

test("npx kyc-wasm runs the installed bin", () => {
  const r = spawnSync("npx", ["--no-install", "kyc-wasm", "sign", "--help"], { cwd: SCRATCH, encoding: "utf8", timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Usage: kyc-wasm sign /);
});

test("usage errors exit 2 with a message on stderr (and JSON on stdout with --json)", async () => {
  const body = file("usage.json", JSON.stringify(seedEvent()));
  const cases = [
    [["bogus"], /unknown command "bogus"/],
    [["sign", "ost", body, "--secret", "s"], /--url URL is required/],
    [["sign", body, "--secret", "s", "--url", "https://x.test/"], /which provider/],
    [["sign", "ost", body, "--url", "https://x.test/"], /--secret .* is required/],
    [["sign", "ost", body, "--url", "https://x.test/", "--secret", "s", "--bogus"], /unknown option --bogus/],
    [["sign", "ost", path.join(dir, "missing.json"), "--url", "https://x.test/", "--secret", "s"], /cannot read .*missing\.json: ENOENT/],
    [["sign", "tot", body, "--secret", "a", "--secret", "b"], /give one secret/],
    [["sign", "ost", body, "--url", "https://x.test/", "--secret-env", "KYC_CLI_TEST_UNSET"], /KYC_CLI_TEST_UNSET is unset/],
    [["verify", "tot", body, "--secret", "s"], /--authorization SIG is required/],
    [["verify", "ost", body, "--secret", "s", "--url", "https://x.test/", "--now", "yesterday-ish"], /--now must be Unix seconds or an ISO 8601 date/],
    [["trigger", "ost", "no_such_event", "--to", "http://127.0.0.1:9/", "--secret", "s"], /unknown ost event "no_such_event"; one of: user_register/],
    [["trigger", "ost", "user_register", "--secret", "s"], /--to URL is required/],
    [["trigger", "tot", "test", "--to", "http://127.0.0.1:9/", "--secret", "s", "--repeat", "x"], /--repeat must be a whole number/],
    [["trigger", "tot", "test", "--to", "http://127.0.0.1:9/", "--secret", "s", "--repeat", "0"], /--repeat must be at least 1/],
    [["replay", "--secret", "s"], /which file/],
    [["replay", body, "--secret", "s", "--to", "http://127.0.0.1:9/"], /one of them/],
  ];
  for (const [args, message] of cases) {
    const r = await cliExpect(2, args);
    assert.match(r.stderr, message, `kyc-wasm ${args.join(" ")}`);
    assert.equal(r.stdout, "");
    const j = await cliExpect(2, [...args, "--json"]);
    const parsed = JSON.parse(j.stdout);
    assert.equal(parsed.ok, false);
    assert.equal(parsed.error.code, "USAGE");
    assert.match(parsed.error.message, message);
  }
});

test("sign ost: the seed's example, byte for byte (body, signature, string to sign)", async () => {
  const body = file("seed.json", JSON.stringify(seedEvent()));
  const args = ["sign", "ost", body, "--url", SEED_OST.url, "--secret", SEED_OST.secret, "--timestamp", String(SEED_OST.timestamp)];
  const r = await cliExpect(0, args);
  assert.equal(r.stdout, SEED_OST.body); // no newline added when stdout is not a terminal
  const j = JSON.parse((await cliExpect(0, [...args, "--json"])).stdout);
  assert.equal(j.signature, SEED_OST.signature);
  assert.equal(j.stringToSign, SEED_STRING_TO_SIGN);
  assert.equal(j.body, SEED_OST.body);
  const explained = await cliExpect(0, [...args, "--explain"]);
  assert.match(explained.stdout, new RegExp(`string to sign +${SEED_STRING_TO_SIGN.replace(/[?+.]/g, "\\$&")}\n`));
  assert.match(explained.stdout, new RegExp(`signature +${SEED_OST.signature}\n`));
  // The form body itself as input (stdin): its old signature and timestamp are replaced.
  const again = await cliExpect(0, ["sign", "--provider", "ost", "--url", SEED_OST.url, "--secret", SEED_OST.secret, "--timestamp", "1542185198"], { input: SEED_OST.body });
  assert.equal(again.stdout, SEED_OST.body);
  // An ISO date as the timestamp.
  const iso = await cliExpect(0, [...args.slice(0, -1), new Date(SEED_OST.timestamp * 1000).toISOString()]);
  assert.equal(iso.stdout, SEED_OST.body);
});

test("sign ost: random events equal node:crypto over the reference to_query", async () => {
  const seed = testSeed();
  const r = rng(seed);
  for (let i = 0; i < 6; i++) {
    const params = randParams(r, 2, { rackSafe: true, reserved: ["signature", "request_timestamp"] });
    params.name = "kyc_status_update";
    const url = r.pick(["https://example.com/webhooks/ost", "http://localhost:3000/hook?x=1#frag", "https://h.test/ä/"]);
    const secret = `sec-${r.int(1e9)}`;
    const timestamp = 1700000000 + r.int(1e8);
    const expected = referenceOstWebhook(params, { url, secret, timestamp });
    const viaFile = await cliExpect(0, ["sign", "ost", file(`rand${i}.json`, JSON.stringify(params)), "--url", url, "--secret", secret, "--timestamp", String(timestamp), "--json"]);
    const j = JSON.parse(viaFile.stdout);
    assert.equal(j.body, expected.body, `seed ${seed} case ${i}`);
    assert.equal(j.signature, expected.signature, `seed ${seed} case ${i}`);
    assert.equal(j.stringToSign, expected.stringToSign, `seed ${seed} case ${i}`);
    const viaStdin = await cliExpect(0, ["sign", "ost", "-", "--url", url, "--secret-env", "KYC_CLI_SECRET", "--timestamp", String(timestamp)], {
      input: JSON.stringify(params),
      env: { KYC_CLI_SECRET: secret },
    });
    assert.equal(viaStdin.stdout, expected.body, `seed ${seed} case ${i} (stdin)`);
  }
});

test("sign ost without --timestamp uses the clock", async () => {
  const before = Math.floor(Date.now() / 1000);
  const j = JSON.parse((await cliExpect(0, ["sign", "ost", "--url", "https://x.test/h", "--secret", "s", "--json"], { input: JSON.stringify(seedEvent()) })).stdout);
  const after = Math.floor(Date.now() / 1000);
  assert.ok(j.timestamp >= before && j.timestamp <= after, `${j.timestamp} not in [${before}, ${after}]`);
  assert.equal(j.signature, hmacSha256Hex("s", `https://x.test/h?${railsToQuery({ ...seedEvent(), request_timestamp: String(j.timestamp) })}`));
});

test("sign tot: base64 HMAC-SHA1 of the exact bytes (binary, trailing newline), from a file and stdin", async () => {
  const r = rng(testSeed());
  const bodies = [
    Buffer.from('{"operation":"isCleared"}\n'),
    Buffer.from(r.bytes(300)),
    Buffer.from(JSON.stringify({ name: "verification.isRejected", note: "naïve – 😀" })),
  ];
  for (const [i, bytes] of bodies.entries()) {
    const expected = hmacSha1Base64("tot-secret", bytes);
    const a = await cliExpect(0, ["sign", "tot", file(`tot${i}.bin`, bytes), "--secret", "tot-secret"]);
    assert.equal(a.stdout, expected);
    const b = await cliExpect(0, ["sign", "tot", "--secret", "tot-secret", "--json"], { input: bytes });
    assert.deepEqual(JSON.parse(b.stdout), { ok: true, provider: "tot", bytes: bytes.length, signature: expected });
  }
});

test("verify ost: exit 0 with the typed event, 1 for tampering, a stale timestamp or a wrong secret", async () => {
  const url = "https://example.com/webhooks/ost";
  const now = 1765000000;
  const signed = referenceOstWebhook(seedEvent(), { url, secret: "right", timestamp: now - 10 });
  const good = file("good.txt", signed.body);
  const base = ["verify", "ost", good, "--url", url, "--now", String(now)];
  const ok = await cliExpect(0, [...base, "--secret", "right"]);
  assert.equal(ok.stdout, "verified: OST user_register #236 (type user, source web, created 2018-11-02T07:48:35Z)\n");
  const j = JSON.parse((await cliExpect(0, [...base, "--secret", "right", "--json"])).stdout);
  assert.equal(j.ok, true);
  assert.equal(j.event.provider, "ost");
  assert.equal(j.event.name, "user_register");
  assert.equal(j.event.id, 236);
  assert.deepEqual(j.event.data.user.properties, ["doptin_mail_sent"]);
  // Rotation: any of several secrets.
  await cliExpect(0, [...base, "--secret", "old", "--secret", "right"]);

  const wrong = await cliExpect(1, [...base, "--secret", "wrong"]);
  assert.match(wrong.stdout, /^not verified: INVALID_SIGNATURE: /);
  const tampered = file("tampered.txt", signed.body.replace("yogesh%2B13233", "yogesh%2B13234"));
  const t = JSON.parse((await cliExpect(1, ["verify", "ost", tampered, "--url", url, "--now", String(now), "--secret", "right", "--json"])).stdout);
  assert.deepEqual([t.ok, t.error.code], [false, "INVALID_SIGNATURE"]);
  const otherUrl = await cliExpect(1, ["verify", "ost", good, "--url", "https://example.com/other", "--now", String(now), "--secret", "right"]);
  assert.match(otherUrl.stdout, /INVALID_SIGNATURE/);
  const late = await cliExpect(1, ["verify", "ost", good, "--url", url, "--now", String(now + 400), "--secret", "right"]);
  assert.match(late.stdout, /^not verified: TIMESTAMP_OUT_OF_TOLERANCE: /);
  await cliExpect(0, ["verify", "ost", good, "--url", url, "--now", String(now + 400), "--tolerance", "600", "--secret", "right"]);
  // The clock by default: a body signed an hour ago is refused.
  const old = file("old.txt", referenceOstWebhook(seedEvent(), { url, secret: "right", timestamp: Math.floor(Date.now() / 1000) - 3600 }).body);
  await cliExpect(1, ["verify", "ost", old, "--url", url, "--secret", "right"]);
  const fresh = file("fresh.txt", referenceOstWebhook(seedEvent(), { url, secret: "right", timestamp: Math.floor(Date.now() / 1000) }).body);
  await cliExpect(0, ["verify", "ost", fresh, "--url", url, "--secret", "right"]);
  // --explain shows the recomputed string to sign and both signatures.
  const ex = await cliExpect(1, [...base, "--secret", "wrong", "--explain"]);
  assert.ok(ex.stdout.includes(signed.stringToSign), ex.stdout);
  assert.ok(ex.stdout.includes(`received                ${signed.signature}`) || ex.stdout.includes(signed.signature));
  assert.ok(ex.stdout.includes(hmacSha256Hex("wrong", signed.stringToSign)));
});

test("verify tot: exit 0 for the right Authorization, 1 otherwise", async () => {
  const body = Buffer.from(JSON.stringify({ app_user_id: "u1", eventId: "e1", name: "verification.isCleared", operation: "isCleared",
    gates: { isCleared: "fullMatch" }, timestamp: "Mon, 18 Jul 2022 13:03:54 GMT" }));
  const p = file("tot.json", body);
  const sig = hmacSha1Base64("k", body);
  const at = ["--now", "2022-07-18T13:04:30Z"]; // 36 s after the signed timestamp
  const ok = await cliExpect(0, ["verify", "tot", p, "--secret", "k", "--authorization", sig, ...at]);
  assert.match(ok.stdout, /^verified: Token of Trust verification\.isCleared e1 \(status cleared, user u1, at 2022-07-18T13:03:54Z\)\n$/);
  const j = JSON.parse((await cliExpect(0, ["verify", "--provider", "tot", "--secret", "k", "--authorization", sig, "--json", ...at], { input: body })).stdout);
  assert.deepEqual([j.event.provider, j.event.status, j.event.appUserId], ["tot", "cleared", "u1"]);
  const bad = await cliExpect(1, ["verify", "tot", p, "--secret", "other", "--authorization", sig, ...at]);
  assert.match(bad.stdout, /^not verified: INVALID_SIGNATURE/);
  const changed = Buffer.from(body.toString().replace("u1", "u2"));
  await cliExpect(1, ["verify", "tot", file("tot2.json", changed), "--secret", "k", "--authorization", sig, ...at]);
  // sign then verify, through the CLI both ways.
  const signed = await cliExpect(0, ["sign", "tot", p, "--secret", "k2"]);
  await cliExpect(0, ["verify", "tot", p, "--secret", "k2", "--authorization", signed.stdout, ...at]);
  // The signed timestamp is judged against the clock by default: a 2022 delivery is a replay today.
  const old = await cliExpect(1, ["verify", "tot", p, "--secret", "k", "--authorization", sig]);
  assert.match(old.stdout, /^not verified: TIMESTAMP_OUT_OF_TOLERANCE/);
  await cliExpect(0, ["verify", "tot", p, "--secret", "k", "--authorization", sig, "--now", "2022-07-18T13:08:00Z", "--tolerance", "300"]);
  await cliExpect(1, ["verify", "tot", p, "--secret", "k", "--authorization", sig, "--now", "2022-07-18T13:09:00Z", "--tolerance", "300"]);
});

test("a failure message never contains the secret", async () => {
  const secret = "very-secret-value-1234567890";
  const r = await cli(["verify", "tot", "--secret", secret, "--authorization", "AAAA", "--explain"], { input: "{}" });
  assert.equal(r.code, 1);
  assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
});
