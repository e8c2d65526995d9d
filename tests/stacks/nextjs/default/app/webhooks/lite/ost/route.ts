import { webhookFetchHandler } from "kyc-wasm/lite";

// Secrets are read at each request (they are absent while `next build` evaluates this module).
export const POST = webhookFetchHandler({
  provider: "ost",
  secret: () => process.env.OST_WEBHOOK_SECRET,
  url: "https://shop.example/webhooks/lite/ost", // the URL registered with OST, which it signs
  onEvent: async (event) => {
    // A quick durable write (a row, a queue message); the answer is 200 once this resolves.
    console.log("verified", event.provider, event.provider === "ost");
  },
});
