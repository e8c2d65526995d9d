import type { KycErrorCode, Limits, OstEvent, TotEvent } from "./kyc_wasm.js";

/**
 * Where the webhook handlers keep delivery state: which events were processed (de-duplication, with a lease
 * while one is in flight) and the last position per subject (ordering). `memoryStore()` is the default;
 * `redisStore()` and `postgresStore()` share state between instances. Every method may reject: the handler
 * then answers `503 STORE_UNAVAILABLE`, never a 2xx, so the provider retries and nothing is lost.
 */
export interface WebhookStore {
  /**
   * Atomically claims `key` for `leaseMs`: "claimed" (the caller now owns it), "done" (already processed),
   * "busy" (another live lease).
   */
  claim(key: string, owner: string, leaseMs: number): Promise<"claimed" | "done" | "busy">;
  /** Marks `key` processed (kept `ttlMs`), if `owner` still holds it or it is unclaimed. */
  done(key: string, owner: string, ttlMs: number): Promise<void>;
  /** Drops `owner`'s claim on `key` so a retry can claim it. */
  release(key: string, owner: string): Promise<void>;
  /**
   * Atomically records `position` for `subject` when it is >= the stored one (or none is stored); returns
   * true when recorded (the event is not older), false when a newer position is stored (the event is stale).
   * Positions are strings that compare in byte order (built by the handler: zero-padded time, then
   * tie-breaker).
   */
  advance(subject: string, position: string, ttlMs: number): Promise<boolean>;
}

/** A secret, or several (any one matching is accepted) while rotating. */
export type WebhookSecret = string | string[];

/** What `onEvent` receives: the typed event, `stale: true` when it is older than one already recorded. */
export type WebhookEvent = (OstEvent | TotEvent) & { stale?: true };

export interface WebhookEventContext {
  /** Aborted when `onEventTimeoutMs` has passed (the answer is then `503` and the event will be retried). */
  signal?: AbortSignal;
}

/** Options of `webhookHandler` and `webhookFetchHandler`. */
export interface WebhookHandlerOptions extends Limits {
  provider: "ost" | "tot";
  /**
   * The webhook secret, or several during rotation, or a function (sync or async) returning them. Read at each
   * request, never at construction: a missing secret answers `500 MISSING_SECRET`.
   */
  secret?: WebhookSecret | null | (() => WebhookSecret | null | undefined | Promise<WebhookSecret | null | undefined>);
  /** OST: the webhook URL registered in the dashboard, or a function returning it (read at each request). */
  url?: string | null | (() => string | null | undefined | Promise<string | null | undefined>);
  /**
   * Receives each verified event; the answer is `200` only once it has resolved. Make it a quick durable write
   * (a database row, a queue message) and process later. If it throws or rejects the answer is `500` and the
   * provider's retry calls it again; past `onEventTimeoutMs` the answer is `503`.
   */
  onEvent?: (event: WebhookEvent, context: WebhookEventContext) => unknown;
  /** Allowed distance of the signed timestamp from now, seconds (default 300). */
  toleranceSeconds?: number | null;
  /** A body that sends nothing for this long is answered `408` (default 10000). */
  bodyTimeoutMs?: number;
  /** `onEvent` taking longer is answered `503` and its claim released (default 8000, under OST's 10 s). */
  onEventTimeoutMs?: number;
  /** Deliver events older than one already recorded for their subject, with `stale: true` (default false). */
  deliverStale?: boolean;
  /** Where delivery state lives (default `memoryStore()`). */
  store?: WebhookStore;
  /** Skip an event already processed (OST: same `id`; TOT: same signed body), answering `200 {duplicate: true}` (default true). */
  dedupe?: boolean;
  /** Order events per user: an older one is `stale` (default true). `false`: every event is delivered as new. */
  ignoreOutOfOrder?: boolean;
  /** A store call taking longer is a store failure, answered `503` (default 5000). */
  storeTimeoutMs?: number;
  /** How long a claim lasts while `onEvent` runs (default onEventTimeoutMs + storeTimeoutMs). */
  leaseMs?: number;
  /** How long a processed event is remembered (default 7 days; OST retries for 63 hours). */
  dedupeTtlMs?: number;
  /** How long a subject's last position is remembered (default 30 days). */
  orderTtlMs?: number;
  /**
   * Records every request that reaches verification (accepted or not), for `kyc-wasm replay`: a JSON lines file
   * path (Node, Deno, Bun; appended in order) or a function receiving each record. A recording failure is
   * logged; the delivery goes on. For development: the records hold the bodies (personal data).
   */
  record?: string | ((record: WebhookRecord) => void | Promise<void>);
  /**
   * Token of Trust only: when the request has no `Authorization` header (some hosts strip it), take the
   * signature from the URL's `?authorization=` query parameter, as Token of Trust's own plugin does. Off by
   * default; `true` with provider `"ost"` throws `INVALID_ARGUMENT`. The signature then appears in access
   * logs: prefer a host that keeps the header.
   */
  authorizationFromQuery?: boolean;
  /** Where failures and stale events are logged (default `console`). */
  logger?: { warn?(message: string): void; error?(message: string, error?: unknown): void };
}

