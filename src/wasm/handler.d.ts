
/** Options of the Node webhook recipes. */
export interface WebhookHandlerOptions extends Limits {
  provider: "ost" | "tot";
  /** The webhook secret, or several during rotation. */
  secret: string | string[];
  /** OST only: the webhook URL registered in the dashboard. */
  url?: string;
  /** Called after the `200` has been sent, with the typed event. Errors it throws are logged. */
  onEvent?: (event: OstEvent | TotEvent) => void | Promise<void>;
  /** OST: allowed distance of `request_timestamp` from now, seconds (default 300; `Infinity` disables). */
  toleranceSeconds?: number;
  /** Answer `200 {duplicate: true}` without calling `onEvent` for an event id seen before (default true). */
  dedupe?: boolean;
  /** Answer `200 {outOfOrder: true}` without calling `onEvent` for an event older than the last one
   * processed for the same user (the seed's storage rule; default true). */
  ignoreOutOfOrder?: boolean;
}

/** The JSON a webhook endpoint answers. */
export type WebhookAnswer =
  | { ok: true; duplicate?: true; outOfOrder?: true }
  | { ok: false; error: { code: KycErrorCode | "METHOD_NOT_ALLOWED"; message: string } };

/**
 * A `node:http` request handler, with the Fetch-API form as `.fetch`. The request and response are typed by
 * the members the handler uses, so that these declarations need no `@types/node` (a bundler project's
 * TypeScript sees them too); a `node:http` `IncomingMessage`/`ServerResponse` fits.
 */
export interface WebhookHandler {
  (
    req: { method?: string; headers: { [name: string]: string | string[] | undefined }; body?: unknown; on(event: string, listener: (...args: any[]) => void): unknown; resume(): unknown },
    res: { statusCode: number; setHeader(name: string, value: string | number | readonly string[]): unknown; end(chunk?: any): unknown },
  ): Promise<void>;
  fetch(request: Request): Promise<Response>;
}

/**
 * A webhook endpoint for `node:http`, Express (`express.raw({type: "*\/*"})`) or Koa (`ctx.req`, `ctx.res`):
 * reads the raw body (size-limited), verifies it, answers `200` at once (`401` bad signature or stale,
 * `400` malformed, `413` too large, each with a JSON error code), then calls `onEvent`. Never throws.
 * Node build only.
 */
export function webhookHandler(options: WebhookHandlerOptions): WebhookHandler;

/** The same endpoint as `(request: Request) => Promise<Response>`, for Next.js and other Fetch runtimes. */
export function webhookFetchHandler(options: WebhookHandlerOptions): (request: Request) => Promise<Response>;
