// `kyc-wasm sandbox` from the installed tarball, in its own process: the user's app (here: the installed
// package's OstKycClient and webhookHandler) pointed at it with the printed URL and secrets receives verified
// OST and Token of Trust webhooks; the signatures are also checked with node:crypto.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";

import { hmacSha1Base64 } from "../js/helpers.mjs";
import { jpeg, png } from "../upload/fixtures.mjs";
import { BIN, NODE, SCRATCH, cliExpect, installed, listen, referenceVerifyOst } from "./setup.mjs";

let app;
let sandbox; // {child, info, exited}
const events = [];
const raw = [];

/** Starts the sandbox; resolves once it printed its JSON line. */
function startSandbox(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [BIN, "sandbox", "--json", ...args], { cwd: SCRATCH, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const exited = new Promise((r) => child.on("close", (code, signal) => r({ code, signal })));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the sandbox printed nothing within 20 s: ${out} ${err}`));
    }, 20000);
    child.stderr.on("data", (c) => (err += c));
    child.stdout.on("data", (c) => {
      out += c;
      const nl = out.indexOf("\n");
      if (nl !== -1) {
        clearTimeout(timer);
        resolve({ child, info: JSON.parse(out.slice(0, nl)), exited, stderr: () => err });
      }
    });
    child.on("error", reject);
  });
}

const KYC_FIELDS = {
  first_name: "Ada", last_name: "Lovelace", birthdate: "10/12/1985", nationality: "BRITISH", country: "UNITED KINGDOM",
  document_id_number: "P1234567", ethereum_address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", estimated_participation_amount: "1.5",
  street_address: "12 St James's Square", city: "London", state: "Greater London", postal_code: "SW1Y 4JH",
};
const DOCUMENTS = { document_id: jpeg(210 * 1024), selfie: png(220 * 1024) };

/**
 * Uploads the documents as an app does: pre-signed URLs (`kind`: put or post) from the sandbox's OST API, then
 * this package's uploadFile into the sandbox's S3 store; resolves to the KYC file path fields.
 */
async function uploadDocuments(client, kind) {
  const { parseUploadTargets, uploadFile, kycFilePaths } = await installed();
  const files = { document_id: "image/jpeg", selfie: "image/png" };
  const targets = parseUploadTargets(await client.getPresignedUrls(kind, files), { files });
  const uploaded = [];
  for (const target of targets) uploaded.push(await uploadFile(target, DOCUMENTS[target.key], { allowInsecure: true }));
  return kycFilePaths(uploaded);
}

async function waitFor(predicate, what, ms = 15000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const found = events.find(predicate);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${what} within ${ms} ms; got ${JSON.stringify(events.map((e) => e.name))}\n${sandbox?.stderr()}`);
}

before(async () => {
  const { webhookHandler } = await installed();
  let origin;
  const secret = (name) => () => sandbox?.info.env[name];
  const record = (r) => raw.push(r);
  const ost = webhookHandler({ provider: "ost", secret: secret("OST_WEBHOOK_SECRET"), url: () => `${origin}/ost`, onEvent: (e) => events.push(e), record });
  const tot = webhookHandler({ provider: "tot", secret: secret("TOT_WEBHOOK_SECRET"), onEvent: (e) => events.push(e), record });
  app = await listen((req, res) => (req.url === "/ost" ? ost(req, res) : tot(req, res)));
  origin = app.origin;
  sandbox = await startSandbox(["--port", "0", "--webhook-url", `ost=${origin}/ost`, "--webhook-url", `tot=${origin}/tot`, "--step-ms", "100", "--review-ms", "200"]);
});
after(async () => {
  if (sandbox && sandbox.child.exitCode === null) sandbox.child.kill("SIGKILL");
  await app?.close();
});

