// The store interface shared by memoryStore, redisStore and postgresStore (types only: no webhook-store.js).

/**
 * Where a webhook handler keeps de-duplication and ordering state (the `store` option). Every method is atomic
 * with respect to the other instances sharing the store.
 */
export interface WebhookStore {
  /** Claims `key` for `leaseMs`: "claimed" (the caller owns it now), "done" (already processed), "busy" (another live lease). */
  claim(key: string, owner: string, leaseMs: number): Promise<"claimed" | "done" | "busy">;
  /** Marks `key` processed (kept `ttlMs`), if `owner` still holds it or nobody does. */
  done(key: string, owner: string, ttlMs: number): Promise<void>;
  /** Drops `owner`'s claim on `key`, so that a retry can claim it. */
  release(key: string, owner: string): Promise<void>;
  /**
   * Records `position` for `subject` when it is >= the stored one (byte order) or none is stored (kept `ttlMs`):
   * true when recorded, false when a newer position is stored (the event is stale).
   */
  advance(subject: string, position: string, ttlMs: number): Promise<boolean>;
}
