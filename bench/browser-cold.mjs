// Browser cold start of the two browser entries, in headless Chromium (issue 13): a fresh browser context per
// run (empty cache), a page whose module script imports the entry and calls toQuery; the page reports the time
// from just before the dynamic import to that first answer (performance.now()). Entries: "kyc-wasm" under the browser
// condition (browser/index.js: wasm embedded as hex, instantiated synchronously at import) and kyc-wasm/web
// (web/index.js + `await init()`: fetches the separate .wasm and compiles it with instantiateStreaming).
// `node bench/browser-cold.mjs [runs] [pkgDir]` runs it alone; served from 127.0.0.1 with no throttling.
import { createReadStream, existsSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const { chromium } = await import(path.join(HERE, "..", "node_modules", "playwright-core", "index.mjs"));
const runs = Number(process.argv[2] ?? 15);
const pkg = path.resolve(process.argv[3] ?? path.join(HERE, "..", "pkg"));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

// Each page times a dynamic import of the entry (fetch, parse, compile, instantiate) up to the first answer.
const PAGES = {
  "/embedded.html": `const m = await import("/browser/index.js"); report(m.toQuery({ a: 1 }));`,
  "/web.html": `const m = await import("/web/index.js"); await m.default(); report(m.toQuery({ a: 1 }));`,
  "/lite-embedded.html": `const m = await import("/lite/browser/index.js"); report(m.toQuery({ a: 1 }));`,
  "/lite-web.html": `const m = await import("/lite/web/index.js"); await m.default(); report(m.toQuery({ a: 1 }));`,
};
const html = (code) =>
  `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module">const t0 = performance.now(); const report = (q) => { window.done = { q, ms: performance.now() - t0 }; }; ${code}</script>`;
const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm" };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://x").pathname;
  if (PAGES[url]) return res.writeHead(200, { "content-type": "text/html" }).end(html(PAGES[url]));
  const file = path.join(pkg, url);
  if (!file.startsWith(pkg) || !existsSync(file) || !statSync(file).isFile()) return res.writeHead(404).end();
  res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const samples = Object.fromEntries(Object.keys(PAGES).map((p) => [p, []]));
try {
  for (let i = 0; i < runs; i++) {
    for (const page of Object.keys(PAGES)) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(origin + page);
      const done = await tab.waitForFunction(() => window.done, null, { timeout: 30_000 });
      const { q, ms } = await done.jsonValue();
      if (q !== "a=1") throw new Error(`${page}: ${q}`);
      samples[page].push(ms);
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`| page (Chromium ${browser.version()}, ${runs} fresh contexts each) | import() → first answer (median, p10–p90) |`);
console.log("|---|---:|");
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
for (const [page, xs] of Object.entries(samples)) console.log(`| ${page} | ${median(xs).toFixed(1)} ms (${pct(xs, 0.1).toFixed(1)}–${pct(xs, 0.9).toFixed(1)}) |`);
