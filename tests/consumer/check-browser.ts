// bundler only: "kyc-wasm" as TypeScript's bundler resolution sees it (index.d.ts: the server API plus the
// browser-only functions) and "kyc-wasm/web" with its init() and the browser build's exact declarations.

import { loadTotEmbed, onModalClose, onModalFormSubmitted, openContinuation, verifyPerson, verifyTotWebhook } from "kyc-wasm";
import init, { initSync, toQuery } from "kyc-wasm/web";
import * as browserKyc from "kyc-wasm";
import * as webKyc from "kyc-wasm/web";

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

// The Fetch form of the webhook endpoint is in every build (service workers, edge runtimes).
const totEndpoint: (request: Request) => Promise<Response> = webKyc.webhookFetchHandler({
  provider: "tot",
  secret: async () => "tot-secret",
  store: webKyc.memoryStore({ maxKeys: 100 }),
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

// The shared stores take a client object (no driver imported): in every build, for edge and service-worker use too.
declare const storeRedisClient: object;
declare const storePgPool: { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };
const sharedStores = [webKyc.redisStore(storeRedisClient, { prefix: "app:" }), webKyc.postgresStore(storePgPool, { table: "webhooks" })];
void sharedStores;

void [query, action];
