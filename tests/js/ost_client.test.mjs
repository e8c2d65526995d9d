// The OST KYC API client, its request builders, presignedUrlRequest and validateKycSubmission, end to end
// against tests/ost_server/server.rb: a Rails-style verifier (Rack parses the query or form body,
// ActiveSupport's to_query recomputes the string to sign with Ruby 2.4 CGI.escape, HMAC-SHA256 and the ±10 s
// window are checked) that serves the seed's example objects, multi-page lists and error bodies.
//
//   bash scripts/build.sh && node --test tests/js/ost_client.test.mjs
//
// Needs `ruby` with Debian's ruby-rack, ruby-activesupport and ruby-webrick (scripts/setup.sh installs them).
// KYC_WASM_PKG=<dir> tests another build of the package instead of ./pkg.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inspect } from "node:util";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const PKG = path.resolve(process.env.KYC_WASM_PKG ?? path.join(ROOT, "pkg"));
const ENTRY = path.join(PKG, "node", "index.mjs");
if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`bash scripts/build.sh\` first`);
const kyc = await import(pathToFileURL(ENTRY).href);
const {
  OstKycClient,
  buildCreateUserRequest,
  buildGetUserKycDetailRequest,
  buildGetUserKycRequest,
  buildGetUserRequest,
  buildListUsersKycRequest,
  buildListUsersRequest,
  buildPresignedUrlsRequest,
  buildSendApproveEmailRequest,
  buildSendDenyEmailRequest,
  buildSendReportIssueEmailRequest,
  buildSubmitKycRequest,
  buildValidateEthereumAddressRequest,
  presignedUrlRequest,
  validateKycSubmission,
} = kyc;

// Credentials with characters that must be escaped (the key is signed in clear; the secret keys the HMAC
// as UTF-8 bytes, in Ruby and in Rust alike).
const API_KEY = "test key ~*é";
const API_SECRET = "s3cr3t-ÜBER-secret~value";
const CREDENTIALS = { apiKey: API_KEY, apiSecret: API_SECRET };
const SERVER = path.join(ROOT, "tests", "ost_server", "server.rb");

// ---------------------------------------------------------------------------------------------------------
// The server.

let server;
let base;

async function startServer() {
  const child = spawn("ruby", [SERVER, "--port", "0", "--api-key", API_KEY, "--api-secret", API_SECRET], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const port = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`the OST test server did not start in 30 s: ${stderr}`)), 30_000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = /OST_SERVER_READY port=(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on("error", (e) => reject(new Error(`cannot run ruby (scripts/setup.sh installs it): ${e.message}`)));
    child.on("exit", (code) => reject(new Error(`the OST test server exited with ${code}: ${stderr}`)));
  });
  return { child, port };
}

async function control(pathname, body) {
  const r = await fetch(`${base}/__control/${pathname}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.equal(r.status, 200, `control ${pathname}`);
  return r.json();
}

/** Every /api request the server received since the last reset. */
const received = () => control("requests");
const inject = (injection) => control("inject", injection);
const configure = (config) => control("config", config);

before(async () => {
  server = await startServer();
  base = `http://127.0.0.1:${server.port}`;
});

after(() => {
  server?.child.stdin.end();
  server?.child.kill("SIGTERM");
});

beforeEach(() => control("reset", {}));

// ---------------------------------------------------------------------------------------------------------
// Assertions. Every error seen is kept, to check at the end that none carries a secret or a signature.

const seenErrors = [];

function checkKycError(error, code) {
  seenErrors.push(error);
  assert.ok(error instanceof Error, `expected an Error, got ${inspect(error)}`);
  assert.equal(error.name, "KycError", `${error.name}: ${error.message}`);
  assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
  assert.ok(kyc.isKycError(error));
  return error;
}

async function rejects(promise, code) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error !== undefined, `expected a KycError ${code}, but the promise resolved`);
  return checkKycError(error, code);
}

/** For a call that may end either way (say the deadline, or the last 5xx before it). */
async function rejectsOneOf(promise, codes) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error !== undefined && codes.includes(error?.code), `expected one of ${codes}, got ${inspect(error)}`);
  return checkKycError(error, error.code);
}

function throws(fn, code) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error !== undefined, `expected a KycError ${code}, but the call returned`);
  return checkKycError(error, code);
}

const client = (options = {}) =>
  new OstKycClient({ ...CREDENTIALS, baseUrl: base, retryDelayMs: 20, ...options });

/** Sends a builder's request with the global fetch. */
async function send(request) {
  const url = `${base}${request.path}${request.query !== undefined ? `?${request.query}` : ""}`;
  const init = { method: request.method };
  if (request.body !== undefined) {
    init.body = request.body;
    init.headers = { "content-type": "application/x-www-form-urlencoded" };
  }
  const r = await fetch(url, init);
  return { status: r.status, json: await r.json() };
}

const SEED_FIELDS = () => ({
  // The seed's submit_kyc example (the address is the EIP-55 spec's first "normal" example).
  first_name: "YOGESH",
  last_name: "SAWANT",
  birthdate: "29/07/1992",
  country: "INDIA",
  nationality: "INDIAN",
  document_id_number: "DMDPS9634C",
  document_id_file_path: "10/i/4ae058629d4b384edcda8decdfbf0dd1",
  selfie_file_path: "10/i/4ae058629d4b384edcda8decdfbf0dd2",
  ethereum_address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
  estimated_participation_amount: "1.2",
  residence_proof_file_path: "10/i/4ae058629d4b384edcda8decdfbf0dd3",
  investor_proof_files_path: ["10/i/4ae058629d4b384edcda8decdfbf0da1", "10/i/4ae058629d4b384edcda8decdfbf0da2"],
  city: "pune",
  street_address: "hadapsar",
  postal_code: "411028",
  state: "maharashtra",
});

// ---------------------------------------------------------------------------------------------------------

