// The S3-compatible store of `npx kyc-wasm sandbox` (node:http + node:crypto, no dependency): one bucket,
// objects kept in memory, path-style URLs on the sandbox's own origin (`/<bucket>/<key>`). It accepts what
// the sandbox's OST pre-signed-URL route hands out, as S3 would:
//   - PUT to a pre-signed URL (SigV4 query-string authentication: X-Amz-Algorithm, -Credential, -Date,
//     -Expires, -SignedHeaders, -Signature), checking the signature over the method, path, query and signed
//     headers (a signed content-type must match), the access key, region, expiry;
//   - POST of a multipart form (the policy document, signed with x-amz-signature), checking the signature, the
//     policy's expiration and every condition (bucket, key, eq / starts-with, content-length-range), and that
//     every form field is covered by a condition;
//   - GET / HEAD of an object, by pre-signed URL or with an Authorization header (SigV4);
//   - CORS for any origin (a local development store).
// Errors are S3's XML error documents with S3's codes (AccessDenied, SignatureDoesNotMatch, EntityTooLarge,
// EntityTooSmall, NoSuchKey, InvalidAccessKeyId, AuthorizationQueryParametersError, ...).

import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const ALGORITHM = "AWS4-HMAC-SHA256";
const UNSIGNED = "UNSIGNED-PAYLOAD";
const WEEK = 604800;
const SKEW_MS = 15 * 60 * 1000;

const hmac = (key, data) => createHmac("sha256", key).update(data).digest();
const sha256Hex = (data) => createHash("sha256").update(data).digest("hex");

/** The SigV4 signing key for one day, region and service. */
export function signingKey(secretAccessKey, date, region, service = "s3") {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), "aws4_request");
}

/** `YYYYMMDDTHHMMSSZ` for a time in milliseconds. */
export function amzDate(ms) {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function parseAmzDate(text) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? "");
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

/** RFC 3986 percent-encoding as SigV4 wants it (unreserved characters kept; `/` kept only in paths). */
export function uriEncode(text, keepSlash = false) {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === "/")) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

const canonicalQuery = (pairs) =>
  pairs
    .map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");

const headerValue = (v) => (Array.isArray(v) ? v.join(",") : String(v ?? "")).trim().replace(/\s+/g, " ");

