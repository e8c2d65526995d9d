// Size measurement only (wrangler deploy --dry-run): a Worker with the lite build's Fetch handler and nothing else.
import { webhookFetchHandler } from "kyc-wasm/lite";

let handler;

export default {
  fetch(request, env) {
    handler ??= webhookFetchHandler({ provider: "tot", secret: env.TOT_WEBHOOK_SECRET });
    return handler(request);
  },
};
