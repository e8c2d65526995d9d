// Types of `kyc-wasm/testing`: fixture webhook events and signed deliveries for tests of webhook endpoints.

/** The OST events the documentation lists, one fixture each. */
export type OstFixtureName =
  | "user_register" | "user_dopt_in" | "user_deleted" | "kyc_submit"
  | "update_ethereum_address" | "kyc_reopen" | "kyc_status_update";

/**
 * The Token of Trust fixtures: the four gate changes, the `reputation.*` webhooks, and `test`, the envelope of a
 * test webhook (the event at `content.sentWebhookBody`).
 */
export type TotFixtureName =
  | "verification.isSubmitted" | "verification.isCleared" | "verification.isRejected"
  | "verification.isUpdateRequested" | "reputation.created" | "reputation.updated" | "test";

/** OST event parameters as OST sends them: every scalar a string. */
export interface OstEventParams {
  created_at: string;
  data: { [key: string]: unknown };
  description: string;
  id: string;
  name: string;
  source: string;
  type: string;
  version: string;
  [key: string]: unknown;
}

/** A Token of Trust webhook body (any JSON object; the fixtures follow the documented structure). */
export type TotEventBody = { [key: string]: unknown };

/** A deep partial: objects are merged key by key, anything else (arrays too) replaces. */
export type Overrides<T> = { [K in keyof T]?: T[K] extends object ? Overrides<T[K]> | T[K] : T[K] } & { [key: string]: unknown };

export interface SignedOstRequestOptions {
  /** The webhook URL registered with OST: it is signed, and the request is addressed to it (unless `to`). */
  url: string;
  /** The webhook secret. */
  secret: string;
  /** `request_timestamp`, Unix seconds (default: now). An old one tests the endpoint's tolerance. */
  timestamp?: number;
  /** Merged into the event's parameters before signing, e.g. `{ id: "900", data: { user_kyc: { kyc_status: "denied" } } }`. */
  overrides?: Overrides<OstEventParams>;
  /** Change the body after signing (the verdict, or the user's email): a correct endpoint answers 401. */
  tamper?: boolean;
  /** Where to address the request, when that is not the signed `url` (a local server behind a public URL). */
  to?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

export interface SignedTotRequestOptions {
  /** The webhook secret. */
  secret: string;
  /** Where the request is addressed (default "http://localhost/webhooks/tot"; TOT signs no URL). */
  url?: string;
  /** Same as `url`; wins over it. */
  to?: string;
  /**
   * The signed `timestamp`, Unix seconds (default: now), written in Token of Trust's RFC 1123 form when the
   * event has a top-level `timestamp`. `verifyTotWebhook` refuses one more than 300 s from its clock.
   */
  timestamp?: number;
  /** Merged into the event before it is serialised and signed (a `timestamp` here wins). */
  overrides?: Overrides<TotEventBody>;
  /** The exact body text to sign and send instead of the event's `JSON.stringify`. */
  body?: string;
  /** Change the body after signing (a gate flipped): a correct endpoint answers 401. */
  tamper?: boolean;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

/** A signed delivery, before it is sent: what `signedOstRequest`/`signedTotRequest` wrap in a `Request`. */
export interface Delivery {
  url: string;
  method: "POST";
  headers: Record<string, string>;
  body: string;
  signature: string;
}

export interface OstDelivery extends Delivery {
  /** The parameters signed, `request_timestamp` included (without `signature`). */
  params: OstEventParams & { request_timestamp: string };
  /** `url?to_query(params)`: exactly what was signed. */
  stringToSign: string;
  timestamp: number;
}

export interface TotDelivery extends Delivery {
  event: TotEventBody;
}

/**
 * A Fetch `Request` (POST, form-urlencoded) carrying the OST webhook `event` (a fixture name, or your own event
 * parameters) signed as OST's server signs it, with a fresh `request_timestamp` unless `options.timestamp`.
 *
 * ```js
 * const res = await handler.fetch(signedOstRequest("kyc_status_update", { url: WEBHOOK_URL, secret: "s" }));
 * ```
 * @throws TypeError (code `INVALID_ARGUMENT`) for an unknown fixture name or a missing url/secret.
 */
export function signedOstRequest(event: OstFixtureName | OstEventParams, options: SignedOstRequestOptions): Request;

/**
 * A Fetch `Request` (POST, JSON) carrying the Token of Trust webhook `event` (a fixture name, or your own body
 * object) with its signature in `Authorization`.
 * @throws TypeError (code `INVALID_ARGUMENT`) for an unknown fixture name or a missing secret.
 */
export function signedTotRequest(event: TotFixtureName | TotEventBody, options: SignedTotRequestOptions): Request;

/** The signed OST delivery as plain data (to send with any HTTP client, or to inspect the string to sign). */
export function ostDelivery(event: OstFixtureName | OstEventParams, options: SignedOstRequestOptions): OstDelivery;

/** The signed Token of Trust delivery as plain data. */
export function totDelivery(event: TotFixtureName | TotEventBody, options: SignedTotRequestOptions): TotDelivery;

/** An editable copy of an OST fixture event, with `overrides` merged in. */
export function ostEvent(name: OstFixtureName | OstEventParams, overrides?: Overrides<OstEventParams>): OstEventParams;

/** An editable copy of a Token of Trust fixture event, with `overrides` merged in. */
export function totEvent(name: TotFixtureName | TotEventBody, overrides?: Overrides<TotEventBody>): TotEventBody;

export interface Fixtures {
  /** Every OST event of the documentation, with its documented example values (frozen). */
  readonly ost: { readonly [K in OstFixtureName]: OstEventParams };
  /** Every Token of Trust event: gate changes, `reputation.*`, and the `test` envelope (frozen). */
  readonly tot: { readonly [K in TotFixtureName]: TotEventBody };
  readonly ostEventNames: readonly OstFixtureName[];
  readonly totEventNames: readonly TotFixtureName[];
  ostEvent: typeof ostEvent;
  totEvent: typeof totEvent;
  ostDelivery: typeof ostDelivery;
  totDelivery: typeof totDelivery;
  signedOstRequest: typeof signedOstRequest;
  signedTotRequest: typeof signedTotRequest;
}

export const fixtures: Fixtures;
