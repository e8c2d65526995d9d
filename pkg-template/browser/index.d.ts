export * from "../web/kyc_wasm.js";
export { KycError } from "../web/errors.js";
export { webhookFetchHandler } from "../web/webhook.js";
export { memoryStore } from "../web/store-memory.js";
export type {
  WebhookStore, WebhookHandlerOptions, WebhookFetchHandler, WebhookEvent, WebhookEventContext, WebhookAnswer,
  WebhookErrorCode, WebhookStats, WebhookSecret,
} from "../web/webhook.js";
export type { MemoryStore, MemoryStoreOptions } from "../web/store-memory.js";
