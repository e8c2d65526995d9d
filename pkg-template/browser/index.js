// The browser entry for bundlers (Vite, webpack, esbuild): instantiates the module once, then re-exports
// the API. The .wasm file is fetched from beside web/kyc_wasm.js via `new URL(..., import.meta.url)`.
// Without a bundler, import "kyc-wasm/web" and call `await init()` yourself.
import init from "../web/kyc_wasm.js";

await init();

export * from "../web/kyc_wasm.js";
export { KycError } from "../web/errors.js";
export { webhookFetchHandler } from "../web/webhook.js";
export { memoryStore } from "../web/store-memory.js";