describe("request builders, verified by the Rails-style server", () => {
  const builders = [
    ["buildCreateUserRequest", () => buildCreateUserRequest("builder+~*ü@ost.com", CREDENTIALS), "POST", "/api/v2/users"],
    ["buildGetUserRequest", () => buildGetUserRequest(11428, CREDENTIALS), "GET", "/api/v2/users/11428"],
    ["buildGetUserRequest (bigint id)", () => buildGetUserRequest(11428n, CREDENTIALS), "GET", "/api/v2/users/11428"],
    [
      "buildListUsersRequest",
      () =>
        buildListUsersRequest(
          { filters: { email: "kyc user ~*ü", is_doptin_done: true, is_doptin_mail_sent: "false" }, page_number: 1, order: "asc", limit: 100 },
          CREDENTIALS,
        ),
      "GET",
      "/api/v2/users",
    ],
    ["buildSubmitKycRequest", () => buildSubmitKycRequest("11420", SEED_FIELDS(), CREDENTIALS), "POST", "/api/v2/users-kyc/11420"],
    ["buildGetUserKycRequest", () => buildGetUserKycRequest(11430, CREDENTIALS), "GET", "/api/v2/users-kyc/11430"],
    [
      "buildListUsersKycRequest",
      () => buildListUsersKycRequest({ filters: { aml_status: "cleared:approved", admin_action_types: "no_admin_action" }, limit: 3 }, CREDENTIALS),
      "GET",
      "/api/v2/users-kyc",
    ],
    ["buildGetUserKycDetailRequest", () => buildGetUserKycDetailRequest(11420, CREDENTIALS), "GET", "/api/v2/users-kyc-detail/11420"],
    [
      "buildValidateEthereumAddressRequest",
      () => buildValidateEthereumAddressRequest("0x81b7e08f65bdf5648606c89998a9cc8164397647", CREDENTIALS),
      "GET",
      "/api/v2/ethereum-address-validation",
    ],
    [
      "buildPresignedUrlsRequest (put)",
      () => buildPresignedUrlsRequest("put", { document_id: "image/jpeg", selfie: "IMAGE/PNG" }, CREDENTIALS),
      "GET",
      "/api/v2/users-kyc/pre-signed-urls/for-put",
    ],
    // Seed data of the server: 11327's KYC is approved, 11310's denied with an issue reported (data_mismatch).
    ["buildSendApproveEmailRequest", () => buildSendApproveEmailRequest(11327, undefined, CREDENTIALS), "POST", "/api/v2/users-kyc/11327/email/approve"],
    [
      "buildSendDenyEmailRequest (template_vars)",
      () => buildSendDenyEmailRequest("11310", { first_name: "Zoë ~*", amount: 1.5, vip: true, links: ["a b", "c&d"], company: { name: "ACME+Co" } }, CREDENTIALS),
      "POST",
      "/api/v2/users-kyc/11310/email/deny",
    ],
    ["buildSendReportIssueEmailRequest", () => buildSendReportIssueEmailRequest(11310n, null, CREDENTIALS), "POST", "/api/v2/users-kyc/11310/email/report-issue"],
    [
      "buildPresignedUrlsRequest (post)",
      () => buildPresignedUrlsRequest("post", { document_id: "application/pdf" }, CREDENTIALS),
      "GET",
      "/api/v2/users-kyc/pre-signed-urls/for-post",
    ],
  ];

  for (const [name, build, method, pathname] of builders) {
    test(`${name}: ${method} ${pathname} is accepted, and the server signed the same string`, async () => {
      const request = build();
      assert.equal(request.method, method);
      assert.equal(request.path, pathname);
      assert.equal(typeof request.stringToSign, "string");
      if (method === "GET") {
        assert.equal(request.body, undefined);
        assert.match(request.query, /&signature=[0-9a-f]{64}$/);
      } else {
        assert.equal(request.query, undefined);
        assert.match(request.body, /&signature=[0-9a-f]{64}$/);
      }
      // Path ids are not parameters.
      assert.ok(!/[?&](id|user_id)=/.test(request.stringToSign), request.stringToSign);
      const { status, json } = await send(request);
      assert.equal(status, 200, JSON.stringify(json));
      assert.ok(json.success === true || json.success === "true");
      const [entry] = await received();
      assert.equal(entry.verified, true);
      assert.equal(entry.string_to_sign, request.stringToSign);
    });
  }

  test("an explicit timestamp is signed; a stale or future one is refused by the server (±10 s)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const fixed = buildGetUserRequest(1, CREDENTIALS, { timestamp: 1542185198 });
    assert.match(fixed.stringToSign, /request_timestamp=1542185198/);
    for (const timestamp of [now - 60, now + 60]) {
      const { status, json } = await send(buildGetUserRequest(11428, CREDENTIALS, { timestamp }));
      assert.equal(status, 401);
      assert.equal(json.err.code, "UNAUTHORIZED");
    }
    assert.equal((await send(buildGetUserRequest(11428, CREDENTIALS, { timestamp: now }))).status, 200);
  });

  test("the server refuses a tampered signature, a tampered parameter and a wrong key", async () => {
    const request = buildListUsersRequest({ limit: 5 }, CREDENTIALS);
    const tampered = request.query.replace(/signature=([0-9a-f])/, (_, c) => `signature=${c === "0" ? "1" : "0"}`);
    assert.equal((await send({ ...request, query: tampered })).status, 401);
    assert.equal((await send({ ...request, query: request.query.replace("limit=5", "limit=6") })).status, 401);
    const other = buildListUsersRequest({ limit: 5 }, { apiKey: "someone else", apiSecret: API_SECRET });
    assert.equal((await send(other)).status, 401);
    assert.equal((await send(request)).status, 200);
  });

  test("path ids must be positive integers", () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity, "", "0", "012", "1/2", "../1", "1 ", null, true, {}, [1], 2 ** 53]) {
      for (const build of [buildGetUserRequest, buildGetUserKycRequest, buildGetUserKycDetailRequest]) {
        throws(() => build(bad, CREDENTIALS), "INVALID_ARGUMENT");
      }
      throws(() => buildSubmitKycRequest(bad, SEED_FIELDS(), CREDENTIALS), "INVALID_ARGUMENT");
    }
    throws(() => buildGetUserRequest(undefined, CREDENTIALS), "INVALID_ARGUMENT");
    assert.equal(buildGetUserRequest("18446744073709551615", CREDENTIALS).path, "/api/v2/users/18446744073709551615");
  });

  test("list parameters and filter values outside the documented sets are refused", () => {
    const badUsers = [
      { limit: 0 },
      { limit: 101 },
      { limit: 2.5 },
      { order: "DESC" },
      { order: "newest" },
      { page_number: 0 },
      { page: 2 },
      { filters: "email=x" },
      { filters: { is_kyc_submitted: "yes" } },
      { filters: { is_doptin_done: 1 } },
      { filters: { email: 5 } },
      { filters: { admin_status: "qualified" } },
      "limit=10",
    ];
    for (const params of badUsers) throws(() => buildListUsersRequest(params, CREDENTIALS), "INVALID_ARGUMENT");
    const badKyc = [
      { filters: { admin_status: "approved" } },
      { filters: { aml_status: "Cleared" } },
      { filters: { aml_status: "cleared approved" } },
      { filters: { whitelist_status: "pending" } },
      { filters: { admin_action_types: "data_issue" } },
      { filters: { admin_action_types: ["data_mismatch"] } },
      { filters: { email: "x" } },
    ];
    for (const params of badKyc) throws(() => buildListUsersKycRequest(params, CREDENTIALS), "INVALID_ARGUMENT");
    const e = throws(() => buildListUsersRequest({ limit: 101 }, CREDENTIALS), "INVALID_ARGUMENT");
    assert.match(e.message, /1 to 100/);
    // Every documented value is accepted.
    const sets = {
      admin_status: ["unprocessed", "qualified", "denied"],
      aml_status: ["cleared:approved", "unprocessed", "pending", "cleared", "approved", "rejected", "failed"],
      whitelist_status: ["unprocessed", "started", "done", "failed"],
      admin_action_types: ["no_admin_action", "data_mismatch", "document_issue", "other_issue"],
    };
    for (const [filter, values] of Object.entries(sets)) {
      for (const value of values) buildListUsersKycRequest({ filters: { [filter]: value } }, CREDENTIALS);
    }
    assert.equal(buildListUsersRequest(undefined, CREDENTIALS).stringToSign.startsWith("/api/v2/users?api_key="), true);
  });

  test("bad credentials are refused without echoing them", () => {
    for (const credentials of [undefined, null, "key:secret", { apiKey: API_KEY }, { apiKey: "", apiSecret: API_SECRET }, { apiKey: API_KEY, apiSecret: "" }, { apiKey: API_KEY, apiSecret: 5 }]) {
      throws(() => buildGetUserRequest(1, credentials), "INVALID_ARGUMENT");
    }
  });
});

