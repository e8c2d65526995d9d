// The S3-compatible servers the upload tests run against, all on 127.0.0.1, each on a free port.
//
// - `@20minutes/s3rver` 5.x, in this process. It checks SigV4 on pre-signed PUT URLs (signature, secret,
//   key, signed content-type, expiry, access key) and answers CORS from the bucket's rules. It does not check
//   POST policies or POST signatures at all. Its CLI wants Node 24, but the library runs on Node 20, so it is
//   started here: the bucket and its CORS rules are configured at start-up, because its bucket-level
//   SDK calls (CreateBucket, PutBucketCors, ListObjectsV2) fail their own signature checks.
//   Three front doors lead to the same store, and every request through any of them is logged:
//     `endpoint` (direct), `slowEndpoint` (a proxy that reads uploads slowly, for progress and abort tests)
//     and `flakyEndpoint` (answers 503 SlowDown to the first N requests for a path, for retry tests).
// - `s3s-fs` (the Rust s3s crate's file-system server), when its binary is there (S3S_FS, or .tools/bin):
//   it verifies POST policy signatures AND every policy condition (expiration, content-length-range, eq,
//   starts-with), so a form the library builds is proven acceptable to a server that enforces policies.
//
// Run on its own (Node 20+) to poke at it by hand:  node tests/upload/servers.mjs
// It prints the endpoints and a pre-signed PUT URL, and runs until Ctrl-C.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import S3rver from "@20minutes/s3rver";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");

export const BUCKET = "kyc";
/** s3rver's built-in account. */
export const CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
/** The account s3s-fs is started with. */
export const S3S_CREDENTIALS = { accessKeyId: "KYCTESTKEY", secretAccessKey: "kyc-test-secret" };
export const REGION = "us-east-1";

// The AWS SDK warns about Node 20 on every load; the tests run on Node 20 on purpose.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === "string" ? warning : warning?.message ?? "";
  if (/AWS SDK for JavaScript|NodeVersionSupportWarning/.test(text) || rest.some((r) => /NodeVersionSupport/.test(String(r?.type ?? r)))) return;
  emitWarning(warning, ...rest);
};

const corsXml = (origins) => `<CORSConfiguration>
  <CORSRule>
    ${origins.map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`).join("\n    ")}
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

const listen = (server) =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
const close = (server) => new Promise((resolve) => server.close(() => resolve()));

/** An S3 client for `endpoint` (path-style; no flexible checksums, which pre-signed URLs cannot carry). */
export function s3Client(endpoint, credentials = CREDENTIALS) {
  return new S3Client({
    endpoint,
    region: REGION,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** A pre-signed PUT URL that binds the content type (`signableHeaders: content-type`). */
export function presignPut(endpoint, key, contentType, { expiresIn = 900, credentials } = {}) {
  return getSignedUrl(
    s3Client(endpoint, credentials),
    new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentType: contentType }),
    { expiresIn, signableHeaders: new Set(["content-type"]) },
  );
}

/**
 * A pre-signed POST form, OST-style: `content-length-range`, a Content-Type condition (`eq`, or
 * `starts-with` when `contentTypePrefix` is given) and a `key` condition (`starts-with` the key's folder).
 */
export function presignPost(
  endpoint,
  key,
  { contentType, contentTypePrefix, min = 200 * 1024, max = 20 * 1024 * 1024, expires = 900, credentials } = {},
) {
  const conditions = [["content-length-range", min, max]];
  if (contentTypePrefix !== undefined) conditions.push(["starts-with", "$Content-Type", contentTypePrefix]);
  else if (contentType) conditions.push(["eq", "$Content-Type", contentType]);
  conditions.push(["starts-with", "$key", key.slice(0, key.lastIndexOf("/") + 1)]);
  return createPresignedPost(s3Client(endpoint, credentials), {
    Bucket: BUCKET,
    Key: key,
    Conditions: conditions,
    Expires: expires,
  });
}

/** The documented `file_upload_put` response for `{fileKey: url}` (the URL's path is `/bucket/objectKey`). */
export function ostPutResponse(urls) {
  const data = {};
  for (const [fileKey, url] of Object.entries(urls)) {
    const objectKey = decodeURIComponent(new URL(url).pathname.split("/").slice(2).join("/"));
    data[fileKey] = { url, fields: { key: objectKey } };
  }
  return { success: true, data: { result_type: "file_upload_put", file_upload_put: data } };
}

/** The documented `file_upload_post` response for `{fileKey: {url, fields}}`. */
export function ostPostResponse(posts) {
  const data = {};
  for (const [fileKey, { url, fields }] of Object.entries(posts)) data[fileKey] = { url, fields: { ...fields } };
  return { success: true, data: { result_type: "file_upload_post", file_upload_post: data } };
}

const S3RVER_SUFFIX = "._S3rver_object";

/** Every object key in an s3rver or s3s-fs bucket directory. */
function walk(dir, prefix = "") {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory()) return walk(path.join(dir, entry.name), `${name}/`);
    return [name];
  });
}