/** One recorded request: a line of the `record` file, the input of `kyc-wasm replay`. */
export interface WebhookRecord {
  provider: "ost" | "tot";
  method: string;
  /** The request URL as the handler saw it (Node: rebuilt from the Host header). */
  url: string;
  /** Every request header, lowercase names. */
  headers: Record<string, string>;
  /** The raw body: UTF-8 text, or base64 when it is not UTF-8 (`bodyEncoding`). */
  body: string;
  bodyEncoding: "text" | "base64";
  /** ISO 8601, when the body had been read. */
  receivedAt: string;
}

/** Error codes a webhook endpoint answers with (verification codes, and those of the handler itself). */
export type WebhookErrorCode = KycErrorCode;

/** The JSON a webhook endpoint answers. */
export type WebhookAnswer =
  | { ok: true; duplicate?: true; stale?: true }
  | { ok: false; error: { code: WebhookErrorCode; message: string } };

/** Counters of a handler, since it was built. */
export interface WebhookStats {
  received: number;
  delivered: number;
  duplicates: number;
  stale: number;
  rejected: number;
  failed: number;
  timedOut: number;
  busy: number;
  storeErrors: number;
}

/** The parts of a Node `IncomingMessage` the handler uses (Express, Koa's `ctx.req`, Fastify's `request.raw`). */
export interface NodeRequestLike {
  method?: string;
  headers: { [name: string]: string | string[] | undefined };
  /** A raw body a framework left (`express.raw` sets `body`; set `rawBody` yourself from a framework's copy). */
  body?: unknown;
  rawBody?: unknown;
  on(event: string, listener: (...args: any[]) => void): unknown;
}

/** The parts of a Node `ServerResponse` the handler uses. */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string, callback?: () => void): unknown;
}

/** A `(req, res)` handler for node:http, Express, Koa and Fastify, with the Fetch form as `.fetch`. */
export interface WebhookHandler {
  (req: NodeRequestLike, res: NodeResponseLike, next?: unknown): Promise<void>;
  fetch: WebhookFetchHandler;
  readonly stats: WebhookStats;
  readonly store: WebhookStore;
}

/** A Fetch-API handler: `(request: Request) => Promise<Response>`. */
export interface WebhookFetchHandler {
  (request: Request): Promise<Response>;
  readonly stats: WebhookStats;
  readonly store: WebhookStore;
}

/**
 * A webhook endpoint for node:http-style `(req, res)`: reads the raw body (at most `maxBodyBytes`, answering
 * `413`; idle for `bodyTimeoutMs`, `408`), verifies it (`401`, `400`), delivers the typed event to `onEvent`
 * once and in order, and answers `200` only after `onEvent` resolved. Never throws once built; building throws
 * `INVALID_ARGUMENT` only for options wrong in any environment (an absent secret is not one).
 */
export function webhookHandler(options: WebhookHandlerOptions): WebhookHandler;

/** The same endpoint as `(request: Request) => Promise<Response>`, in every build. */
export function webhookFetchHandler(options: WebhookHandlerOptions): WebhookFetchHandler;
