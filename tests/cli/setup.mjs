// Shared by tests/cli/*.test.mjs: the installed package (tests/cli/run.sh packs pkg/ and installs the tarball
// into a scratch project), a runner of its bin in fresh processes, independent verifiers written with
// node:crypto alone, and small HTTP servers.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { hmacSha1Base64, hmacSha256Hex, railsToQuery } from "../js/helpers.mjs";

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "../..");
export const SCRATCH = process.env.KYC_CLI_SCRATCH ?? path.join(HERE, ".scratch", "project");
export const INSTALLED = path.join(SCRATCH, "node_modules", "kyc-wasm");
export const BIN = path.join(INSTALLED, "bin", "kyc-wasm.mjs");
/** The Node that runs the bin: this one, or KYC_CLI_NODE (e.g. a Node 18 binary, the oldest supported). */
export const NODE = process.env.KYC_CLI_NODE || process.execPath;

if (!existsSync(BIN)) {
  throw new Error(`${BIN} is missing: run the CLI tests with \`bash tests/cli/run.sh\` (it packs pkg/ and installs the tarball)`);
}

/** The installed package's Node entry (for the handler servers), loaded from the scratch project. */
export const installed = () => import(pathToFileURL(path.join(INSTALLED, "node", "index.mjs")).href);

/**
 * Runs `node <bin> ...args` in a fresh process: `{code, stdout, stderr}`. `input`: bytes or text for stdin
 * (stdin is closed either way).
 */
export function cli(args, { input, env = {}, cwd = SCRATCH, timeoutMs = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    const out = [];
    const err = [];
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`kyc-wasm ${args.join(" ")}: no exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on("data", (c) => out.push(c));
    child.stderr.on("data", (c) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
    child.stdin.end(input ?? undefined);
  });
}

/** `cli()` and a check of its exit code, with its output in the failure message. */
export async function cliExpect(code, args, options) {
  const r = await cli(args, options);
  assert.equal(r.code, code, `kyc-wasm ${args.join(" ")} exited ${r.code}, expected ${code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

// ---- independent verification (node:crypto and the reference to_query of tests/js/helpers.mjs) ----

const decode = (s) => decodeURIComponent(s.replace(/\+/g, " "));

/** A form body as Rack reads it, for the shapes OST sends: nested keys `a[b][c]` and arrays of strings `a[]`. */
export function rackParse(body) {
  const out = {};
  for (const part of body.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = decode(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? "" : decode(part.slice(eq + 1));
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    assert.ok(m, `unexpected key shape ${key}`);
    const segments = [m[1], ...[...m[2].matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1])];
    let node = out;
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i];
      const last = i === segments.length - 1;
      if (last) {
        if (s === "") throw new Error("empty key");
        node[s] = value;
      } else if (segments[i + 1] === "" && i + 1 === segments.length - 1) {
        (node[s] ??= []).push(value);
        break;
      } else {
        node = node[s] ??= {};
      }
    }
  }
  return out;
}

/** OST's check, written from the documentation: HMAC-SHA256 hex of `url?to_query(params without signature)`. */
export function referenceVerifyOst(body, { url, secret, now = Math.floor(Date.now() / 1000), tolerance = 300 }) {
  const params = rackParse(body);
  const { signature, ...rest } = params;
  const expected = hmacSha256Hex(secret, `${url.split(/[?#]/)[0]}?${railsToQuery(rest)}`);
  const fresh = Math.abs(now - Number(rest.request_timestamp)) <= tolerance;
  return { valid: signature === expected, fresh, params: rest, signature };
}

/** Token of Trust's check: base64 HMAC-SHA1 of the raw body equals the Authorization header. */
export function referenceVerifyTot(bytes, authorization, secret) {
  return typeof authorization === "string" && hmacSha1Base64(secret, bytes) === authorization;
}

// ---- servers ----

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Starts `handler(req, res)` on 127.0.0.1 with a free port: `{origin, close()}`. */
export function listen(handler) {
  const server = createServer(handler);
  server.keepAliveTimeout = 1000;
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        origin: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((r) => {
          server.close(() => r());
          server.closeAllConnections?.();
        }),
      });
    });
  });
}

/**
 * A webhook endpoint written with node:crypto alone: records every request (method, headers, raw body) and
 * answers `answer(request)` (default: 200 when the signature checks out, 401 otherwise).
 */
export async function referenceEndpoint({ ostSecret, totSecret, answer } = {}) {
  const requests = [];
  const server = await listen(async (req, res) => {
    const bytes = await readBody(req);
    const r = { method: req.method, path: req.url, headers: req.headers, bytes, text: bytes.toString("utf8") };
    if (req.url.startsWith("/ost")) {
      r.check = referenceVerifyOst(r.text, { url: `${server.origin}${req.url}`, secret: ostSecret });
      r.valid = r.check.valid && r.check.fresh;
    } else {
      r.valid = referenceVerifyTot(bytes, req.headers.authorization, totSecret);
    }
    requests.push(r);
    const status = answer ? answer(r) : r.valid ? 200 : 401;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ reference: true, valid: r.valid }));
  });
  return { ...server, requests };
}

/** The event names of the seeds, typed out here from the documentation (not taken from the package). */
export const SEED_OST_EVENTS = ["user_register", "user_dopt_in", "user_deleted", "kyc_submit", "update_ethereum_address", "kyc_reopen", "kyc_status_update"];
export const SEED_TOT_EVENTS = [
  "verification.isSubmitted", "verification.isCleared", "verification.isRejected", "verification.isUpdateRequested",
  "reputation.created", "reputation.updated", "test",
];
