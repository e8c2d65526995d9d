// The OST KYC side of the provider sandbox: the documented /api/v2 endpoints, each checking the request's
// HMAC-SHA256 signature and its ±10 s timestamp the way the Rails server does (Rack-parse the query or form
// body with `parseQuery`, rebuild the canonical string with `signOstRequest`/`toQuery`, compare in constant
// time); pre-signed URLs into a real S3-compatible store; and signed, form-urlencoded webhooks POSTed to the
// app whenever state changes, retried with backoff when the app's handler fails.

import { randomBytes, timingSafeEqual } from "node:crypto";

import { deliver } from "./deliver.mjs";
import { nowSeconds, readRaw, sendJson } from "./http.mjs";
import { kyc } from "./kyc.mjs";

const SEED_REQUIRED = [
  "first_name", "last_name", "birthdate", "country", "nationality", "document_id_number",
  "document_id_file_path", "selfie_file_path", "ethereum_address", "estimated_participation_amount",
  "street_address", "city", "state", "postal_code",
];
const FILE_FIELDS = ["document_id_file_path", "selfie_file_path", "residence_proof_file_path"];
const UPLOAD_TYPES = ["image/jpeg", "image/png", "image/jpg", "application/pdf"];
const ERRORS = {
  400: ["BAD_REQUEST", 'At least one parameter is invalid or missing. See "err.error_data" array for more details.'],
  401: ["UNAUTHORIZED", "We could not authenticate the request. Please review your credentials and authentication method."],
  404: ["NOT_FOUND", "The requested resource could not be located."],
  422: ["UNPROCESSABLE_ENTITY", "The request was good, but nevertheless could not be processed."],
};
// POST /api/v2/users-kyc/{id}/email/{approve,deny,report-issue} (the official SDKs' emailApprove, emailDeny,
// emailReportIssue): what each needs of the user's KYC, and OST's answer when it is not so (HTTP 422
// UNPROCESSABLE_ENTITY; the error identifiers kyc_not_approved, kyc_not_denied, kyc_not_reported_issue).
const EMAILS = {
  approve: [(k) => k.kyc_status === "approved", "Could not process. KYC is not approved for user", "kyc_not_approved"],
  deny: [(k) => k.kyc_status === "denied", "Could not process. KYC is not denied for user", "kyc_not_denied"],
  "report-issue": [(k) => k.admin_action_types.length > 0, "Could not process. Issue is not reported for user", "kyc_not_reported_issue"],
};

class ApiError extends Error {
  constructor(status, internalId, errorData = [], msg = ERRORS[status][1]) {
    super(msg);
    this.status = status;
    this.internalId = internalId;
    this.errorData = errorData;
  }
  body() {
    const [code, msg] = ERRORS[this.status];
    const err = { code, msg: this.message ?? msg, internal_id: this.internalId };
    if (this.errorData.length) err.error_data = this.errorData;
    return { success: false, err };
  }
}

const badRequest = (internalId, parameter, msg) => new ApiError(400, internalId, [{ parameter, msg }]);

// The AWS SDK is loaded only when the S3 store is an SDK client (`make demo`'s s3rver): `npx kyc-wasm sandbox`
// uses its own store (sandbox/bucket.mjs) and its presigner, without the SDK (a devDependency of this repository).
let awsSdk = null;
const aws = () =>
  (awsSdk ??= Promise.all([
    import("@aws-sdk/client-s3"),
    import("@aws-sdk/s3-presigned-post"),
    import("@aws-sdk/s3-request-presigner"),
  ]).then(([client, post, presigner]) => ({ ...client, ...post, ...presigner })));

/** A positive integer path id, or 404 as the Rails routes answer. */
function pathId(text) {
  if (!/^[1-9][0-9]{0,17}$/.test(text)) throw new ApiError(404, "ost_path_id");
  return Number(text);
}

