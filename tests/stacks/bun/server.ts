// The Bun recipe of the README: the Fetch handler from "kyc-wasm" (and "kyc-wasm/lite") with Bun.serve.
import { webhookFetchHandler } from "kyc-wasm";
import { webhookFetchHandler as liteWebhookFetchHandler } from "kyc-wasm/lite";

const routes: Record<string, (request: Request) => Promise<Response>> = {
  "/ost": webhookFetchHandler({
    provider: "ost",
    secret: process.env.OST_WEBHOOK_SECRET!,
    url: "https://shop.example/ost", // the URL registered with OST, which it signs
    onEvent: (event) => console.log("verified", event.provider),
  }),
  "/tot": webhookFetchHandler({
    provider: "tot",
    secret: process.env.TOT_WEBHOOK_SECRET!,
    onEvent: (event) => console.log("verified", event.provider),
  }),
  "/lite/ost": liteWebhookFetchHandler({
    provider: "ost",
    secret: process.env.OST_WEBHOOK_SECRET!,
    url: "https://shop.example/lite/ost",
  }),
  "/lite/tot": liteWebhookFetchHandler({ provider: "tot", secret: process.env.TOT_WEBHOOK_SECRET! }),
};

Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.PORT),
  fetch(request) {
    const handler = routes[new URL(request.url).pathname];
    return handler ? handler(request) : new Response("not found", { status: 404 });
  },
});
