// The S3-compatible store of `kyc-wasm sandbox` (sandbox/bucket.mjs, from the installed tarball), in this
// process behind node:http, checked three ways:
//   - with this package's own upload utilities (parseUploadTargets, uploadFile), as users upload;
//   - against an independent client, the AWS SDK (@aws-sdk/client-s3 and its presigners, devDependencies of
//     this repository): what the SDK signs must be accepted, and the same requests tampered with refused with
//     S3's error codes;
//   - from headless Chromium on another origin, with the browser build's uploadFile (CORS);
//   - its own presigner against real S3-compatible servers (tests/upload/servers.mjs): its pre-signed PUT and
//     GET URLs accepted by @20minutes/s3rver (which enforces SigV4 on them), its POST forms by s3s-fs (which
//     verifies POST policy signatures and conditions), when that binary is installed.

import assert from "node:assert/strict";
import { createServer } from "node:http";
import path from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";

import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

import { BUCKET, CREDENTIALS, S3S_CREDENTIALS, startServers } from "../upload/servers.mjs";
import { jpeg, pdf, png } from "../upload/fixtures.mjs";
import { INSTALLED, installed } from "./setup.mjs";

const { createS3Store } = await import(pathToFileURL(path.join(INSTALLED, "sandbox", "bucket.mjs")).href);

let clock = 0; // ms added to the store's clock (expiry tests)
let store;
let server;
let origin;
let sdk;