function page(items, params, allowedFilters, internalId) {
  const filters = params.filters && typeof params.filters === "object" ? params.filters : {};
  for (const key of Object.keys(filters)) {
    if (!allowedFilters.includes(key)) throw badRequest(internalId, `filters[${key}]`, "Unknown filter");
  }
  const order = params.order ?? "desc";
  if (order !== "asc" && order !== "desc") throw badRequest(internalId, "order", "Order must be asc or desc");
  const limit = params.limit === undefined ? 10 : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badRequest(internalId, "limit", "Limit must be between 1 and 100");
  const pageNumber = params.page_number === undefined ? 1 : Number(params.page_number);
  if (!Number.isInteger(pageNumber) || pageNumber < 1) throw badRequest(internalId, "page_number", "Page number must be a positive integer");
  const sorted = [...items].sort((a, b) => (order === "asc" ? a.created_at - b.created_at : b.created_at - a.created_at) || (order === "asc" ? a.id - b.id : b.id - a.id));
  const slice = sorted.slice((pageNumber - 1) * limit, pageNumber * limit);
  const more = pageNumber * limit < sorted.length;
  return {
    slice,
    meta: {
      total: sorted.length,
      next_page_payload: more ? { page_number: pageNumber + 1, filters, order, limit } : {},
    },
  };
}

/** OST sends every scalar of a webhook's `data` as a string. */
function stringly(value) {
  if (Array.isArray(value)) return value.map(stringly);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringly(v)]));
  return value === null || value === undefined ? "" : String(value);
}

/**
 * The OST sandbox. `webhook.url` may be set later with `setWebhookUrl` (the app starts after the sandbox).
 * `s3`: `{client, bucket}` where `client` is an `S3Client` whose endpoint the browser can reach, or the
 * sandbox's own store (`createS3Store` of bucket.mjs: `presignPut`, `presignPost`, `presignGet`, `has`).
 */
