// Service-worker check of the esbuild row (issue 16): serves <dir> (sw.js bundled by esbuild from
// "kyc-wasm/server", index.html) on 127.0.0.1, writes deliveries.json (Token of Trust webhooks signed here with
// node:crypto: valid, tampered, unsigned), opens the page in headless Chromium, and checks what the service
// worker answered: 200 for the valid one (and onEvent saw it), 401 INVALID_SIGNATURE / MISSING_SIGNATURE for the
// others. Prints PASS/FAIL lines; exits 1 on failure. Every wait has a timeout.
//   node check.mjs --label "<label>" --dir <dist>
import { createHmac } from "node:crypto";
import { createReadStream, existsSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../../..");
const { chromium } = await import(path.join(ROOT, "node_modules", "playwright-core", "index.mjs"));
const arg = (name) => process.argv[process.argv.indexOf(`--${name}`) + 1];
const label = arg("label");
const dir = path.resolve(arg("dir"));

const SECRET = "sw-tot-secret"; // the service worker's test secret (sw.js)
const body = JSON.stringify({ appUserid: "user-7", operation: "gates.changed", gates: { isCleared: { value: true } } });
const sign = (text) => createHmac("sha1", SECRET).update(text, "utf8").digest("base64");
const deliveries = {
  valid: { body, authorization: sign(body) },
  tampered: { body: body.replace("user-7", "user-8"), authorization: sign(body) },
  unsigned: { body },
};
writeFileSync(path.join(dir, "deliveries.json"), JSON.stringify(deliveries));
const expected = {
  valid: { status: 200 },
  tampered: { status: 401, code: "INVALID_SIGNATURE" },
  unsigned: { status: 401, code: "MISSING_SIGNATURE" },
};

const failures = [];
const fail = (t) => failures.push(t);
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".json": "application/json" };
const server = http.createServer((req, res) => {
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
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  timeout: 30_000,
});
let results = null;
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (e) => fail(`page error: ${e.message}`));
  page.on("console", (m) => {
    // The two rejected deliveries are expected 401s, which Chromium logs as failed resource loads.
    if (m.type() === "error" && !/status of 401\b/.test(m.text())) fail(`console error: ${m.text()}`);
  });
  await page.goto(`${origin}/index.html`, { waitUntil: "load" });
  await page.waitForFunction(() => document.getElementById("status")?.textContent !== "");
  const status = await page.textContent("#status");
  if (status !== "done") fail(`the page says ${JSON.stringify(status)}`);
  else results = JSON.parse(await page.textContent("#results"));
} catch (e) {
  fail(`${e && e.name}: ${e && e.message}`);
} finally {
  await browser.close().catch(() => {});
  server.close();
}
if (results) {
  for (const [name, want] of Object.entries(expected)) {
    const got = results[name];
    if (got?.status !== want.status || (want.code && got?.code !== want.code)) fail(`${name}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
  if (JSON.stringify(results.state?.events) !== JSON.stringify(["gates.changed"])) fail(`onEvent saw ${JSON.stringify(results.state?.events)}`);
  if (results.state?.kycError !== true) fail("KycError is not exported by kyc-wasm/server");
}
const swGzip = gzipSync(readFileSync(path.join(dir, "sw.js")), { level: 9 }).length;
if (failures.length) {
  for (const f of failures) console.log(`FAIL ${label}: ${f}`);
  process.exit(1);
}
console.log(`PASS ${label}: a service worker bundled from "kyc-wasm/server" answered valid 200 (onEvent called), tampered 401 INVALID_SIGNATURE, unsigned 401 MISSING_SIGNATURE; sw.js ${(swGzip / 1024).toFixed(1)} KB gzip -9`);
