/** Stable codes carried by every error this package throws. */
export type KycErrorCode =
  | "INVALID_SIGNATURE"
  | "MISSING_SIGNATURE"
  | "TIMESTAMP_OUT_OF_TOLERANCE"
  | "MALFORMED_BODY"
  | "BODY_TOO_LARGE"
  | "OUT_OF_MEMORY"
  | "TOO_DEEP"
  | "TOO_MANY_PARAMS"
  | "INVALID_ARGUMENT"
  | "API_ERROR"
  | "NOT_FOUND"
  | "TIMEOUT"
  | "INVALID_FILE"
  | "URL_EXPIRED"
  | "UPLOAD_FAILED"
  | "BUSY"
  | "ABORTED"
  // Answered by the webhook handlers (webhookHandler, webhookFetchHandler), never thrown:
  | "METHOD_NOT_ALLOWED"
  | "MISSING_SECRET"
  | "BODY_ALREADY_READ"
  | "BODY_TIMEOUT"
  | "ON_EVENT_FAILED"
  | "ON_EVENT_TIMEOUT"
  | "STORE_UNAVAILABLE"
  | "INTERNAL";

/** What this package throws: a real `Error` with `name === "KycError"` and a stable `code`. */
export interface KycError extends Error {
  name: "KycError";
  code: KycErrorCode;
  /** HTTP status behind the error, when there was one. */
  status?: number;
  /** `API_ERROR`: the server's `err` object, and its fields in camelCase. */
  err?: { code: string; msg: string; internal_id: string };
  apiCode?: string;
  apiMessage?: string;
  internalId?: string;
  /**
   * `API_ERROR` of an OST e-mail call the server refused (HTTP 422): `kyc_not_approved`, `kyc_not_denied` or
   * `kyc_not_reported_issue`.
   */
  reason?: "kyc_not_approved" | "kyc_not_denied" | "kyc_not_reported_issue";
  /** `UPLOAD_FAILED`: S3's error `Code` and `Message`. */
  s3Code?: string;
  s3Message?: string;
}

/** A value `toQuery` can encode. `undefined` properties are skipped; a bigint is written in decimal. */
export type QueryValue =
  | string
  | number
  | boolean
  | bigint
  | null
  | undefined
  | QueryValue[]
  | { [key: string]: QueryValue };

/** An object of request or event parameters. */
export type QueryParams = { [key: string]: QueryValue };

/** A parameter as it comes back: parsed from a query string, or converted from the input. */
export type ParamValue = string | number | boolean | null | ParamValue[] | { [key: string]: ParamValue };

/** Bounds on untrusted input; each has a documented default. */
export interface Limits {
  /** Largest body in bytes (default 1 MiB) -> `BODY_TOO_LARGE`. */
  maxBodyBytes?: number;
  /** Deepest nesting (default 32, at most 512) -> `TOO_DEEP`. */
  maxDepth?: number;
  /** Most parameters (default 4096) -> `TOO_MANY_PARAMS`. */
  maxParams?: number;
  /** Longest key in bytes (default 1024) -> `INVALID_ARGUMENT` / `MALFORMED_BODY`. */
  maxKeyBytes?: number;
}

/** An OST API key pair. Server-side only: never ship `apiSecret` to a browser. */
export interface OstCredentials {
  apiKey: string;
  apiSecret: string;
}

export interface SignOstRequestOptions {
  /** Unix seconds; defaults to the current clock. */
  timestamp?: number;
}

export interface SignedOstRequest {
  /** `endpoint?query`: exactly what was signed. */
  stringToSign: string;
  /** Lowercase hex HMAC-SHA256. */
  signature: string;
  /** The canonical query plus `&signature=…`: a GET query string or a form-urlencoded POST body. */
  query: string;
  /** Every parameter sent, `api_key`, `request_timestamp` and `signature` included. */
  params: { [key: string]: ParamValue };
}

export interface VerifyOstWebhookOptions extends Limits {
  /** The webhook URL registered with OST; its query string is ignored. */
  url: string;
  /** The webhook secret, or several (any one matching is enough) during rotation. */
  secret: string | string[];
  /** Allowed distance between `request_timestamp` and `now`, in seconds (default 300; `Infinity` disables). */
  toleranceSeconds?: number;
  /** Unix seconds; defaults to the current clock. */
  now?: number;
  /**
   * The request's `Content-Type` header. `application/json` (parameters allowed, any case) makes a string or
   * bytes body JSON; anything else, or none, makes it a form body. The body's first byte decides nothing.
   */
  contentType?: string | null;
}