export function createOst({
  apiKey,
  apiSecret,
  clientId = 3,
  webhook = {},
  s3,
  stepMs = 1500,
  retryBaseMs = 1000,
  windowSeconds = 10,
  // How reviews end: "approve" (the default), "deny", or "update" (the admin reports a data mismatch).
  decision = "approve",
  // Runs each delivery (scenarios: twice, out of order; see scenario.mjs).
  dispatch = (start) => start(),
  // Scenario `failNext` (scenario.mjs): whether a delivery attempt fails before reaching the app.
  failAttempt = () => false,
  log = () => {},
}) {
  const users = [];
  const usersKyc = new Map(); // user_id -> user-kyc object
  const details = new Map(); // user_id -> stored detail (with file paths)
  const requests = []; // last requests, for /__sandbox/ost/requests
  const reviews = new Map(); // user_id -> timers of the pending review
  const lastCreatedAt = new Map(); // webhook subject -> created_at
  const deliveries = [];
  const emails = []; // e-mails the /email/* endpoints accepted (the sandbox sends none)
  let nextUserId = 11500;
  let nextKycId = 400;
  let nextDetailId = 900;
  let nextEventId = 500;
  let webhookUrl = webhook.url ?? null;

  const user = (id) => users.find((u) => u.id === id);

  /** Verifies the signature and the ±10 s window; returns the parameters (without api_key/timestamp/signature). */
  function authenticate(path, raw) {
    let params;
    try {
      params = kyc.parseQuery(raw);
    } catch {
      throw badRequest("ost_auth_parse", "query", "The query string or body could not be parsed");
    }
    const { signature, api_key: key, request_timestamp: timestamp, ...rest } = params;
    if (typeof signature !== "string" || typeof key !== "string" || typeof timestamp !== "string") {
      throw new ApiError(401, "ost_auth_missing");
    }
    if (key !== apiKey) throw new ApiError(401, "ost_auth_key");
    const ts = Number(timestamp);
    if (!/^[0-9]{1,12}$/.test(timestamp) || Math.abs(nowSeconds() - ts) > windowSeconds) {
      throw new ApiError(401, "ost_auth_expired");
    }
    // The server's own computation: endpoint + "?" + to_query(params ∪ {api_key, request_timestamp}).
    const expected = kyc.signOstRequest(path, rest, { apiKey: key, apiSecret }, { timestamp: ts });
    const a = Buffer.from(expected.signature, "utf8");
    const b = Buffer.from(signature, "utf8");
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new ApiError(401, "ost_auth_signature");
    return { params: rest, stringToSign: expected.stringToSign };
  }

  // ---- webhooks ----

  function subjectTime(subject) {
    // The seed's storage rule processes an event only when it is newer than the stored one, in whole seconds:
    // two changes within one second must still carry increasing `created_at`.
    const t = Math.max(nowSeconds(), (lastCreatedAt.get(subject) ?? 0) + 1);
    lastCreatedAt.set(subject, t);
    return t;
  }

  function emit(name, type, source, description, data, userId) {
    const event = {
      created_at: String(subjectTime(`${type}:${userId}`)),
      data: stringly(data),
      description,
      id: String(nextEventId++),
      name,
      source,
      type,
      version: "v1",
    };
    if (!webhookUrl || !webhook.secret) return event;
    const url = webhookUrl;
    const label = `OST webhook ${event.name} #${event.id}`;
    const record = { id: event.id, name, url, attempts: [] };
    deliveries.push(record);
    if (deliveries.length > 200) deliveries.shift();
    dispatch(() => deliver({
      failAttempt,
      url,
      label,
      log,
      baseDelayMs: retryBaseMs,
      // The seed: "OST KYC server expects to receive 200 OK in http status code ... within 10 seconds".
      accepted: (status) => status === 200,
      // A fresh request_timestamp (and signature) on every attempt, as a live sender would.
      build: () => ({
        body: kyc.signOstWebhook(event, { url, secret: webhook.secret }),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
    }).then((attempts) => {
      record.attempts = attempts;
    }));
    return event;
  }

  const kycData = (k) => ({ result_type: "user_kyc", user_kyc: k });

  function scheduleReview(userId) {
    for (const t of reviews.get(userId) ?? []) clearTimeout(t);
    const checks = [
      [{ aml_status: "pending" }, "kyc_system"],
      [{ aml_status: "cleared" }, "kyc_system"],
    ];
    const outcome = {
      approve: [
        [{ admin_status: "qualified", kyc_status: "approved", last_acted_by: "Sandbox Reviewer" }, "web"],
        [{ whitelist_status: "started" }, "kyc_system"],
        [{ whitelist_status: "done" }, "kyc_system"],
      ],
      deny: [[{ admin_status: "denied", kyc_status: "denied", last_acted_by: "Sandbox Reviewer" }, "web"]],
      update: [[{ admin_action_types: ["data_mismatch"], last_acted_by: "Sandbox Reviewer" }, "web"]],
    }[decision];
    const steps = [...checks, ...outcome];
    const timers = steps.map(([change, source], i) =>
      setTimeout(() => {
        const k = usersKyc.get(userId);
        if (!k) return;
        Object.assign(k, change);
        emit("kyc_status_update", "user_kyc", source, "user kyc state has changed", kycData(k), userId);
      }, stepMs * (i + 1)),
    );
    for (const t of timers) t.unref?.();
    reviews.set(userId, timers);
  }

  // ---- S3 ----

  async function presign(kind, files) {
    if (!s3) throw badRequest("ost_psu_0", "files", "uploads are not available: this sandbox runs without an S3 store");
    if (!files || typeof files !== "object" || Array.isArray(files) || Object.keys(files).length === 0) {
      throw badRequest("ost_psu_1", "files", "files must be a non-empty object of file key to content type");
    }
    const out = {};
    for (const [fileKey, declared] of Object.entries(files)) {
      const contentType = String(declared).toLowerCase();
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(fileKey)) throw badRequest("ost_psu_2", `files[${fileKey}]`, "Invalid file key");
      if (!UPLOAD_TYPES.includes(contentType)) throw badRequest("ost_psu_3", `files[${fileKey}]`, "Unsupported content type");
      const key = `${clientId}/${contentType.startsWith("image/") ? "i" : "d"}/${randomBytes(16).toString("hex")}`;
      const conditions = [
        ["content-length-range", s3.postMinBytes ?? 200 * 1024, 20 * 1024 * 1024],
        ["eq", "$Content-Type", contentType],
        ["eq", "$key", key],
      ];
      if (s3.presignPut) {
        // The sandbox's own store (sandbox/bucket.mjs): its SigV4 presigner, no AWS SDK.
        out[fileKey] = kind === "put"
          ? { url: s3.presignPut(key, { contentType, expiresIn: 900 }), fields: { key } }
          : s3.presignPost(key, { conditions, fields: { "Content-Type": contentType }, expiresIn: 900 });
        continue;
      }
      const { PutObjectCommand, createPresignedPost, getSignedUrl } = await aws();
      if (kind === "put") {
        const url = await getSignedUrl(
          s3.client,
          new PutObjectCommand({ Bucket: s3.bucket, Key: key, ContentType: contentType }),
          { expiresIn: 900, signableHeaders: new Set(["content-type"]) },
        );
        out[fileKey] = { url, fields: { key } };
      } else {
        const { url, fields } = await createPresignedPost(s3.client, {
          Bucket: s3.bucket,
          Key: key,
          Conditions: conditions,
          Fields: { "Content-Type": contentType },
          Expires: 900,
        });
        out[fileKey] = { url, fields };
      }
    }
    return out;
  }

  async function objectExists(key) {
    if (!s3) return true; // no store: file paths are taken as given
    if (s3.has) return s3.has(key);
    const { HeadObjectCommand, getSignedUrl } = await aws();
    try {
      const url = await getSignedUrl(s3.client, new HeadObjectCommand({ Bucket: s3.bucket, Key: key }), { expiresIn: 60 });
      const response = await fetch(url, { method: "HEAD" });
      return response.ok;
    } catch {
      return false;
    }
  }

  async function fileUrl(key) {
    if (!s3) return key;
    if (s3.presignGet) return s3.presignGet(key, { expiresIn: 12 * 3600 });
    const { GetObjectCommand, getSignedUrl } = await aws();
    return getSignedUrl(s3.client, new GetObjectCommand({ Bucket: s3.bucket, Key: key }), { expiresIn: 12 * 3600 });
  }

  // ---- endpoints ----

  async function submitKyc(userId, fields) {
    const u = user(userId);
    if (!u) throw new ApiError(404, "ost_kyc_submit_user");
    const problems = kyc.validateKycSubmission(fields, { required: SEED_REQUIRED });
    if (problems.length) {
      throw new ApiError(400, "ost_kyc_submit_params", problems.map((p) => ({ parameter: p.field, msg: p.message })));
    }
    const missing = [];
    const paths = [...FILE_FIELDS.filter((f) => fields[f]).map((f) => [f, fields[f]]),
      ...(fields.investor_proof_files_path ?? []).map((p, i) => [`investor_proof_files_path[${i}]`, p])];
    for (const [field, key] of paths) {
      if (!(await objectExists(key))) missing.push({ parameter: field, msg: "No uploaded file at this path" });
    }
    if (missing.length) throw new ApiError(400, "ost_kyc_submit_files", missing);

    const previous = usersKyc.get(userId);
    const k = {
      id: previous?.id ?? nextKycId++,
      user_kyc_detail_id: nextDetailId++,
      user_id: userId,
      kyc_status: "pending",
      admin_status: "unprocessed",
      aml_status: "unprocessed",
      whitelist_status: "unprocessed",
      admin_action_types: [],
      submission_count: (previous?.submission_count ?? 0) + 1,
      last_acted_by: null,
      created_at: nowSeconds(),
    };
    usersKyc.set(userId, k);
    details.set(userId, { id: k.user_kyc_detail_id, created_at: k.created_at, ...fields });
    if (!u.properties.includes("kyc_submitted")) u.properties.push("kyc_submitted");
    emit("kyc_submit", "user_kyc", "api", "User has submitted kyc data", kycData(k), userId);
    scheduleReview(userId);
    return k;
  }

  async function detailOf(userId) {
    const d = details.get(userId);
    if (!d) throw new ApiError(404, "ost_kyc_detail");
    const out = {};
    for (const [key, value] of Object.entries(d)) {
      if (FILE_FIELDS.includes(key)) out[key.replace(/_path$/, "")] = await fileUrl(value);
      else if (key === "investor_proof_files_path") out.investor_proof_files = await Promise.all(value.map(fileUrl));
      else if (key === "estimated_participation_amount") out[key] = Number(value);
      else out[key] = value;
    }
    return out;
  }

  async function route(method, path, params) {
    const ok = (data) => ({ success: true, data });
    let m;
    if (path === "/api/v2/users" && method === "POST") {
      const email = params.email;
      if (typeof email !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw badRequest("um_cu_2", "email", "Invalid email");
      if (users.some((u) => u.email.toLowerCase() === email.toLowerCase())) throw badRequest("um_cu_1", "email", "Email is already registered");
      const u = { id: nextUserId++, email, properties: [], created_at: nowSeconds() };
      users.push(u);
      emit("user_register", "user", "api", "User has signed up", { result_type: "user", user: u }, u.id);
      return ok({ result_type: "user", user: u });
    }
    if (path === "/api/v2/users" && method === "GET") {
      const f = params.filters ?? {};
      const items = users.filter((u) =>
        (f.email === undefined || u.email.includes(f.email)) &&
        (f.is_kyc_submitted === undefined || String(u.properties.includes("kyc_submitted")) === String(f.is_kyc_submitted)) &&
        (f.is_doptin_done === undefined || String(u.properties.includes("doptin_done")) === String(f.is_doptin_done)) &&
        (f.is_doptin_mail_sent === undefined || String(u.properties.includes("doptin_mail_sent")) === String(f.is_doptin_mail_sent)),
      );
      const { slice, meta } = page(items, params, ["email", "is_kyc_submitted", "is_doptin_done", "is_doptin_mail_sent"], "um_ul_1");
      return ok({ result_type: "users", users: slice, meta });
    }
    if ((m = /^\/api\/v2\/users\/([^/]+)$/.exec(path)) && method === "GET") {
      const u = user(pathId(m[1]));
      if (!u) throw new ApiError(404, "um_u_g_favu_2");
      return ok({ result_type: "user", user: u });
    }
    if ((m = /^\/api\/v2\/users-kyc\/pre-signed-urls\/for-(put|post)$/.exec(path)) && method === "GET") {
      const urls = await presign(m[1], params.files);
      return ok({ result_type: `file_upload_${m[1]}`, [`file_upload_${m[1]}`]: urls });
    }
    if ((m = /^\/api\/v2\/users-kyc\/([^/]+)$/.exec(path))) {
      const userId = pathId(m[1]);
      if (method === "POST") return ok({ result_type: "user_kyc", user_kyc: await submitKyc(userId, params) });
      if (method === "GET") {
        const k = usersKyc.get(userId);
        if (!k) throw new ApiError(404, "ost_kyc_get");
        return ok({ result_type: "user_kyc", user_kyc: k });
      }
    }
    if ((m = /^\/api\/v2\/users-kyc\/([^/]+)\/email\/(approve|deny|report-issue)$/.exec(path)) && method === "POST") {
      const userId = pathId(m[1]);
      if (!user(userId)) throw new ApiError(404, "um_se_b_favu_1");
      const vars = params.template_vars ?? {};
      const scalar = (v) => typeof v === "string";
      const valid = vars && typeof vars === "object" && !Array.isArray(vars) &&
        Object.values(vars).every((v) => scalar(v) || (v && typeof v === "object" && Object.values(v).every(scalar)));
      if (!valid) throw badRequest("um_se_b_vasp_1", "template_vars", "Invalid template vars");
      const [ready, msg, identifier] = EMAILS[m[2]];
      const k = usersKyc.get(userId);
      if (!k || !ready(k)) throw new ApiError(422, identifier, [], msg);
      emails.push({ userId, kind: m[2], templateVars: vars, at: Date.now() });
      if (emails.length > 200) emails.shift();
      log(`OST sandbox: ${m[2]} e-mail to user ${userId}`);
      return ok({});
    }
    if (path === "/api/v2/users-kyc" && method === "GET") {
      const f = params.filters ?? {};
      const items = [...usersKyc.values()].filter((k) =>
        ["admin_status", "aml_status", "whitelist_status"].every((s) => f[s] === undefined || k[s] === f[s]) &&
        (f.admin_action_types === undefined ||
          (f.admin_action_types === "no_admin_action" ? k.admin_action_types.length === 0 : k.admin_action_types.includes(f.admin_action_types))),
      );
      const { slice, meta } = page(items, params, ["admin_status", "aml_status", "whitelist_status", "admin_action_types"], "ost_kyc_list");
      return ok({ result_type: "users_kyc", users_kyc: slice, meta });
    }
    if ((m = /^\/api\/v2\/users-kyc-detail\/([^/]+)$/.exec(path)) && method === "GET") {
      const userId = pathId(m[1]);
      return ok({ result_type: "user_kyc_detail", user_kyc_detail: await detailOf(userId) });
    }
    if (path === "/api/v2/ethereum-address-validation" && method === "GET") {
      const address = params.ethereum_address;
      const problems = kyc.validateKycSubmission({ ethereum_address: address ?? "" }, { required: ["ethereum_address"] });
      return problems.length ? { success: false, err: { code: "BAD_REQUEST", msg: "Invalid ethereum address", internal_id: "ost_eth_1" } } : { success: true };
    }
    throw new ApiError(404, "ost_route");
  }

  /** Handles `/api/v2/...`; resolves to `false` for other paths. */
  async function handle(req, res, url) {
    if (!url.pathname.startsWith("/api/v2/")) return false;
    const entry = { at: Date.now(), method: req.method, path: url.pathname, status: 0, internalId: null };
    requests.push(entry);
    if (requests.length > 200) requests.shift();
    try {
      const raw = req.method === "GET" ? url.search.slice(1) : (await readRaw(req, 1024 * 1024)).toString("utf8");
      const { params, stringToSign } = authenticate(url.pathname, raw);
      entry.stringToSign = stringToSign;
      const body = await route(req.method, url.pathname, params);
      entry.status = body.success === false ? 400 : 200;
      // Sandbox only: the string the server recomputed, so the demo can show both sides agree.
      sendJson(res, entry.status, body, { "x-sandbox-string-to-sign": stringToSign });
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(400, "ost_internal", [{ parameter: "", msg: String(e?.message ?? e) }]);
      if (!(e instanceof ApiError)) log(`OST sandbox: ${e?.stack ?? e}`);
      entry.status = error.status;
      entry.internalId = error.internalId;
      sendJson(res, error.status, error.body());
    }
    return true;
  }

  return {
    handle,
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    /** How the next reviews end: "approve", "deny" or "update". */
    setDecision(value) {
      decision = value;
    },
    get decision() {
      return decision;
    },
    users,
    usersKyc,
    requests,
    deliveries,
    emails,
  };
}
