// Uploads from headless Chromium with the browser build (pkg/web: XMLHttpRequest with upload progress), from
// a test page on one origin to s3rver on another (so CORS is exercised), driven by playwright-core and
// Debian's chromium (never a downloaded one). Every upload is read back from Node and compared byte for byte.
//
// Run: node --test tests/upload/   (needs pkg/ built: bash scripts/build.sh)
// Screenshot: test-output/upload-browser.png. CHROMIUM=/path/to/chromium overrides the browser.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { KINDS, jpeg, pdf, png } from "./fixtures.mjs";
import { BUCKET, ostPostResponse, ostPutResponse, presignPost, presignPut, startServers } from "./servers.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
// The flags Chromium needs as root in a container (team rules), minus --headless, which playwright adds.
const FLAGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run",
];
// KYC_WASM_PKG points at another built package (default: this checkout's pkg/).
const PKG = process.env.KYC_WASM_PKG ?? path.join(ROOT, "pkg");
const SCREENSHOT = path.join(ROOT, "test-output", "upload-browser.png");
const KB = 1024;
const MB = 1024 * KB;
const MAKE = { jpeg, png, pdf };

for (const file of ["kyc_wasm.js", "kyc_wasm_bg.wasm"]) {
  if (!existsSync(path.join(PKG, "web", file))) {
    throw new Error(`pkg/web/${file} is missing: run \`bash scripts/build.sh\` first`);
  }
}

// The page's origin: its own server, with the fixtures made on request.
const MIME = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".wasm": "application/wasm" };
const pageServer = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname === "/fixture") {
    const make = MAKE[url.searchParams.get("kind")];
    const body = make(Number(url.searchParams.get("size")), Number(url.searchParams.get("seed")));
    res.writeHead(200, { "content-type": "application/octet-stream", "cache-control": "no-store" }).end(body);
    return;
  }
  const files = { "/": path.join(HERE, "page.html"), "/page.js": path.join(HERE, "page.js") };
  let file = files[url.pathname];
  if (!file && url.pathname.startsWith("/pkg/web/")) {
    const web = path.join(PKG, "web");
    const candidate = path.join(web, decodeURIComponent(url.pathname.slice("/pkg/web/".length)));
    if (candidate.startsWith(web + path.sep)) file = candidate; // the glue imports its snippets/ too
  }
  if (!file || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": MIME[path.extname(file)] ?? "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(readFileSync(file));
});
await new Promise((resolve) => pageServer.listen(0, "127.0.0.1", resolve));
const pageOrigin = `http://127.0.0.1:${pageServer.address().port}`;

// s3rver on other ports (another origin), allowing only the page's origin. s3s-fs answers no CORS, so the
// browser's POSTs go to s3rver; the Node suite runs POST against s3s-fs's policy enforcement.
const servers = await startServers({ corsOrigins: [pageOrigin], slowBytesPerSecond: 1_500_000, s3s: false });

let context;
let page;
let profile;
let serial = 0;
const fresh = (folder = "3/i") => `${folder}/browser-${process.pid}-${++serial}`;
const problems = [];

before(async () => {
  profile = mkdtempSync(path.join(os.tmpdir(), "kyc-upload-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 900, height: 600 },
  });
  page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    // Chromium logs every non-2xx response ("Failed to load resource"); the refusal tests cause some.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console error: ${m.text()}`);
  });
  await page.goto(`${pageOrigin}/`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 30_000 });
});

after(async () => {
  if (page) {
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT }).catch(() => {});
  }
  await context?.close();
  await servers.close();
  await new Promise((resolve) => pageServer.close(resolve));
  if (profile) rmSync(profile, { recursive: true, force: true });
  assert.deepEqual(problems, [], "no page errors");
});

const upload = (spec) => page.evaluate((s) => window.upload(s), spec);

async function putResponse(key, contentType, { endpoint = servers.endpoint, expiresIn } = {}) {
  return ostPutResponse({ document_id: await presignPut(endpoint, key, contentType, { expiresIn }) });
}

/** Runs `action` and asserts that s3rver saw no request and stored nothing new. */
async function sendsNothing(action) {
  const before = servers.requests.length;
  const stored = servers.storedKeys().length;
  const result = await action();
  assert.equal(servers.requests.length, before, "s3rver received no request");
  assert.equal(servers.storedKeys().length, stored, "s3rver stored nothing");
  return result;
}

