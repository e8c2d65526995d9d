// Type-checks the public API as a consumer sees it: `tsc --noEmit` in strict mode, once with
// moduleResolution "bundler" (the browser declarations) and once with "node16" (the Node declarations).
// Nothing here runs; each `// @ts-expect-error` line proves a declaration is precise (tsc fails if the
// line is NOT an error).

import {
  isKycError,
  isNewerEvent,
  parseOstEvent,
  parseQuery,
  parseTotEvent,
  reasonIsPositive,
  reasonValue,
  signOstRequest,
  signOstWebhook,
  toQuery,
  totWebhookSignature,
  verifyOstWebhook,
  verifyTotWebhook,
} from "kyc-wasm";
import type {
  KycError,
  KycErrorCode,
  Limits,
  OstEvent,
  OstWebhookParams,
  ParamValue,
  QueryParams,
  SignedOstRequest,
  TotEvent,
} from "kyc-wasm";

const url = "https://webhook.ost.com/test/";
const secret = "WEBHOOK_SECRET_KEY";
const bytes = new TextEncoder().encode("a=1");

// toQuery ------------------------------------------------------------------------------------------------
const params: QueryParams = { email: "kyc@ost.com", n: 1, big: 10n, ok: true, none: null, skip: undefined, list: [1, "2", { a: [] }] };
const query: string = toQuery(params);
toQuery({});
// @ts-expect-error: params must be an object
toQuery(42);
// @ts-expect-error: a string is not params
toQuery("a=1");
// @ts-expect-error: a symbol has no query form
toQuery({ s: Symbol("s") });
// @ts-expect-error: a function has no query form
toQuery({ f: () => 1 });
// @ts-expect-error: a Date is refused at run time, and by the types
toQuery({ when: new Date() });
// @ts-expect-error: toQuery returns a string
const notNumber: number = toQuery(params);

// parseQuery ---------------------------------------------------------------------------------------------
const limits: Limits = { maxBodyBytes: 1024, maxDepth: 8, maxParams: 100, maxKeyBytes: 64 };
const parsed: { [key: string]: ParamValue } = parseQuery("a[b]=1", limits);
parseQuery(bytes);
parseQuery("?a=1", {});
// @ts-expect-error: a query is a string or bytes
parseQuery(42);
// @ts-expect-error: limits are numbers
parseQuery("a=1", { maxDepth: "8" });

// signOstRequest -----------------------------------------------------------------------------------------
const signed: SignedOstRequest = signOstRequest("/api/v2/users", { email: "kyc@ost.com" }, { apiKey: "API_KEY", apiSecret: "API_SECRET" }, { timestamp: 1542185198 });
const signature: string = signed.signature;
const stringToSign: string = signed.stringToSign;
const sentQuery: string = signed.query;
const sentParams: { [key: string]: ParamValue } = signed.params;
signOstRequest("/api/v2/users", null, { apiKey: "k", apiSecret: "s" });
signOstRequest("/api/v2/users", undefined, { apiKey: "k", apiSecret: "s" }, {});
// @ts-expect-error: credentials need apiSecret
signOstRequest("/api/v2/users", {}, { apiKey: "k" });
// @ts-expect-error: the timestamp is a number of seconds
signOstRequest("/api/v2/users", {}, { apiKey: "k", apiSecret: "s" }, { timestamp: "1542185198" });
// @ts-expect-error: no such field on the result
signed.headers;

// verifyOstWebhook / signOstWebhook ------------------------------------------------------------------------
const event: OstWebhookParams = verifyOstWebhook("a=1&signature=00", { url, secret, now: 1542185198, toleranceSeconds: 300 });
verifyOstWebhook(bytes, { url, secret: [secret, "previous"], maxBodyBytes: 65536 });
verifyOstWebhook(bytes.buffer, { url, secret });
verifyOstWebhook({ name: "user_register", signature: "00" }, { url, secret });
const eventName: ParamValue | undefined = event["name"];
// @ts-expect-error: options need the secret
verifyOstWebhook("a=1", { url });
// @ts-expect-error: options are required
verifyOstWebhook("a=1");
// @ts-expect-error: now is Unix seconds as a number
verifyOstWebhook("a=1", { url, secret, now: new Date() });
// @ts-expect-error: a secret list holds strings
verifyOstWebhook("a=1", { url, secret: [1] });
const webhookBody: string = signOstWebhook({ name: "user_register" }, { url, secret, timestamp: 1542185198 });
// @ts-expect-error: signing takes one secret, not a list
signOstWebhook({}, { url, secret: [secret] });

// Token of Trust -------------------------------------------------------------------------------------------
const totSignature: string = totWebhookSignature('{"a":1}', "tot-secret");
totWebhookSignature(bytes, "tot-secret");
// @ts-expect-error: signing takes one secret
totWebhookSignature("{}", ["a", "b"]);
// @ts-expect-error: the body is raw, not parsed
totWebhookSignature({ a: 1 }, "tot-secret");
const totEvent: unknown = verifyTotWebhook('{"a":1}', totSignature, "tot-secret");
verifyTotWebhook(bytes, null, ["new", "old"], { maxBodyBytes: 1 << 20 });
verifyTotWebhook(bytes, undefined, "tot-secret");
// @ts-expect-error: the secret is required
verifyTotWebhook("{}", totSignature);
// @ts-expect-error: the parsed body is unknown until the caller checks it
totEvent.operation;

// Reasons ----------------------------------------------------------------------------------------------------
const positive: boolean = reasonIsPositive({ value: "fullMatch" });
const value: unknown = reasonValue({ status: "notApplicable" });
reasonIsPositive(undefined);
// @ts-expect-error: reasonIsPositive returns a boolean
const notString: string = reasonIsPositive(true);
// @ts-expect-error: reasonValue's result is unknown, not a string
const valueString: string = reasonValue("fullMatch");

// Typed events ---------------------------------------------------------------------------------------------
const ostEvent: OstEvent = parseOstEvent(event);
const createdAt: number | null = ostEvent.createdAt;
const totTyped: TotEvent = parseTotEvent(totEvent);
const status: "rejected" | "updateRequested" | "cleared" | "submitted" | "pending" = totTyped.status;
const newer: boolean = isNewerEvent(ostEvent, parseOstEvent(event));
isNewerEvent(undefined, 1542185198);
isNewerEvent("Tue, 13 Nov 2018 08:46:38 GMT", totTyped);
// @ts-expect-error: the status is one of five values
const approved: "approved" = totTyped.status;
// @ts-expect-error: OST event parameters are needed
parseOstEvent("user_register");

// Errors -----------------------------------------------------------------------------------------------------
try {
  verifyOstWebhook("a=1", { url, secret });
} catch (e: unknown) {
  // @ts-expect-error: before narrowing, a caught value has no code
  e.code;
  if (isKycError(e)) {
    const narrowed: KycError = e;
    const code: KycErrorCode = e.code;
    const message: string = e.message;
    const name: "KycError" = e.name;
    if (code === "TIMESTAMP_OUT_OF_TOLERANCE" || code === "INVALID_SIGNATURE") {
      // handled
    }
    // @ts-expect-error: not one of the documented codes
    if (e.code === "SIGNATURE_INVALID") {
      // unreachable
    }
    // @ts-expect-error: the code is a KycErrorCode, not any string
    const anyCode: KycErrorCode = "NOPE";
    void [narrowed, message, name, anyCode];
  }
}
const isError: boolean = isKycError(new Error("x"));

void [createdAt, status, newer, approved];
void [query, notNumber, parsed, signature, stringToSign, sentQuery, sentParams, eventName, webhookBody, positive, value, notString, valueString, isError];
