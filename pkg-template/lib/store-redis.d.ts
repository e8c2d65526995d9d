import type { WebhookStore } from "./webhook.js";

export interface RedisStoreOptions {
  /** Prefix of every key this store writes (default "kyc-wasm:"). */
  prefix?: string;
}

/**
 * Webhook de-duplication and ordering state in Redis, shared by every instance of an endpoint.
 * `client` is a connected node-redis 4+ client (`createClient()` from "redis", after `await client.connect()`)
 * or an ioredis client (`new Redis(url)`); this package imports neither. Operations are Lua scripts (atomic),
 * leases and TTLs are Redis expiries. Client errors reject as they are.
 */
export declare function redisStore(client: object, options?: RedisStoreOptions): WebhookStore;