test("the generated JPEG and PNG fixtures decode as images", async () => {
  for (const kind of ["jpeg", "png"]) {
    const size = await page.evaluate((f) => window.decodes(f), { kind, size: 300 * KB, name: "x", type: "" });
    assert.ok(size.width >= 1 && size.height >= 1, `${kind}: ${JSON.stringify(size)}`);
  }
});

for (const [i, kind] of KINDS.entries()) {
  test(`${kind.name}: a File through a pre-signed PUT URL on another origin, read back identical`, async () => {
    const key = fresh();
    const result = await upload({
      response: await putResponse(key, kind.contentType),
      files: { document_id: kind.contentType },
      file: { kind: kind.name, size: 300 * KB + i, seed: 20 + i, name: `id.${kind.ext}`, type: kind.contentType },
    });
    assert.ok(result.ok, JSON.stringify(result.error));
    assert.equal(result.uploaded.status, 200);
    assert.equal(result.uploaded.method, "PUT");
    assert.match(result.uploaded.etag ?? "", /^[0-9a-f]{32}$/, "ETag is readable (exposed through CORS)");
    assert.deepEqual(result.paths, { document_id_file_path: key });
    assert.equal(result.events[0].loaded, 0);
    assert.equal(result.events.at(-1).loaded, 300 * KB + i);
    const stored = await servers.readObject(key);
    assert.equal(stored.contentType, kind.contentType);
    assert.ok(Buffer.from(stored.bytes).equals(Buffer.from(kind.make(300 * KB + i, 20 + i))), "identical bytes");
  });
}

test("POST form (policy fields, Content-Type, file last) to s3rver, read back identical", async () => {
  const key = fresh("3/d");
  const post = await presignPost(servers.endpoint, key, { contentType: "image/png" });
  const result = await upload({
    response: ostPostResponse({ selfie: post }),
    files: { selfie: "image/png" },
    file: { kind: "png", size: 280 * KB, seed: 5, name: "selfie.png", type: "image/png" },
  });
  assert.ok(result.ok, JSON.stringify(result.error));
  assert.equal(result.uploaded.status, 204);
  const stored = await servers.readObject(key);
  assert.equal(stored.contentType, "image/png");
  assert.ok(Buffer.from(stored.bytes).equals(Buffer.from(png(280 * KB, 5))));
});

/** Runs `action` with Chromium's own upload throttling (DevTools network emulation) at `bytesPerSecond`. */
async function throttled(bytesPerSecond, action) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
  try {
    return await action();
  } finally {
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
  }
}

test("progress events arrive as a 6 MB file goes out", async (t) => {
  const key = fresh();
  const size = 6 * MB;
  const response = await putResponse(key, "image/jpeg", { endpoint: servers.slowEndpoint });
  const result = await throttled(2_000_000, () => upload({
    response,
    files: { document_id: "image/jpeg" },
    file: { kind: "jpeg", size, seed: 9, name: "big.jpg", type: "image/jpeg" },
  }));
  assert.ok(result.ok, JSON.stringify(result.error));
  const loaded = result.events.map((e) => e.loaded);
  const partial = loaded.filter((l) => l > 0 && l < size);
  assert.ok(partial.length >= 5, `at least 5 intermediate events, got ${loaded.join(", ")}`);
  t.diagnostic(`${partial.length} progress events between 0 and ${size} bytes`);
  assert.deepEqual(loaded, [...loaded].sort((a, b) => a - b), "monotonic");
  assert.equal(loaded[0], 0);
  assert.equal(loaded.at(-1), size);
  assert.ok(result.events.every((e) => e.total === size));
  const stored = await servers.readObject(key);
  assert.ok(Buffer.from(stored.bytes).equals(Buffer.from(jpeg(size, 9))));
});

