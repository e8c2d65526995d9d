// The Cloudflare Workers recipe of the README: the Fetch handler from "kyc-wasm" (and "kyc-wasm/lite"). Secrets
// are bindings (`wrangler secret put`, or .dev.vars locally), so the handlers are made at the first request.
import { webhookFetchHandler } from "kyc-wasm";
import { webhookFetchHandler as liteWebhookFetchHandler } from "kyc-wasm/lite";

let routes;

export default {
  async fetch(request, env) {
    routes ??= {
      "/ost": webhookFetchHandler({
        provider: "ost",
        secret: env.OST_WEBHOOK_SECRET,
        url: "https://shop.example/ost", // the URL registered with OST, which it signs
        onEvent: (event) => console.log("verified", event.provider),
      }),
      "/tot": webhookFetchHandler({
        provider: "tot",
        secret: env.TOT_WEBHOOK_SECRET,
        onEvent: (event) => console.log("verified", event.provider),
      }),
      "/lite/ost": liteWebhookFetchHandler({
        provider: "ost",
        secret: env.OST_WEBHOOK_SECRET,
        url: "https://shop.example/lite/ost",
      }),
      "/lite/tot": liteWebhookFetchHandler({ provider: "tot", secret: env.TOT_WEBHOOK_SECRET }),
    };
    const handler = routes[new URL(request.url).pathname];
    return handler ? handler(request) : new Response("not found", { status: 404 });
  },
};
