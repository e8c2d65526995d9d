// Type-checks kyc-wasm/lite as a consumer sees it, with moduleResolution "bundler" (lite/browser/index.d.ts)
// and "node16" (lite/node/kyc_wasm.d.ts): every function of the lite builds that both share, called with
// correct types, plus `@ts-expect-error` probes that prove the declarations are the precise ones.

import * as lite from "kyc-wasm/lite";
import type { KycError, OstEvent, OstWebhookParams, SignedOstRequest, TotEvent, VerificationDecision } from "kyc-wasm/lite";

const bytes = new Uint8Array([123, 125]);
const url = "https://webhook.ost.com/test/";
const secret = "WEBHOOK_SECRET_KEY";

const query: string = lite.toQuery({ a: 1, b: ["x", { c: null }] });
// @ts-expect-error: toQuery takes an object
lite.toQuery(42);
const parsed = lite.parseQuery("a[b]=1", { maxDepth: 8 });
const signed: SignedOstRequest = lite.signOstRequest("/api/v2/users", { email: "kyc@ost.com" }, { apiKey: "k", apiSecret: "s" }, { timestamp: 1542185198 });
// @ts-expect-error: credentials need apiSecret
lite.signOstRequest("/api/v2/users", {}, { apiKey: "k" });
const event: OstWebhookParams = lite.verifyOstWebhook(bytes, { url, secret: [secret, "previous"], now: 1542185198 });
// @ts-expect-error: the secret is required
lite.verifyOstWebhook("a=1", { url });
const webhookBody: string = lite.signOstWebhook({ name: "user_register" }, { url, secret, timestamp: 1542185198 });
const totSignature: string = lite.totWebhookSignature('{"a":1}', "tot-secret");
const totBody: unknown = lite.verifyTotWebhook(bytes, totSignature, ["new", "old"], { maxBodyBytes: 65536 });
// @ts-expect-error: the secret is required
lite.verifyTotWebhook("{}", totSignature);
const positive: boolean = lite.reasonIsPositive({ value: "fullMatch" });
const value: unknown = lite.reasonValue({ status: "notApplicable" });
const decision: VerificationDecision = lite.evaluateVerification({ conditionsMet: true });
const required: boolean = lite.processPersonResponse({}).verificationRequired;
const appUserId: string = lite.appUserIdFromEmail("someone@example.com", 7);
const ostEvent: OstEvent = lite.parseOstEvent(event);
const totEvent: TotEvent = lite.parseTotEvent(totBody);
const newer: boolean = lite.isNewerEvent(null, ostEvent);
// @ts-expect-error: the incoming event is required
lite.isNewerEvent(ostEvent, undefined);
const caught: unknown = null;
if (caught instanceof lite.KycError) {
  const code: string = caught.code;
  void code;
}
const own: KycError = new lite.KycError("INVALID_ARGUMENT", "made by the application");
void own;
if (lite.isKycError(caught)) {
  const error: KycError = caught;
  const code: string = error.code;
  void code;
}

// The Fetch webhook endpoint and the in-memory store: in both lite builds (Node, browsers' service workers, edge).
const fetchEndpoint: (request: Request) => Promise<Response> = lite.webhookFetchHandler({
  provider: "tot",
  secret: () => "tot-secret",
  store: lite.memoryStore({ maxKeys: 10 }),
});
void fetchEndpoint;

// The shared stores take a client object (no driver imported): in every build, for edge and service-worker use too.
declare const storeRedisClient: object;
declare const storePgPool: { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };
const sharedStores = [lite.redisStore(storeRedisClient, { prefix: "app:" }), lite.postgresStore(storePgPool, { table: "webhooks" })];
void sharedStores;

export { query, parsed, signed, webhookBody, positive, value, decision, required, appUserId, ostEvent, totEvent, newer };
