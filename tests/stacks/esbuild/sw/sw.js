// A service worker that verifies webhooks itself (the rare case issue 16 keeps possible): the server API comes
// from "kyc-wasm/server", whose `browser` condition is the server build embedded like the browser entry. The
// secret is a test constant here; test.sh signs the deliveries with node:crypto.
import { KycError, webhookFetchHandler } from "kyc-wasm/server";

const events = [];
const tot = webhookFetchHandler({
  provider: "tot",
  secret: () => "sw-tot-secret",
  onEvent: async (event) => {
    if (event.provider === "tot") events.push(event.operation);
  },
});

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (url.pathname === "/webhooks/tot") e.respondWith(tot(e.request));
  if (url.pathname === "/sw-state") {
    e.respondWith(new Response(JSON.stringify({ events, kycError: typeof KycError === "function" }), { headers: { "content-type": "application/json" } }));
  }
});