describe("presignedUrlRequest (the uploads contract)", () => {
  test("returns {endpoint, method, query} for /for-put and /for-post, accepted by the server", async () => {
    // Prefix-sharing keys: investor_proof_file1 is a prefix of investor_proof_file10.
    const files = {
      selfie: "IMAGE/JPEG",
      document_id: "image/jpg",
      investor_proof_file10: "application/pdf",
      investor_proof_file1: "Application/Pdf",
      investor_proof_file2: "image/png",
      residence_proof: "application/pdf",
    };
    for (const kind of ["put", "post"]) {
      const request = presignedUrlRequest(kind, files, CREDENTIALS);
      assert.equal(request.endpoint, `/api/v2/users-kyc/pre-signed-urls/for-${kind}`);
      assert.equal(request.method, "GET");
      const r = await fetch(`${base}${request.endpoint}?${request.query}`);
      const json = await r.json();
      assert.equal(r.status, 200, JSON.stringify(json));
      assert.deepEqual(Object.keys(json.data[`file_upload_${kind}`]).sort(), Object.keys(files).sort());
    }
    const log = await received();
    assert.equal(log.length, 2);
    for (const entry of log) {
      assert.equal(entry.verified, true);
      // Content types go out in lowercase.
      assert.deepEqual(entry.params.files, {
        selfie: "image/jpeg",
        document_id: "image/jpg",
        investor_proof_file10: "application/pdf",
        investor_proof_file1: "application/pdf",
        investor_proof_file2: "image/png",
        residence_proof: "application/pdf",
      });
    }
    const fixed = presignedUrlRequest("put", { document_id: "image/jpeg" }, CREDENTIALS, { timestamp: 1542185198 });
    assert.equal(
      fixed.stringToSign,
      "/api/v2/users-kyc/pre-signed-urls/for-put?api_key=test+key+%7E%2A%C3%A9&files%5Bdocument_id%5D=image%2Fjpeg&request_timestamp=1542185198",
    );
  });

  test("an empty map, an unknown type or a bad key throws INVALID_ARGUMENT", () => {
    const bad = [
      {},
      { document_id: "image/gif" },
      { document_id: "application/pdf " },
      { document_id: "" },
      { document_id: 5 },
      { "": "image/png" },
      { "a[b]": "image/png" },
      { "doc id": "image/png" },
      { "dóc": "image/png" },
      { ["k".repeat(129)]: "image/png" },
    ];
    for (const files of bad) throws(() => presignedUrlRequest("put", files, CREDENTIALS), "INVALID_ARGUMENT");
    for (const files of [null, undefined, "document_id", ["image/png"]]) {
      throws(() => presignedUrlRequest("post", files, CREDENTIALS), "INVALID_ARGUMENT");
    }
    throws(() => presignedUrlRequest("get", { document_id: "image/png" }, CREDENTIALS), "INVALID_ARGUMENT");
    throws(() => presignedUrlRequest("put", { document_id: "image/png" }, { apiKey: API_KEY }), "INVALID_ARGUMENT");
  });
});

