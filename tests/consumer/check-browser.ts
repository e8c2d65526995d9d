// bundler only: "kyc-wasm" as TypeScript's bundler resolution sees it (index.d.ts: the server API plus the
// browser-only functions) and "kyc-wasm/web" with its init() and the browser build's exact declarations.

import { loadTotEmbed, onModalClose, onModalFormSubmitted, openContinuation, verifyPerson, verifyTotWebhook } from "kyc-wasm";
import init, { initSync, toQuery } from "kyc-wasm/web";
import * as browserKyc from "kyc-wasm";
import * as webKyc from "kyc-wasm/web";
import * as serverKyc from "kyc-wasm/server";

await init();
await init({ module_or_path: new URL("kyc_wasm_bg.wasm", import.meta.url) });
const query: string = toQuery({ a: 1 });
void initSync;
// @ts-expect-error: toQuery takes an object
toQuery(42);

verifyTotWebhook("{}", "sig", "secret");
loadTotEmbed({ host: "https://app.tokenoftrust.com", apiKey: "pk_test" });
openContinuation({ url: "https://app.tokenoftrust.com/continue" }, { disableClose: true });
const unsubscribe: () => void = onModalClose((event) => {
  const keepGoing: boolean = event.continue;
  void keepGoing;
});
unsubscribe();
const unbindSubmitted: () => void = onModalFormSubmitted((event) => {
  const payload: unknown = event.data;
  void payload;
  // @ts-expect-error: a form-submitted event has no continue flag
  void event.continue;
});
unbindSubmitted();
const decision = await verifyPerson({ url: "/verifyPerson", body: { email: "someone@example.com" }, timeoutMs: 10_000 });
const action: "verified" | "continue" | "error" = decision.action;
// @ts-expect-error: verifyPerson needs the endpoint url
await verifyPerson({});


// kyc-wasm/web has the browser build's exact declarations: no server-only function (they take provider secrets).
// @ts-expect-error: the OST client is Node-only
webKyc.OstKycClient;
// @ts-expect-error: presignedUrlRequest is Node-only
webKyc.presignedUrlRequest;
// @ts-expect-error: buildVerifyPersonBody is Node-only
webKyc.buildVerifyPersonBody;
// @ts-expect-error: webhookHandler (node:http's req, res) is Node-only
webKyc.webhookHandler;
// Issue 16: the builds pages load have nothing that takes a server secret, and their types say so.
// @ts-expect-error: verifyTotWebhook takes the webhook secret
webKyc.verifyTotWebhook;
// @ts-expect-error: verifyOstWebhook takes the webhook secret
webKyc.verifyOstWebhook;
// @ts-expect-error: signOstRequest takes the API secret
webKyc.signOstRequest;
// @ts-expect-error: the request builders take the API secret
webKyc.buildCreateUserRequest;
// @ts-expect-error: raw HMACs take a key
webKyc.hmacSha256Hex;
// @ts-expect-error: the Fetch webhook handler takes the webhook secret
webKyc.webhookFetchHandler;
// @ts-expect-error: the stores serve the webhook handler
webKyc.memoryStore;

// The Fetch form of the webhook endpoint, for service workers: kyc-wasm/server (its browser condition).
const totEndpoint: (request: Request) => Promise<Response> = serverKyc.webhookFetchHandler({
  provider: "tot",
  secret: async () => "tot-secret",
  store: serverKyc.memoryStore({ maxKeys: 100 }),
  onEvent: (e) => {
    if (e.provider === "tot") {
      const status: "rejected" | "updateRequested" | "cleared" | "submitted" | "pending" = e.status;
      void status;
    }
  },
});
void totEndpoint;

// "kyc-wasm" under moduleResolution "bundler" (no `node` condition in TypeScript): the server API, so that
// server code bundled by Next.js or Vite SSR type-checks with no customConditions, plus the browser-only calls.
const serverNames: Function[] = [browserKyc.OstKycClient, browserKyc.webhookHandler, browserKyc.webhookFetchHandler, browserKyc.presignedUrlRequest];
void serverNames;

// The shared stores take a client object (no driver imported): in the Node, edge and kyc-wasm/server builds.
declare const storeRedisClient: object;
declare const storePgPool: { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };
const sharedStores = [serverKyc.redisStore(storeRedisClient, { prefix: "app:" }), serverKyc.postgresStore(storePgPool, { table: "webhooks" })];
serverKyc.verifyTotWebhook("{}", "sig", "secret");
void sharedStores;

void [query, action];
