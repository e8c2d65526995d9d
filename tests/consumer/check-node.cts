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

// Webhook endpoints (Node build): node:http/Express/Koa/Fastify and the Fetch form.
const handler = kyc.webhookHandler({
  provider: "ost",
  secret: ["current", "previous"],
  url: () => process.env.OST_WEBHOOK_URL,
  toleranceSeconds: 300,
  onEventTimeoutMs: 8000,
  bodyTimeoutMs: 10_000,
  deliverStale: false,
  onEvent: async (e, { signal }) => {
    // Events are a union discriminated on `provider`.
    if (e.provider === "ost") {
      const id: number | null = e.id;
      const createdAt: number | null = e.createdAt;
      void [id, createdAt, e.stale, signal];
    } else {
      const status: string = e.status;
      void status;
    }
  },
});
const viaFetch: (request: Request) => Promise<Response> = handler.fetch;
const delivered: number = handler.stats.delivered;
const store: kyc.WebhookStore = kyc.memoryStore({ maxKeys: 1000, maxSubjects: 1000 });
const fetchHandler: (request: Request) => Promise<Response> = kyc.webhookFetchHandler({
  provider: "tot",
  secret: async () => process.env.TOT_WEBHOOK_SECRET,
  maxBodyBytes: 65536,
  store,
});
// @ts-expect-error: the provider is "ost" or "tot"
kyc.webhookHandler({ provider: "stripe", secret: "s" });
// @ts-expect-error: a store implements claim, done, release and advance
kyc.webhookFetchHandler({ provider: "tot", store: { claim: async () => "claimed" } });
void delivered;
// Shared stores over the user's own client (node-redis, ioredis, pg), which the package does not import.
declare const redisClient: { eval(...args: unknown[]): Promise<unknown>; isOpen: boolean };
const sharedRedis: kyc.WebhookStore = kyc.redisStore(redisClient, { prefix: "app:" });
declare const pgPool: { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };
const sharedPg: kyc.WebhookStore = kyc.postgresStore(pgPool, { table: "app.webhooks", createTable: false, sweepEvery: 0 });
const claimed: Promise<"claimed" | "done" | "busy"> = sharedPg.claim("key", "owner", 1000);
// @ts-expect-error: options.table is a string
kyc.postgresStore(pgPool, { table: 5 });
// @ts-expect-error: options.prefix is a string
kyc.redisStore(redisClient, { prefix: 1 });
kyc.webhookHandler({ provider: "tot", secret: "s", store: sharedRedis });

void [query, signature, positive, body, action, required, viaFetch, fetchHandler, claimed];

