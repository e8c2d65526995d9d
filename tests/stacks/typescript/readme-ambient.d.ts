// The reader's own objects that the README's ```js blocks use without defining them (they are fragments of
// the reader's app), for the TypeScript row's checkJs pass. Only these: every kyc-wasm name a block uses must
// be imported by the block itself. The frameworks a block imports (express, fastify, koa, hono, redis,
// ioredis, pg, and aws-lambda's types) are not installed in this row: they get minimal structural types below, just enough for the
// calls the README makes, so that what is checked is the use of kyc-wasm.

type KycWebhookHandler = import("kyc-wasm").WebhookHandler;
type KycWebhookOptions = import("kyc-wasm").WebhookHandlerOptions;

/** Your Express app (the upload-targets recipe). */
declare const app: import("express").Express;
/** Your database and queue (the onEvent examples): a quick durable write. */
declare const db: { insert(table: string, row: Record<string, unknown>): Promise<unknown> };
declare const queue: { send(message: Record<string, unknown>): Promise<unknown> };
/** Your session: the signed-in user. */
declare function currentUser(req: import("node:http").IncomingMessage): Promise<{ email: string; givenName: string; familyName: string }>;
/** Browser: your form's fields, your error display, your next step once verified. */
declare function readPersonForm(): { givenName: string; familyName: string; email: string };
declare function showError(message: string): void;
declare function showSpinner(message: string): void;
declare function proceed(messageCode: string | null): void;
/** The handlers built in the "Webhook handlers" section, and their options, reused by later blocks. */
declare const ostWebhook: KycWebhookHandler;
declare const totWebhook: KycWebhookHandler;
declare const url: string;
declare const secret: NonNullable<KycWebhookOptions["secret"]>;
declare const onEvent: NonNullable<KycWebhookOptions["onEvent"]>;

type NodeReq = import("node:http").IncomingMessage;
type NodeRes = import("node:http").ServerResponse;
type Middleware = (req: any, res: any, next?: any) => unknown;

declare module "express" {
  export interface Request extends NodeReq { body?: unknown }
  export interface Response extends NodeRes { json(body: unknown): Response }
  export type Handler = (req: Request, res: Response, next: (error?: unknown) => void) => unknown;
  export interface Express {
    post(path: string, ...handlers: Handler[]): Express;
    use(...handlers: Handler[]): Express;
    listen(port: number, host: string, callback?: () => void): import("node:http").Server;
  }
  export interface ExpressFactory {
    (): Express;
    raw(options?: { type?: string; limit?: string | number }): Handler;
    json(options?: { limit?: string | number }): Handler;
  }
  export const express: ExpressFactory;
  export default express;
}

declare module "fastify" {
  export interface FastifyRequest { body: unknown; raw: NodeReq & { rawBody?: unknown } }
  export interface FastifyReply { raw: NodeRes; hijack(): FastifyReply }
  export type Route = (request: FastifyRequest, reply: FastifyReply) => unknown;
  export interface FastifyInstance {
    register(plugin: (scope: FastifyInstance) => Promise<void>): FastifyInstance;
    removeAllContentTypeParsers(): void;
    addContentTypeParser(
      type: string,
      options: { parseAs: "buffer" | "string" },
      parser: (request: FastifyRequest, body: Buffer, done: (error: Error | null, body?: unknown) => void) => void,
    ): void;
    post(path: string, handler: Route): FastifyInstance;
  }
  export default function Fastify(options?: object): FastifyInstance;
}

declare module "koa" {
  export interface Context {
    method: string;
    path: string;
    respond: boolean;
    req: NodeReq & { rawBody?: unknown };
    res: NodeRes;
    request: { rawBody?: string };
  }
  export default class Koa {
    use(middleware: (ctx: Context, next: () => Promise<void>) => unknown): this;
  }
}

declare module "hono" {
  export interface Context { req: { raw: Request } }
  export class Hono {
    post(path: string, handler: (c: Context) => Response | Promise<Response>): this;
  }
}

declare module "redis" {
  export interface RedisClient { connect(): Promise<RedisClient>; [command: string]: any }
  export function createClient(options?: { url?: string; disableOfflineQueue?: boolean }): RedisClient;
}

declare module "ioredis" {
  export default class Redis {
    constructor(url?: string, options?: { enableOfflineQueue?: boolean });
    [command: string]: any;
  }
}

declare module "pg" {
  export class Pool {
    constructor(options?: { connectionString?: string });
    query(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount: number | null }>;
  }
  export const pg: { Pool: typeof Pool };
  export default pg;
}

declare module "aws-lambda" {
  export interface APIGatewayProxyEventV2 {
    rawPath: string;
    rawQueryString: string;
    headers: { [name: string]: string | undefined };
    body?: string;
    isBase64Encoded: boolean;
    requestContext: { domainName: string; http: { method: string } };
  }
}