test("prints the URL and fresh credentials as one JSON line", () => {
  const { info } = sandbox;
  assert.equal(info.ok, true);
  assert.match(info.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(info.env.OST_KYC_BASE_URL, info.origin);
  assert.equal(info.env.TOT_HOST, new URL(info.origin).host);
  for (const name of ["OST_API_SECRET", "OST_WEBHOOK_SECRET", "TOT_WEBHOOK_SECRET"]) assert.match(info.env[name], /^[0-9a-f]{64}$/);
  assert.deepEqual(info.webhooks, { ost: `${app.origin}/ost`, tot: `${app.origin}/tot` });
});

test("OST: OstKycClient against the sandbox; signed webhooks reach the app's handler, through the review", async () => {
  const { OstKycClient } = await installed();
  const { env } = sandbox.info;
  const client = new OstKycClient({ baseUrl: env.OST_KYC_BASE_URL, apiKey: env.OST_API_KEY, apiSecret: env.OST_API_SECRET });
  const user = await client.createUser("ada@example.com");
  const registered = await waitFor((e) => e.provider === "ost" && e.name === "user_register", "user_register");
  assert.equal(registered.data.user.email, "ada@example.com");
  assert.equal(registered.data.user.id, user.id);
  // A wrong key is refused as OST's server would.
  const forged = new OstKycClient({ baseUrl: env.OST_KYC_BASE_URL, apiKey: env.OST_API_KEY, apiSecret: "0".repeat(64) });
  await assert.rejects(forged.getUser(user.id), (e) => e.name === "KycError");

  // The e-mail endpoints answer like OST's server: HTTP 422 until the KYC is in the matching state.
  const refused = (reason) => (e) => e.name === "KycError" && e.code === "API_ERROR" && e.status === 422 && e.reason === reason;
  await assert.rejects(client.sendApproveEmail(user.id), refused("kyc_not_approved"));
  await client.submitKyc(user.id, { ...KYC_FIELDS, ...(await uploadDocuments(client, "put")) });
  await waitFor((e) => e.name === "kyc_submit", "kyc_submit");
  const approved = await waitFor((e) => e.name === "kyc_status_update" && e.data.user_kyc.kyc_status === "approved", "approval");
  assert.equal(approved.data.user_kyc.user_id, user.id);
  assert.equal(await client.sendApproveEmail(user.id, { first_name: "Ada", links: ["a b", "c"] }), true);
  await assert.rejects(client.sendDenyEmail(user.id), refused("kyc_not_denied"));
  await assert.rejects(client.sendReportIssueEmail(user.id), refused("kyc_not_reported_issue"));
  const state = await (await fetch(`${sandbox.info.origin}/__sandbox/state`)).json();
  assert.deepEqual(state.ost.emails.map(({ userId, kind, templateVars }) => ({ userId, kind, templateVars })), [
    { userId: user.id, kind: "approve", templateVars: { first_name: "Ada", links: ["a b", "c"] } },
  ]);
  // node:crypto agrees with every OST delivery the app received.
  const ost = raw.filter((r) => r.provider === "ost");
  assert.ok(ost.length >= 3);
  for (const r of ost) {
    const check = referenceVerifyOst(r.body, { url: `${app.origin}/ost`, secret: env.OST_WEBHOOK_SECRET });
    assert.ok(check.valid && check.fresh, r.body);
    assert.equal(r.headers["content-type"], "application/x-www-form-urlencoded");
  }
});

test("Token of Trust: /api/person, the continuation, and the gate-change webhooks", async () => {
  const { env, origin } = sandbox.info;
  const person = await fetch(`${origin}/api/person`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ totApiKey: env.TOT_PUBLIC_KEY, totSecretKey: env.TOT_SECRET_KEY, appDomain: "example.com", appUserid: "user-1", person: { givenName: "Ada", familyName: "Lovelace" } }),
  });
  assert.equal(person.status, 200);
  const { content } = await person.json();
  assert.equal(content.code, "WorkflowService:nextStepIsInteractive");
  const url = content.continuation.params.url;
  assert.ok(url.startsWith(`${origin}/continue/`));
  assert.equal((await fetch(url)).status, 200);
  assert.equal((await fetch(`${origin}/embed/embed.js`)).status, 200);
  const submit = await fetch(`${url}/submit`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"decision":"clear"}' });
  assert.equal(submit.status, 200);
  await waitFor((e) => e.provider === "tot" && e.name === "verification.isSubmitted", "isSubmitted");
  const cleared = await waitFor((e) => e.provider === "tot" && e.name === "verification.isCleared", "isCleared");
  assert.deepEqual([cleared.appUserId, cleared.status, cleared.appDomain], ["user-1", "cleared", "example.com"]);
  for (const r of raw.filter((x) => x.provider === "tot")) assert.equal(r.headers.authorization, hmacSha1Base64(env.TOT_WEBHOOK_SECRET, r.body));
  const wrongKeys = await fetch(`${origin}/api/person`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ totApiKey: "x", totSecretKey: "y", appUserid: "u", person: {} }) });
  assert.equal(wrongKeys.status, 401);
});

