// Uploads from Node (the node build, pkg/node: global fetch, FormData, Blob) against real S3-compatible
// servers (servers.mjs): s3rver for pre-signed PUT URLs, whose SigV4 checks it enforces, and s3s-fs for POST
// forms, whose policies it enforces. Every upload is read back and compared byte for byte; every refusal is
// checked against the server's own request log and store.
//
// Run: node --test tests/upload/   (needs pkg/ built: bash scripts/build.sh)

import assert from "node:assert/strict";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";

import { KINDS, jpeg, pdf, png } from "./fixtures.mjs";
import { BUCKET, ostPostResponse, ostPutResponse, presignPost, presignPut, startServers } from "./servers.mjs";

// KYC_WASM_PKG points at another built package (default: this checkout's pkg/).
const PKG = process.env.KYC_WASM_PKG ?? fileURLToPath(new URL("../../pkg", import.meta.url));
const pkg = createRequire(import.meta.url)(path.join(PKG, "node", "index.js"));
// The servers listen on http://127.0.0.1: uploads here pass allowInsecure: true (an http: target is refused
// otherwise, tested in "transport and contentType").
const kyc = { ...pkg, uploadFile: (target, file, options = {}) => pkg.uploadFile(target, file, { allowInsecure: true, ...options }) };

const KB = 1024;
const MB = 1024 * KB;
const nowSeconds = () => Math.floor(Date.now() / 1000);
// Started at load time so that the POST suite can be skipped (KYC_UPLOAD_S3S=0) when s3s-fs is not wanted.
const servers = await startServers({ s3s: process.env.KYC_UPLOAD_S3S === "0" ? false : true });
let serial = 0;
const fresh = (folder = "3/i") => `${folder}/node-${process.pid}-${++serial}`;

after(async () => {
  await servers.close();
});

