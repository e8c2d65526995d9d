// The local test server for the Token of Trust browser tests: a test page, the browser build (pkg/web), a fake
// Token of Trust embed.js, and verifyPerson endpoints that answer each way the client must handle.
//
// Run it by hand to look at the page: `node tests/tot_browser/server.mjs` (prints the URL; embed.js is served at
// once in that mode).

import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
// KYC_PKG_DIR: serve a copy of pkg/ (for instance while pkg/ is being rebuilt); pkg/ by default.
export const PKG = process.env.KYC_PKG_DIR ? path.resolve(process.env.KYC_PKG_DIR) : path.join(ROOT, "pkg");

export const CONTINUATION_URL = "https://app.tokenoftrust.com/continue/test-continuation-1";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".ts": "text/plain; charset=utf-8",
};

/** The verifyPerson endpoints: path -> [status, body, content-type]. */
export const ANSWERS = {
  "/verify/met": [200, { verificationRequired: false }],
  "/verify/continuation": [200, { verificationRequired: true, continuation: { params: { url: CONTINUATION_URL } } }],
  "/verify/error": [200, { verificationRequired: true, error: { code: "TOT_ERROR", message: "Invalid API key" } }],
  // Token of Trust's own content, passed through unchanged by a server that does not use processPersonResponse.
  "/verify/tot-met": [200, {
    code: "WorkflowService:conditionsMet",
    details: { conditionResult: { gates: { isCleared: { value: "fullMatch" }, isSubmitted: true } } },
  }],
  "/verify/500": [500, "Internal Server Error", "text/plain"],
  // A broken server that claims "not required" with an HTTP error: still an error.
  "/verify/500-json": [500, { verificationRequired: false }],
  "/verify/not-json": [200, "<html>maintenance</html>", "text/html"],
};

/**
 * Starts the server on 127.0.0.1 (a random port). `holdEmbed`: embed.js requests wait until `releaseEmbed()`,
 * so tests can make calls before the embed loads.
 */
export async function startServer({ holdEmbed = true } = {}) {
  const requests = []; // {method, path, headers, body}
  const held = new Set(); // responses of the slow endpoint, never answered
  let embedGate = holdEmbed ? deferred() : null;
  const sockets = new Set();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const body = await readBody(req);
    requests.push({ method: req.method, path: url.pathname, headers: req.headers, body });
    try {
      if (url.pathname === "/" || url.pathname === "/index.html") {
        return send(res, 200, await readFile(path.join(HERE, "page.html")), TYPES[".html"]);
      }
      if (url.pathname === "/embed/embed.js") {
        if (embedGate) await embedGate.promise;
        return send(res, 200, await readFile(path.join(HERE, "fake-embed.js")), TYPES[".js"]);
      }
      if (url.pathname.startsWith("/pkg/")) return sendFile(res, url.pathname.slice("/pkg/".length));
      if (url.pathname.startsWith("/verify/")) {
        if (req.method !== "POST") return send(res, 405, "POST only", "text/plain");
        if (url.pathname === "/verify/slow-body") {
          // Headers and half a body, then nothing: the timeout must cover reading the body too.
          res.writeHead(200, { "content-type": "application/json" });
          res.write('{"verificationRequired":');
          held.add(res);
          res.on("close", () => held.delete(res));
          return undefined;
        }
        if (url.pathname === "/verify/slow") {
          held.add(res);
          res.on("close", () => held.delete(res));
          return undefined; // never answers
        }
        const answer = ANSWERS[url.pathname];
        if (!answer) return send(res, 404, "no such endpoint", "text/plain");
        const [status, payload, type] = answer;
        return typeof payload === "string"
          ? send(res, status, payload, type)
          : send(res, status, JSON.stringify(payload), "application/json");
      }
      if (url.pathname === "/favicon.ico") return send(res, 204, "", "text/plain");
      return send(res, 404, "not found", "text/plain");
    } catch (e) {
      return send(res, 500, String(e), "text/plain");
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;

  return {
    origin,
    requests,
    /** Lets held embed.js requests (and later ones) through. */
    releaseEmbed() {
      embedGate?.resolve();
    },
    /** Holds embed.js requests again (for a fresh page). */
    holdEmbed() {
      embedGate = deferred();
    },
    count: (p) => requests.filter((r) => r.path === p).length,
    async close() {
      embedGate?.resolve();
      for (const res of held) res.destroy();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function deferred() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(""));
  });
}

function send(res, status, body, type) {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

async function sendFile(res, rel) {
  const file = path.resolve(PKG, rel);
  if (!file.startsWith(PKG + path.sep)) return send(res, 403, "forbidden", "text/plain");
  try {
    const data = await readFile(file);
    return send(res, 200, data, TYPES[path.extname(file)] ?? "application/octet-stream");
  } catch {
    return send(res, 404, `no ${rel} in pkg/ (run bash scripts/build.sh)`, "text/plain");
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = await startServer({ holdEmbed: false });
  console.log(`serving ${s.origin}/ (Ctrl-C to stop)`);
}
