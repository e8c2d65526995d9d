// Declarations of the exports that take a server secret: only in builds with the `server` feature (Node, edge).

/** Signs an OST API request. */
export function signOstRequest(
  endpoint: string,
  params: QueryParams | null | undefined,
  credentials: OstCredentials,
  options?: SignOstRequestOptions,
): SignedOstRequest;

/**
 * Verifies an OST webhook and returns its parameters without `signature`: exactly what the signed canonical
 * query denotes when Rack reads it (all values strings), whatever form the body took.
 * Pass the raw body (string, Uint8Array or Buffer) when you can. A JSON body (with `contentType:
 * "application/json"`) or an object that middleware already parsed is verified by re-canonicalising it, and
 * is `MALFORMED_BODY` when its structure differs from what was signed (bracketed keys, empty objects or
 * arrays, `null` or boolean values).
 * @throws {KycError}
 */
export function verifyOstWebhook(body: RawBody | ArrayBuffer | QueryParams, options: VerifyOstWebhookOptions): OstWebhookParams;

/** Produces a signed form-urlencoded OST webhook body, for testing handlers. */
export function signOstWebhook(params: QueryParams, options: SignOstWebhookOptions): string;

/** Base64 HMAC-SHA1 of the raw body, as Token of Trust puts in the `Authorization` header. */
export function totWebhookSignature(body: RawBody | ArrayBuffer, secret: string): string;

/**
 * Verifies a Token of Trust webhook against its `Authorization` header, checks its signed `timestamp`
 * against `toleranceSeconds`, and returns the parsed JSON body (a leading byte-order mark is dropped).
 * @throws {KycError}
 */
export function verifyTotWebhook(
  body: RawBody | ArrayBuffer,
  authorization: string | null | undefined,
  secret: string | string[],
  options?: VerifyTotWebhookOptions,
): TotWebhook;
