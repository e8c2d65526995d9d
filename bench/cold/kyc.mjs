// Cold start: import kyc-wasm (the Node build, as `import "kyc-wasm"` resolves) and verify one webhook.
import { BODY, OPTIONS, PKG_NODE, report } from "./_body.mjs";
const t0 = performance.now();
const { verifyOstWebhook } = await import(PKG_NODE);
report(t0, verifyOstWebhook(Buffer.from(BODY), OPTIONS));