// OST KYC API client (Node build: it holds the API secret).
const fakeFetch: kyc.OstFetch = async (url, init) => {
  const method: string = init.method;
  const contentType: string | undefined = init.headers["content-type"];
  void [url, method, contentType, init.body];
  return { status: 200, text: async () => '{"success":true,"data":{}}' };
};
const client = new kyc.OstKycClient({
  apiKey: "API_KEY",
  apiSecret: "API_SECRET",
  baseUrl: "https://kyc.sandboxost.com",
  timeoutMs: 10_000,
  fetch: fakeFetch,
  retries: 2,
  retryDelayMs: 250,
});
new kyc.OstKycClient({ apiKey: "k", apiSecret: "s" }).free();
const baseUrl: string = client.baseUrl;
async function useClient(): Promise<void> {
  const user: kyc.OstUser = await client.createUser("kyc@ost.com");
  const userId: number = user.id;
  const again: kyc.OstUser = await client.getUser(userId);
  await client.getUser("11428");
  const page = await client.listUsers({ filters: { is_kyc_submitted: true }, limit: 100, order: "desc" });
  const users: kyc.OstUser[] = page.items;
  const total: number = page.meta.total;
  const next: kyc.OstListUsersParams | null = page.meta.next_page_payload;
  if (next) await client.listUsers(next);
  await client.listUsers();
  await client.listUsers(null);
  const userKyc: kyc.OstUserKyc = await client.submitKyc(userId, { first_name: "Ada" }, { required: ["first_name"], validate: false });
  await client.submitKyc(11428n, { first_name: "Ada" });
  const kycStatus: string = userKyc.kyc_status;
  const lastActedBy: string | null = userKyc.last_acted_by;
  await client.getUserKyc(userId);
  const kycPage = await client.listUsersKyc({ filters: { admin_status: "qualified" } });
  const kycItems: kyc.OstUserKyc[] = kycPage.items;
  const kycNext: kyc.OstListUsersKycParams | null = kycPage.meta.next_page_payload;
  await client.listUsersKyc();
  const detail: kyc.OstUserKycDetail = await client.getUserKycDetail(userId);
  const detailCreated: number = detail.created_at;
  const firstName: string | undefined = detail.first_name;
  const valid: boolean = await client.validateEthereumAddress("0x32be343b94f860124dc4fee278fdcbd38c102d88");
  const presignedTargets = await client.getPresignedUrls("post", { document_id: "image/jpeg" });
  const sent: true = await client.sendApproveEmail(userId, { first_name: "Ada" });
  await client.sendDenyEmail("11428");
  await client.sendReportIssueEmail(11428n, null);
  void sent;
  try {
    await client.sendDenyEmail(userId);
  } catch (e) {
    if (kyc.isKycError(e) && e.reason === "kyc_not_denied") void e.status;
  }
  const documentTarget: kyc.OstUploadTarget | undefined = presignedTargets["document_id"];
  // The client's answer feeds the upload helpers.
  const targets: kyc.UploadTarget[] = kyc.parseUploadTargets(presignedTargets, { files: { document_id: "image/jpeg" } });
  for await (const each of client.iterateUsers({ limit: 100 })) {
    const email: string = each.email;
    void email;
  }
  for await (const each of client.iterateUsersKyc()) {
    const status: string = each.aml_status;
    void status;
  }
  void [again, users, total, kycStatus, lastActedBy, kycItems, kycNext, detailCreated, firstName, valid, documentTarget, targets];
  // @ts-expect-error: the email is a string
  await client.createUser(42);
  // @ts-expect-error: the kind is "put" or "post"
  await client.getPresignedUrls("get", { selfie: "image/png" });
  // @ts-expect-error: limit is a number or a string, not a boolean
  await client.listUsers({ limit: false });
  // @ts-expect-error: no such KYC field
  await client.submitKyc(userId, { first_nam: "Ada" });
  // @ts-expect-error: validate is a boolean
  await client.submitKyc(userId, {}, { validate: "no" });
  // @ts-expect-error: a user id is a number
  const idText: string = user.id;
  // @ts-expect-error: next_page_payload may be null on the last page
  const sureNext: kyc.OstListUsersParams = page.meta.next_page_payload;
  // @ts-expect-error: the answer of validateEthereumAddress is a boolean
  const validText: string = valid;
  void [idText, sureNext, validText];
}
void useClient;
// @ts-expect-error: the client needs the API secret
new kyc.OstKycClient({ apiKey: "k" });
new kyc.OstKycClient({ apiKey: "k", apiSecret: "s", sandbox: true });
// @ts-expect-error: sandbox is a boolean
new kyc.OstKycClient({ apiKey: "k", apiSecret: "s", sandbox: "yes" });
kyc.webhookHandler({ provider: "tot", secret: "s", authorizationFromQuery: true });
// @ts-expect-error: authorizationFromQuery is a boolean
kyc.webhookHandler({ provider: "tot", secret: "s", authorizationFromQuery: "yes" });
// @ts-expect-error: the base URL is a string
new kyc.OstKycClient({ apiKey: "k", apiSecret: "s", baseUrl: new URL("https://kyc.ost.com") });
// @ts-expect-error: fetch must resolve to { status, text() }
new kyc.OstKycClient({ apiKey: "k", apiSecret: "s", fetch: async () => "ok" });
// @ts-expect-error: the base URL is read-only
client.baseUrl = "https://example.com";

// presignedUrlRequest (Node build only).
const presigned: kyc.PresignedUrlRequest = kyc.presignedUrlRequest(
  "put",
  { document_id: "image/jpeg", investor_proof_file1: "application/pdf" },
  { apiKey: "k", apiSecret: "s" },
  { timestamp: 1542185198 },
);
const endpoint: string = presigned.endpoint;
const presignedMethod: "GET" = presigned.method;
const presignedQuery: string = presigned.query;
kyc.presignedUrlRequest("post", { selfie: "image/png" }, { apiKey: "k", apiSecret: "s" });
// @ts-expect-error: the kind is "put" or "post"
kyc.presignedUrlRequest("for-put", { selfie: "image/png" }, { apiKey: "k", apiSecret: "s" });
// @ts-expect-error: files map a key to a content type string
kyc.presignedUrlRequest("put", { selfie: true }, { apiKey: "k", apiSecret: "s" });
// @ts-expect-error: credentials need apiSecret
kyc.presignedUrlRequest("put", { selfie: "image/png" }, { apiKey: "k" });
// @ts-expect-error: the request is a GET
const presignedPost: "POST" = presigned.method;

// The Node declarations hold no browser-only function.
// @ts-expect-error: loadTotEmbed is browser-only
kyc.loadTotEmbed;
// @ts-expect-error: verifyPerson is browser-only
kyc.verifyPerson;
// @ts-expect-error: openContinuation is browser-only
kyc.openContinuation;
// @ts-expect-error: onModalClose is browser-only
kyc.onModalClose;

void [baseUrl, endpoint, presignedMethod, presignedQuery, presignedPost];
