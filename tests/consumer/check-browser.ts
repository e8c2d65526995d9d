// bundler only: the browser view of the package ("kyc-wasm" -> browser/index.d.ts) and "kyc-wasm/web" with
// its init(), including what only the browser build exports.

import { loadTotEmbed, onModalClose, openContinuation, verifyPerson, verifyTotWebhook } from "kyc-wasm";
import init, { initSync, toQuery } from "kyc-wasm/web";
import * as browserKyc from "kyc-wasm";

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
const decision = await verifyPerson({ url: "/verifyPerson", body: { email: "someone@example.com" }, timeoutMs: 10_000 });
const action: "verified" | "continue" | "error" = decision.action;
// @ts-expect-error: verifyPerson needs the endpoint url
await verifyPerson({});


// The browser declarations hold no server-only function (they take provider secrets).
// @ts-expect-error: the OST client is Node-only
browserKyc.OstKycClient;
// @ts-expect-error: presignedUrlRequest is Node-only
browserKyc.presignedUrlRequest;
// @ts-expect-error: buildVerifyPersonBody is Node-only
browserKyc.buildVerifyPersonBody;
// @ts-expect-error: webhookHandler (node:http's req, res) is Node-only
browserKyc.webhookHandler;

// The Fetch form of the webhook endpoint is in every build (service workers, edge runtimes).
const totEndpoint: (request: Request) => Promise<Response> = browserKyc.webhookFetchHandler({
  provider: "tot",
  secret: async () => "tot-secret",
  store: browserKyc.memoryStore({ maxKeys: 100 }),
  onEvent: (e) => {
    if (e.provider === "tot") {
      const status: "rejected" | "updateRequested" | "cleared" | "submitted" | "pending" = e.status;
      void status;
    }
  },
});
void totEndpoint;

void [query, action];