test("trigger against the same app", async () => {
  const { env } = sandbox.info;
  await cliExpect(0, ["trigger", "tot", "verification.isRejected", "--to", `${app.origin}/tot`, "--secret", env.TOT_WEBHOOK_SECRET]);
  await waitFor((e) => e.name === "verification.isRejected", "isRejected");
});

test("uploads: pre-signed PUT and POST into the sandbox's S3 store, checked at submission, read back from the KYC detail", async () => {
  const { env, origin, s3 } = sandbox.info;
  assert.deepEqual([s3.endpoint, s3.bucket, s3.region], [origin, "kyc-sandbox", "us-east-1"]);
  const { OstKycClient, parseUploadTargets, uploadFile } = await installed();
  const client = new OstKycClient({ baseUrl: origin, apiKey: env.OST_API_KEY, apiSecret: env.OST_API_SECRET });
  const user = await client.createUser("uploads@example.com");
  // A file path that names no uploaded object is refused, as before any upload.
  await assert.rejects(client.submitKyc(user.id, { ...KYC_FIELDS, document_id_file_path: "3/i/none", selfie_file_path: "3/i/none2" }),
    (e) => e.name === "KycError" && /ost_kyc_submit_files/.test(e.message));
  const posted = await uploadDocuments(client, "post");
  assert.match(posted.document_id_file_path, /^3\/i\/[0-9a-f]{32}$/);
  await client.submitKyc(user.id, { ...KYC_FIELDS, ...posted });
  const objects = (await (await fetch(`${origin}/__sandbox/state`)).json()).s3.objects;
  for (const field of ["document_id_file_path", "selfie_file_path"]) {
    assert.ok(objects.some((o) => o.key === posted[field] && o.size > 200 * 1024), `${posted[field]} in ${JSON.stringify(objects)}`);
  }
  const detail = await client.getUserKycDetail(user.id);
  for (const [field, name] of [["document_id_file", "document_id"], ["selfie_file", "selfie"]]) {
    const res = await fetch(detail[field]);
    assert.equal(res.status, 200, `${field}: ${detail[field]}`);
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), DOCUMENTS[name]);
  }
  // The POST policy binds the type and the size: a PDF under the JPEG's form, or a small file, is S3's refusal.
  const [target] = parseUploadTargets(await client.getPresignedUrls("post", { document_id: "image/jpeg" }), { files: { document_id: "image/jpeg" } });
  const small = await fetch(target.url, { method: "POST", body: (() => {
    const f = new FormData();
    for (const [k, v] of Object.entries(target.fields)) f.append(k, v);
    f.append("file", new Blob([jpeg(10 * 1024)]));
    return f;
  })() });
  assert.equal(small.status, 400);
  assert.match(await small.text(), /<Code>EntityTooSmall<\/Code>/);
  // uploadFile itself refuses it before sending (the same policy, read on the client).
  await assert.rejects(uploadFile(target, jpeg(10 * 1024), { allowInsecure: true, minBytes: 1 }), (e) => e.code === "INVALID_FILE");
});

test("SIGTERM stops it with exit 0; usage errors exit 2", async () => {
  sandbox.child.kill("SIGTERM");
  const { code } = await sandbox.exited;
  assert.equal(code, 0);
  const bad = await cliExpect(2, ["sandbox", "--webhook-url", "ftp://x.test/"]);
  assert.match(bad.stderr, /--webhook-url must be an http\(s\) URL/);
  await cliExpect(2, ["sandbox", "--webhook-url", "http://a.test/", "--webhook-url", "ost=http://b.test/"]);
  await cliExpect(2, ["sandbox", "--time-scale", "-1"]);
  const busy = await listen((req, res) => res.end());
  try {
    const r = await cliExpect(2, ["sandbox", "--port", new URL(busy.origin).port]);
    assert.match(r.stderr, /port \d+ is in use/);
  } finally {
    await busy.close();
  }
  await cliExpect(0, ["sandbox", "--help"]);
});