/** Asserts that `promise` rejects with a KycError of `code`, and returns the error. */
async function rejectsWith(promise, code) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected KycError ${code}, but it resolved`);
  assert.equal(error.name, "KycError", String(error));
  assert.equal(error.code, code, error.message);
  assert.ok(kyc.isKycError(error));
  return error;
}

/** Runs `action` and asserts the servers saw no request at all and store nothing new. */
async function sendsNothing(action) {
  const before = servers.requests.length;
  const stored = servers.storedKeys().length;
  const s3sStored = servers.s3s?.storedKeys().length;
  const result = await action();
  assert.equal(servers.requests.length, before, "s3rver received no request");
  assert.equal(servers.storedKeys().length, stored, "s3rver stored nothing");
  if (servers.s3s) assert.equal(servers.s3s.storedKeys().length, s3sStored, "s3s-fs stored nothing");
  return result;
}

async function putTarget(key, contentType, { endpoint = servers.endpoint, expiresIn, files = true, now } = {}) {
  const url = await presignPut(endpoint, key, contentType, { expiresIn });
  const response = ostPutResponse({ document_id: url });
  const [target] = kyc.parseUploadTargets(response, { now, files: files ? { document_id: contentType } : undefined });
  return target;
}

async function postTarget(key, contentType, conditions = {}, { server = "s3s", fileKey = "document_id", now } = {}) {
  const endpoint = server === "s3s" ? servers.s3s.endpoint : servers.endpoint;
  const credentials = server === "s3s" ? (await import("./servers.mjs")).S3S_CREDENTIALS : undefined;
  const post = await presignPost(endpoint, key, { contentType, credentials, ...conditions });
  const [target] = kyc.parseUploadTargets(ostPostResponse({ [fileKey]: post }), { now, files: { [fileKey]: contentType } });
  return target;
}

describe("parseUploadTargets and kycFilePaths", () => {
  test("the documented shapes, expiresAt, contentType from files, and success: false", () => {
    const response = ostPutResponse({
      selfie: "http://127.0.0.1:1/kyc/3/i/s?X-Amz-Signature=x",
      investor_proof_file10: "http://127.0.0.1:1/kyc/3/d/p10",
      investor_proof_file2: "http://127.0.0.1:1/kyc/3/d/p2",
      document_id: "http://127.0.0.1:1/kyc/3/i/d",
    });
    response.success = "true"; // as in the documented PUT example
    const targets = kyc.parseUploadTargets(JSON.stringify(response), {
      now: 1_700_000_000,
      files: { selfie: "IMAGE/JPEG", investor_proof_file10: "application/pdf", investor_proof_file2: "application/pdf", document_id: "image/png" },
    });
    assert.deepEqual(
      targets.map((t) => [t.key, t.method, t.expiresAt, t.contentType, t.fields.key]),
      [
        ["selfie", "PUT", 1_700_000_900, "image/jpeg", "3/i/s"],
        ["investor_proof_file10", "PUT", 1_700_000_900, "application/pdf", "3/d/p10"],
        ["investor_proof_file2", "PUT", 1_700_000_900, "application/pdf", "3/d/p2"],
        ["document_id", "PUT", 1_700_000_900, "image/png", "3/i/d"],
      ],
    );
    assert.deepEqual(kyc.kycFilePaths(targets), {
      document_id_file_path: "3/i/d",
      selfie_file_path: "3/i/s",
      investor_proof_files_path: ["3/d/p2", "3/d/p10"],
    });
    assert.throws(
      () => kyc.parseUploadTargets({ success: false, err: { code: "UNAUTHORIZED", msg: "bad key", internal_id: "a_b_1" } }),
      (e) => e.code === "API_ERROR" && e.err.code === "UNAUTHORIZED" && e.err.msg === "bad key" && e.err.internal_id === "a_b_1" && e.apiCode === "UNAUTHORIZED",
    );
    assert.throws(() => kyc.parseUploadTargets({ success: true, data: {} }), (e) => e.code === "MALFORMED_BODY");
    assert.throws(() => kyc.parseUploadTargets("{not json"), (e) => e.code === "MALFORMED_BODY");
    assert.throws(() => kyc.parseUploadTargets(response, { files: { selfie: "image/gif" } }), (e) => e.code === "INVALID_ARGUMENT");
    assert.throws(() => kyc.kycFilePaths([{ key: "passport", fields: { key: "x" } }]), (e) => e.code === "INVALID_ARGUMENT");
  });
});

describe("transport, contentType and hostile arguments (issue 14)", () => {
  test("an http: target is refused unless allowInsecure: true, and nothing is sent", async () => {
    const target = await putTarget(fresh(), "image/jpeg");
    assert.ok(target.url.startsWith("http://127.0.0.1"));
    const e = await rejectsWith(sendsNothing(() => pkg.uploadFile(target, jpeg(300 * KB))), "INVALID_ARGUMENT");
    assert.match(e.message, /allowInsecure/);
    await rejectsWith(sendsNothing(() => pkg.uploadFile(target, jpeg(300 * KB), { allowInsecure: false })), "INVALID_ARGUMENT");
    await rejectsWith(sendsNothing(() => pkg.uploadFile(target, jpeg(300 * KB), { allowInsecure: "yes" })), "INVALID_ARGUMENT");
    assert.equal((await pkg.uploadFile(target, jpeg(300 * KB), { allowInsecure: true })).status, 200);
  });

  test("an explicit contentType in another case is accepted and the signed type is sent", async () => {
    const key = fresh();
    const bytes = jpeg(300 * KB);
    const target = await putTarget(key, "image/jpeg");
    const uploaded = await kyc.uploadFile(target, bytes, { contentType: "IMAGE/JPEG" });
    assert.equal(uploaded.status, 200);
    // Before issue 14, "IMAGE/JPEG" went out as given (and the answer said so).
    assert.equal(uploaded.contentType, "image/jpeg");
  });

  test("kycFilePaths with a Proxy whose traps throw is a KycError", () => {
    const boom = () => {
      throw new Error("trap");
    };
    const target = { key: "document_id", fields: { key: "3/i/d" } };
    const { proxy: revoked, revoke } = Proxy.revocable([target], {});
    revoke();
    for (const hostile of [
      new Proxy([target], { get: boom }),
      new Proxy({ document_id: target }, { ownKeys: boom }),
      new Proxy({ document_id: target }, { get: boom }),
      new Proxy({ document_id: target }, { getOwnPropertyDescriptor: boom }),
      [new Proxy(target, { get: boom })],
      [{ key: "document_id", fields: new Proxy({}, { get: boom }) }],
      revoked,
    ]) {
      assert.throws(() => pkg.kycFilePaths(hostile), (e) => e.name === "KycError" && pkg.isKycError(e) && e.code === "INVALID_ARGUMENT");
    }
    assert.deepEqual(pkg.kycFilePaths([target]), { document_id_file_path: "3/i/d" });
  });
});

describe("PUT to s3rver (SigV4 enforced)", () => {
  for (const kind of KINDS) {
    test(`${kind.name}: uploads through a pre-signed PUT URL, reads back identical`, async () => {
      const key = fresh();
      const bytes = kind.make(300 * KB);
      const target = await putTarget(key, kind.contentType);
      const progress = [];
      const uploaded = await kyc.uploadFile(target, bytes, { onProgress: (p) => progress.push(p) });
      assert.equal(uploaded.status, 200);
      assert.equal(uploaded.contentType, kind.contentType);
      assert.match(uploaded.etag, /^[0-9a-f]{32}$/);
      assert.equal(uploaded.key, "document_id");
      assert.equal(uploaded.fields.key, key);
      assert.deepEqual(progress, [{ loaded: 0, total: bytes.length }, { loaded: bytes.length, total: bytes.length }]);
      const stored = await servers.readObject(key);
      assert.equal(stored.contentType, kind.contentType);
      assert.ok(Buffer.from(stored.bytes).equals(Buffer.from(bytes)), "identical bytes");
    });
  }

  test("a Blob, an ArrayBuffer and a Buffer are accepted as the file", async () => {
    const bytes = png(250 * KB, 7);
    for (const file of [new Blob([bytes], { type: "image/png" }), bytes.buffer.slice(0), Buffer.from(bytes)]) {
      const key = fresh();
      const uploaded = await kyc.uploadFile(await putTarget(key, "image/png"), file);
      assert.equal(uploaded.status, 200);
      assert.ok(Buffer.from((await servers.readObject(key)).bytes).equals(Buffer.from(bytes)));
    }
    // A Uint8Array view into a larger buffer sends only its own bytes.
    const padded = new Uint8Array(bytes.length + 100);
    padded.set(bytes, 50);
    const key = fresh();
    await kyc.uploadFile(await putTarget(key, "image/png"), padded.subarray(50, 50 + bytes.length));
    assert.ok(Buffer.from((await servers.readObject(key)).bytes).equals(Buffer.from(bytes)));
  });

  test("the type comes from options, else the target, else the Blob (and must match the magic bytes)", async () => {
    const bytes = jpeg(220 * KB);
    const key = fresh();
    const url = await presignPut(servers.endpoint, key, "image/jpeg");
    const [bare] = kyc.parseUploadTargets(ostPutResponse({ selfie: url })); // no files map: no contentType
    assert.equal(bare.contentType, null);
    const uploaded = await kyc.uploadFile(bare, new Blob([bytes], { type: "image/jpeg" }));
    assert.equal(uploaded.contentType, "image/jpeg");
    await rejectsWith(sendsNothing(() => kyc.uploadFile(bare, bytes)), "INVALID_FILE"); // no type anywhere
  });

  test("server refuses a tampered signature: UPLOAD_FAILED with S3's code, no retry, no object", async () => {
    const key = fresh();
    const target = await putTarget(key, "image/jpeg");
    const url = new URL(target.url);
    const sig = url.searchParams.get("X-Amz-Signature");
    url.searchParams.set("X-Amz-Signature", (sig[0] === "0" ? "1" : "0") + sig.slice(1));
    const before = servers.requests.length;
    const e = await rejectsWith(kyc.uploadFile({ ...target, url: url.href }, jpeg(300 * KB)), "UPLOAD_FAILED");
    assert.equal(e.s3Code, "SignatureDoesNotMatch");
    assert.match(e.s3Message, /signature we calculated does not match/);
    assert.equal(e.status, 403);
    assert.equal(servers.requests.length - before, 1, "4xx is never retried");
    assert.equal(await servers.readObject(key), null);
  });

  test("server refuses a content type other than the signed one: UPLOAD_FAILED, no object", async () => {
    // The library can only hold the file to the signed type when it knows it; here it does not.
    const key = fresh();
    const target = await putTarget(key, "image/jpeg", { files: false });
    const e = await rejectsWith(kyc.uploadFile(target, png(300 * KB), { contentType: "image/png" }), "UPLOAD_FAILED");
    assert.equal(e.s3Code, "SignatureDoesNotMatch");
    assert.equal(await servers.readObject(key), null);
    // When it knows the signed type, it refuses before sending.
    const known = await putTarget(fresh(), "image/jpeg");
    const refused = await rejectsWith(sendsNothing(() => kyc.uploadFile(known, png(300 * KB), { contentType: "image/png" })), "INVALID_FILE");
    assert.match(refused.message, /signed for image\/jpeg/);
  });

  test("server refuses an expired PUT URL (client clock behind): UPLOAD_FAILED, no object", async () => {
    const key = fresh();
    const signedAt = nowSeconds();
    const target = await putTarget(key, "application/pdf", { expiresIn: 1, now: signedAt });
    await new Promise((r) => setTimeout(r, 2100));
    // A client whose clock still says `signedAt` believes the URL is good, so the server must refuse it.
    const e = await rejectsWith(kyc.uploadFile(target, pdf(300 * KB), { now: signedAt }), "UPLOAD_FAILED");
    assert.equal(e.s3Code, "AccessDenied");
    assert.match(e.s3Message, /expired/);
    assert.equal(await servers.readObject(key), null);
    // With the right clock the library sees X-Amz-Date + X-Amz-Expires has passed and sends nothing.
    const expired = await rejectsWith(sendsNothing(() => kyc.uploadFile(target, pdf(300 * KB))), "URL_EXPIRED");
    assert.match(expired.message, /X-Amz-Expires/);
  });

  test("library refuses, sending nothing: magic bytes, size bounds, expiry", async () => {
    const target = await putTarget(fresh(), "image/png");
    let e = await rejectsWith(sendsNothing(() => kyc.uploadFile(target, jpeg(300 * KB))), "INVALID_FILE");
    assert.match(e.message, /declared image\/png but its magic bytes say JPEG/);
    e = await rejectsWith(sendsNothing(() => kyc.uploadFile(target, new TextEncoder().encode("x".repeat(300 * KB)))), "INVALID_FILE");
    assert.match(e.message, /does not start with the PNG magic bytes/);
    e = await rejectsWith(sendsNothing(() => kyc.uploadFile(target, png(100 * KB))), "INVALID_FILE");
    assert.match(e.message, /under the 204800-byte minimum/);
    e = await rejectsWith(sendsNothing(() => kyc.uploadFile(target, png(300 * KB), { maxBytes: 200 * KB })), "INVALID_FILE");
    assert.match(e.message, /over the 204800-byte maximum/);
    e = await rejectsWith(sendsNothing(() => kyc.uploadFile(target, png(300 * KB), { now: target.expiresAt })), "URL_EXPIRED");
    // The bounds can be widened: a 2 KB PNG goes through with minBytes.
    const small = await putTarget(fresh(), "image/png");
    assert.equal((await kyc.uploadFile(small, png(2 * KB), { minBytes: 1 })).status, 200);
    e = await rejectsWith(sendsNothing(() => kyc.uploadFile(target, png(300 * KB), { minBytes: -1 })), "INVALID_ARGUMENT");
  });

  test("a 5xx is retried (at most twice) with backoff; then it succeeds", async () => {
    const key = fresh();
    const target = await putTarget(key, "image/jpeg", { endpoint: servers.flakyEndpoint });
    servers.failNext(`/${BUCKET}/${key}`, 2);
    const bytes = jpeg(300 * KB, 11);
    const started = Date.now();
    const uploaded = await kyc.uploadFile(target, bytes);
    assert.equal(uploaded.status, 200);
    const attempts = servers.requests.filter((r) => r.path === `/${BUCKET}/${key}`);
    assert.deepEqual(attempts.map((r) => r.status), [503, 503, 200]);
    assert.ok(Date.now() - started >= 2000 - 50, "waited 500 ms then 1500 ms");
    assert.ok(Buffer.from((await servers.readObject(key)).bytes).equals(Buffer.from(bytes)));
  });

  test("three 5xx in a row: UPLOAD_FAILED with S3's SlowDown after 3 attempts", async () => {
    const key = fresh();
    const target = await putTarget(key, "image/jpeg", { endpoint: servers.flakyEndpoint });
    servers.failNext(`/${BUCKET}/${key}`, 3);
    const e = await rejectsWith(kyc.uploadFile(target, jpeg(300 * KB)), "UPLOAD_FAILED");
    assert.equal(e.s3Code, "SlowDown");
    assert.equal(e.status, 503);
    assert.equal(servers.requests.filter((r) => r.path === `/${BUCKET}/${key}`).length, 3);
  });

  test("a network failure is retried twice, then UPLOAD_FAILED", async () => {
    const net = await import("node:net");
    const closed = net.createServer();
    await new Promise((r) => closed.listen(0, "127.0.0.1", r));
    const port = closed.address().port;
    let connections = 0;
    closed.on("connection", (s) => {
      connections++;
      s.destroy(); // reset every connection
    });
    try {
      const url = await presignPut(`http://127.0.0.1:${port}`, fresh(), "image/jpeg");
      const [target] = kyc.parseUploadTargets(ostPutResponse({ document_id: url }), { files: { document_id: "image/jpeg" } });
      const e = await rejectsWith(kyc.uploadFile(target, jpeg(300 * KB)), "UPLOAD_FAILED");
      assert.match(e.s3Message, /network failure/);
      assert.equal(connections, 3);
    } finally {
      closed.close();
    }
  });

  test("never retried after expiry: the URL expires during the backoff", async () => {
    const key = fresh();
    const target = await putTarget(key, "image/jpeg", { endpoint: servers.flakyEndpoint });
    servers.failNext(`/${BUCKET}/${key}`, 1);
    // Pretend the target has 1 s left: the 500 ms backoff plus the first attempt take it past.
    const e = await rejectsWith(kyc.uploadFile(target, jpeg(300 * KB), { now: target.expiresAt - 1 }), "URL_EXPIRED");
    assert.match(e.message, /expired/);
    assert.equal(servers.requests.filter((r) => r.path === `/${BUCKET}/${key}`).length, 1);
  });

  test("abort: before the start sends nothing; mid-upload leaves no object", async () => {
    const target = await putTarget(fresh(), "image/jpeg");
    const controller = new AbortController();
    controller.abort();
    await rejectsWith(sendsNothing(() => kyc.uploadFile(target, jpeg(300 * KB), { signal: controller.signal })), "ABORTED");

    const key = fresh();
    const slow = await putTarget(key, "image/jpeg", { endpoint: servers.slowEndpoint });
    const mid = new AbortController();
    const timer = setTimeout(() => mid.abort(), 400); // 6 MB at 1.5 MB/s takes 4 s
    const started = Date.now();
    const e = await rejectsWith(kyc.uploadFile(slow, jpeg(6 * MB), { signal: mid.signal }), "ABORTED");
    clearTimeout(timer);
    assert.ok(Date.now() - started < 3000, "the abort took effect at once");
    assert.match(e.message, /cancelled/);
    // The transfer really was cut off part-way, and nothing was committed. (Node's fetch rejects at once
    // but keeps writing the body it already queued for a few seconds before it drops the connection.)
    const seen = servers.slowLog.find((r) => r.path === `/${BUCKET}/${key}`);
    for (let i = 0; i < 150 && !seen.aborted; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(seen.received > 0 && seen.received < seen.expected, `cut off at ${seen.received} of ${seen.expected} bytes`);
    assert.ok(seen.aborted && !seen.forwarded, JSON.stringify(seen));
    assert.equal(await servers.readObject(key), null, "no object");
    assert.ok(!servers.storedKeys().includes(key));
  });
});