describe("validateKycSubmission", () => {
  const NOW = 1718452800; // 2024-06-15T12:00:00Z
  const problems = (fields, options = {}) => validateKycSubmission(fields, { now: NOW, ...options });
  const codes = (fields, options) => problems(fields, options).map((p) => `${p.field}:${p.code}`);

  test("the seed's example passes; an empty submission lists every required field", () => {
    assert.deepEqual(problems(SEED_FIELDS()), []);
    const all = problems({});
    assert.deepEqual(
      all.map((p) => p.field),
      ["first_name", "last_name", "birthdate", "country", "nationality", "document_id_number", "document_id_file_path",
        "selfie_file_path", "ethereum_address", "estimated_participation_amount", "street_address", "city", "state", "postal_code"],
    );
    for (const p of all) {
      assert.equal(p.code, "REQUIRED");
      assert.deepEqual(Object.keys(p), ["field", "code", "message"]);
      assert.match(p.message, new RegExp(p.field));
    }
  });

  test("every rule and code, all problems at once", () => {
    const fields = {
      ...SEED_FIELDS(),
      first_name: "   ",
      city: 42,
      birthdate: "31/02/1990",
      ethereum_address: "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
      estimated_participation_amount: "-3",
      residence_proof_file_path: "",
      investor_proof_files_path: ["ok", "", 7],
      nickname: "yo",
    };
    assert.deepEqual(codes(fields), [
      "first_name:REQUIRED",
      "birthdate:INVALID_DATE",
      "residence_proof_file_path:EMPTY",
      "investor_proof_files_path[1]:EMPTY",
      "investor_proof_files_path[2]:NOT_A_STRING",
      "ethereum_address:BAD_CHECKSUM",
      "estimated_participation_amount:NOT_POSITIVE",
      "city:NOT_A_STRING",
      "nickname:UNKNOWN_FIELD",
    ]);
    assert.deepEqual(codes({ ...SEED_FIELDS(), investor_proof_files_path: "10/i/x" }), ["investor_proof_files_path:NOT_AN_ARRAY"]);
    assert.deepEqual(codes({ ...SEED_FIELDS(), birthdate: "15/06/2024" }), ["birthdate:DATE_NOT_IN_PAST"]);
    assert.deepEqual(codes({ ...SEED_FIELDS(), birthdate: "1992-07-29" }), ["birthdate:INVALID_DATE"]);
    assert.deepEqual(codes({ ...SEED_FIELDS(), birthdate: "29/02/2000" }), []);
    assert.deepEqual(codes({ ...SEED_FIELDS(), birthdate: "29/02/1900" }), ["birthdate:INVALID_DATE"]);
    assert.deepEqual(codes({ ...SEED_FIELDS(), ethereum_address: "0x123" }), ["ethereum_address:INVALID_ADDRESS"]);
    assert.deepEqual(codes({ ...SEED_FIELDS(), estimated_participation_amount: "lots" }), ["estimated_participation_amount:NOT_A_NUMBER"]);
    assert.deepEqual(codes({ ...SEED_FIELDS(), estimated_participation_amount: 0 }), ["estimated_participation_amount:NOT_POSITIVE"]);
    assert.deepEqual(codes({ ...SEED_FIELDS(), estimated_participation_amount: 1.1 }), []);
    // `now` decides "in the past"; the default is the clock.
    assert.deepEqual(codes({ ...SEED_FIELDS(), birthdate: "01/01/2030" }, { now: 1900000000 }), []);
    assert.deepEqual(
      validateKycSubmission({ ...SEED_FIELDS(), birthdate: "01/01/2999" }).map((p) => p.code),
      ["DATE_NOT_IN_PAST"],
    );
  });

  test("EIP-55: the spec's examples pass, a flipped letter fails, single-case addresses carry no checksum", () => {
    // https://eips.ethereum.org/EIPS/eip-55, "Test Cases".
    const spec = [
      "0x52908400098527886E0F7030069857D2E4169EE7",
      "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
      "0xde709f2102306220921060314715629080e2fb77",
      "0x27b1fdb04752bbc536007a920d24acb045561c26",
      "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
      "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
      "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
      "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ];
    for (const address of spec) {
      assert.deepEqual(codes({ ...SEED_FIELDS(), ethereum_address: address }), [], address);
      assert.deepEqual(codes({ ...SEED_FIELDS(), ethereum_address: address.toLowerCase() }), []);
    }
    for (const address of spec.slice(4)) {
      const i = address.search(/[a-fA-F]/);
      const c = address[i];
      const flipped = address.slice(0, i) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + address.slice(i + 1);
      assert.deepEqual(codes({ ...SEED_FIELDS(), ethereum_address: flipped }), ["ethereum_address:BAD_CHECKSUM"], flipped);
    }
  });

  test("the caller narrows or chooses the required fields", () => {
    assert.deepEqual(codes({ first_name: "A" }, { required: ["first_name"] }), []);
    assert.deepEqual(codes({}, { required: ["residence_proof_file_path"] }), ["residence_proof_file_path:REQUIRED"]);
    assert.deepEqual(codes({}, { required: [] }), []);
    throws(() => problems({}, { required: ["email"] }), "INVALID_ARGUMENT");
    throws(() => problems({}, { required: "first_name" }), "INVALID_ARGUMENT");
    throws(() => problems("not an object"), "INVALID_ARGUMENT");
    throws(() => problems({}, { now: Date.now() }), "INVALID_ARGUMENT");
  });

  test("messages never repeat the values (personal data)", () => {
    const value = "PERSONAL-9999";
    for (const p of problems({ birthdate: value, ethereum_address: value, estimated_participation_amount: value })) {
      assert.ok(!p.message.includes(value), p.message);
    }
  });
});

describe("OstKycClient against the server", () => {
  test("the constructor checks its options and never echoes the secret", () => {
    const bad = [
      undefined,
      {},
      { apiKey: API_KEY },
      { apiKey: "", apiSecret: API_SECRET },
      { apiKey: API_KEY, apiSecret: "" },
      { ...CREDENTIALS, baseUrl: "kyc.ost.com" },
      { ...CREDENTIALS, baseUrl: "https://kyc.ost.com/?x=1" },
      { ...CREDENTIALS, timeoutMs: 0 },
      { ...CREDENTIALS, timeoutMs: "10" },
      { ...CREDENTIALS, retries: -1 },
      { ...CREDENTIALS, retries: 11 },
      { ...CREDENTIALS, retryDelayMs: -1 },
      { ...CREDENTIALS, fetch: "fetch" },
    ];
    for (const options of bad) throws(() => new OstKycClient(options), "INVALID_ARGUMENT");
    assert.equal(new OstKycClient(CREDENTIALS).baseUrl, "https://kyc.ost.com");
    assert.equal(new OstKycClient({ ...CREDENTIALS, baseUrl: "http://127.0.0.1:9/api/v2/" }).baseUrl, "http://127.0.0.1:9");
    const c = client();
    for (const text of [inspect(c), String(c), JSON.stringify(c) ?? ""]) assert.ok(!text.includes(API_SECRET), text);
  });

  test("createUser and getUser (email with ~, *, + and unicode)", async () => {
    const c = client();
    const email = "new~user*+ü@ost.com";
    const user = await c.createUser(email);
    assert.deepEqual(Object.keys(user), ["id", "email", "properties", "created_at"]);
    assert.equal(user.email, email);
    assert.deepEqual(user.properties, []);
    assert.equal(typeof user.id, "number");
    assert.deepEqual(await c.getUser(user.id), user);
    assert.deepEqual(await c.getUser(String(user.id)), user);
    const [post, get] = await received();
    assert.equal(post.method, "POST");
    assert.equal(post.params.email, email);
    assert.equal(get.path, `/api/v2/users/${user.id}`);
    assert.ok([post, get].every((r) => r.verified));
  });

  test("a seed user, and 404 as NOT_FOUND", async () => {
    const c = client();
    assert.deepEqual(await c.getUser(11428), { id: 11428, email: "kycuser7@ost.com", properties: [], created_at: 1539163614 });
    const e = await rejects(c.getUser(999999), "NOT_FOUND");
    assert.equal(e.status, 404);
    assert.match(e.message, /GET \/api\/v2\/users\/999999/);
    assert.match(e.message, /could not be located/);
    await rejects(c.getUserKyc(999999), "NOT_FOUND");
    await rejects(c.getUserKycDetail(999999), "NOT_FOUND");
  });

  test("success:false is API_ERROR with err.code, err.msg, err.internal_id and errorData", async () => {
    const c = client();
    await c.createUser("twice@ost.com");
    const e = await rejects(c.createUser("twice@ost.com"), "API_ERROR");
    assert.equal(e.status, 400);
    assert.equal(e.err.code, "BAD_REQUEST");
    assert.equal(e.err.internal_id, "um_cu_1");
    assert.match(e.err.msg, /At least one parameter is invalid/);
    assert.equal(e.apiCode, "BAD_REQUEST");
    assert.equal(e.internalId, "um_cu_1");
    assert.deepEqual(e.errorData, [{ parameter: "email", msg: "Email is already registered" }]);
    // A wrong secret: the server's 401.
    const wrong = new OstKycClient({ ...CREDENTIALS, apiSecret: "not-the-secret", baseUrl: base });
    const unauthorized = await rejects(wrong.getUser(11428), "API_ERROR");
    assert.equal(unauthorized.status, 401);
    assert.equal(unauthorized.err.code, "UNAUTHORIZED");
    assert.ok(!unauthorized.message.includes("not-the-secret"));
    // success:false with a 200 status, and a 200 that is not JSON.
    await inject({ path: "/api/v2/users/11428", status: 200, json: { success: false, err: { code: "FORBIDDEN", msg: "no", internal_id: "f_1" } } });
    const forbidden = await rejects(c.getUser(11428), "API_ERROR");
    assert.deepEqual([forbidden.status, forbidden.err.code, forbidden.err.internal_id], [200, "FORBIDDEN", "f_1"]);
    await inject({ path: "/api/v2/users/11428", status: 200, body: "<html>maintenance</html>" });
    await rejects(c.getUser(11428), "MALFORMED_BODY");
    // 429 is not retried.
    await inject({ path: "/api/v2/users/11428", status: 429, json: { success: false, err: { code: "TOO_MANY_REQUESTS", msg: "slow down", internal_id: "r_1" } } });
    const limited = await rejects(c.getUser(11428), "API_ERROR");
    assert.equal(limited.status, 429);
  });

  test("listUsers: one page {items, meta} with next_page_payload; nested filters with prefix-sharing keys", async () => {
    const c = client();
    const page = await c.listUsers({ filters: { email: "kycuser" }, limit: 10 });
    assert.deepEqual(Object.keys(page), ["items", "meta"]);
    assert.equal(page.items.length, 10);
    assert.deepEqual(page.items[0], { id: 11442, email: "kycuser10@ost.com", properties: [], created_at: 1539339413 });
    assert.deepEqual(page.meta, { total: 39, next_page_payload: { page_number: 2, filters: { email: "kycuser" }, order: "desc", limit: 10 } });
    const next = await c.listUsers(page.meta.next_page_payload);
    assert.equal(next.items.length, 10);
    assert.ok(next.items.every((u) => !page.items.some((p) => p.id === u.id)));
    // is_doptin_done / is_doptin_mail_sent share a prefix; booleans and their strings both work.
    const filtered = await c.listUsers({
      filters: { is_doptin_mail_sent: true, is_doptin_done: "true", is_kyc_submitted: false, email: "kycuser" },
      order: "asc",
      limit: 100,
    });
    assert.ok(filtered.items.length > 0);
    for (const u of filtered.items) {
      assert.ok(u.properties.includes("doptin_mail_sent") && u.properties.includes("doptin_done") && !u.properties.includes("kyc_submitted"));
    }
    assert.equal(filtered.meta.next_page_payload, null);
    const log = await received();
    assert.ok(log.every((r) => r.verified && r.status === 200));
    assert.deepEqual(log[2].params.filters, { is_doptin_mail_sent: "true", is_doptin_done: "true", is_kyc_submitted: "false", email: "kycuser" });
  });

  test("filter values with ~, *, spaces and unicode reach the server intact", async () => {
    const c = client();
    const email = "tilde~star*plus+ünï@ost.com";
    await c.createUser(email);
    const found = await c.listUsers({ filters: { email: "tilde~star*plus+ünï" } });
    assert.deepEqual(found.items.map((u) => u.email), [email]);
    const none = await c.listUsers({ filters: { email: "a b ~ * é € 😀 %41 & = [x]" } });
    assert.deepEqual(none, { items: [], meta: { total: 0, next_page_payload: null } });
    const log = await received();
    assert.equal(log[2].params.filters.email, "a b ~ * é € 😀 %41 & = [x]");
    assert.ok(log.every((r) => r.verified));
  });

  test("iterateUsers follows meta.next_page_payload until it is empty", async () => {
    const c = client();
    const seen = [];
    for await (const user of c.iterateUsers({ filters: { email: "kycuser" }, limit: 7 })) seen.push(user);
    assert.equal(seen.length, 39);
    assert.equal(new Set(seen.map((u) => u.id)).size, 39);
    const log = await received();
    assert.deepEqual(log.map((r) => r.params.page_number), [undefined, "2", "3", "4", "5", "6"]);
    assert.ok(log.every((r) => r.verified && r.params.limit === "7" && r.params.filters.email === "kycuser"));
    // Stopping early sends nothing more.
    await control("reset", {});
    let n = 0;
    for await (const _ of c.iterateUsers({ limit: 5 })) if (++n === 3) break;
    assert.equal((await received()).length, 1);
    // It is an async iterator: next() and [Symbol.asyncIterator].
    const it = c.iterateUsers({ limit: 100 });
    assert.equal(it[Symbol.asyncIterator](), it);
    const first = await it.next();
    assert.equal(first.done, false);
    assert.equal(typeof first.value.id, "number");
    await it.return();
    // Bad params throw at once, before any request.
    throws(() => c.iterateUsers({ limit: 1000 }), "INVALID_ARGUMENT");
    throws(() => c.iterateUsersKyc({ filters: { aml_status: "nope" } }), "INVALID_ARGUMENT");
  });

  test("iterateUsersKyc: every user-kyc object; a repeating next_page_payload stops with MALFORMED_BODY", async () => {
    const c = client();
    const all = [];
    for await (const k of c.iterateUsersKyc()) all.push(k);
    assert.equal(all.length, 13);
    // Newest first: the seed's "Retrieve KYC Status" example, then its list example.
    assert.deepEqual(all.slice(0, 2), [
      {
        id: 304, user_kyc_detail_id: 702, user_id: 11430, kyc_status: "pending", admin_status: "unprocessed",
        aml_status: "cleared", whitelist_status: "unprocessed", admin_action_types: [], submission_count: 2,
        last_acted_by: "Admin Name", created_at: 1539279352,
      },
      {
        id: 298, user_kyc_detail_id: 688, user_id: 11434, kyc_status: "pending", admin_status: "unprocessed",
        aml_status: "cleared", whitelist_status: "unprocessed", admin_action_types: [], submission_count: 25,
        last_acted_by: "Admin Name", created_at: 1539178516,
      },
    ]);
    assert.equal(all.find((k) => k.id === 220).last_acted_by, null);
    const approved = [];
    for await (const k of c.iterateUsersKyc({ filters: { aml_status: "cleared:approved", whitelist_status: "done" }, limit: 2 })) approved.push(k);
    assert.deepEqual(approved.map((k) => k.id), [238, 232, 229]);
    const page = await c.listUsersKyc({ filters: { admin_action_types: "data_mismatch" } });
    assert.deepEqual(page.items.map((k) => k.id), [220]);

    await control("reset", {});
    const loop = {
      success: true,
      data: { result_type: "users_kyc", users_kyc: [all[0]], meta: { total: 99, next_page_payload: { page_number: 2, limit: 1 } } },
    };
    await inject({ path: "/api/v2/users-kyc", status: 200, json: loop, times: 5 });
    const items = [];
    const e = await rejects((async () => { for await (const k of c.iterateUsersKyc({ limit: 1 })) items.push(k); })(), "MALFORMED_BODY");
    assert.match(e.message, /next_page_payload repeats/);
    assert.equal(items.length, 2);
  });

  test("submitKyc, getUserKyc, getUserKycDetail: the submitted fields come back (unicode, ~, *, spaces)", async () => {
    const c = client();
    const user = await c.createUser("kyc.flow@ost.com");
    const fields = {
      ...SEED_FIELDS(),
      first_name: "Zoë ~*",
      street_address: "1 Rue de l'Église, #3",
      city: "Zürich",
      state: "Région 😀",
      estimated_participation_amount: 2.5,
    };
    const kycStatus = await c.submitKyc(user.id, fields);
    assert.equal(kycStatus.user_id, user.id);
    assert.equal(kycStatus.kyc_status, "pending");
    assert.equal(kycStatus.submission_count, 1);
    assert.equal(kycStatus.last_acted_by, null);
    assert.deepEqual(await c.getUserKyc(user.id), kycStatus);
    const detail = await c.getUserKycDetail(user.id);
    for (const key of ["first_name", "street_address", "city", "state", "birthdate", "ethereum_address"]) {
      assert.equal(detail[key], fields[key], key);
    }
    assert.equal(detail.estimated_participation_amount, 2.5);
    assert.equal(detail.investor_proof_files.length, 2);
    assert.equal(detail.id, kycStatus.user_kyc_detail_id);
    assert.equal((await c.getUser(user.id)).properties.includes("kyc_submitted"), true);
    // A resubmission counts.
    assert.equal((await c.submitKyc(user.id, fields)).submission_count, 2);
    // The seed's detail object, with the dashboard setting ON and OFF.
    const seed = await c.getUserKycDetail(11420);
    assert.equal(seed.ethereum_address, "0xEC305b4c269dEd899b6fBA12776fbbDBdC564793");
    assert.equal(seed.estimated_participation_amount, 1.1);
    await configure({ detail_shared: false });
    assert.deepEqual(await c.getUserKycDetail(11420), { id: 727, created_at: 1539622156 });
    assert.ok((await received()).every((r) => r.verified));
  });

  test("submitKyc validates first: nothing is sent when a field is wrong", async () => {
    const c = client();
    const fields = { ...SEED_FIELDS(), birthdate: "30/02/1992", ethereum_address: "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5D359" };
    const e = await rejects(c.submitKyc(11420, fields), "INVALID_ARGUMENT");
    assert.deepEqual(e.problems.map((p) => `${p.field}:${p.code}`), ["birthdate:INVALID_DATE", "ethereum_address:BAD_CHECKSUM"]);
    assert.match(e.message, /birthdate \(INVALID_DATE\)/);
    await rejects(c.submitKyc(11420, { first_name: "A" }), "INVALID_ARGUMENT");
    await rejects(c.submitKyc(0, SEED_FIELDS()), "INVALID_ARGUMENT");
    assert.equal((await received()).length, 0);
    // A narrower required set, on both sides.
    await configure({ required_kyc_fields: ["first_name", "last_name"] });
    const narrow = await c.submitKyc(11420, { first_name: "A", last_name: "B" }, { required: ["first_name", "last_name"] });
    assert.equal(narrow.user_id, 11420);
    // validate:false leaves it to the server, whose error_data lists the fields.
    await configure({ required_kyc_fields: ["first_name", "city"] });
    const server = await rejects(c.submitKyc(11420, { last_name: "B" }, { validate: false }), "API_ERROR");
    assert.equal(server.status, 400);
    assert.deepEqual(server.errorData.map((d) => d.parameter), ["first_name", "city"]);
  });

  test("validateEthereumAddress: true, or false when the server says the format is wrong", async () => {
    const c = client();
    assert.equal(await c.validateEthereumAddress("0x81b7e08f65bdf5648606c89998a9cc8164397647"), true);
    assert.equal(await c.validateEthereumAddress("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"), true);
    assert.equal(await c.validateEthereumAddress("0x81b7e08f65bdf5648606c89998a9cc81643976"), false);
    assert.equal(await c.validateEthereumAddress("not an address ~*é"), false);
    await rejects(c.validateEthereumAddress(""), "INVALID_ARGUMENT");
    await rejects(c.validateEthereumAddress(42), "INVALID_ARGUMENT");
    const wrong = new OstKycClient({ ...CREDENTIALS, apiSecret: "other", baseUrl: base });
    await rejects(wrong.validateEthereumAddress("0x81b7e08f65bdf5648606c89998a9cc8164397647"), "API_ERROR");
  });

  test("getPresignedUrls: {key: {url, fields}} for put (\"success\": \"true\") and post", async () => {
    const c = client();
    const files = { document_id: "image/jpeg", selfie: "image/png", investor_proof_file1: "application/pdf", investor_proof_file10: "application/pdf" };
    const put = await c.getPresignedUrls("put", files);
    assert.deepEqual(Object.keys(put).sort(), Object.keys(files).sort());
    for (const target of Object.values(put)) {
      assert.match(target.url, /^https:\/\/s3\.amazonaws\.com\//);
      assert.deepEqual(Object.keys(target.fields), ["key"]);
    }
    const post = await c.getPresignedUrls("post", { document_id: "IMAGE/JPEG" });
    assert.equal(post.document_id.url, "https://s3.amazonaws.com/kyc.local");
    assert.ok(["key", "policy", "x-amz-signature"].every((k) => typeof post.document_id.fields[k] === "string"));
    await rejects(c.getPresignedUrls("put", {}), "INVALID_ARGUMENT");
    await rejects(c.getPresignedUrls("put", { document_id: "image/gif" }), "INVALID_ARGUMENT");
    await rejects(c.getPresignedUrls("delete", { document_id: "image/png" }), "INVALID_ARGUMENT");
    assert.equal((await received()).length, 2);
  });

  test("getPresignedUrls: full upload targets (key, method, expiresAt, requested contentType), read back by parseUploadTargets as they are", async () => {
    const c = client();
    const before = Math.floor(Date.now() / 1000);
    const put = await c.getPresignedUrls("put", { selfie: "IMAGE/PNG", investor_proof_file1: "application/pdf" });
    const after = Math.floor(Date.now() / 1000);
    for (const [fileKey, target] of Object.entries(put)) {
      assert.equal(target.key, fileKey);
      assert.equal(target.method, "PUT");
      assert.ok(target.expiresAt >= before + 900 && target.expiresAt <= after + 900, `${target.expiresAt}`);
    }
    assert.equal(put.selfie.contentType, "image/png");
    assert.equal(put.investor_proof_file1.contentType, "application/pdf");
    const post = await c.getPresignedUrls("post", { document_id: "image/jpeg" });
    assert.equal(post.document_id.method, "POST");
    assert.equal(post.document_id.contentType, "image/jpeg");
    // No files map and no now: nothing is guessed or recomputed.
    const later = post.document_id.expiresAt + 600;
    for (const map of [put, post]) {
      const targets = kyc.parseUploadTargets(map, { now: later });
      assert.deepEqual(targets, Object.values(map));
    }
  });
});

describe("the e-mail endpoints (approve, deny, report-issue)", () => {
  test("the server Rack-parses template_vars as sent: nested hashes and arrays, unicode, ~ * + &", async () => {
    const vars = { first_name: "Zoë ~*", amount: 1.5, vip: true, links: ["a b", "c&d"], company: { name: "ACME+Co" } };
    assert.equal(await client().sendDenyEmail(11310, vars), true);
    const [entry] = await received();
    assert.equal(entry.verified, true);
    assert.equal(entry.path, "/api/v2/users-kyc/11310/email/deny");
    assert.deepEqual(entry.params.template_vars, { first_name: "Zoë ~*", amount: "1.5", vip: "true", links: ["a b", "c&d"], company: { name: "ACME+Co" } });
    assert.ok(!("user_id" in entry.params));
    assert.deepEqual(await control("emails"), [{ user_id: 11310, kind: "deny", template_vars: entry.params.template_vars }]);
  });

  test("each succeeds only in its state; else API_ERROR 422 UNPROCESSABLE_ENTITY with reason", async () => {
    const c = client();
    assert.equal(await c.sendApproveEmail(11327), true);
    assert.equal(await c.sendDenyEmail("11310", {}), true);
    assert.equal(await c.sendReportIssueEmail(11310n, null), true);
    const cases = [
      ["sendApproveEmail", 11310, "kyc_not_approved", "Could not process. KYC is not approved for user"],
      ["sendDenyEmail", 11327, "kyc_not_denied", "Could not process. KYC is not denied for user"],
      ["sendReportIssueEmail", 11327, "kyc_not_reported_issue", "Could not process. Issue is not reported for user"],
      // A pending KYC, and a user who never submitted one.
      ["sendApproveEmail", 11420, "kyc_not_approved"],
      ["sendDenyEmail", 11413, "kyc_not_denied"],
    ];
    for (const [method, id, reason, msg] of cases) {
      const e = await rejects(c[method](id), "API_ERROR");
      assert.equal(e.status, 422);
      assert.equal(e.apiCode, "UNPROCESSABLE_ENTITY");
      assert.equal(e.reason, reason, `${method}(${id})`);
      if (msg) assert.equal(e.apiMessage, msg);
    }
    // Other errors carry no reason: an unknown user is NOT_FOUND, a 400 is not a refusal.
    const missing = await rejects(c.sendApproveEmail(99999), "NOT_FOUND");
    assert.equal(missing.reason, undefined);
    await inject({ path: "/api/v2/users-kyc/11327/email/approve", status: 400, json: { success: false, err: { code: "BAD_REQUEST", msg: "x", internal_id: "y" } } });
    const bad = await rejects(c.sendApproveEmail(11327), "API_ERROR");
    assert.equal(bad.reason, undefined);
    assert.equal((await control("emails")).length, 3);
  });

  test("POSTs: never retried after a 5xx", async () => {
    await inject({ path: "/api/v2/users-kyc/11327/email/approve", status: 503, body: "busy" });
    await rejects(client({ retries: 3 }).sendApproveEmail(11327), "API_ERROR");
    assert.equal((await received()).length, 1);
  });

  test("arguments are checked before anything is sent", async () => {
    for (const [id, vars] of [
      [0, undefined],
      ["1/../2", undefined],
      [11327, "first_name=Ada"],
      [11327, [1]],
      [11327, { a: null }],
      [11327, { a: { b: { c: "deep" } } }],
      [11327, { "a[b]": "x" }],
    ]) {
      await rejects(client().sendApproveEmail(id, vars), "INVALID_ARGUMENT");
      throws(() => buildSendApproveEmailRequest(id, vars, CREDENTIALS), "INVALID_ARGUMENT");
    }
    assert.equal((await received()).length, 0);
  });

  test("sandbox: true is OST's sandbox host; not together with baseUrl", () => {
    assert.equal(new OstKycClient({ ...CREDENTIALS, sandbox: true }).baseUrl, "https://kyc.sandboxost.com");
    assert.equal(new OstKycClient({ ...CREDENTIALS, sandbox: false }).baseUrl, "https://kyc.ost.com");
    assert.equal(new OstKycClient({ ...CREDENTIALS }).baseUrl, "https://kyc.ost.com");
    throws(() => new OstKycClient({ ...CREDENTIALS, sandbox: true, baseUrl: base }), "INVALID_ARGUMENT");
    throws(() => new OstKycClient({ ...CREDENTIALS, sandbox: "yes" }), "INVALID_ARGUMENT");
  });
});

describe("retries, timeouts and network errors", () => {
  test("a GET is retried after a 500, and succeeds", async () => {
    const c = client();
    await inject({ path: "/api/v2/users/11428", status: 500 });
    assert.equal((await c.getUser(11428)).id, 11428);
    const log = await received();
    assert.deepEqual(log.map((r) => r.status), [500, 200]);
    assert.equal(log[1].verified, true);
  });

  test("each attempt signs a fresh request_timestamp (a reused one would fall out of the window)", async () => {
    const c = client({ timeoutMs: 15_000 });
    await configure({ window: 2 });
    await inject({ path: "/api/v2/users-kyc", status: 503, delay_ms: 3500 });
    const page = await c.listUsersKyc({ limit: 1 });
    assert.equal(page.items.length, 1);
    const [first, second] = await received();
    assert.equal(first.status, 503);
    assert.equal(second.status, 200);
    assert.equal(second.verified, true);
    assert.ok(Number(second.params.request_timestamp) >= Number(first.params.request_timestamp) + 3);
    assert.notEqual(second.params.signature, first.params.signature);
  });

  test("5xx on every attempt: bounded retries, then API_ERROR with the status", async () => {
    const c = client({ retries: 2 });
    await inject({ path: "/api/v2/users", status: 502, body: "<html>bad gateway</html>", times: 10 });
    const e = await rejects(c.listUsers({ limit: 1 }), "API_ERROR");
    assert.equal(e.status, 502);
    assert.equal(e.apiCode, "HTTP_502");
    assert.equal((await received()).length, 3);
    await control("reset", {});
    await inject({ path: "/api/v2/users", status: 500, times: 10 });
    await rejects(client({ retries: 0 }).listUsers(), "API_ERROR");
    assert.equal((await received()).length, 1);
  });

  test("POSTs are never retried: not after a 5xx, not after a network error", async () => {
    await inject({ path: "/api/v2/users", method: "POST", status: 503, times: 5 });
    const e = await rejects(client().createUser("once@ost.com"), "API_ERROR");
    assert.equal(e.status, 503);
    await inject({ path: "/api/v2/users-kyc/11420", method: "POST", status: 500, times: 5 });
    await rejects(client().submitKyc(11420, SEED_FIELDS()), "API_ERROR");
    assert.deepEqual((await received()).map((r) => r.method), ["POST", "POST"]);
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNRESET"), { code: "ECONNRESET" }) });
    };
    const network = await rejects(client({ fetch: failing }).createUser("once@ost.com"), "API_ERROR");
    assert.equal(calls, 1);
    assert.equal(network.apiCode, "NETWORK_ERROR");
    assert.match(network.message, /ECONNRESET/);
  });

  test("a GET is retried after a network error", async () => {
    let calls = 0;
    const flaky = (url, init) => (++calls === 1 ? Promise.reject(new TypeError("fetch failed")) : fetch(url, init));
    assert.equal((await client({ fetch: flaky }).getUserKyc(11430)).id, 304);
    assert.equal(calls, 2);
    // Nobody listening: NETWORK_ERROR after every attempt, and no URL (it carries the signature) in the message.
    const dead = new OstKycClient({ ...CREDENTIALS, baseUrl: "http://127.0.0.1:1", retries: 1, retryDelayMs: 10 });
    const e = await rejects(dead.getUser(11428), "API_ERROR");
    assert.equal(e.apiCode, "NETWORK_ERROR");
    assert.match(e.message, /GET \/api\/v2\/users\/11428/);
    assert.match(e.message, /2 attempts/);
    assert.ok(!/signature|request_timestamp/.test(e.message), e.message);
  });

  test("timeoutMs: a slow server gives TIMEOUT, for GET and POST", async () => {
    await inject({ path: "/api/v2/users/11428", delay_ms: 3000 });
    let started = Date.now();
    const e = await rejects(client({ timeoutMs: 400 }).getUser(11428), "TIMEOUT");
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.match(e.message, /400 ms/);
    await inject({ path: "/api/v2/users", method: "POST", delay_ms: 3000 });
    started = Date.now();
    await rejects(client({ timeoutMs: 300 }).createUser("slow@ost.com"), "TIMEOUT");
    assert.ok(Date.now() - started < 2000);
  });

  test("timeoutMs holds even with a fetch that ignores the abort signal, and bounds the retries", async () => {
    const never = () => new Promise(() => {});
    let started = Date.now();
    await rejects(client({ fetch: never, timeoutMs: 200 }).getUser(1), "TIMEOUT");
    assert.ok(Date.now() - started < 1500);
    // The signal is really aborted for a fetch that honours it.
    let aborted = false;
    const listening = (url, init) =>
      new Promise((_, reject) => init.signal.addEventListener("abort", () => { aborted = true; reject(new Error("aborted")); }));
    await rejects(client({ fetch: listening, timeoutMs: 100 }).getUser(1), "TIMEOUT");
    assert.equal(aborted, true);
    // Retries never run past the deadline.
    await inject({ path: "/api/v2/users/11428", status: 500, delay_ms: 150, times: 50 });
    started = Date.now();
    const e = await rejectsOneOf(client({ timeoutMs: 500, retries: 10, retryDelayMs: 100 }).getUser(11428), ["TIMEOUT", "API_ERROR"]);
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
    if (e.code === "API_ERROR") assert.equal(e.status, 500);
  });

  test("every error seen carried neither the API secret nor a signature", async () => {
    assert.ok(seenErrors.length > 40, `only ${seenErrors.length} errors checked`);
    const signatures = (await received()).map((r) => r.params?.signature).filter(Boolean);
    for (const error of seenErrors) {
      const texts = [error.message, error.stack, String(error), inspect(error), JSON.stringify(Object.getOwnPropertyDescriptors(error))];
      for (const text of texts) {
        assert.ok(!text.includes(API_SECRET), `a secret in: ${text}`);
        assert.ok(!text.includes("not-the-secret"), `a secret in: ${text}`);
        assert.ok(!/signature=[0-9a-f]{16}/.test(text), `a signature in: ${text}`);
        for (const s of signatures) assert.ok(!text.includes(s), `a signature in: ${text}`);
      }
    }
  });
});