test("delivery as the senders do it: OST retries anything but 200 (re-signed, same id); Token of Trust sends once", async () => {
  const seen = [];
  let sb;
  const server = await listen((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const provider = req.url.slice(1);
      const n = seen.filter((s) => s.provider === provider).length;
      // OST: 204 first (a 2xx, but not the 200 OST expects), then 200. Token of Trust: always 500.
      const status = provider === "ost" ? (n === 0 ? 204 : 200) : 500;
      seen.push({ provider, body, status, at: Date.now(), headers: req.headers });
      res.writeHead(status).end();
    });
  });
  try {
    sb = await startSandbox(["--port", "0", "--webhook-url", `ost=${server.origin}/ost`, "--webhook-url", `tot=${server.origin}/tot`, "--time-scale", "0.0003", "--review-ms", "600000"]);
    const { env, origin } = sb.info;
    assert.equal(sb.info.retryBaseMs, 1080);
    const { OstKycClient } = await installed();
    await new OstKycClient({ baseUrl: origin, apiKey: env.OST_API_KEY, apiSecret: env.OST_API_SECRET }).createUser("retry@example.com");
    const person = await (await fetch(`${origin}/api/person`, { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ totApiKey: env.TOT_PUBLIC_KEY, totSecretKey: env.TOT_SECRET_KEY, appDomain: "example.com", appUserid: "u-r", person: { givenName: "A" } }) })).json();
    await fetch(`${person.content.continuation.params.url}/submit`, { method: "POST", body: "{}" });
    const end = Date.now() + 10000;
    while (seen.filter((s) => s.provider === "ost").length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 2500)); // longer than a retry of the Token of Trust delivery would take
    const ost = seen.filter((s) => s.provider === "ost");
    assert.equal(ost.length, 2, "one retry after the 204, none after the 200");
    const [a, b] = ost.map((s) => referenceVerifyOst(s.body, { url: `${server.origin}/ost`, secret: env.OST_WEBHOOK_SECRET }));
    assert.ok(a.valid && b.valid);
    assert.equal(a.params.id, b.params.id);
    assert.ok(Number(b.params.request_timestamp) > Number(a.params.request_timestamp), "re-signed with a fresh request_timestamp");
    assert.ok(ost[1].at - ost[0].at >= 1000, "waited the scaled hour");
    const tot = seen.filter((s) => s.provider === "tot");
    assert.equal(tot.length, 1, "Token of Trust: one attempt");
    assert.equal(tot[0].headers.authorization, hmacSha1Base64(env.TOT_WEBHOOK_SECRET, tot[0].body));
  } finally {
    if (sb && sb.child.exitCode === null) sb.child.kill("SIGTERM");
    await sb?.exited;
    await server.close();
  }
});

