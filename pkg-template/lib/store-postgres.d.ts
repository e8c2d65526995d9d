import type { WebhookStore } from "./webhook.js";

export interface PostgresStoreOptions {
  /**
   * Table name, `name` or `schema.name` (default "kyc_wasm_webhooks"); positions go in `<name>_positions`.
   */
  table?: string;
  /** Create the tables on first use if they are absent (default true). */
  createTable?: boolean;
  /** Delete up to 1000 expired rows every this many claims (default 1000; 0 never). */
  sweepEvery?: number;
}

/**
 * Webhook de-duplication and ordering state in PostgreSQL, shared by every instance of an endpoint.
 * `pool` is a `pg` Pool or connected Client (anything with `query(text, values)`); this package does not import
 * `pg`. Times are the database's clock. Client errors reject as they are.
 */
export declare function postgresStore(pool: { query: Function }, options?: PostgresStoreOptions): WebhookStore;
