// The Token of Trust side of the provider sandbox: `POST /api/person` (a continuation at first, "conditions
// met" once the user has finished), `/embed/embed.js` (the `tot` command queue and its modal), the small
// verification page the modal shows, and signed webhooks (base64 HMAC-SHA1 of the raw body in
// `Authorization`) for every gate change.

import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { deliver } from "./deliver.mjs";
import { readJson, sendFile, sendJson } from "./http.mjs";
import { kyc } from "./kyc.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CONDITIONS_MET = "WorkflowService:conditionsMet";
const INTERACTIVE = "WorkflowService:nextStepIsInteractive";

/** The gates and reasons of each state, in Token of Trust's vocabulary (strings, booleans and `{value}`). */
function verdict(state) {
  const no = "noMatch";
  const gates = {
    isConditionallyVerified: no,
    isApproved: no,
    isPositiveReview: no,
    isCleared: no,
    isSubmitted: false,
    isUpdateRequested: no,
    isRejected: no,
  };
  const reasons = {
    selfieIsGoodHeadShot: "fullMatch",
    govtIdTotReviewerApproved: no,
    govtIdPositiveAppReview: { value: no },
    appReviewNotRejected: "fullMatch",
    ageVerified: no,
  };
  if (state === "submitted") gates.isSubmitted = "fullMatch";
  if (state === "cleared") {
    Object.assign(gates, {
      isConditionallyVerified: "fullMatch",
      isApproved: "fullMatch",
      isPositiveReview: "fullMatch",
      isCleared: "fullMatch",
      isSubmitted: true,
    });
    Object.assign(reasons, {
      govtIdTotReviewerApproved: "fullMatch",
      govtIdPositiveAppReview: { value: "fullMatch" },
      ageVerified: "partialMatch",
    });
  }
  if (state === "rejected") {
    gates.isRejected = "fullMatch";
    Object.assign(reasons, { appReviewNotRejected: no, govtIdTotReviewerApproved: false });
  }
  if (state === "updateRequested") gates.isUpdateRequested = "fullMatch";
  return { gates, reasons };
}

const OPERATION = { submitted: "isSubmitted", cleared: "isCleared", rejected: "isRejected", updateRequested: "isUpdateRequested" };