test("scenarios: deny / request an update, deliver twice, out of order (at start and by POST /__sandbox/scenario)", async () => {
  const arrivals = []; // every webhook request, in arrival order
  const { webhookHandler, OstKycClient } = await installed();
  let sb;
  const totHandler = webhookHandler({ provider: "tot", secret: () => sb?.info.env.TOT_WEBHOOK_SECRET, logger: { warn() {}, error() {} } });
  const server = await listen((req, res) => {
    if (req.url === "/tot") {
      const chunks = [];
      req.rawBody = null;
      req.on("data", (c) => chunks.push(c));
      req.on("end", async () => {
        req.rawBody = Buffer.concat(chunks);
        arrivals.push({ provider: "tot", body: JSON.parse(req.rawBody), headers: req.headers });
        await totHandler(req, res);
      });
      return;
    }
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      arrivals.push({ provider: "ost", text: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200).end();
    });
  });
  const ostArrivals = () => arrivals.filter((a) => a.provider === "ost").map((a) => ({ ...a, check: referenceVerifyOst(a.text, { url: `${server.origin}/ost`, secret: sb.info.env.OST_WEBHOOK_SECRET }) }));
  const until = async (predicate, what) => {
    const end = Date.now() + 10000;
    while (!predicate()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(arrivals.map((a) => a.body?.name ?? a.text.slice(0, 80)))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    sb = await startSandbox(["--port", "0", "--webhook-url", `ost=${server.origin}/ost`, "--webhook-url", `tot=${server.origin}/tot`,
      "--step-ms", "50", "--review-ms", "100", "--ost-decision", "deny", "--deliver-twice", "1"]);
    const { env, origin, scenario } = sb.info;
    assert.equal(scenario, `${origin}/__sandbox/scenario`);
    const client = new OstKycClient({ baseUrl: origin, apiKey: env.OST_API_KEY, apiSecret: env.OST_API_SECRET });
    const scenarioNow = async () => (await fetch(scenario)).json();
    assert.deepEqual(await scenarioNow(), { deliverTwice: 1, outOfOrder: 0, failNext: 0, ost: { decision: "deny" }, tot: { decision: null } });

    // Deliver twice: the same event (same id), each delivery signed on its own.
    const u1 = await client.createUser("one@example.com");
    await until(() => ostArrivals().length >= 2, "the second copy");
    const [a, b] = ostArrivals();
    assert.ok(a.check.valid && b.check.valid);
    assert.deepEqual([a.check.params.name, b.check.params.name], ["user_register", "user_register"]);
    assert.equal(a.check.params.id, b.check.params.id);
    assert.equal((await scenarioNow()).deliverTwice, 0);

    // Deny: the review ends with kyc_status denied, never approved.
    const fields = { ...KYC_FIELDS, ...(await uploadDocuments(client, "put")) };
    await client.submitKyc(u1.id, fields);
    const kycOf = (userId) => ostArrivals().filter((x) => x.check.params.data?.user_kyc?.user_id === String(userId)).map((x) => x.check.params.data.user_kyc);
    await until(() => kycOf(u1.id).some((k) => k.kyc_status === "denied"), "the denial");
    assert.ok(kycOf(u1.id).every((k) => k.kyc_status !== "approved"));
    assert.equal(kycOf(u1.id).at(-1).admin_status, "denied");

    // Scripted while running: request an update; hold the next event back behind the one after it.
    const set = await fetch(scenario, { method: "POST", body: JSON.stringify({ ost: { decision: "update" }, outOfOrder: 1 }) });
    assert.deepEqual(await set.json(), { deliverTwice: 0, outOfOrder: 1, failNext: 0, ost: { decision: "update" }, tot: { decision: null } });
    const n0 = ostArrivals().length;
    await client.createUser("two@example.com");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(ostArrivals().length, n0, "held back");
    const u3 = await client.createUser("three@example.com");
    await until(() => ostArrivals().length >= n0 + 2, "both registrations");
    assert.deepEqual(ostArrivals().slice(n0).map((x) => x.check.params.data.user.email), ["three@example.com", "two@example.com"]);
    await client.submitKyc(u3.id, fields);
    await until(() => kycOf(u3.id).some((k) => Array.isArray(k.admin_action_types) && k.admin_action_types.includes("data_mismatch")), "the update request");
    assert.equal(kycOf(u3.id).at(-1).kyc_status, "pending");

    // Token of Trust, forced to reject and delivered out of order: the older gate change arrives last and a
    // kyc-wasm handler acknowledges it as stale.
    await fetch(scenario, { method: "POST", body: JSON.stringify({ tot: { decision: "reject" }, outOfOrder: 1 }) });
    const person = await (await fetch(`${origin}/api/person`, { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ totApiKey: env.TOT_PUBLIC_KEY, totSecretKey: env.TOT_SECRET_KEY, appDomain: "example.com", appUserid: "u-s", person: { givenName: "A" } }) })).json();
    await fetch(`${person.content.continuation.params.url}/submit`, { method: "POST", body: '{"decision":"clear"}' });
    await until(() => arrivals.filter((x) => x.provider === "tot").length >= 2, "both gate changes");
    assert.deepEqual(arrivals.filter((x) => x.provider === "tot").map((x) => x.body.name), ["verification.isRejected", "verification.isSubmitted"]);
    await until(() => totHandler.stats.stale === 1, "the handler's stale count");
    assert.equal(totHandler.stats.delivered, 1);

    for (const bad of [{ outOfOrder: -1 }, { deliverTwice: 1.5 }, { failNext: "2" }, { failNext: 101 }, { ost: { decision: "maybe" } }, { tot: { decision: "approve" } }]) {
      assert.equal((await fetch(scenario, { method: "POST", body: JSON.stringify(bad) })).status, 400, JSON.stringify(bad));
    }
  } finally {
    if (sb && sb.child.exitCode === null) sb.child.kill("SIGTERM");
    await sb?.exited;
    await server.close();
  }
});

test("SIGTERM stops it promptly even with webhook retries pending", async () => {
  const failing = await listen((req, res) => res.writeHead(503).end());
  let sb;
  try {
    sb = await startSandbox(["--port", "0", "--webhook-url", `ost=${failing.origin}/ost`, "--time-scale", "1"]); // retries an hour apart
    const { env, origin } = sb.info;
    const { OstKycClient } = await installed();
    await new OstKycClient({ baseUrl: origin, apiKey: env.OST_API_KEY, apiSecret: env.OST_API_SECRET }).createUser("pending@example.com");
    await new Promise((r) => setTimeout(r, 300)); // the first attempt failed; the retry waits an hour
    const t0 = Date.now();
    sb.child.kill("SIGTERM");
    const stopped = await Promise.race([sb.exited, new Promise((r) => setTimeout(() => r("still running after 5 s"), 5000))]);
    assert.deepEqual(stopped, { code: 0, signal: null });
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
  } finally {
    if (sb && sb.child.exitCode === null) sb.child.kill("SIGKILL");
    await failing.close();
  }
});

