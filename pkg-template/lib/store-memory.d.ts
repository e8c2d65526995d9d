import type { WebhookStore } from "./webhook.js";

export interface MemoryStoreOptions {
  /** Most event keys remembered (default 10000); those written longest ago are forgotten first. */
  maxKeys?: number;
  /** Most subjects (users) whose last position is remembered (default 10000). */
  maxSubjects?: number;
}

/** The default store: this process's memory, bounded. Several instances or restarts need a shared store. */
export interface MemoryStore extends WebhookStore {
  readonly size: { keys: number; subjects: number };
}

/** A bounded in-memory `WebhookStore`, the webhook handlers' default. */
export function memoryStore(options?: MemoryStoreOptions): MemoryStore;