describe("POST forms to s3s-fs (POST policies enforced by the server)", { skip: !servers.s3s && "KYC_UPLOAD_S3S=0: s3s-fs not started" }, () => {
  for (const kind of KINDS) {
    test(`${kind.name}: policy fields first, Content-Type added, file last; reads back identical`, async () => {
      const key = fresh("3/d");
      const bytes = kind.make(260 * KB);
      const target = await postTarget(key, kind.contentType);
      assert.equal(target.method, "POST");
      assert.equal(target.fields["Content-Type"], undefined, "the SDK puts no Content-Type field: the library adds it");
      const uploaded = await kyc.uploadFile(target, bytes);
      assert.equal(uploaded.status, 204);
      const stored = await servers.readObject(key, { server: "s3s" });
      assert.ok(Buffer.from(stored.bytes).equals(Buffer.from(bytes)), "identical bytes");
      assert.equal(stored.contentType, kind.contentType);
    });
  }

  test("the server itself refuses what the library would have: proof the conditions are real", async () => {
    // Sent by hand, around the library: a type the policy does not allow, and a file outside the range.
    const key = fresh("3/d");
    const target = await postTarget(key, "image/png", { min: 1000, max: 5000 });
    const send = async (contentType, bytes) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(target.fields)) form.append(k, v);
      form.append("Content-Type", contentType);
      form.append("file", new Blob([bytes], { type: contentType }), "f");
      // In one write, by hand: s3s-fs answers as soon as it has read the fields, and closes.
      const request = new Request(target.url, { method: "POST", body: form });
      const body = Buffer.from(await request.arrayBuffer());
      const url = new URL(target.url);
      return new Promise((resolve, reject) => {
        const headers = { "content-type": request.headers.get("content-type"), "content-length": body.length };
        const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers }, (res) => {
          let text = "";
          res.on("data", (d) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode, body: text }));
        });
        req.on("error", (e) => (["EPIPE", "ECONNRESET"].includes(e.code) ? undefined : reject(e)));
        req.end(body);
      });
    };
    let r = await send("image/jpeg", jpeg(2000));
    assert.equal(r.status, 400, r.body);
    assert.match(r.body, /<Code>InvalidPolicyDocument<\/Code>.*content-type/);
    r = await send("image/png", png(6000));
    assert.equal(r.status, 400, r.body);
    assert.match(r.body, /<Code>EntityTooLarge<\/Code>/);
    assert.equal(await servers.readObject(key, { server: "s3s" }), null);
    // The same policy through the library: refused before sending, naming the condition.
    const e = await rejectsWith(sendsNothing(() => kyc.uploadFile(target, png(6000), { minBytes: 0 })), "INVALID_FILE");
    assert.match(e.message, /content-length-range/);
  });

  test("library refuses, sending nothing: size outside the policy's range", async () => {
    const target = await postTarget(fresh("3/d"), "image/jpeg", { min: 1000, max: 100 * KB });
    // The caller's own bounds allow the file; the policy does not.
    const e = await rejectsWith(sendsNothing(() => kyc.uploadFile(target, jpeg(150 * KB), { minBytes: 0, maxBytes: MB })), "INVALID_FILE");
    assert.match(e.message, /153600 bytes, outside the POST policy's \["content-length-range", 1000, 102400\]/);
  });

  test("library refuses, sending nothing: the policy's Content-Type (eq and starts-with)", async () => {
    const eq = await postTarget(fresh("3/d"), "image/png");
    let e = await rejectsWith(sendsNothing(() => kyc.uploadFile(eq, jpeg(300 * KB), { contentType: "image/jpeg" })), "INVALID_FILE");
    assert.match(e.message, /Content-Type "image\/jpeg" fails the POST policy condition \["eq", "\$Content-Type", "image\/png"\]/);
    const prefix = await postTarget(fresh("3/d"), "image/png", { contentTypePrefix: "image/" });
    e = await rejectsWith(sendsNothing(() => kyc.uploadFile(prefix, pdf(300 * KB), { contentType: "application/pdf" })), "INVALID_FILE");
    assert.match(e.message, /starts-with/);
    // ...and a matching prefix goes through the real server.
    const key = fresh("3/d");
    const ok = await postTarget(key, "image/png", { contentTypePrefix: "image/" });
    assert.equal((await kyc.uploadFile(ok, png(300 * KB), { contentType: "image/png" })).status, 204);
  });

  test("library refuses, sending nothing: an expired policy", async () => {
    const target = await postTarget(fresh("3/d"), "image/jpeg", { expires: 60 });
    // 2 minutes later: the target's 15 minutes are not over, the policy's expiration is.
    const e = await rejectsWith(sendsNothing(() => kyc.uploadFile(target, jpeg(300 * KB), { now: nowSeconds() + 120 })), "URL_EXPIRED");
    assert.match(e.message, /POST policy .* expiration/);
  });

  test("library refuses, sending nothing: magic bytes that contradict the declared type", async () => {
    const target = await postTarget(fresh("3/d"), "application/pdf");
    const e = await rejectsWith(sendsNothing(() => kyc.uploadFile(target, png(300 * KB))), "INVALID_FILE");
    assert.match(e.message, /declared application\/pdf but its magic bytes say PNG/);
  });

  test("a POST to s3rver too (it ignores policies, but the form must still be one S3 accepts)", async () => {
    const key = fresh("3/d");
    const bytes = pdf(400 * KB);
    const target = await postTarget(key, "application/pdf", {}, { server: "s3rver" });
    const uploaded = await kyc.uploadFile(target, new Blob([bytes]));
    assert.equal(uploaded.status, 204);
    const stored = await servers.readObject(key);
    assert.ok(Buffer.from(stored.bytes).equals(Buffer.from(bytes)));
    assert.equal(stored.contentType, "application/pdf");
  });
});

