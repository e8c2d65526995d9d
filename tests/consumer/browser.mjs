// (c) of the consumer test: serves the esbuild output over HTTP on 127.0.0.1 and drives Debian's Chromium
// with playwright-core through the three pages, asserting on the text each page writes into its DOM.
//
//   node tests/consumer/browser.mjs <dist dir> <fixtures.js> <screenshot dir>
//
// Exit status 0 when every page passes. Never downloads a browser: /usr/bin/chromium (or $CHROMIUM) only.

import { createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { chromium } from "playwright-core";

const [distDir, fixturesPath, screenshotDir] = process.argv.slice(2);
if (!distDir || !fixturesPath || !screenshotDir) {
  console.error("usage: node browser.mjs <dist dir> <fixtures.js> <screenshot dir>");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const fixtures = await import(pathToFileURL(path.resolve(fixturesPath)).href);

const failures = [];
const fail = (message) => {
  failures.push(message);
  console.log(`  FAIL ${message}`);
};
const pass = (message) => console.log(`  ok   ${message}`);

// The TOT constant is recomputed independently (the seed's own code), so a stale fixture cannot pass.
const expectedSig = createHmac("sha1", fixtures.TOT_SECRET).update(fixtures.TOT_BODY, "utf8").digest("base64");
if (expectedSig !== fixtures.TOT_SIGNATURE) fail(`fixtures.js TOT_SIGNATURE is stale: node:crypto gives ${expectedSig}`);

// A static file server with the MIME types browsers insist on (application/wasm for streaming compilation).
const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".map": "application/json",
  ".png": "image/png",
};
const root = path.resolve(distDir);
const served = [];
const server = createServer(async (req, res) => {
  const pathname = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
  const file = path.join(root, pathname === "/" ? "page.html" : pathname);
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const data = await readFile(file);
    const type = MIME[path.extname(file)] ?? "application/octet-stream";
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" });
    res.end(data);
    served.push({ pathname, status: 200, type });
  } catch {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    served.push({ pathname, status: 404 });
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
console.log(`  serving ${root} at ${origin}`);

const userDataDir = mkdtempSync(path.join(os.tmpdir(), "kyc-wasm-chromium-"));
const watchdog = setTimeout(() => {
  console.error("  FAIL the browser run took more than 120 s");
  process.exit(1);
}, 120_000);

let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
    viewport: { width: 1000, height: 700 },
    timeout: 60_000,
  });
  console.log(`  chromium ${context.browser()?.version() ?? "(persistent context)"} from ${CHROMIUM}`);

  const pages = [
    {
      file: "page.html",
      title: 'import * as kyc from "kyc-wasm" (browser condition, esbuild bundle)',
      screenshot: "consumer-page.png",
      wasmFetches: 0, // the bytes are embedded in the bundle
    },
    { file: "web.html", title: 'import init from "kyc-wasm/web"; await init()', screenshot: "consumer-web-page.png", wasmFetches: 1 },
    {
      file: "lite/lite.html",
      title: 'import * as kyc from "kyc-wasm/lite" (browser condition, esbuild bundle)',
      screenshot: "consumer-lite-page.png",
      wasmFetches: 0,
    },
    {
      file: "server/server.html",
      title: 'import * as kyc from "kyc-wasm/server" (browser condition, esbuild bundle: the service-worker case)',
      screenshot: "consumer-server-page.png",
      wasmFetches: 0,
      server: true,
    },
  ];
  // What every page writes (the page functions, issue 16: no server API in pages' builds), and what the
  // kyc-wasm/server page writes besides (webhooks verified, tampered ones rejected).
  const PAGE_LINES = [
    "gates: ok reasonIsPositive",
    "parse-query: ok user_register",
    "decision: ok verified",
    "invalid-argument: ok rejected INVALID_ARGUMENT",
    "kyc-error-class: ok instanceof",
    "to-query: ok sorted",
  ];
  const SERVER_LINES = [
    "tot-valid: ok gates.changed",
    "tot-tampered: ok rejected INVALID_SIGNATURE",
    "tot-missing-header: ok rejected MISSING_SIGNATURE",
    "ost-valid: ok user_register",
    "ost-tampered: ok rejected INVALID_SIGNATURE",
    "ost-stale: ok rejected TIMESTAMP_OUT_OF_TOLERANCE",
    "server-api: ok present",
  ];
  for (const spec of pages) {
    console.log(`  -- ${spec.title}`);
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    const wasmResponses = [];
    page.on("response", (r) => {
      if (r.url().endsWith(".wasm")) wasmResponses.push({ url: r.url(), status: r.status(), type: r.headers()["content-type"] });
    });

    await page.goto(`${origin}/${spec.file}`, { waitUntil: "load", timeout: 30_000 });
    let status = "";
    try {
      await page.waitForFunction(() => document.querySelector("#status")?.textContent !== "", null, { timeout: 30_000 });
      status = (await page.textContent("#status")) ?? "";
    } catch {
      status = "(the page never wrote a status)";
    }
    const results = (await page.textContent("#results")) ?? "";
    for (const line of results.split("\n").filter(Boolean)) console.log(`       ${line}`);

    if (status === "PASS") pass(`${spec.file}: status PASS`);
    else fail(`${spec.file}: status ${JSON.stringify(status)}`);
    for (const expected of [...PAGE_LINES, ...(spec.server ? SERVER_LINES : ["server-api: ok absent"])]) {
      if (results.split("\n").includes(expected)) pass(`${spec.file}: "${expected}"`);
      else fail(`${spec.file}: the DOM lacks "${expected}"`);
    }
    if (spec.wasmFetches === 0 && wasmResponses.length === 0) {
      pass(`${spec.file}: no .wasm fetch (embedded bytes)`);
    } else if (spec.wasmFetches === 1 && wasmResponses.length === 1 && wasmResponses[0].status === 200 && wasmResponses[0].type === "application/wasm") {
      pass(`${spec.file}: one .wasm fetch, 200, application/wasm (${new URL(wasmResponses[0].url).pathname})`);
    } else {
      fail(`${spec.file}: .wasm fetches ${JSON.stringify(wasmResponses)}`);
    }
    if (problems.length === 0) pass(`${spec.file}: no page errors, console errors or warnings`);
    else for (const p of problems) fail(`${spec.file}: ${p}`);

    mkdirSync(screenshotDir, { recursive: true });
    const shot = path.join(screenshotDir, spec.screenshot);
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`  screenshot: ${shot}`);
    await page.close();
  }
} catch (e) {
  fail(`browser run: ${e?.stack ?? e}`);
} finally {
  clearTimeout(watchdog);
  await context?.close().catch(() => {});
  await new Promise((resolve) => server.close(resolve));
  rmSync(userDataDir, { recursive: true, force: true });
}

const missing = served.filter((s) => s.status !== 200 && s.pathname !== "/favicon.ico");
if (missing.length > 0) fail(`requests that failed: ${JSON.stringify(missing)}`);
process.exit(failures.length === 0 ? 0 : 1);
