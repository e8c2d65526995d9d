// The Deno recipe of the README: the Fetch handler from "npm:kyc-wasm" (and "npm:kyc-wasm/lite") with Deno.serve.
import { webhookFetchHandler, type WebhookEvent } from "npm:kyc-wasm";
import { webhookFetchHandler as liteWebhookFetchHandler } from "npm:kyc-wasm/lite";

const onEvent = (event: WebhookEvent) => console.log("verified", event.provider);
const routes: Record<string, (request: Request) => Promise<Response>> = {
  "/ost": webhookFetchHandler({
    provider: "ost",
    secret: Deno.env.get("OST_WEBHOOK_SECRET")!,
    url: "https://shop.example/ost", // the URL registered with OST, which it signs
    onEvent,
  }),
  "/tot": webhookFetchHandler({
    provider: "tot",
    secret: Deno.env.get("TOT_WEBHOOK_SECRET")!,
    onEvent,
  }),
  "/lite/ost": liteWebhookFetchHandler({
    provider: "ost",
    secret: Deno.env.get("OST_WEBHOOK_SECRET")!,
    url: "https://shop.example/lite/ost",
  }),
  "/lite/tot": liteWebhookFetchHandler({ provider: "tot", secret: Deno.env.get("TOT_WEBHOOK_SECRET")! }),
};

Deno.serve({ hostname: "127.0.0.1", port: Number(Deno.env.get("PORT")) }, (request) => {
  const handler = routes[new URL(request.url).pathname];
  return handler ? handler(request) : new Response("not found", { status: 404 });
});