export interface VerifyTotWebhookOptions extends Limits {
  /**
   * Allowed distance between the signed body's `timestamp` (an RFC 1123 date) and `now`, in seconds
   * (default 300). `null` or `Infinity` turns the check off. A body without a `timestamp` is accepted.
   */
  toleranceSeconds?: number | null;
  /** Unix seconds; defaults to the current clock. */
  now?: number;
}

export interface SignOstWebhookOptions {
  url: string;
  secret: string;
  /** Unix seconds; defaults to `params.request_timestamp`, then the current clock. */
  timestamp?: number;
}

/** The OST event names the documentation lists. */
export type OstEventName =
  | "user_register" | "user_dopt_in" | "user_deleted" | "kyc_submit"
  | "update_ethereum_address" | "kyc_reopen" | "kyc_status_update";

/**
 * OST event parameters, as verified (without `signature`): the fields of OST's webhook (seed 000, "WebHooks"),
 * strings from a form body (numbers too when the body was JSON), and any other parameter OST adds.
 */
export interface OstWebhookParams {
  id?: string | number;
  /** Unix seconds. */
  created_at?: string | number;
  /** `user_register`, `kyc_status_update`, ...: see `OstEventName`. */
  name?: OstEventName | (string & {});
  type?: string;
  source?: "web" | "api" | "kyc_system" | (string & {});
  version?: string;
  description?: string;
  /** Unix seconds; checked against `toleranceSeconds`. */
  request_timestamp?: string | number;
  /** The event's object: `{result_type: "user", user: {...}}`, `{result_type: "user_kyc", user_kyc: {...}}`, ... */
  data?: { [key: string]: ParamValue };
  [param: string]: ParamValue | undefined;
}

/** A gate's or reason's value as Token of Trust sends it; judge it with `reasonIsPositive`. */
export type TotReason =
  | "fullMatch"
  | "partialMatch"
  | "noMatch"
  | "notApplicable"
  | (string & {})
  | boolean
  | { value?: unknown; status?: string }
  | null;

/**
 * A verified Token of Trust webhook body (seed 004, "Structure of the webhook"). Token of Trust always sends a
 * JSON object; `verifyTotWebhook` returns the signed JSON as parsed, whatever it is.
 */
export interface TotWebhook {
  /** The verification's appUserId. */
  app_user_id?: string;
  /** The transaction id, when there is one. */
  app_transaction_id?: string;
  app_domain?: string;
  /** The change: `isCleared`, `isUpdateRequested`, `isSubmitted` or `isRejected`. */
  operation?: "isCleared" | "isUpdateRequested" | "isSubmitted" | "isRejected" | (string & {});
  /** For example `verification.isRejected`. */
  name?: string;
  eventId?: string;
  /** UTC, RFC 1123 (`Mon, 18 Jul 2022 13:03:54 GMT`): process a webhook only if newer than the stored one. */
  timestamp?: string;
  /** Gates and their values: `isCleared`, `isSubmitted`, `isRejected`, `isUpdateRequested`, `isApproved`, ... */
  gates?: { [gate: string]: TotReason | undefined };
  /** Reasons and their values: `selfieIsGoodHeadShot`, `ageVerified`, ... */
  reasons?: { [reason: string]: TotReason | undefined };
  [field: string]: unknown;
}

/** A raw request body. */
export type RawBody = string | Uint8Array;

/** The canonical Rails `Hash#to_query` string of `params`, byte for byte what the OST server computes. */
export function toQuery(params: QueryParams): string;

/** Rack-style nested parameters of a query string or form body (a leading `?` is ignored). */
export function parseQuery(query: RawBody, options?: Limits): { [key: string]: ParamValue };

/** The provider's `reasonValue`: a reason's value, or `undefined` for a missing or `notApplicable` one. */
export function reasonValue(reason: unknown): unknown;

/** The provider's `reasonIsPositive`. */
export function reasonIsPositive(reason: unknown): boolean;

/** Whether `error` was thrown by this package. */
export function isKycError(error: unknown): error is KycError;
