// The demo app: what a product integrating kyc-wasm runs on its own server. It serves the page (www/) and
// the browser build (/pkg/web/), talks to OST through `OstKycClient` and to Token of Trust through
// `buildVerifyPersonBody` + `processPersonResponse`, receives both providers' webhooks through
// `webhookHandler`, and streams what happens to the page as Server-Sent Events.
//
// Every secret (the OST API secret, the Token of Trust secret key, both webhook secrets) stays in this
// process: the page only ever sees public values (the TOT public key, the OST API key inside a string to sign).

import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import path from "node:path";

import { closeServer, listen, readJson, readRaw, send, sendFile, sendJson } from "./http.mjs";
import { kyc, PKG, ROOT } from "./kyc.mjs";

const WEBHOOK_LIMIT = 1024 * 1024;
const TEXT_FIELDS = [
  "first_name", "last_name", "birthdate", "country", "nationality", "document_id_number", "ethereum_address",
  "estimated_participation_amount", "street_address", "city", "state", "postal_code",
];
const FILE_FIELDS = ["document_id_file_path", "selfie_file_path", "residence_proof_file_path", "investor_proof_files_path"];
const REQUIRED = [...TEXT_FIELDS, "document_id_file_path", "selfie_file_path"];

/** A KycError (or anything else) as the JSON the page reads. Messages of KycError never carry secrets. */
function errorBody(e) {
  if (e?.name !== "KycError") return { code: "INTERNAL", message: "unexpected error" };
  const out = { code: e.code, message: e.message };
  for (const k of ["apiCode", "apiMessage", "internalId", "status", "errorData", "problems"]) {
    if (e[k] !== undefined) out[k] = e[k];
  }
  return out;
}

function errorStatus(e) {
  if (e?.name !== "KycError") return 500;
  if (e.code === "INVALID_ARGUMENT") return 422;
  if (e.code === "NOT_FOUND") return 404;
  if (e.code === "TIMEOUT") return 504;
  return 502;
}

/** `dd/mm/yyyy` to Token of Trust's `{day, month, year}`. */
function dateOfBirth(text) {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text ?? "");
  return m ? { day: Number(m[1]), month: Number(m[2]), year: Number(m[3]) } : undefined;
}

function compact(object) {
  const out = {};
  for (const [k, v] of Object.entries(object)) {
    if (v === undefined || v === null || v === "") continue;
    if (typeof v === "object" && !Array.isArray(v)) {
      const inner = compact(v);
      if (Object.keys(inner).length) out[k] = inner;
    } else out[k] = v;
  }
  return out;
}

/**
 * Starts the app. `ost`: {apiKey, apiSecret, baseUrl, webhookSecret}; `tot`: {host, publicKey, secretKey,
 * webhookSecret, appId, appDomain}; `s3Origin` for the page's explanations.
 */
