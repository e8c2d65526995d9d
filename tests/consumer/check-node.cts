// node16 only: the CommonJS view of the package (`require` condition -> node/kyc_wasm.js and its .d.ts),
// including what only the Node build exports.

import kyc = require("kyc-wasm");

const query: string = kyc.toQuery({ a: 1 });
const signed = kyc.signOstRequest("/api/v2/users", {}, { apiKey: "k", apiSecret: "s" }, { timestamp: 1542185198 });
const signature: string = signed.signature;
const positive: boolean = kyc.reasonIsPositive({ status: "fullMatch" });
// @ts-expect-error: toQuery takes an object
kyc.toQuery(42);

// Token of Trust server-side helpers (Node build).
const body = kyc.buildVerifyPersonBody({
  appDomain: "example.com",
  totApiKey: "pk_test",
  totSecretKey: "sk_test",
  appUserid: kyc.appUserIdFromEmail("someone@example.com", "app-1"),
  person: { email: "someone@example.com", dateOfBirth: { day: 1, month: 2, year: 1990 } },
});
const decision = kyc.evaluateVerification({});
const action: "verified" | "continue" | "error" = decision.action;
const passThrough = kyc.processPersonResponse({});
const required: boolean = passThrough.verificationRequired;
// @ts-expect-error: appUserIdFromEmail needs the app id
kyc.appUserIdFromEmail("someone@example.com");

// Webhook endpoints (Node build): node:http/Express/Koa and the Fetch form.
const handler = kyc.webhookHandler({
  provider: "ost",
  secret: ["current", "previous"],
  url: "https://example.com/webhooks/ost",
  toleranceSeconds: 300,
  onEvent: async (e) => {
    void e;
  },
});
const viaFetch: (request: Request) => Promise<Response> = handler.fetch;
const fetchHandler: (request: Request) => Promise<Response> = kyc.webhookFetchHandler({ provider: "tot", secret: "tot-secret", maxBodyBytes: 65536 });
// @ts-expect-error: the provider is "ost" or "tot"
kyc.webhookHandler({ provider: "stripe", secret: "s" });

void [query, signature, positive, body, action, required, viaFetch, fetchHandler];