before(async () => {
  store = createS3Store({ bucket: BUCKET, maxObjectBytes: 4 * 1024 * 1024, now: () => Date.now() + clock });
  server = createServer(async (req, res) => {
    if (!(await store.handle(req, res, new URL(req.url, "http://x")))) res.writeHead(404).end("not the bucket");
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${server.address().port}`;
  store.setOrigin(origin);
  sdk = sdkClient(origin, store.credentials);
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function sdkClient(endpoint, credentials) {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

const sdkPut = (client, key, contentType, expiresIn = 900) =>
  getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentType: contentType }), { expiresIn, signableHeaders: new Set(["content-type"]) });

/** S3's error document: {status, code, message}. */
async function s3Error(response) {
  const text = await response.text();
  return { status: response.status, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? null, message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? null };
}

function form(fields, file, { filename = "upload.bin", extra = {} } = {}) {
  const f = new FormData();
  for (const [k, v] of Object.entries({ ...fields, ...extra })) f.append(k, v);
  f.append("file", new Blob([file]), filename);
  return f;
}

const flip = (hex) => hex.slice(0, -1) + (hex.endsWith("0") ? "1" : "0");

test("uploadFile (this package) puts and posts into the store; GET reads the bytes back", async () => {
  const { parseUploadTargets, uploadFile } = await installed();
  const files = { document_id: "image/jpeg", selfie: "image/png", residence_proof: "application/pdf" };
  const bytes = { document_id: jpeg(210 * 1024), selfie: png(220 * 1024), residence_proof: pdf(230 * 1024) };
  const range = ["content-length-range", 200 * 1024, 20 * 1024 * 1024];
  for (const kind of ["put", "post"]) {
    const map = {};
    for (const [fileKey, type] of Object.entries(files)) {
      const key = `3/${kind}/${fileKey}`;
      map[fileKey] = kind === "put"
        ? { url: store.presignPut(key, { contentType: type }), fields: { key } }
        : store.presignPost(key, { conditions: [range, ["eq", "$Content-Type", type], ["eq", "$key", key]], fields: { "Content-Type": type } });
    }
    const response = { success: true, data: { result_type: `file_upload_${kind}`, [`file_upload_${kind}`]: map } };
    for (const target of parseUploadTargets(response, { files })) {
      const done = await uploadFile(target, bytes[target.key], { allowInsecure: true });
      assert.equal(done.status, kind === "put" ? 200 : 204);
      const stored = store.get(`3/${kind}/${target.key}`);
      assert.deepEqual(new Uint8Array(stored.body), bytes[target.key]);
      assert.equal(stored.contentType, files[target.key]);
      const back = await fetch(store.presignGet(`3/${kind}/${target.key}`));
      assert.equal(back.status, 200);
      assert.deepEqual(new Uint8Array(await back.arrayBuffer()), bytes[target.key]);
      assert.equal(back.headers.get("content-type"), files[target.key]);
      assert.equal(back.headers.get("etag"), stored.etag);
    }
  }
});

test("an S3 refusal reaches uploadFile's caller as UPLOAD_FAILED with S3's code", async () => {
  const { parseUploadTargets, uploadFile } = await installed();
  const url = new URL(store.presignPut("3/i/forged", { contentType: "image/png" }));
  url.searchParams.set("X-Amz-Signature", flip(url.searchParams.get("X-Amz-Signature")));
  const [target] = parseUploadTargets({ doc: { url: url.href, fields: { key: "3/i/forged" } } }, { files: { doc: "image/png" } });
  await assert.rejects(uploadFile(target, png(210 * 1024), { allowInsecure: true }), (e) => e.code === "UPLOAD_FAILED" && e.s3Code === "SignatureDoesNotMatch" && e.status === 403);
  assert.equal(store.has("3/i/forged"), false);
});

test("the AWS SDK as a peer: its pre-signed PUT/GET and POST forms, and header-signed requests, are accepted", async () => {
  const body = png(1000);
  let r = await fetch(await sdkPut(sdk, "sdk/a b+c.png", "image/png"), { method: "PUT", body, headers: { "content-type": "image/png" } });
  assert.equal(r.status, 200, await r.text());
  r = await fetch(await getSignedUrl(sdk, new GetObjectCommand({ Bucket: BUCKET, Key: "sdk/a b+c.png" }), { expiresIn: 60 }));
  assert.equal(r.status, 200);
  assert.deepEqual(new Uint8Array(await r.arrayBuffer()), body);
  // Authorization-header SigV4 (signed payload hash), both ways.
  await sdk.send(new PutObjectCommand({ Bucket: BUCKET, Key: "sdk/header.txt", Body: Buffer.from("signed payload"), ContentType: "text/plain" }));
  const got = await sdk.send(new GetObjectCommand({ Bucket: BUCKET, Key: "sdk/header.txt" }));
  assert.equal(await got.Body.transformToString(), "signed payload");
  const post = await createPresignedPost(sdk, {
    Bucket: BUCKET, Key: "sdk/form.pdf", Expires: 60,
    Conditions: [["content-length-range", 10, 2000], ["eq", "$Content-Type", "application/pdf"]], Fields: { "Content-Type": "application/pdf" },
  });
  r = await fetch(post.url, { method: "POST", body: form(post.fields, pdf(1500)) });
  assert.equal(r.status, 204, await r.text());
  assert.equal(store.get("sdk/form.pdf").body.length, 1500);
});

test("tampered or wrong requests are refused with S3's errors, and store nothing", async () => {
  const type = { "content-type": "image/png" };
  const cases = [];
  const put = async (name, url, { headers = type, body = png(500) } = {}) => {
    const r = await fetch(url, { method: "PUT", body, headers });
    cases.push([name, await s3Error(r)]);
  };
  const good = await sdkPut(sdk, "bad/1.png", "image/png");
  const tampered = new URL(good);
  tampered.searchParams.set("X-Amz-Signature", flip(tampered.searchParams.get("X-Amz-Signature")));
  await put("signature changed", tampered.href);
  await put("another content type", good, { headers: { "content-type": "image/jpeg" } });
  await put("another key", good.replace("/bad/1.png", "/bad/2.png"));
  const longer = new URL(good);
  longer.searchParams.set("X-Amz-Expires", "3600");
  await put("expiry extended", longer.href);
  await put("wrong secret", await sdkPut(sdkClient(origin, { accessKeyId: store.credentials.accessKeyId, secretAccessKey: "not-the-secret" }), "bad/1.png", "image/png"));
  await put("unknown access key", await sdkPut(sdkClient(origin, { accessKeyId: "AKIAUNKNOWN", secretAccessKey: "x" }), "bad/1.png", "image/png"));
  await put("no signature", `${origin}/${BUCKET}/bad/1.png`);
  const short = await sdkPut(sdk, "bad/1.png", "image/png", 60);
  clock = 61_000;
  try {
    await put("expired", short);
  } finally {
    clock = 0;
  }
  await put("too large for the store", await sdkPut(sdk, "bad/1.png", "image/png"), { body: new Uint8Array(4 * 1024 * 1024 + 1) });
  assert.deepEqual(Object.fromEntries(cases.map(([n, e]) => [n, `${e.status} ${e.code}`])), {
    "signature changed": "403 SignatureDoesNotMatch",
    "another content type": "403 SignatureDoesNotMatch",
    "another key": "403 SignatureDoesNotMatch",
    "expiry extended": "403 SignatureDoesNotMatch",
    "wrong secret": "403 SignatureDoesNotMatch",
    "unknown access key": "403 InvalidAccessKeyId",
    "no signature": "403 AccessDenied",
    expired: "403 AccessDenied",
    "too large for the store": "400 EntityTooLarge",
  });
  assert.equal(cases.find(([n]) => n === "expired")[1].message, "Request has expired");
  assert.equal(store.has("bad/1.png") || store.has("bad/2.png"), false);
  const missing = await s3Error(await fetch(store.presignGet("bad/none")));
  assert.deepEqual([missing.status, missing.code], [404, "NoSuchKey"]);

  // POST policy forms: the SDK's form, then changed.
  const post = await createPresignedPost(sdk, {
    Bucket: BUCKET, Key: "bad/form.pdf", Expires: 60,
    Conditions: [["content-length-range", 1000, 2000], ["eq", "$Content-Type", "application/pdf"]], Fields: { "Content-Type": "application/pdf" },
  });
  const policy = JSON.parse(Buffer.from(post.fields.Policy, "base64").toString());
  policy.conditions[0][2] = 10_000_000;
  const posts = {
    "policy rewritten": [{ ...post.fields, Policy: Buffer.from(JSON.stringify(policy)).toString("base64") }, pdf(2500)],
    "signature changed": [{ ...post.fields, "X-Amz-Signature": flip(post.fields["X-Amz-Signature"]) }, pdf(1500)],
    "too large": [post.fields, pdf(2001)],
    "too small": [post.fields, pdf(999)],
    "another content type": [{ ...post.fields, "Content-Type": "image/png" }, pdf(1500)],
    "another key": [{ ...post.fields, key: "bad/other.pdf" }, pdf(1500)],
    "a field the policy does not name": [{ ...post.fields, "x-amz-meta-note": "hi" }, pdf(1500)],
    "no policy": [Object.fromEntries(Object.entries(post.fields).filter(([k]) => k !== "Policy")), pdf(1500)],
  };
  const got = {};
  for (const [name, [fields, file]] of Object.entries(posts)) {
    const e = await s3Error(await fetch(post.url, { method: "POST", body: form(fields, file) }));
    got[name] = `${e.status} ${e.code}`;
  }
  clock = 61_000;
  try {
    const e = await s3Error(await fetch(post.url, { method: "POST", body: form(post.fields, pdf(1500)) }));
    got.expired = `${e.status} ${e.code} ${e.message}`;
  } finally {
    clock = 0;
  }
  assert.deepEqual(got, {
    "policy rewritten": "403 SignatureDoesNotMatch",
    "signature changed": "403 SignatureDoesNotMatch",
    "too large": "400 EntityTooLarge",
    "too small": "400 EntityTooSmall",
    "another content type": "403 AccessDenied",
    "another key": "403 AccessDenied",
    "a field the policy does not name": "403 AccessDenied",
    "no policy": "403 AccessDenied",
    expired: "403 AccessDenied Invalid according to Policy: Policy expired.",
  });
  assert.equal([...store.objects.keys()].some((k) => k.startsWith("bad/")), false);
  // A policy signed for another bucket (the SDK, bucket "elsewhere") does not open this one.
  const other = await createPresignedPost(sdk, { Bucket: "elsewhere", Key: "bad/x.pdf", Expires: 60, Conditions: [["content-length-range", 1, 5000]] });
  const e = await s3Error(await fetch(post.url, { method: "POST", body: form(other.fields, pdf(1500)) }));
  assert.equal(`${e.status} ${e.code}`, "403 AccessDenied");
});

test("CORS: a preflight from any origin is allowed, and ETag exposed", async () => {
  const r = await fetch(`${origin}/${BUCKET}/x`, { method: "OPTIONS", headers: { origin: "http://localhost:3000", "access-control-request-method": "PUT", "access-control-request-headers": "content-type" } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("access-control-allow-origin"), "http://localhost:3000");
  assert.match(r.headers.get("access-control-allow-methods"), /PUT/);
  const put = await fetch(store.presignPut("cors.png", { contentType: "image/png" }), { method: "PUT", body: png(100), headers: { "content-type": "image/png", origin: "http://localhost:3000" } });
  assert.equal(put.headers.get("access-control-expose-headers"), "ETag");
});

test("the store's presigner against real S3 servers: s3rver takes its PUT/GET URLs, s3s-fs its POST forms", async (t) => {
  const servers = await startServers({ s3s: "auto" });
  try {
    const forS3rver = createS3Store({ bucket: BUCKET, ...CREDENTIALS });
    forS3rver.setOrigin(servers.endpoint);
    const body = jpeg(3000);
    let r = await fetch(forS3rver.presignPut("peer/a b.jpg", { contentType: "image/jpeg" }), { method: "PUT", body, headers: { "content-type": "image/jpeg" } });
    assert.equal(r.status, 200, await r.text());
    r = await fetch(forS3rver.presignGet("peer/a b.jpg"));
    assert.equal(r.status, 200);
    assert.deepEqual(new Uint8Array(await r.arrayBuffer()), body);
    // s3rver refuses the same URL tampered: the check above could fail.
    const forged = new URL(forS3rver.presignPut("peer/b.jpg", { contentType: "image/jpeg" }));
    forged.searchParams.set("X-Amz-Signature", flip(forged.searchParams.get("X-Amz-Signature")));
    r = await fetch(forged, { method: "PUT", body, headers: { "content-type": "image/jpeg" } });
    assert.equal((await s3Error(r)).code, "SignatureDoesNotMatch");

    if (!servers.s3s) {
      t.diagnostic("s3s-fs is not installed (bash tests/upload/run.sh installs it): POST forms not cross-checked");
      return;
    }
    const forS3s = createS3Store({ bucket: BUCKET, ...S3S_CREDENTIALS });
    forS3s.setOrigin(servers.s3s.endpoint);
    const conditions = [["content-length-range", 1000, 5000], ["eq", "$Content-Type", "application/pdf"], ["eq", "$key", "peer/form.pdf"]];
    const post = forS3s.presignPost("peer/form.pdf", { conditions, fields: { "Content-Type": "application/pdf" } });
    const file = pdf(2000);
    r = await fetch(post.url, { method: "POST", body: form(post.fields, file) });
    assert.ok(r.status >= 200 && r.status < 300, `s3s-fs: ${r.status} ${await r.text()}`);
    assert.deepEqual((await servers.readObject("peer/form.pdf", { server: "s3s" })).bytes, file);
    // s3s-fs may answer a refused form before reading it all and close the connection: a reset refuses too.
    const status = (fields, body) => fetch(post.url, { method: "POST", body: form(fields, body) }).then((x) => x.status, () => "reset");
    assert.ok([400, 403, "reset"].includes(await status(post.fields, pdf(6000))), "s3s-fs enforces the range of this policy");
    assert.ok([403, "reset"].includes(await status({ ...post.fields, "X-Amz-Signature": flip(post.fields["X-Amz-Signature"]) }, pdf(2500))), "s3s-fs checks the signature of this form");
    assert.deepEqual(servers.s3s.storedKeys(), ["peer/form.pdf"]);
    assert.deepEqual((await servers.readObject("peer/form.pdf", { server: "s3s" })).bytes, file, "the refused forms replaced nothing");
  } finally {
    await servers.close();
  }
});

test("from a page on another origin (headless Chromium, the browser build's uploadFile): CORS, PUT and POST", async () => {
  const { chromium } = await import("playwright-core");
  const { readFileSync, existsSync } = await import("node:fs");
  const { ROOT } = await import("./setup.mjs");
  const upload = path.join(ROOT, "tests", "upload");
  const web = path.join(ROOT, "pkg", "web");
  const MAKE = { jpeg, png, pdf };
  const page = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname === "/fixture") {
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(MAKE[url.searchParams.get("kind")](Number(url.searchParams.get("size")), Number(url.searchParams.get("seed"))));
      return;
    }
    const file = { "/": path.join(upload, "page.html"), "/page.js": path.join(upload, "page.js") }[url.pathname] ??
      (url.pathname.startsWith("/pkg/web/") ? path.join(web, path.normalize(decodeURIComponent(url.pathname.slice(9))).replace(/^(\.\.[/\\])+/, "")) : null);
    if (!file || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": file.endsWith(".html") ? "text/html" : file.endsWith(".wasm") ? "application/wasm" : "text/javascript" }).end(readFileSync(file));
  });
  await new Promise((r) => page.listen(0, "127.0.0.1", r));
  const pageOrigin = `http://127.0.0.1:${page.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    timeout: 30_000,
  });
  try {
    const tab = await browser.newPage();
    await tab.goto(`${pageOrigin}/`, { timeout: 30_000 });
    await tab.waitForFunction(() => window.ready === true, null, { timeout: 30_000 });
    const type = "image/png";
    const range = ["content-length-range", 200 * 1024, 20 * 1024 * 1024];
    const targets = {
      PUT: { url: store.presignPut("browser/put.png", { contentType: type }), fields: { key: "browser/put.png" } },
      POST: store.presignPost("browser/post.png", { conditions: [range, ["eq", "$Content-Type", type], ["eq", "$key", "browser/post.png"]], fields: { "Content-Type": type } }),
    };
    for (const [method, target] of Object.entries(targets)) {
      const result = await tab.evaluate((spec) => window.upload(spec), {
        response: { document_id: target },
        files: { document_id: type },
        file: { kind: "png", size: 210 * 1024, seed: 7, name: "id.png", type },
      });
      assert.equal(result.ok, true, `${method}: ${JSON.stringify(result.error)}`);
      assert.equal(result.uploaded.method, method);
      const stored = store.get(target.fields.key);
      assert.deepEqual(new Uint8Array(stored.body), png(210 * 1024, 7), `${method}: the bytes the page sent`);
      assert.equal(result.uploaded.etag, stored.etag.replaceAll('"', ""), `${method}: ETag exposed to the page`);
    }
    // A tampered URL: the page sees S3's refusal (readable through CORS), not a network error.
    const forged = new URL(store.presignPut("browser/forged.png", { contentType: type }));
    forged.searchParams.set("X-Amz-Signature", flip(forged.searchParams.get("X-Amz-Signature")));
    const refused = await tab.evaluate((spec) => window.upload(spec), {
      response: { document_id: { url: forged.href, fields: { key: "browser/forged.png" } } },
      files: { document_id: type },
      file: { kind: "png", size: 210 * 1024, seed: 8, name: "id.png", type },
    });
    assert.deepEqual([refused.ok, refused.error.code, refused.error.s3Code, refused.error.status], [false, "UPLOAD_FAILED", "SignatureDoesNotMatch", 403]);
  } finally {
    await browser.close();
    page.closeAllConnections();
    await new Promise((r) => page.close(r));
  }
});