export async function startApp({ port = 8080, ost, tot, s3Origin, minBytes = 1, log = () => {} }) {
  const sessions = new Map(); // sid -> session
  const inspector = []; // every webhook delivery, newest last (each visitor sees only its own: session.inspector)
  const streams = new Set(); // {res, sid}
  let seq = 0;
  let origin = null;
  let handlers = null;
  const delivering = new AsyncLocalStorage(); // the inspector entry of the delivery whose onEvent runs

  // ---- sessions and streams ----

  function sessionOf(req, res) {
    const sid = /(?:^|;\s*)sid=([0-9a-f]{32})/.exec(req.headers.cookie ?? "")?.[1];
    if (sid && sessions.has(sid)) return sessions.get(sid);
    // `inspector`: this visitor's deliveries; `outage`: how many of its next deliveries to answer 503 (to show
    // the providers' retries). Both go with the session: "Start over" (a new session) resets them.
    const s = {
      sid: randomBytes(16).toString("hex"), user: null, appUserid: null, fields: null, ost: null, tot: null, ostRequests: [], client: null,
      inspector: [], outage: 0,
    };
    sessions.set(s.sid, s);
    res.setHeader("set-cookie", `sid=${s.sid}; Path=/; HttpOnly; SameSite=Lax`);
    return s;
  }

  const findSession = (predicate) => [...sessions.values()].find(predicate);

  function publicView(s) {
    return {
      user: s.user,
      appUserid: s.appUserid,
      fields: s.fields,
      documents: s.documents ?? null,
      ost: s.ost,
      tot: s.tot,
      ostRequests: s.ostRequests,
    };
  }

  function push(event, data, sid = null) {
    const chunk = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const stream of streams) {
      if (sid === null || stream.sid === sid) stream.res.write(chunk);
    }
  }

  const pushState = (s) => push("state", publicView(s), s.sid);

  // ---- OST: one client per session, so the explanation panel shows that session's last request ----

  function client(s) {
    if (s.client) return s.client;
    const recordingFetch = async (url, init) => {
      const u = new URL(url);
      const raw = init.method === "GET" ? u.search.slice(1) : String(init.body ?? "");
      // The client appends `&signature=…` to the canonical query it signed.
      const signature = /(?:^|&)signature=([0-9a-f]+)$/.exec(raw)?.[1] ?? null;
      const canonical = raw.replace(/&?signature=[0-9a-f]+$/, "");
      const response = await fetch(url, init);
      const server = response.headers.get("x-sandbox-string-to-sign");
      const request = {
        at: Date.now(),
        method: init.method,
        path: u.pathname,
        stringToSign: `${u.pathname}?${canonical}`,
        signature,
        serverStringToSign: server,
        status: response.status,
      };
      s.ostRequests = [...s.ostRequests, request].slice(-6);
      push("ostRequest", request, s.sid);
      return response;
    };
    s.client = new kyc.OstKycClient({
      apiKey: ost.apiKey,
      apiSecret: ost.apiSecret,
      baseUrl: ost.baseUrl,
      timeoutMs: 10_000,
      fetch: recordingFetch,
    });
    return s.client;
  }

  // ---- webhooks ----

  function onEvent(provider, event) {
    const entry = delivering.getStore() ?? null;
    let s = null;
    if (provider === "ost") {
      const userId = event.data?.user_kyc?.user_id ?? event.data?.user?.id;
      s = findSession((x) => x.user?.id === userId);
      if (s) {
        if (event.data?.user) s.user = { ...s.user, properties: event.data.user.properties ?? s.user.properties };
        if (event.data?.user_kyc) s.ost = { ...event.data.user_kyc, event: event.name, createdAt: event.createdAt };
        else s.ost ??= { event: event.name, createdAt: event.createdAt };
      }
    } else {
      s = findSession((x) => x.appUserid && x.appUserid === event.appUserId);
      if (s) s.tot = { status: event.status, operation: event.operation, gates: event.gates, reasons: event.reasons, timestamp: event.timestamp };
    }
    if (entry) {
      entry.event = event;
      entry.sid = s?.sid ?? null;
    }
    if (s) pushState(s);
  }

  function summarise(provider, raw) {
    // For the inspector only, and marked unverified: what the delivery claims to be, and whose it is.
    const text = (v) => (typeof v === "string" || typeof v === "number" ? String(v) : null);
    try {
      if (provider === "ost") {
        const p = kyc.parseQuery(raw);
        return { name: text(p.name), id: text(p.id), user: text(p.data?.user_kyc?.user_id ?? p.data?.user?.id) };
      }
      const j = JSON.parse(raw.toString("utf8"));
      const e = j?.content?.sentWebhookBody ?? j;
      return { name: text(e.name), id: text(e.eventId), user: text(e.app_user_id ?? j.app_user_id) };
    } catch {
      return { name: null, id: null, user: null };
    }
  }

  /** Whether a delivery claims to be about session `s`'s user (unverified: only to route it to the visitor). */
  const claimsSession = (entry, s) =>
    entry.claimed.user !== null &&
    (entry.provider === "ost" ? s.user && String(s.user.id) === entry.claimed.user : s.appUserid === entry.claimed.user);

  /** An inspector entry as the page sees it: without the session id (a cookie value). */
  const entryView = ({ sid, ...entry }) => entry;

  /** Shows `entry` in session `s`'s inspector. */
  function showEntry(s, entry) {
    entry.sid = s.sid;
    s.inspector.push(entry);
    if (s.inspector.length > 200) s.inspector.shift();
    push("webhook", entryView(entry), s.sid);
  }

  async function receiveWebhook(provider, req, res) {
    const raw = await readRaw(req, WEBHOOK_LIMIT);
    const entry = {
      seq: ++seq,
      at: Date.now(),
      provider,
      attempt: Number(req.headers["x-sandbox-delivery-attempt"]) || null,
      tampered: req.headers["x-demo-tampered"] ? decodeURIComponent(req.headers["x-demo-tampered"]) : null,
      bytes: raw.length,
      body: raw.subarray(0, 700).toString("utf8"),
      claimed: summarise(provider, raw),
      status: 0,
      result: null,
      error: null,
      event: null,
      sid: null,
    };
    const owner = findSession((x) => claimsSession(entry, x));
    if (owner && owner.outage > 0 && !entry.tampered) {
      owner.outage--;
      push("outage", { count: owner.outage }, owner.sid);
      entry.status = 503;
      entry.result = "outage";
      entry.error = { code: "SIMULATED_OUTAGE", message: "the demo answered 503 on purpose: the provider retries with backoff" };
      sendJson(res, 503, { ok: false, error: entry.error });
    } else {
      // The raw bytes, as express.raw() would leave them: the handler verifies exactly what was sent.
      req.body = raw;
      let answer = null;
      const end = res.end;
      res.end = function (chunk, ...rest) {
        answer = chunk;
        return end.call(this, chunk, ...rest);
      };
      // onEvent runs before the answer (200 only once it has resolved), inside this delivery's context.
      await delivering.run(entry, () => handlers[provider](req, res));
      entry.status = res.statusCode;
      let json = null;
      try {
        json = JSON.parse(String(answer));
      } catch {
        json = null;
      }
      if (json?.ok) entry.result = json.duplicate ? "duplicate" : json.stale ? "outOfOrder" : "verified";
      else {
        entry.result = "rejected";
        entry.error = json?.error ?? { code: "UNKNOWN", message: "no answer" };
      }
    }
    inspector.push(entry);
    if (inspector.length > 200) inspector.shift();
    // The visitor's own deliveries only; one that arrives before its user is known to a session (OST's
    // user_register can beat the signup's answer) is adopted at signup.
    const s = (entry.sid && sessions.get(entry.sid)) || owner;
    if (s) showEntry(s, entry);
    log(`webhook ${provider} ${entry.claimed.name ?? "?"}: ${entry.status} ${entry.result}${entry.error ? ` ${entry.error.code}` : ""}`);
  }

  /** Sends a correctly signed webhook to ourselves after changing one value in its body. */
  async function tamper(provider, s) {
    const stamp = Math.floor(Date.now() / 1000);
    let body;
    let headers;
    let change;
    if (provider === "tot") {
      const event = {
        app_transaction_id: "T:tampered",
        app_user_id: s.appUserid ?? "nobody",
        app_domain: tot.appDomain,
        reasons: { govtIdTotReviewerApproved: "noMatch" },
        gates: { isCleared: "noMatch", isSubmitted: true, isRejected: "fullMatch" },
        eventId: `tamper${seq + 1}`,
        name: "verification.isRejected",
        operation: "isRejected",
        timestamp: new Date(stamp * 1000).toUTCString(),
      };
      const signed = JSON.stringify(event);
      const authorization = kyc.totWebhookSignature(signed, tot.webhookSecret);
      body = signed.replace('"isCleared":"noMatch"', '"isCleared":"fullMatch"').replace('"isRejected":"fullMatch"', '"isRejected":"noMatch"');
      headers = { "content-type": "application/json", authorization };
      change = "verification.isRejected: gates.isCleared noMatch → fullMatch";
    } else {
      const userId = String(s.user?.id ?? 1);
      const params = {
        created_at: String(stamp),
        data: {
          result_type: "user_kyc",
          user_kyc: {
            admin_status: "denied", aml_status: "rejected", created_at: String(stamp), id: "1", kyc_status: "denied",
            last_acted_by: "Sandbox Reviewer", submission_count: "1", user_id: userId, user_kyc_detail_id: "1",
            whitelist_status: "unprocessed",
          },
        },
        description: "user kyc state has changed",
        id: String(900000 + seq),
        name: "kyc_status_update",
        source: "web",
        type: "user_kyc",
        version: "v1",
      };
      const signed = kyc.signOstWebhook(params, { url: `${origin}/webhooks/ost`, secret: ost.webhookSecret });
      body = signed.replace("kyc_status%5D=denied", "kyc_status%5D=approved");
      headers = { "content-type": "application/x-www-form-urlencoded" };
      change = "data[user_kyc][kyc_status] denied → approved";
    }
    const response = await fetch(`${origin}/webhooks/${provider}`, {
      method: "POST",
      headers: { ...headers, "x-demo-tampered": encodeURIComponent(change) },
      body,
    });
    return { status: response.status, answer: await response.json().catch(() => null), change };
  }

  // ---- API ----

  async function api(req, res, url, s) {
    const p = url.pathname;
    if (p === "/api/config" && req.method === "GET") {
      return sendJson(res, 200, {
        totHost: tot.host,
        totPublicKey: tot.publicKey,
        appDomain: tot.appDomain,
        ostBaseUrl: ost.baseUrl,
        s3Origin,
        minBytes,
        required: REQUIRED,
        textFields: TEXT_FIELDS,
      });
    }
    if (p === "/api/session" && req.method === "GET") {
      return sendJson(res, 200, { ...publicView(s), inspector: s.inspector.map(entryView), outage: s.outage });
    }
    if (p === "/api/events" && req.method === "GET") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
      res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ ...publicView(s), inspector: s.inspector.map(entryView), outage: s.outage })}\n\n`);
      const stream = { res, sid: s.sid };
      streams.add(stream);
      const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
      req.on("close", () => {
        clearInterval(keepAlive);
        streams.delete(stream);
      });
      return undefined;
    }
    if (req.method !== "POST") return sendJson(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "POST only" } });
    const body = await readJson(req);

    if (p === "/api/signup") {
      const email = typeof body.email === "string" ? body.email.trim() : "";
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
        return sendJson(res, 422, { error: { code: "INVALID_ARGUMENT", message: "Enter an email address such as ada@example.com" } });
      }
      let user;
      let existing = false;
      try {
        user = await client(s).createUser(email);
      } catch (e) {
        const taken = e?.code === "API_ERROR" && (e.errorData ?? []).some((d) => d.parameter === "email" && /already/i.test(d.msg));
        if (!taken) return sendJson(res, errorStatus(e), { error: errorBody(e) });
        // Signing up again with the same email: find the user with a filtered, signed list call.
        const page = await client(s).listUsers({ filters: { email } });
        user = page.items.find((u) => u.email.toLowerCase() === email.toLowerCase());
        if (!user) return sendJson(res, errorStatus(e), { error: errorBody(e) });
        existing = true;
      }
      s.user = user;
      s.appUserid = kyc.appUserIdFromEmail(email, tot.appId);
      s.fields = null;
      s.documents = null;
      s.ost = null;
      s.tot = null;
      pushState(s);
      for (const entry of inspector) if (!entry.sid && claimsSession(entry, s)) showEntry(s, entry);
      return sendJson(res, 200, { user, existing, appUserid: s.appUserid });
    }
    if (p === "/api/reset") {
      sessions.delete(s.sid);
      return sendJson(res, 200, { ok: true }, { "set-cookie": "sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" });
    }
    if (!s.user) return sendJson(res, 409, { error: { code: "NO_USER", message: "Sign up first" } });

    if (p === "/api/uploads") {
      try {
        const targets = await client(s).getPresignedUrls("put", body.files ?? {});
        // The documented response, for parseUploadTargets in the page.
        return sendJson(res, 200, { success: true, data: { result_type: "file_upload_put", file_upload_put: targets } });
      } catch (e) {
        return sendJson(res, errorStatus(e), { error: errorBody(e) });
      }
    }
    if (p === "/api/kyc") {
      const fields = {};
      for (const k of [...TEXT_FIELDS, ...FILE_FIELDS]) {
        if (body.fields?.[k] !== undefined) fields[k] = body.fields[k];
      }
      // The same check the page ran, again on the server: never trust the client.
      const problems = kyc.validateKycSubmission(fields, { required: REQUIRED });
      if (problems.length) return sendJson(res, 422, { error: { code: "INVALID_ARGUMENT", message: "Some fields need attention", problems } });
      try {
        const userKyc = await client(s).submitKyc(s.user.id, fields, { required: REQUIRED });
        s.fields = Object.fromEntries(TEXT_FIELDS.map((k) => [k, fields[k]]));
        let detail = null;
        try {
          detail = await client(s).getUserKycDetail(s.user.id);
        } catch (e) {
          log(`users-kyc-detail: ${e.message}`);
        }
        s.documents = detail
          ? Object.fromEntries(["document_id_file", "selfie_file", "residence_proof_file"].filter((k) => detail[k]).map((k) => [k, detail[k]]))
          : null;
        pushState(s);
        return sendJson(res, 200, { userKyc, documents: s.documents });
      } catch (e) {
        return sendJson(res, errorStatus(e), { error: errorBody(e) });
      }
    }
    if (p === "/api/verify-person") {
      // Seed step 3, on the server: the person comes from what this server already knows.
      const f = s.fields ?? {};
      const person = compact({
        givenName: body.person?.givenName ?? f.first_name,
        familyName: body.person?.familyName ?? f.last_name,
        primaryEmail: s.user.email,
        dateOfBirth: dateOfBirth(f.birthdate),
        location: { line1: f.street_address, locality: f.city, region: f.state, postalCode: f.postal_code, countryName: f.country },
      });
      let answer;
      try {
        const verifyBody = kyc.buildVerifyPersonBody({
          appDomain: tot.appDomain,
          totApiKey: tot.publicKey,
          totSecretKey: tot.secretKey,
          appUserid: s.appUserid,
          appTransactionId: `kyc-${s.user.id}`,
          person,
        });
        const response = await fetch(`${tot.host}/api/person`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify(verifyBody),
          signal: AbortSignal.timeout(10_000),
        });
        const json = await response.json().catch(() => ({ metadata: { status: response.status } }));
        answer = kyc.processPersonResponse(json);
      } catch (e) {
        answer = { verificationRequired: true, error: { code: "NETWORK_ERROR", message: e?.name === "KycError" ? e.message : "Token of Trust did not answer" } };
      }
      return sendJson(res, 200, answer);
    }
    if (p === "/api/tamper") {
      const provider = body.provider === "tot" ? "tot" : "ost";
      return sendJson(res, 200, await tamper(provider, s));
    }
    if (p === "/api/outage") {
      s.outage = Math.max(0, Math.min(5, Number(body.count) || 1));
      push("outage", { count: s.outage }, s.sid);
      return sendJson(res, 200, { outage: s.outage });
    }
    return sendJson(res, 404, { error: { code: "NOT_FOUND", message: "no such endpoint" } });
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const p = url.pathname;
    try {
      if (p === "/webhooks/ost" || p === "/webhooks/tot") {
        if (!handlers) return sendJson(res, 503, { ok: false, error: { code: "STARTING", message: "starting" } });
        return await receiveWebhook(p.slice("/webhooks/".length), req, res);
      }
      if (p.startsWith("/api/")) return await api(req, res, url, sessionOf(req, res));
      if (p.startsWith("/pkg/web/")) return await sendFile(res, path.join(PKG, "web"), p.slice("/pkg/web/".length));
      if (p === "/" || p === "/index.html") {
        sessionOf(req, res);
        return await sendFile(res, path.join(ROOT, "www"), "index.html");
      }
      if (p === "/favicon.ico") return send(res, 204, "");
      if (p === "/serve.mjs") return send(res, 404, "not found");
      return await sendFile(res, path.join(ROOT, "www"), p.slice(1));
    } catch (e) {
      log(`app: ${e?.stack ?? e}`);
      if (!res.headersSent) sendJson(res, e?.status ?? 500, { error: { code: "INTERNAL", message: e?.status ? e.message : "unexpected error" } });
    }
  });
  origin = await listen(server, port);

  const makeHandler = (provider) =>
    kyc.webhookHandler({
      provider,
      secret: provider === "ost" ? ost.webhookSecret : tot.webhookSecret,
      url: provider === "ost" ? `${origin}/webhooks/ost` : undefined,
      onEvent: (event) => onEvent(provider, event),
    });
  handlers = { ost: makeHandler("ost"), tot: makeHandler("tot") };

  return {
    origin,
    webhookUrls: { ost: `${origin}/webhooks/ost`, tot: `${origin}/webhooks/tot` },
    inspector,
    close: () => closeServer(server),
  };
}