function stringToSign(canonicalRequest, date, scope) {
  return `${ALGORITHM}\n${date}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** The raw query of a request URL as decoded pairs (in order), or null when it is not valid percent-encoding. */
function queryPairs(rawQuery) {
  const pairs = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = safeDecode(eq === -1 ? part : part.slice(0, eq));
    const v = safeDecode(eq === -1 ? "" : part.slice(eq + 1));
    if (k === null || v === null) return null;
    pairs.push([k, v]);
  }
  return pairs;
}

const xmlEscape = (s) => String(s).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

class S3Error extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

const MESSAGES = {
  AccessDenied: "Access Denied",
  SignatureDoesNotMatch: "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
  InvalidAccessKeyId: "The AWS Access Key Id you provided does not exist in our records.",
  EntityTooLarge: "Your proposed upload exceeds the maximum allowed size",
  EntityTooSmall: "Your proposed upload is smaller than the minimum allowed size",
  NoSuchKey: "The specified key does not exist.",
  NoSuchBucket: "The specified bucket does not exist",
  MethodNotAllowed: "The specified method is not allowed against this resource.",
};
const fail = (status, code, message = MESSAGES[code], extra) => new S3Error(status, code, message, extra);

/** A multipart/form-data body as parts `{name, filename, type, data}` in order; null when malformed. */
export function parseMultipart(body, contentType) {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
  if (!m) return null;
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts = [];
  let pos = body.indexOf(delimiter);
  if (pos === -1) return null;
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // closing delimiter
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) return null;
    pos += 2;
    const headerEnd = body.indexOf("\r\n\r\n", pos);
    if (headerEnd === -1) return null;
    const headers = body.subarray(pos, headerEnd).toString("utf8").split("\r\n");
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headerEnd + 4);
    if (next === -1) return null;
    const part = { name: null, filename: null, type: null, data: body.subarray(headerEnd + 4, next) };
    for (const line of headers) {
      const [name, ...rest] = line.split(":");
      const value = rest.join(":").trim();
      if (/^content-disposition$/i.test(name)) {
        part.name = /(?:^|;)\s*name="([^"]*)"/i.exec(value)?.[1] ?? null;
        part.filename = /(?:^|;)\s*filename="([^"]*)"/i.exec(value)?.[1] ?? null;
      } else if (/^content-type$/i.test(name)) {
        part.type = value;
      }
    }
    if (part.name === null) return null;
    parts.push(part);
    pos = next + 2;
  }
}

/** Reads a request body up to `limit` bytes; throws EntityTooLarge past it. */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let over = false;
    req.on("data", (c) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        req.resume();
        reject(fail(400, "EntityTooLarge"));
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => over || resolve(Buffer.concat(chunks)));
    req.on("error", (e) => over || reject(e));
  });
}

/**
 * The store. `bucket`, `region`, the account (`accessKeyId`, `secretAccessKey`; random when not given),
 * `maxObjectBytes` (a PUT or POST file larger than this is EntityTooLarge), `maxTotalBytes` (the memory it
 * may hold), `now()` (ms; tests). `setOrigin(origin)` tells it where it is served (pre-signed URLs point there).
 */
export function createS3Store({
  bucket = "kyc-sandbox",
  region = "us-east-1",
  accessKeyId = `SANDBOX${randomBytes(8).toString("hex").toUpperCase()}`,
  secretAccessKey = randomBytes(24).toString("base64url"),
  maxObjectBytes = 32 * 1024 * 1024,
  maxTotalBytes = 256 * 1024 * 1024,
  now = Date.now,
  log = () => {},
} = {}) {
  const objects = new Map(); // key -> {body, contentType, etag, lastModified}
  let origin = null;
  let total = 0;

  const scopeOf = (date) => `${date.slice(0, 8)}/${region}/s3/aws4_request`;
  const objectPath = (key) => `/${uriEncode(bucket)}/${uriEncode(key, true)}`;

  function requireOrigin() {
    if (!origin) throw new Error("the S3 store has no origin yet (setOrigin)");
    return origin;
  }

  /** A pre-signed URL (query-string SigV4) for `method` on `key`; `headers` are signed along with host. */
  function presign(method, key, { expiresIn = 900, headers = {} } = {}) {
    const base = new URL(requireOrigin());
    const date = amzDate(now());
    const signed = { host: base.host, ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), headerValue(v)])) };
    const names = Object.keys(signed).sort();
    const params = [
      ["X-Amz-Algorithm", ALGORITHM],
      ["X-Amz-Content-Sha256", UNSIGNED],
      ["X-Amz-Credential", `${accessKeyId}/${scopeOf(date)}`],
      ["X-Amz-Date", date],
      ["X-Amz-Expires", String(expiresIn)],
      ["X-Amz-SignedHeaders", names.join(";")],
    ];
    const path = objectPath(key);
    const canonical = [method, path, canonicalQuery(params), names.map((n) => `${n}:${signed[n]}\n`).join(""), names.join(";"), UNSIGNED].join("\n");
    const signature = hmac(signingKey(secretAccessKey, date.slice(0, 8), region), stringToSign(canonical, date, scopeOf(date))).toString("hex");
    return `${base.origin}${path}?${canonicalQuery([...params, ["X-Amz-Signature", signature]])}`;
  }

  /**
   * A pre-signed POST form: `{url, fields}` whose policy holds `conditions` plus the bucket, the key and the
   * signing fields; `fields` (e.g. Content-Type) are sent as form fields and bound by the policy too.
   */
  function presignPost(key, { conditions = [], fields = {}, expiresIn = 900 } = {}) {
    const base = new URL(requireOrigin());
    const t = now();
    const date = amzDate(t);
    const credential = `${accessKeyId}/${scopeOf(date)}`;
    const signing = { "X-Amz-Algorithm": ALGORITHM, "X-Amz-Credential": credential, "X-Amz-Date": date };
    const policy = {
      expiration: new Date(t + expiresIn * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      conditions: [
        ...conditions,
        { bucket },
        ...Object.entries(signing).map(([k, v]) => ({ [k]: v })),
        { key },
        ...Object.entries(fields).map(([k, v]) => ({ [k]: v })),
      ],
    };
    const encoded = Buffer.from(JSON.stringify(policy)).toString("base64");
    const signature = hmac(signingKey(secretAccessKey, date.slice(0, 8), region), encoded).toString("hex");
    return {
      url: `${base.origin}/${uriEncode(bucket)}`,
      fields: { bucket, ...signing, key, ...fields, Policy: encoded, "X-Amz-Signature": signature },
    };
  }

  // ---- verification ----

  function checkCredential(credential, date, where) {
    const parts = String(credential ?? "").split("/");
    if (parts.length !== 5) throw fail(400, where, `Error parsing the ${where === "AuthorizationQueryParametersError" ? "X-Amz-Credential parameter" : "Credential"}; it must be ACCESSKEY/DATE/REGION/s3/aws4_request`);
    const [key, day, reg, service, terminal] = parts;
    if (key !== accessKeyId) throw fail(403, "InvalidAccessKeyId");
    if (day !== date.slice(0, 8)) throw fail(400, where, "Error parsing the credential: the date does not match X-Amz-Date");
    if (reg !== region) throw fail(400, where, `Error parsing the credential; the region '${reg}' is wrong; expecting '${region}'`, { Region: region });
    if (service !== "s3" || terminal !== "aws4_request") throw fail(400, where, "Error parsing the credential: the service must be s3 and the terminal aws4_request");
  }

  function compare(expectedHex, givenHex, canonical, toSign) {
    const a = Buffer.from(expectedHex, "utf8");
    const b = Buffer.from(String(givenHex ?? ""), "utf8");
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw fail(403, "SignatureDoesNotMatch", MESSAGES.SignatureDoesNotMatch, { StringToSign: toSign, CanonicalRequest: canonical });
    }
  }

  /**
   * Authenticates a GET/HEAD/PUT request (query-string or Authorization header SigV4); resolves to the
   * payload hash the signature covers ("UNSIGNED-PAYLOAD" or a hex SHA-256 to check against the body).
   */
  function authenticate(req, rawPath, rawQuery) {
    const pairs = queryPairs(rawQuery);
    if (pairs === null) throw fail(400, "InvalidArgument", "The query string is not valid percent-encoding");
    const q = Object.fromEntries(pairs);
    const path = rawPath.split("/").map((s) => uriEncode(safeDecode(s) ?? s)).join("/");
    const auth = req.headers.authorization;
    let date;
    let credential;
    let signedHeaders;
    let signature;
    let payload;
    let queryForCanonical;
    if (q["X-Amz-Algorithm"] !== undefined || q["X-Amz-Signature"] !== undefined) {
      const where = "AuthorizationQueryParametersError";
      const needed = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"];
      if (needed.some((n) => q[n] === undefined)) {
        throw fail(400, where, "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
      }
      if (q["X-Amz-Algorithm"] !== ALGORITHM) throw fail(400, where, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
      date = q["X-Amz-Date"];
      const signedAt = parseAmzDate(date);
      if (Number.isNaN(signedAt)) throw fail(400, where, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
      const expires = /^\d{1,7}$/.test(q["X-Amz-Expires"]) ? Number(q["X-Amz-Expires"]) : NaN;
      if (!(expires >= 1)) throw fail(400, where, "X-Amz-Expires must be non-negative");
      if (expires > WEEK) throw fail(400, where, "X-Amz-Expires must be less than a week (in seconds) that is 604800");
      checkCredential(q["X-Amz-Credential"], date, where);
      if (signedAt - SKEW_MS > now()) throw fail(403, "AccessDenied", "Request is not valid yet");
      if (now() > signedAt + expires * 1000) throw fail(403, "AccessDenied", "Request has expired", { "X-Amz-Expires": String(expires), Expires: new Date(signedAt + expires * 1000).toISOString(), ServerTime: new Date(now()).toISOString() });
      credential = q["X-Amz-Credential"];
      signedHeaders = q["X-Amz-SignedHeaders"];
      signature = q["X-Amz-Signature"];
      payload = q["X-Amz-Content-Sha256"] ?? UNSIGNED;
      queryForCanonical = pairs.filter(([k]) => k !== "X-Amz-Signature");
    } else if (typeof auth === "string" && auth.startsWith(`${ALGORITHM} `)) {
      const where = "AuthorizationHeaderMalformed";
      const fields = Object.fromEntries(auth.slice(ALGORITHM.length + 1).split(",").map((p) => p.trim().split("=")).map(([k, ...v]) => [k, v.join("=")]));
      if (!fields.Credential || !fields.SignedHeaders || !fields.Signature) throw fail(400, where, "The authorization header is malformed; it must have Credential, SignedHeaders and Signature.");
      date = headerValue(req.headers["x-amz-date"]);
      const signedAt = parseAmzDate(date);
      if (Number.isNaN(signedAt)) throw fail(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
      checkCredential(fields.Credential, date, where);
      if (Math.abs(now() - signedAt) > SKEW_MS) throw fail(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
      payload = headerValue(req.headers["x-amz-content-sha256"]);
      if (!payload) throw fail(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
      if (payload !== UNSIGNED && !/^[0-9a-f]{64}$/.test(payload)) throw fail(501, "NotImplemented", `x-amz-content-sha256 ${payload} is not supported by the sandbox store`);
      credential = fields.Credential;
      signedHeaders = fields.SignedHeaders;
      signature = fields.Signature;
      queryForCanonical = pairs;
    } else if (auth !== undefined) {
      throw fail(400, "InvalidArgument", "Only AWS Signature Version 4 (AWS4-HMAC-SHA256) is supported");
    } else {
      throw fail(403, "AccessDenied"); // anonymous access to a private bucket
    }
    const names = signedHeaders.split(";");
    if (!names.includes("host") || names.some((n) => n !== n.toLowerCase() || n === "")) {
      throw fail(400, "AuthorizationQueryParametersError", "SignedHeaders must include host and be lowercase, separated by ;");
    }
    const canonical = [
      req.method,
      path,
      canonicalQuery(queryForCanonical),
      names.map((n) => `${n}:${headerValue(req.headers[n])}\n`).join(""),
      signedHeaders,
      payload,
    ].join("\n");
    const toSign = stringToSign(canonical, date, credential.split("/").slice(1).join("/"));
    compare(hmac(signingKey(secretAccessKey, date.slice(0, 8), region), toSign).toString("hex"), signature, canonical, toSign);
    return payload;
  }

  function store(key, body, contentType) {
    if (body.length > maxObjectBytes) throw fail(400, "EntityTooLarge", MESSAGES.EntityTooLarge, { ProposedSize: String(body.length), MaxSizeAllowed: String(maxObjectBytes) });
    const previous = objects.get(key)?.body.length ?? 0;
    if (total - previous + body.length > maxTotalBytes) throw fail(503, "ServiceUnavailable", `the sandbox store is full (${maxTotalBytes} bytes in memory): restart the sandbox`);
    total += body.length - previous;
    const etag = `"${createHash("md5").update(body).digest("hex")}"`;
    objects.set(key, { body, contentType: contentType || "binary/octet-stream", etag, lastModified: new Date(now()) });
    log(`S3 store: stored ${key} (${body.length} bytes, ${contentType || "binary/octet-stream"})`);
    return etag;
  }

  /** POST: the policy form upload. */
  async function postObject(req, res) {
    const type = req.headers["content-type"] ?? "";
    if (!/^multipart\/form-data/i.test(type)) throw fail(412, "PreconditionFailed", "Bucket POST must be of the enclosure-type multipart/form-data");
    const body = await readBody(req, maxObjectBytes + 256 * 1024);
    const parts = parseMultipart(body, type);
    if (parts === null) throw fail(400, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.");
    const fileIndex = parts.findIndex((p) => p.name.toLowerCase() === "file");
    if (fileIndex === -1) throw fail(400, "InvalidArgument", "POST requires exactly one file upload per request.", { ArgumentName: "file" });
    const file = parts[fileIndex];
    const form = new Map(); // lowercased name -> value; S3 ignores the fields after the file
    const names = new Map(); // lowercased -> as sent
    for (const p of parts.slice(0, fileIndex)) {
      form.set(p.name.toLowerCase(), p.data.toString("utf8"));
      names.set(p.name.toLowerCase(), p.name);
    }
    if (!form.has("key")) throw fail(400, "InvalidArgument", "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", { ArgumentName: "key" });
    const key = form.get("key").replaceAll("${filename}", file.filename ?? "");
    if (!form.has("policy")) throw fail(403, "AccessDenied"); // an anonymous form to a private bucket
    for (const f of ["x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"]) {
      if (!form.has(f)) throw fail(400, "InvalidArgument", `Bucket POST must contain a field named '${f}'.  If it is specified, please check the order of the fields.`, { ArgumentName: f });
    }
    if (form.get("x-amz-algorithm") !== ALGORITHM) throw fail(400, "InvalidArgument", "x-amz-algorithm only supports \"AWS4-HMAC-SHA256\"");
    const date = form.get("x-amz-date");
    if (Number.isNaN(parseAmzDate(date))) throw fail(400, "InvalidArgument", "x-amz-date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    checkCredential(form.get("x-amz-credential"), date, "InvalidArgument");
    const encoded = form.get("policy");
    compare(hmac(signingKey(secretAccessKey, date.slice(0, 8), region), encoded).toString("hex"), form.get("x-amz-signature"), "", encoded);

    let policy;
    try {
      policy = JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
    } catch {
      throw fail(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.");
    }
    const expiration = Date.parse(policy?.expiration);
    if (typeof policy?.expiration !== "string" || Number.isNaN(expiration)) throw fail(400, "InvalidPolicyDocument", "Invalid Policy: Policy missing expiration.");
    if (!Array.isArray(policy.conditions)) throw fail(400, "InvalidPolicyDocument", "Invalid Policy: Policy missing conditions.");
    if (now() > expiration) throw fail(403, "AccessDenied", "Invalid according to Policy: Policy expired.");

    const valueOf = (name) => (name === "bucket" ? bucket : name === "key" ? key : form.get(name));
    const covered = new Set();
    const conditionFailed = (c) => fail(403, "AccessDenied", `Invalid according to Policy: Policy Condition failed: ${JSON.stringify(c)}`);
    const invalid = (c) => fail(400, "InvalidPolicyDocument", `Invalid Policy: Invalid Condition: ${JSON.stringify(c)}`);
    let range = null;
    for (const c of policy.conditions) {
      if (c && typeof c === "object" && !Array.isArray(c)) {
        const entries = Object.entries(c);
        if (entries.length !== 1 || typeof entries[0][1] !== "string") throw invalid(c);
        const name = entries[0][0].toLowerCase();
        covered.add(name);
        if (valueOf(name) !== entries[0][1]) throw conditionFailed(c);
      } else if (Array.isArray(c) && String(c[0]).toLowerCase() === "content-length-range") {
        const [, min, max] = c;
        if (c.length !== 3 || !Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) throw invalid(c);
        range = [min, max];
      } else if (Array.isArray(c) && c.length === 3 && typeof c[1] === "string" && c[1].startsWith("$") && typeof c[2] === "string") {
        const op = String(c[0]).toLowerCase();
        const name = c[1].slice(1).toLowerCase();
        covered.add(name);
        const value = valueOf(name) ?? "";
        if (op === "eq") {
          if (value !== c[2]) throw conditionFailed(c);
        } else if (op === "starts-with") {
          // Content-Type may list several types separated by commas: each must start with the prefix.
          const values = name === "content-type" ? value.split(",").map((v) => v.trim()) : [value];
          if (!values.every((v) => v.startsWith(c[2]))) throw conditionFailed(c);
        } else {
          throw invalid(c);
        }
      } else {
        throw invalid(c);
      }
    }
    const exempt = (n) => n === "policy" || n === "x-amz-signature" || n === "file" || n.startsWith("x-ignore-");
    const extra = [...form.keys()].filter((n) => !exempt(n) && !covered.has(n));
    if (extra.length) throw fail(403, "AccessDenied", `Invalid according to Policy: Extra input fields: ${extra.map((n) => names.get(n)).join(", ")}`);
    if (range) {
      if (file.data.length > range[1]) throw fail(400, "EntityTooLarge", MESSAGES.EntityTooLarge, { ProposedSize: String(file.data.length), MaxSizeAllowed: String(range[1]) });
      if (file.data.length < range[0]) throw fail(400, "EntityTooSmall", MESSAGES.EntityTooSmall, { ProposedSize: String(file.data.length), MinSizeAllowed: String(range[0]) });
    }
    const etag = store(key, Buffer.from(file.data), form.get("content-type"));
    const location = `${requireOrigin()}${objectPath(key)}`;
    const status = ["200", "201"].includes(form.get("success_action_status")) ? Number(form.get("success_action_status")) : 204;
    const headers = { etag, location };
    if (status === 201) {
      send(res, 201, { ...headers, "content-type": "application/xml" },
        `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${xmlEscape(location)}</Location><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(etag)}</ETag></PostResponse>`);
    } else {
      send(res, status, headers, "");
    }
  }

  const corsOrigins = new WeakMap(); // res -> the request's Origin
  function send(res, status, headers, body) {
    const corsOrigin = corsOrigins.get(res);
    const cors = corsOrigin ? { "access-control-allow-origin": corsOrigin, "access-control-expose-headers": "ETag", vary: "Origin" } : {};
    res.writeHead(status, { "x-amz-request-id": randomBytes(8).toString("hex").toUpperCase(), ...cors, ...headers });
    res.end(body);
  }

  function sendError(res, e, resource) {
    const extra = Object.entries(e.extra).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join("");
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message>${extra}<Resource>${xmlEscape(resource)}</Resource><RequestId>${randomBytes(8).toString("hex").toUpperCase()}</RequestId></Error>`;
    send(res, e.status, { "content-type": "application/xml" }, body);
  }

  /** Handles `/<bucket>` and `/<bucket>/<key>`; resolves to false for other paths. */
  async function handle(req, res, url) {
    const rawPath = req.url.split("?")[0];
    const rawQuery = req.url.includes("?") ? req.url.slice(req.url.indexOf("?") + 1) : "";
    const prefix = `/${uriEncode(bucket)}`;
    if (rawPath !== prefix && !rawPath.startsWith(`${prefix}/`)) return false;
    const corsOrigin = typeof req.headers.origin === "string" ? req.headers.origin : null;
    if (corsOrigin) corsOrigins.set(res, corsOrigin);
    const key = safeDecode(rawPath.slice(prefix.length + 1)) ?? "";
    try {
      if (req.method === "OPTIONS") {
        const method = req.headers["access-control-request-method"];
        if (!corsOrigin || !["GET", "HEAD", "PUT", "POST"].includes(method)) throw fail(403, "AccessForbidden", "CORSResponse: This CORS request is not allowed.");
        send(res, 200, {
          "access-control-allow-methods": "GET, HEAD, PUT, POST",
          "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "",
          "access-control-max-age": "600",
        }, "");
        return true;
      }
      if (key === "") {
        if (req.method === "POST") await postObject(req, res);
        else throw fail(405, "MethodNotAllowed");
        return true;
      }
      if (!["GET", "HEAD", "PUT"].includes(req.method)) throw fail(405, "MethodNotAllowed");
      const payload = authenticate(req, rawPath, rawQuery);
      if (req.method === "PUT") {
        const length = req.headers["content-length"];
        if (length === undefined && req.headers["transfer-encoding"] === undefined) throw fail(411, "MissingContentLength", "You must provide the Content-Length HTTP header.");
        if (length !== undefined && Number(length) > maxObjectBytes) throw fail(400, "EntityTooLarge", MESSAGES.EntityTooLarge, { ProposedSize: String(length), MaxSizeAllowed: String(maxObjectBytes) });
        const body = await readBody(req, maxObjectBytes);
        if (payload !== UNSIGNED && sha256Hex(body) !== payload) throw fail(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
        const etag = store(key, body, headerValue(req.headers["content-type"]));
        send(res, 200, { etag, "content-length": "0" }, "");
        return true;
      }
      const object = objects.get(key);
      if (!object) throw fail(404, "NoSuchKey", MESSAGES.NoSuchKey, { Key: key });
      send(res, 200, {
        "content-type": object.contentType,
        "content-length": String(object.body.length),
        etag: object.etag,
        "last-modified": object.lastModified.toUTCString(),
      }, req.method === "HEAD" ? undefined : object.body);
    } catch (e) {
      if (!(e instanceof S3Error)) {
        log(`S3 store: ${e?.stack ?? e}`);
        e = fail(500, "InternalError", "We encountered an internal error. Please try again.");
      }
      if (req.method === "HEAD") send(res, e.status, {}, undefined);
      else sendError(res, e, rawPath);
      // A refused upload's remaining body is not read: close the connection after the answer.
      if (!req.complete) res.once("finish", () => req.socket?.destroy());
    }
    return true;
  }

  return {
    bucket,
    region,
    credentials: { accessKeyId, secretAccessKey },
    /** Where the store is served (the sandbox's origin): pre-signed URLs point there. */
    setOrigin(value) {
      origin = value;
    },
    get endpoint() {
      return origin;
    },
    handle,
    presignPut: (key, { contentType, expiresIn } = {}) => presign("PUT", key, { expiresIn, headers: contentType ? { "content-type": contentType } : {} }),
    presignGet: (key, { expiresIn } = {}) => presign("GET", key, { expiresIn }),
    presignPost,
    has: (key) => objects.has(key),
    get: (key) => objects.get(key),
    objects,
  };
}