test("abort mid-upload through an AbortSignal: ABORTED, transfer cut off, no object", async () => {
  const key = fresh();
  const result = await upload({
    response: await putResponse(key, "image/jpeg", { endpoint: servers.slowEndpoint }),
    files: { document_id: "image/jpeg" },
    file: { kind: "jpeg", size: 6 * MB, seed: 10, name: "big.jpg", type: "image/jpeg" },
    abortAt: 0.2,
  });
  assert.equal(result.ok, false);
  assert.equal(result.error.code, "ABORTED");
  assert.ok(result.error.isKycError);
  const seen = servers.slowLog.find((r) => r.path === `/${BUCKET}/${key}` && r.method === "PUT");
  for (let i = 0; i < 150 && !seen.aborted; i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(seen.received < seen.expected && seen.aborted && !seen.forwarded, JSON.stringify(seen));
  assert.equal(await servers.readObject(key), null);
});

test("server refuses a tampered signature and a content type it did not sign: UPLOAD_FAILED, no object", async () => {
  const key = fresh();
  const response = await putResponse(key, "image/jpeg");
  const url = new URL(response.data.file_upload_put.document_id.url);
  const sig = url.searchParams.get("X-Amz-Signature");
  url.searchParams.set("X-Amz-Signature", `${sig.slice(0, -1)}${sig.endsWith("0") ? "1" : "0"}`);
  response.data.file_upload_put.document_id.url = url.href;
  let result = await upload({ response, files: { document_id: "image/jpeg" }, file: { kind: "jpeg", size: 300 * KB, name: "a.jpg", type: "image/jpeg" } });
  assert.equal(result.error?.code, "UPLOAD_FAILED");
  assert.equal(result.error.s3Code, "SignatureDoesNotMatch");
  assert.equal(result.error.status, 403);
  // No files map: the library cannot know the signed type, so the server has to refuse the PNG.
  const other = fresh();
  result = await upload({ response: await putResponse(other, "image/jpeg"), file: { kind: "png", size: 300 * KB, name: "a.png", type: "image/png" } });
  assert.equal(result.error?.code, "UPLOAD_FAILED");
  assert.equal(result.error.s3Code, "SignatureDoesNotMatch");
  assert.equal(await servers.readObject(key), null);
  assert.equal(await servers.readObject(other), null);
});

test("server refuses an expired PUT URL (client clock behind): UPLOAD_FAILED, no object", async () => {
  const key = fresh();
  const signedAt = Math.floor(Date.now() / 1000);
  const response = await putResponse(key, "application/pdf", { expiresIn: 1 });
  await new Promise((r) => setTimeout(r, 2100));
  const result = await upload({
    response,
    now: signedAt,
    files: { document_id: "application/pdf" },
    file: { kind: "pdf", size: 300 * KB, name: "p.pdf", type: "application/pdf" },
    options: { now: signedAt },
  });
  assert.equal(result.error?.code, "UPLOAD_FAILED");
  assert.equal(result.error.s3Code, "AccessDenied");
  assert.equal(await servers.readObject(key), null);
});

test("library refuses before sending: magic bytes, size, policy Content-Type, expired policy", async () => {
  const key = fresh("3/d");
  const file = { kind: "jpeg", size: 300 * KB, name: "a.jpg", type: "image/jpeg" };
  // A PNG target given a JPEG.
  let result = await sendsNothing(async () =>
    upload({ response: await putResponse(fresh(), "image/png"), files: { document_id: "image/png" }, file }),
  );
  assert.equal(result.error?.code, "INVALID_FILE", result.error?.message);
  assert.match(result.error.message, /magic bytes say JPEG/);
  // Outside the size bounds.
  result = await sendsNothing(async () =>
    upload({ response: await putResponse(fresh(), "image/jpeg"), files: { document_id: "image/jpeg" }, file, options: { minBytes: 0, maxBytes: 100 * KB } }),
  );
  assert.equal(result.error?.code, "INVALID_FILE", result.error?.message);
  assert.match(result.error.message, /over the 102400-byte maximum/);
  // A policy for PNG only, and a policy for a smaller file.
  const post = await presignPost(servers.endpoint, key, { contentType: "image/png" });
  result = await sendsNothing(() => upload({ response: ostPostResponse({ selfie: post }), file, options: { contentType: "image/jpeg" } }));
  assert.equal(result.error?.code, "INVALID_FILE");
  assert.match(result.error.message, /\$Content-Type/);
  const small = await presignPost(servers.endpoint, key, { contentType: "image/jpeg", min: 1, max: 1000 });
  result = await sendsNothing(() => upload({ response: ostPostResponse({ selfie: small }), files: { selfie: "image/jpeg" }, file }));
  assert.equal(result.error?.code, "INVALID_FILE");
  assert.match(result.error.message, /content-length-range/);
  // A policy that expired while its 15-minute target did not.
  const short = await presignPost(servers.endpoint, key, { contentType: "image/jpeg", expires: 30 });
  result = await sendsNothing(() =>
    upload({ response: ostPostResponse({ selfie: short }), files: { selfie: "image/jpeg" }, file, options: { now: Math.floor(Date.now() / 1000) + 60 } }),
  );
  assert.equal(result.error?.code, "URL_EXPIRED");
  assert.equal(await servers.readObject(key), null);
});