/** The TOT sandbox. `webhook.url` may be set later with `setWebhookUrl`. */
export function createTot({
  publicKey,
  secretKey,
  webhook = {},
  reviewMs = 2000,
  retryBaseMs = 1000,
  // Retries of a failed webhook (the demo shows them; Token of Trust documents only "limited retry
  // capabilities", and `npx kyc-wasm sandbox` sends one attempt unless told otherwise).
  retries = 6,
  // The review's outcome whatever the modal says: "clear", "reject", "update", or null (the modal decides).
  decision = null,
  dispatch = (start) => start(),
  // Scenario `failNext` (scenario.mjs): whether a delivery attempt fails before reaching the app.
  failAttempt = () => false,
  log = () => {},
}) {
  const byUser = new Map(); // appUserid -> verification
  const byToken = new Map(); // continuation token -> verification
  const deliveries = [];
  let webhookUrl = webhook.url ?? null;
  let forcedDecision = decision;
  let origin = null; // set on the first request: continuation URLs point back at this server

  function verification(body) {
    let v = byUser.get(body.appUserid);
    if (!v) {
      v = { token: randomBytes(12).toString("hex"), appUserid: body.appUserid, state: "started", lastTimestamp: 0, decision: "clear" };
      byUser.set(v.appUserid, v);
      byToken.set(v.token, v);
    }
    Object.assign(v, {
      appDomain: body.appDomain,
      appTransactionId: body.appTransactionId ?? v.appTransactionId ?? `T:${randomBytes(8).toString("base64url")}`,
      person: body.person,
    });
    return v;
  }

  function continuation(v) {
    return { params: { url: `${origin}/continue/${v.token}` } };
  }

  function emit(v) {
    // Whole seconds in RFC 1123 form: successive changes must carry increasing timestamps.
    const seconds = Math.max(Math.floor(Date.now() / 1000), v.lastTimestamp + 1);
    v.lastTimestamp = seconds;
    const { gates, reasons } = verdict(v.state);
    const operation = OPERATION[v.state];
    const event = {
      app_transaction_id: v.appTransactionId,
      app_user_id: v.appUserid,
      app_domain: v.appDomain,
      reasons,
      gates,
      eventId: randomBytes(5).toString("base64url"),
      name: `verification.${operation}`,
      operation,
      timestamp: new Date(seconds * 1000).toUTCString(),
    };
    if (!webhookUrl || !webhook.secret) return;
    const body = JSON.stringify(event);
    const record = { eventId: event.eventId, operation, url: webhookUrl, attempts: [] };
    deliveries.push(record);
    if (deliveries.length > 200) deliveries.shift();
    const url = webhookUrl;
    dispatch(() => deliver({
      failAttempt,
      url,
      label: `TOT webhook ${event.name} ${event.eventId}`,
      log,
      baseDelayMs: retryBaseMs,
      retries,
      build: () => ({
        body,
        headers: { "content-type": "application/json", authorization: kyc.totWebhookSignature(body, webhook.secret) },
      }),
    }).then((attempts) => {
      record.attempts = attempts;
    }));
  }

  function person(body) {
    const content = (() => {
      if (!body || typeof body !== "object" || body.totApiKey !== publicKey || body.totSecretKey !== secretKey) {
        return [401, { type: "error", message: "Invalid totApiKey or totSecretKey" }];
      }
      if (typeof body.appUserid !== "string" || !body.appUserid || !body.person || typeof body.person !== "object") {
        return [400, { type: "error", message: "appUserid and person are required" }];
      }
      const v = verification(body);
      const { gates } = verdict(v.state);
      const met = { code: CONDITIONS_MET, details: { conditionResult: { gates } } };
      switch (v.state) {
        case "submitted":
        case "cleared":
          return [200, met];
        case "updateRequested":
          // The seed's "conditions met and update requested": a continuation to go through again.
          return [200, { ...met, continuation: continuation(v) }];
        default:
          // Not started yet, or rejected (the sandbox lets the user try again).
          return [200, { code: INTERACTIVE, continuation: continuation(v) }];
      }
    })();
    const [status, c] = content;
    return [status, { content: c, metadata: { version: "sandbox", status } }];
  }

  /** Handles the TOT paths; resolves to `false` for other paths. */
  async function handle(req, res, url) {
    origin ??= `http://${req.headers.host}`;
    const p = url.pathname;
    if (p === "/api/person" && req.method === "POST") {
      let body;
      try {
        body = await readJson(req);
      } catch (e) {
        sendJson(res, e.status ?? 400, { content: { type: "error", message: e.message }, metadata: { status: e.status ?? 400 } });
        return true;
      }
      const [status, answer] = person(body);
      sendJson(res, status, answer);
      return true;
    }
    if (p === "/embed/embed.js") {
      await sendFile(res, HERE, "tot-embed.js");
      return true;
    }
    let m;
    if ((m = /^\/continue\/([0-9a-f]{24})$/.exec(p)) && req.method === "GET") {
      await sendFile(res, HERE, "tot-verify.html");
      return true;
    }
    if ((m = /^\/continue\/([0-9a-f]{24})\/(info|submit)$/.exec(p))) {
      const v = byToken.get(m[1]);
      if (!v) {
        sendJson(res, 404, { error: "unknown continuation" });
        return true;
      }
      if (m[2] === "submit" && req.method === "POST") {
        const forced = forcedDecision;
        const { decision } = await readJson(req).catch(() => ({}));
        const chosen = forced ?? decision;
        v.decision = ["clear", "reject", "update"].includes(chosen) ? chosen : "clear";
        v.state = "submitted";
        emit(v);
        clearTimeout(v.review);
        v.review = setTimeout(() => {
          v.state = { clear: "cleared", reject: "rejected", update: "updateRequested" }[v.decision];
          emit(v);
        }, reviewMs);
        v.review.unref?.();
      }
      const name = [v.person?.givenName, v.person?.familyName].filter((x) => typeof x === "string").join(" ");
      sendJson(res, 200, { name: name || v.person?.fullName || "", appDomain: v.appDomain, state: v.state });
      return true;
    }
    return false;
  }

  return {
    handle,
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    /** Forces the outcome of the next reviews ("clear", "reject", "update"), or null: the modal decides. */
    setDecision(value) {
      forcedDecision = value;
    },
    get decision() {
      return forcedDecision;
    },
    verifications: byUser,
    deliveries,
  };
}
