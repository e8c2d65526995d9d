// `kyc-wasm/testing`: fixture webhook events and signed deliveries for tests of a webhook endpoint, signed by
// this package's core exactly as the providers sign them (OST: HMAC-SHA256 of `url?to_query(params)`, in a
// form-urlencoded body; Token of Trust: base64 HMAC-SHA1 of the raw JSON body, in `Authorization`).
//
// Runs wherever the package does (Node 18+, browsers, workers): it needs only the core and the Fetch types.

import { hmacSha256Hex, parseQuery, signOstWebhook, toQuery, totWebhookSignature } from "kyc-wasm";

import { OST_EVENTS, TOT_EVENTS } from "./fixtures.mjs";

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function deepFreeze(value) {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const clone = (value) => JSON.parse(JSON.stringify(value));

/** `base` with `overrides` merged in: objects key by key, anything else (arrays too) replaced. */
function merge(base, overrides) {
  if (!isObject(overrides)) return overrides === undefined ? base : clone(overrides);
  const out = isObject(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(overrides)) {
    out[key] = isObject(value) && isObject(out[key]) ? merge(out[key], value) : value === undefined ? out[key] : clone(value);
  }
  return out;
}

function usage(message) {
  const e = new TypeError(message);
  e.code = "INVALID_ARGUMENT";
  return e;
}

function pick(table, kind, event) {
  if (typeof event === "string") {
    if (!Object.hasOwn(table, event)) {
      throw usage(`unknown ${kind} fixture event "${event}"; one of: ${Object.keys(table).join(", ")}`);
    }
    return clone(table[event]);
  }
  if (isObject(event)) return clone(event);
  throw usage(`the ${kind} event must be a fixture name or an object of event fields`);
}

/** A fresh copy of the OST fixture event `name`, with `overrides` merged in. */
export function ostEvent(name, overrides) {
  return merge(pick(OST_EVENTS, "OST", name), overrides);
}

/** A fresh copy of the Token of Trust fixture event `name`, with `overrides` merged in. */
export function totEvent(name, overrides) {
  return merge(pick(TOT_EVENTS, "Token of Trust", name), overrides);
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function requireString(options, name) {
  const v = options?.[name];
  if (typeof v !== "string" || v === "") throw usage(`options.${name} must be a non-empty string`);
  return v;
}

/** What a tampering sender would change: the verdict, or the user's email. */
function tamperOst(params) {
  const out = clone(params);
  const k = out.data?.user_kyc;
  if (isObject(k)) {
    const approved = k.kyc_status === "approved";
    k.kyc_status = approved ? "denied" : "approved";
    k.admin_status = approved ? "denied" : "qualified";
  } else if (isObject(out.data?.user)) {
    out.data.user.email = "attacker@example.com";
  } else {
    out.description = `${out.description ?? ""} (tampered)`;
  }
  return out;
}

function tamperTot(event) {
  const out = clone(event);
  if (isObject(out.gates)) {
    const cleared = out.gates.isCleared === "fullMatch";
    out.gates.isCleared = cleared ? "noMatch" : "fullMatch";
    out.gates.isRejected = cleared ? "fullMatch" : "noMatch";
  } else if (isObject(out.content?.sentWebhookBody)) {
    out.content.sentWebhookBody.testMode = false;
  } else if (isObject(out.reputation)) {
    out.reputation = { ...out.reputation, tampered: true };
  } else {
    out.tampered = true;
  }
  return out;
}

/**
 * A signed OST webhook delivery: `{url, method, headers, body, params, signature, stringToSign, timestamp}`.
 * The body is form-urlencoded, signed with a fresh `request_timestamp` (or `options.timestamp`).
 */
export function ostDelivery(event, options = {}) {
  const url = requireString(options, "url");
  const secret = requireString(options, "secret");
  const { request_timestamp: _t, signature: _s, ...params } = merge(pick(OST_EVENTS, "OST", event), options.overrides);
  const timestamp = options.timestamp ?? nowSeconds();
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw usage("options.timestamp must be whole Unix seconds");
  let body = signOstWebhook(params, { url, secret, timestamp });
  const signed = parseQuery(body);
  const stringToSign = `${url.split(/[?#]/)[0]}?${toQuery({ ...params, request_timestamp: String(timestamp) })}`;
  // The string shown is the one signed: the core's signature must be its HMAC.
  if (hmacSha256Hex(secret, stringToSign) !== signed.signature) throw new Error("kyc-wasm/testing: string to sign mismatch");
  if (options.tamper) {
    body = toQuery({ ...tamperOst(params), request_timestamp: String(timestamp), signature: signed.signature });
  }
  return {
    url: options.to ?? url,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(options.headers ?? {}) },
    body,
    params: { ...params, request_timestamp: String(timestamp) },
    signature: signed.signature,
    stringToSign,
    timestamp,
  };
}

/**
 * A signed Token of Trust webhook delivery: `{url, method, headers, body, event, signature}`; the body is the
 * event's JSON, the `Authorization` header its base64 HMAC-SHA1.
 */
export function totDelivery(event, options = {}) {
  const secret = requireString(options, "secret");
  const url = options.url ?? "http://localhost/webhooks/tot";
  const picked = pick(TOT_EVENTS, "Token of Trust", event);
  // A delivery is stamped when it is sent, as Token of Trust does: the fixture's date is years old, and
  // verifyTotWebhook refuses a signed timestamp outside its 300 s window.
  const stamped =
    isObject(picked) && "timestamp" in picked
      ? merge(picked, { timestamp: new Date((options.timestamp ?? nowSeconds()) * 1000).toUTCString() })
      : picked;
  const value = merge(stamped, options.overrides);
  const signedBody = typeof options.body === "string" ? options.body : JSON.stringify(value);
  const signature = totWebhookSignature(signedBody, secret);
  const body = options.tamper ? JSON.stringify(tamperTot(JSON.parse(signedBody))) : signedBody;
  return {
    url: options.to ?? url,
    method: "POST",
    headers: { "content-type": "application/json", authorization: signature, ...(options.headers ?? {}) },
    body,
    event: value,
    signature,
  };
}

const toRequest = (d) => new Request(d.url, { method: d.method, headers: d.headers, body: d.body });

/** A Fetch `Request` carrying a signed OST webhook (see index.d.mts for the options). */
export function signedOstRequest(event, options) {
  return toRequest(ostDelivery(event, options));
}

/** A Fetch `Request` carrying a signed Token of Trust webhook (see index.d.mts for the options). */
export function signedTotRequest(event, options) {
  return toRequest(totDelivery(event, options));
}

/**
 * The fixtures: events by provider and name (frozen; `ostEvent`/`totEvent` give editable copies), their names,
 * and the signed-request builders.
 */
export const fixtures = Object.freeze({
  ost: deepFreeze(clone(OST_EVENTS)),
  tot: deepFreeze(clone(TOT_EVENTS)),
  ostEventNames: Object.freeze(Object.keys(OST_EVENTS)),
  totEventNames: Object.freeze(Object.keys(TOT_EVENTS)),
  ostEvent,
  totEvent,
  ostDelivery,
  totDelivery,
  signedOstRequest,
  signedTotRequest,
});
