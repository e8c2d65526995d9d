import { webhookFetchHandler } from "kyc-wasm/lite";

export const runtime = "edge";

// Secrets are read at each request (they are absent while `next build` evaluates this module).
export const POST = webhookFetchHandler({
  provider: "tot",
  secret: () => process.env.TOT_WEBHOOK_SECRET,
  onEvent: async (event) => {
    // A quick durable write (a row, a queue message); the answer is 200 once this resolves.
    console.log("verified", event.provider, event.provider === "tot");
  },
});
