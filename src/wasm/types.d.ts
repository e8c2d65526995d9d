/** Stable codes carried by every error this package throws. */
export type KycErrorCode =
  | "INVALID_SIGNATURE"
  | "MISSING_SIGNATURE"
  | "TIMESTAMP_OUT_OF_TOLERANCE"
  | "MALFORMED_BODY"
  | "BODY_TOO_LARGE"
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
}

export interface SignOstWebhookOptions {
  url: string;
  secret: string;
  /** Unix seconds; defaults to `params.request_timestamp`, then the current clock. */
  timestamp?: number;
}

/** OST event parameters, as verified (without `signature`). */
export type OstWebhookParams = { [key: string]: ParamValue };

/** A raw request body. */
export type RawBody = string | Uint8Array;

/** The canonical Rails `Hash#to_query` string of `params`, byte for byte what the OST server computes. */
export function toQuery(params: QueryParams): string;

/** Rack-style nested parameters of a query string or form body (a leading `?` is ignored). */
export function parseQuery(query: RawBody, options?: Limits): { [key: string]: ParamValue };

/** Signs an OST API request. */
export function signOstRequest(
  endpoint: string,
  params: QueryParams | null | undefined,
  credentials: OstCredentials,
  options?: SignOstRequestOptions,
): SignedOstRequest;

/**
 * Verifies an OST webhook and returns its parameters without `signature`.
 * Pass the raw body (string, Uint8Array or Buffer) when you can; a JSON text body or an object that
 * middleware already parsed is verified by re-canonicalising it.
 * @throws {KycError}
 */
export function verifyOstWebhook(body: RawBody | ArrayBuffer | QueryParams, options: VerifyOstWebhookOptions): OstWebhookParams;

/** Produces a signed form-urlencoded OST webhook body, for testing handlers. */
export function signOstWebhook(params: QueryParams, options: SignOstWebhookOptions): string;

/** Base64 HMAC-SHA1 of the raw body, as Token of Trust puts in the `Authorization` header. */
export function totWebhookSignature(body: RawBody | ArrayBuffer, secret: string): string;

/**
 * Verifies a Token of Trust webhook against its `Authorization` header and returns the parsed JSON body.
 * @throws {KycError}
 */
export function verifyTotWebhook(
  body: RawBody | ArrayBuffer,
  authorization: string | null | undefined,
  secret: string | string[],
  options?: Limits,
): unknown;

/** The provider's `reasonValue`: a reason's value, or `undefined` for a missing or `notApplicable` one. */
export function reasonValue(reason: unknown): unknown;

/** The provider's `reasonIsPositive`. */
export function reasonIsPositive(reason: unknown): boolean;

/** Whether `error` was thrown by this package. */
export function isKycError(error: unknown): error is KycError;
