// Loads a built page of the stack matrix in headless Chromium and checks what it wrote into its DOM.
//
//   node tests/stacks/browser-check.mjs --label "<stack> <version>" --dir <dist> [--page index.html]
//        [--url <origin>]   (a server already serving <dist>, such as `vite preview`; else a node:http one)
//
// Writes <dist>/inputs.json (page/cases.mjs), opens the page, waits for #status, compares #results with the
// expected answers (computed without kyc-wasm), and requires no page error, console error or warning, and no
// failed request. Prints "PASS <label> ..." with the gzip -9 size of the JavaScript and wasm the page loaded,
// or "FAIL <label> ..." lines; exits 1 on failure. Every wait has a timeout.
import { isDeepStrictEqual } from "node:util";
import { createReadStream, existsSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { cases } from "./page/cases.mjs";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const { chromium } = await import(path.join(ROOT, "node_modules", "playwright-core", "index.mjs"));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const label = arg("label", "page");
const dir = path.resolve(arg("dir", "."));
const pagePath = arg("page", "index.html");
let origin = arg("url");

const failures = [];
const fail = (text) => failures.push(text);

const { inputs, expected } = cases();
writeFileSync(path.join(dir, "inputs.json"), JSON.stringify(inputs));
if (process.argv.includes("--write-inputs")) process.exit(0); // only that (before a server that lists files at start)

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json", ".wasm": "application/wasm", ".css": "text/css" };
let server;
if (!origin) {
  server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const file = path.join(dir, pathname.endsWith("/") ? `${pathname}index.html` : pathname);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    createReadStream(file).pipe(res);
  });
  server.requestTimeout = 10_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  timeout: 30_000,
});
const bundle = { js: { raw: 0, gzip: 0, files: 0 }, wasm: { raw: 0, gzip: 0, files: 0 } };
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (e) => fail(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") fail(`console ${m.type()}: ${m.text()}`);
  });
  page.on("requestfailed", (r) => fail(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  const loads = [];
  page.on("response", (r) => {
    const kind = /\.(m?js)(\?|$)/.test(r.url()) ? "js" : /\.wasm(\?|$)/.test(r.url()) ? "wasm" : null;
    if (r.status() >= 400) fail(`HTTP ${r.status()} for ${r.url()}`);
    if (kind) loads.push(r.body().then((body) => {
      bundle[kind].raw += body.length;
      bundle[kind].gzip += gzipSync(body, { level: 9 }).length;
      bundle[kind].files += 1;
    }));
  });
  await page.goto(`${origin}/${pagePath}`, { waitUntil: "load" });
  await page.waitForFunction(() => document.getElementById("status")?.textContent !== "");
  const status = await page.textContent("#status");
  await Promise.all(loads);
  if (status !== "done") {
    fail(`the page says ${JSON.stringify(status)}`);
  } else {
    const results = JSON.parse(await page.textContent("#results"));
    for (const [name, want] of Object.entries(expected)) {
      const got = results[name];
      if (Array.isArray(want)) {
        const wrong = want.map((w, i) => (isDeepStrictEqual(got?.[i], w) ? null : i)).filter((i) => i !== null);
        if (!Array.isArray(got) || got.length !== want.length || wrong.length) {
          fail(`${name}: ${wrong.length} of ${want.length} answers differ (first #${wrong[0]}: got ${JSON.stringify(got?.[wrong[0]])}, want ${JSON.stringify(want[wrong[0]])})`);
        }
      } else if (!isDeepStrictEqual(got, want)) {
        fail(`${name}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
      }
    }
  }
} catch (e) {
  fail(`${e && e.name}: ${e && e.message}`);
} finally {
  await browser.close().catch(() => {});
  server?.close();
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const total = bundle.js.gzip + bundle.wasm.gzip;
const size = `bundle ${kb(total)} gzip -9 (JS ${kb(bundle.js.gzip)} in ${bundle.js.files} file(s), wasm ${kb(bundle.wasm.gzip)} in ${bundle.wasm.files} file(s); ${kb(bundle.js.raw + bundle.wasm.raw)} raw)`;
const n = Object.values(expected).reduce((a, w) => a + (Array.isArray(w) ? w.length : 1), 0);
if (failures.length === 0) {
  console.log(`PASS ${label}: Chromium ${browser.version()}, ${n} answers match (reasonIsPositive, toQuery, parseQuery, evaluateVerification, parseUploadTargets, KycError), no page errors; ${size}`);
} else {
  for (const f of failures) console.log(`FAIL ${label}: ${f}`);
  process.exit(1);
}