describe("end to end: request targets, upload every document, build the submission fields", () => {
  test("document_id, selfie, residence_proof and investor proofs 1, 2 and 10", async () => {
    const files = {
      document_id: "image/jpeg",
      selfie: "image/png",
      residence_proof: "application/pdf",
      investor_proof_file1: "application/pdf",
      investor_proof_file10: "application/pdf",
      investor_proof_file2: "application/pdf",
    };
    const urls = {};
    for (const [fileKey, type] of Object.entries(files)) urls[fileKey] = await presignPut(servers.endpoint, fresh(`e2e/${fileKey}`), type);
    const targets = kyc.parseUploadTargets(ostPutResponse(urls), { files });
    const make = { "image/jpeg": jpeg, "image/png": png, "application/pdf": pdf };
    const uploaded = await Promise.all(targets.map((t, i) => kyc.uploadFile(t, make[t.contentType](210 * KB + i, i))));
    const paths = kyc.kycFilePaths(uploaded);
    assert.deepEqual(Object.keys(paths), ["document_id_file_path", "selfie_file_path", "residence_proof_file_path", "investor_proof_files_path"]);
    assert.deepEqual(
      paths.investor_proof_files_path,
      ["investor_proof_file1", "investor_proof_file2", "investor_proof_file10"].map((k) => targets.find((t) => t.key === k).fields.key),
    );
    for (const t of uploaded) assert.ok(await servers.readObject(t.fields.key));
  });
});