test("scenario fail the next N deliveries: OST retries them (re-signed, same id); Token of Trust's one attempt is lost; approve scripted back", async () => {
  const seen = [];
  let sb;
  const server = await listen((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      seen.push({ provider: req.url.slice(1), text: Buffer.concat(chunks).toString("utf8"), headers: req.headers, at: Date.now() });
      res.writeHead(200).end();
    });
  });
  const until = async (predicate, what, ms = 10000) => {
    const end = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(seen.map((s) => s.text.slice(0, 60)))}\n${sb?.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    sb = await startSandbox(["--port", "0", "--webhook-url", `ost=${server.origin}/ost`, "--webhook-url", `tot=${server.origin}/tot`,
      "--time-scale", "0.0003", "--step-ms", "50", "--review-ms", "100", "--ost-decision", "deny", "--fail-next", "1", "--upload-min-bytes", "1000"]);
    const { env, origin, scenario } = sb.info;
    const ost = () => seen.filter((s) => s.provider === "ost").map((s) => ({ ...s, check: referenceVerifyOst(s.text, { url: `${server.origin}/ost`, secret: env.OST_WEBHOOK_SECRET }) }));
    assert.equal((await (await fetch(scenario)).json()).failNext, 1);
    const { OstKycClient } = await installed();
    const client = new OstKycClient({ baseUrl: origin, apiKey: env.OST_API_KEY, apiSecret: env.OST_API_SECRET });
    const t0 = Date.now();
    const user = await client.createUser("down@example.com");
    await until(() => ost().length === 1, "the retry");
    const [retry] = ost();
    assert.ok(retry.check.valid && retry.check.fresh);
    assert.equal(retry.check.params.data.user.id, String(user.id));
    assert.equal(retry.headers["x-sandbox-delivery-attempt"], "2", "the first attempt never reached the app");
    assert.ok(retry.at - t0 >= 1000, "after the (scaled) first retry delay");
    const state = await (await fetch(`${origin}/__sandbox/state`)).json();
    const record = state.ost.deliveries.find((d) => d.id === retry.check.params.id);
    assert.deepEqual(record.attempts.map((a) => [a.attempt, a.status, a.error]), [[1, 0, "failed by the sandbox scenario (failNext)"], [2, 200, null]]);
    assert.equal((await (await fetch(scenario)).json()).failNext, 0);

    // Token of Trust sends one attempt: a failed one is lost, as with the real sender.
    const set = await (await fetch(scenario, { method: "POST", body: JSON.stringify({ failNext: 1, ost: { decision: "approve" } }) })).json();
    assert.deepEqual([set.failNext, set.ost.decision], [1, "approve"]);
    const person = await (await fetch(`${origin}/api/person`, { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ totApiKey: env.TOT_PUBLIC_KEY, totSecretKey: env.TOT_SECRET_KEY, appDomain: "example.com", appUserid: "u-f", person: { givenName: "A" } }) })).json();
    await fetch(`${person.content.continuation.params.url}/submit`, { method: "POST", body: '{"decision":"clear"}' });
    await until(() => seen.some((s) => s.provider === "tot"), "the second gate change");
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(seen.filter((s) => s.provider === "tot").map((s) => JSON.parse(s.text).name), ["verification.isCleared"], "isSubmitted was lost");

    // --upload-min-bytes: the lower bound of the POST policy's content-length-range.
    const { form } = await client.getPresignedUrls("post", { form: "application/pdf" });
    const policy = JSON.parse(Buffer.from(form.fields.Policy, "base64").toString("utf8"));
    assert.deepEqual(policy.conditions.find((c) => Array.isArray(c) && c[0] === "content-length-range"), ["content-length-range", 1000, 20 * 1024 * 1024]);

    // Approve, scripted back after the deny of the start options: the review ends approved.
    await client.submitKyc(user.id, { ...KYC_FIELDS, ...(await uploadDocuments(client, "put")) });
    await until(() => ost().some((s) => s.check.params.data?.user_kyc?.kyc_status === "approved"), "the approval");
    assert.ok(ost().every((s) => s.check.params.data?.user_kyc?.kyc_status !== "denied"));
  } finally {
    if (sb && sb.child.exitCode === null) sb.child.kill("SIGTERM");
    await sb?.exited;
    await server.close();
  }
});
