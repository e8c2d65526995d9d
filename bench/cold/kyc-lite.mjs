// Cold start: import kyc-wasm/lite (the lite Node build, as `import "kyc-wasm/lite"` resolves) and verify one
// webhook.
import { BODY, OPTIONS, PKG_LITE_NODE, report } from "./_body.mjs";
const t0 = performance.now();
const { verifyOstWebhook } = await import(PKG_LITE_NODE);
report(t0, verifyOstWebhook(Buffer.from(BODY), OPTIONS));