async function startS3s(bin, root) {
  mkdirSync(path.join(root, BUCKET), { recursive: true });
  // Ask the OS for a free port, then hand it to s3s-fs (it has no "port 0 and print it" mode we can rely on).
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = probe.address().port;
  await close(probe);
  const child = spawn(
    bin,
    ["--host", "127.0.0.1", "--port", String(port), "--access-key", S3S_CREDENTIALS.accessKeyId, "--secret-key", S3S_CREDENTIALS.secretAccessKey, root],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "warn" } },
  );
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`s3s-fs exited (${child.exitCode}): ${output}`);
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) return { endpoint, child, output: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`s3s-fs did not start listening on ${endpoint}: ${output}`);
}

/** Where the s3s-fs binary is, or null. */
export function s3sBinary() {
  const candidates = [process.env.S3S_FS, path.join(ROOT, ".tools", "bin", "s3s-fs")].filter(Boolean);
  return candidates.find((c) => existsSync(c)) ?? null;
}

/**
 * Starts everything. `corsOrigins`: the origins the bucket's CORS rule allows (the browser test page's).
 * `slowBytesPerSecond`: the throttled lane's rate. `s3s`: start s3s-fs too (true: required, "auto": when
 * its binary is there).
 */
export async function startServers({ corsOrigins = ["*"], slowBytesPerSecond = 1_500_000, s3s = "auto" } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kyc-upload-s3-"));
  const s3rverDir = path.join(dir, "s3rver");
  const app = new S3rver({
    silent: true,
    directory: s3rverDir,
    configureBuckets: [{ name: BUCKET, configs: [corsXml(corsOrigins)] }],
  });
  await app.configureBuckets();
  const handle = app.callback();

  /** Every request that reached s3rver, by any front door: {via, method, path, status}. */
  const requests = [];
  const front = (via) => (req, res) => {
    const entry = { via, method: req.method, path: new URL(req.url, "http://x").pathname, status: 0 };
    requests.push(entry);
    res.on("finish", () => (entry.status = res.statusCode));
    handle(req, res);
  };
  const direct = createServer(front("direct"));
  const endpoint = await listen(direct);
  const port = Number(new URL(endpoint).port);

  // The flaky door: `failNext(path, n)` makes the next n requests for `path` answer 503 SlowDown.
  const failures = new Map();
  const flaky = createServer((req, res) => {
    const pathname = new URL(req.url, "http://x").pathname;
    const left = failures.get(pathname) ?? 0;
    if (left > 0 && req.method !== "OPTIONS") {
      failures.set(pathname, left - 1);
      requests.push({ via: "flaky", method: req.method, path: pathname, status: 503, injected: true });
      req.resume();
      res.writeHead(503, { "content-type": "application/xml", "access-control-allow-origin": "*", connection: "close" });
      res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
      return;
    }
    front("flaky")(req, res);
  });
  const flakyEndpoint = await listen(flaky);

  // The slow door: an HTTP proxy that reads each upload at `slowBytesPerSecond` and forwards only complete
  // requests, the way S3 commits only complete uploads. (s3rver itself keeps whatever part of an
  // aborted PUT body it received as the object: an emulator bug this door keeps out of the abort tests.)
  const slowLog = [];
  const slow = createServer((req, res) => {
    const entry = { method: req.method, path: new URL(req.url, "http://x").pathname, expected: Number(req.headers["content-length"] ?? 0), received: 0, forwarded: false, aborted: false };
    slowLog.push(entry);
    const chunks = [];
    req.on("data", (chunk) => {
      chunks.push(chunk);
      entry.received += chunk.length;
      req.pause();
      setTimeout(() => req.resume(), (chunk.length / slowBytesPerSecond) * 1000);
    });
    // The client hung up before the whole body arrived: that request is dropped, never forwarded.
    req.socket.once("close", () => {
      if (!req.complete) entry.aborted = true;
    });
    req.on("end", () => {
      entry.forwarded = true;
      const upstream = httpRequest({ host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => res.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  const slowEndpoint = await listen(slow);

  let s3sServer = null;
  const bin = s3sBinary();
  if (s3s === true && !bin) throw new Error("s3s-fs is not installed: run `bash tests/upload/run.sh` (it installs it into .tools)");
  if (s3s && bin) s3sServer = await startS3s(bin, path.join(dir, "s3s"));

  const s3rverKeys = () =>
    walk(path.join(s3rverDir, BUCKET))
      .filter((k) => k.endsWith(S3RVER_SUFFIX))
      .map((k) => k.slice(0, -S3RVER_SUFFIX.length));

  return {
    dir,
    endpoint,
    slowEndpoint,
    flakyEndpoint,
    requests,
    /** Every request the slow door saw: {method, path, expected, received, forwarded, aborted}. */
    slowLog,
    /** The next `n` requests for `/bucket/key` through the flaky door answer 503. */
    failNext(objectPath, n) {
      failures.set(objectPath, n);
    },
    /** Object keys stored by s3rver. */
    storedKeys: s3rverKeys,
    /** An object's bytes and type, read back through a pre-signed GET; null when S3 says NoSuchKey. */
    async readObject(key, { server = "s3rver" } = {}) {
      const target = server === "s3s" ? s3sServer.endpoint : endpoint;
      const credentials = server === "s3s" ? S3S_CREDENTIALS : CREDENTIALS;
      const url = await getSignedUrl(s3Client(target, credentials), new GetObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 60 });
      const response = await fetch(url);
      const body = new Uint8Array(await response.arrayBuffer());
      if (response.status === 404) return null;
      if (response.status !== 200) throw new Error(`GET ${key}: ${response.status} ${new TextDecoder().decode(body)}`);
      return { bytes: body, contentType: response.headers.get("content-type"), etag: response.headers.get("etag") };
    },
    s3s: s3sServer && {
      endpoint: s3sServer.endpoint,
      /** Object keys stored by s3s-fs (its bucket directory; it keeps internal files under dot-folders). */
      storedKeys: () => walk(path.join(dir, "s3s", BUCKET)).filter((k) => !k.split("/").some((p) => p.startsWith("."))),
      output: s3sServer.output,
    },
    async close() {
      for (const server of [direct, flaky, slow]) server.closeAllConnections();
      await Promise.all([close(direct), close(flaky), close(slow)]);
      s3sServer?.child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Started directly: run until interrupted.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const servers = await startServers({ s3s: "auto" });
  console.log(`s3rver (PUT signatures, CORS):  ${servers.endpoint}   bucket ${BUCKET}, keys ${CREDENTIALS.accessKeyId}/${CREDENTIALS.secretAccessKey}`);
  console.log(`  throttled door:               ${servers.slowEndpoint}`);
  console.log(`  flaky door:                   ${servers.flakyEndpoint}`);
  console.log(`s3s-fs (POST policies):         ${servers.s3s?.endpoint ?? "(not installed: bash tests/upload/run.sh installs it)"}`);
  console.log(`a PUT URL for image/jpeg:       ${await presignPut(servers.endpoint, "manual/test.jpg", "image/jpeg")}`);
  const stop = async () => {
    await servers.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
