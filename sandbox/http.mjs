// Small HTTP helpers shared by the provider sandbox and the demo app (node:http only, no framework).

import { readFile } from "node:fs/promises";
import path from "node:path";

export const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ts": "text/plain; charset=utf-8",
};

/** Reads the raw body as a Buffer; stops reading past `limit` bytes and returns `limit + 1` of them. */
export function readRaw(req, limit = 1024 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let done = false;
    req.on("data", (c) => {
      if (done) return;
      chunks.push(c);
      size += c.length;
      if (size > limit) {
        done = true;
        req.resume();
        resolve(Buffer.concat(chunks).subarray(0, limit + 1));
      }
    });
    req.on("end", () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on("error", (e) => {
      if (!done) reject(e);
    });
  });
}

/** Reads a JSON body; `{}` for an empty one. Throws `{status: 400}` for invalid JSON. */
export async function readJson(req, limit = 256 * 1024) {
  const raw = await readRaw(req, limit);
  if (raw.length > limit) throw Object.assign(new Error("body too large"), { status: 413 });
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw Object.assign(new Error("the body is not valid JSON"), { status: 400 });
  }
}

export function send(res, status, body, type = "text/plain; charset=utf-8", headers = {}) {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...headers });
  res.end(body);
}

export function sendJson(res, status, value, headers = {}) {
  send(res, status, JSON.stringify(value), "application/json", headers);
}

/** Serves `rel` from inside `dir` (never outside it). */
export async function sendFile(res, dir, rel) {
  const root = path.resolve(dir);
  const file = path.resolve(root, "." + path.posix.normalize("/" + rel));
  if (file !== root && !file.startsWith(root + path.sep)) return send(res, 403, "forbidden");
  try {
    const data = await readFile(file);
    return send(res, 200, data, TYPES[path.extname(file)] ?? "application/octet-stream");
  } catch {
    return send(res, 404, `not found: ${rel}`);
  }
}

/** Starts `server` on 127.0.0.1:`port` (0 picks a free port) and resolves to its origin. */
export function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve(`http://127.0.0.1:${server.address().port}`);
    });
  });
}

/** Closes `server`, destroying open connections (SSE streams, keep-alive sockets). */
export function closeServer(server) {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Unix seconds now. */
export const nowSeconds = () => Math.floor(Date.now() / 1000);
