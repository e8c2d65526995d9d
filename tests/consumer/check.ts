// Type-checks the public API as a consumer sees it: `tsc --noEmit` in strict mode, once with
// moduleResolution "bundler" (the browser declarations) and once with "node16" (the Node declarations).
// Nothing here runs; each `// @ts-expect-error` line proves a declaration is precise (tsc fails if the
// line is NOT an error).

import {
  appUserIdFromEmail,
  buildCreateUserRequest,
  buildGetUserKycDetailRequest,
  buildGetUserKycRequest,
  buildGetUserRequest,
  buildListUsersKycRequest,
  buildListUsersRequest,
  buildPresignedUrlsRequest,
  buildSendApproveEmailRequest,
  buildSendDenyEmailRequest,
  buildSendReportIssueEmailRequest,
  buildSubmitKycRequest,
  buildValidateEthereumAddressRequest,
  evaluateVerification,
  hmacSha1Base64,
  hmacSha256Hex,
  isKycError,
  isNewerEvent,
  KycError,
  kycFilePaths,
  parseOstEvent,
  parseQuery,
  parseTotEvent,
  parseUploadTargets,
  processPersonResponse,
  reasonIsPositive,
  reasonValue,
  signOstRequest,
  signOstWebhook,
  toQuery,
  totWebhookSignature,
  uploadFile,
  validateKycSubmission,
  verifyOstWebhook,
  verifyTotWebhook,
} from "kyc-wasm";
import type {
  KycErrorCode,
  KycFilePaths,
  KycProblem,
  KycProblemCode,
  Limits,
  OstCredentials,
  OstEvent,
  OstGetRequest,
  OstKycFields,
  OstListUsersKycParams,
  OstListUsersParams,
  OstPostRequest,
  OstWebhookParams,
  TotWebhook,
  ParamValue,
  QueryParams,
  SignedOstRequest,
  TotEvent,
  UploadedTarget,
  UploadTarget,
  VerificationDecision,
} from "kyc-wasm";

const url = "https://webhook.ost.com/test/";
const secret = "WEBHOOK_SECRET_KEY";
const bytes = new TextEncoder().encode("a=1");

// toQuery ------------------------------------------------------------------------------------------------
const params: QueryParams = { email: "kyc@ost.com", n: 1, big: 10n, ok: true, none: null, skip: undefined, list: [1, "2", { a: [] }] };
const query: string = toQuery(params);
toQuery({});
// @ts-expect-error: params must be an object
toQuery(42);
// @ts-expect-error: a string is not params
toQuery("a=1");
// @ts-expect-error: a symbol has no query form
toQuery({ s: Symbol("s") });
// @ts-expect-error: a function has no query form
toQuery({ f: () => 1 });
// @ts-expect-error: a Date is refused at run time, and by the types
toQuery({ when: new Date() });
// @ts-expect-error: toQuery returns a string
const notNumber: number = toQuery(params);

// parseQuery ---------------------------------------------------------------------------------------------
const limits: Limits = { maxBodyBytes: 1024, maxDepth: 8, maxParams: 100, maxKeyBytes: 64 };
const parsed: { [key: string]: ParamValue } = parseQuery("a[b]=1", limits);
parseQuery(bytes);
parseQuery("?a=1", {});
// @ts-expect-error: a query is a string or bytes
parseQuery(42);
// @ts-expect-error: limits are numbers
parseQuery("a=1", { maxDepth: "8" });

// signOstRequest -----------------------------------------------------------------------------------------
const signed: SignedOstRequest = signOstRequest("/api/v2/users", { email: "kyc@ost.com" }, { apiKey: "API_KEY", apiSecret: "API_SECRET" }, { timestamp: 1542185198 });
const signature: string = signed.signature;
const stringToSign: string = signed.stringToSign;
const sentQuery: string = signed.query;
const sentParams: { [key: string]: ParamValue } = signed.params;
signOstRequest("/api/v2/users", null, { apiKey: "k", apiSecret: "s" });
signOstRequest("/api/v2/users", undefined, { apiKey: "k", apiSecret: "s" }, {});
// @ts-expect-error: credentials need apiSecret
signOstRequest("/api/v2/users", {}, { apiKey: "k" });
// @ts-expect-error: the timestamp is a number of seconds
signOstRequest("/api/v2/users", {}, { apiKey: "k", apiSecret: "s" }, { timestamp: "1542185198" });
// @ts-expect-error: no such field on the result
signed.headers;

// verifyOstWebhook / signOstWebhook ------------------------------------------------------------------------
const event: OstWebhookParams = verifyOstWebhook("a=1&signature=00", { url, secret, now: 1542185198, toleranceSeconds: 300 });
const ostName: string | undefined = event.name;
const ostData = event.data?.user;
// @ts-expect-error: the event name is a string, not a number
const ostNameNumber: number = event.name;
void [ostName, ostData, ostNameNumber];
verifyOstWebhook(bytes, { url, secret: [secret, "previous"], maxBodyBytes: 65536 });
verifyOstWebhook(bytes.buffer, { url, secret });
verifyOstWebhook('{"a":"1"}', { url, secret, contentType: "application/json; charset=utf-8" });
verifyOstWebhook(bytes, { url, secret, contentType: null });
verifyOstWebhook({ name: "user_register", signature: "00" }, { url, secret });
const eventName: ParamValue | undefined = event["name"];
// @ts-expect-error: options need the secret
verifyOstWebhook("a=1", { url });
// @ts-expect-error: options are required
verifyOstWebhook("a=1");
// @ts-expect-error: now is Unix seconds as a number
verifyOstWebhook("a=1", { url, secret, now: new Date() });
// @ts-expect-error: a secret list holds strings
verifyOstWebhook("a=1", { url, secret: [1] });
const webhookBody: string = signOstWebhook({ name: "user_register" }, { url, secret, timestamp: 1542185198 });
// @ts-expect-error: signing takes one secret, not a list
signOstWebhook({}, { url, secret: [secret] });

// Token of Trust -------------------------------------------------------------------------------------------
const totSignature: string = totWebhookSignature('{"a":1}', "tot-secret");
totWebhookSignature(bytes, "tot-secret");
// @ts-expect-error: signing takes one secret
totWebhookSignature("{}", ["a", "b"]);
// @ts-expect-error: the body is raw, not parsed
totWebhookSignature({ a: 1 }, "tot-secret");
const totEvent: TotWebhook = verifyTotWebhook('{"a":1}', totSignature, "tot-secret");
// The README's use: gates and reasons are typed, and reasonIsPositive takes them.
const cleared: boolean = reasonIsPositive(totEvent.gates?.isCleared);
const operation: string | undefined = totEvent.operation;
const totUser: string | undefined = totEvent.app_user_id;
// @ts-expect-error: a gate is not a number
const gateNumber: number = totEvent.gates?.isCleared;
void [cleared, operation, totUser, gateNumber];
verifyTotWebhook(bytes, null, ["new", "old"], { maxBodyBytes: 1 << 20 });
verifyTotWebhook(bytes, undefined, "tot-secret");
verifyTotWebhook(bytes, "sig", "tot-secret", { toleranceSeconds: null, now: 1542185198, maxBodyBytes: 65536 });
verifyTotWebhook(bytes, "sig", "tot-secret", { toleranceSeconds: 60 });
// @ts-expect-error: the secret is required
verifyTotWebhook("{}", totSignature);
// @ts-expect-error: fields beyond the documented ones are unknown until the caller checks them
const extra: string = totEvent.somethingElse;
void extra;

// Raw HMACs --------------------------------------------------------------------------------------------------
const hexMac: string = hmacSha256Hex("key", "message");
const base64Mac: string = hmacSha1Base64(bytes, bytes.buffer);
hmacSha256Hex(new DataView(bytes.buffer), new Uint16Array([1, 2]));
// @ts-expect-error: a key is a string or bytes
hmacSha256Hex(42, "message");
// @ts-expect-error: the message is raw, not parsed
hmacSha1Base64("key", { a: 1 });
// @ts-expect-error: one key, not a rotation list
hmacSha1Base64(["a", "b"], "message");
void [hexMac, base64Mac];

// Reasons ----------------------------------------------------------------------------------------------------
const positive: boolean = reasonIsPositive({ value: "fullMatch" });
const value: unknown = reasonValue({ status: "notApplicable" });
reasonIsPositive(undefined);
// @ts-expect-error: reasonIsPositive returns a boolean
const notString: string = reasonIsPositive(true);
// @ts-expect-error: reasonValue's result is unknown, not a string
const valueString: string = reasonValue("fullMatch");

// Typed events ---------------------------------------------------------------------------------------------
const ostEvent: OstEvent = parseOstEvent(event);
const createdAt: number | null = ostEvent.createdAt;
const totTyped: TotEvent = parseTotEvent(totEvent);
const status: "rejected" | "updateRequested" | "cleared" | "submitted" | "pending" = totTyped.status;
const newer: boolean = isNewerEvent(ostEvent, parseOstEvent(event));
isNewerEvent(undefined, 1542185198);
isNewerEvent("Tue, 13 Nov 2018 08:46:38 GMT", totTyped);
// @ts-expect-error: the status is one of five values
const approved: "approved" = totTyped.status;
// @ts-expect-error: OST event parameters are needed
parseOstEvent("user_register");

// OST KYC API request builders (both builds) --------------------------------------------------------------
const credentials: OstCredentials = { apiKey: "API_KEY", apiSecret: "API_SECRET" };
const at = { timestamp: 1542185198 };
const created: OstPostRequest = buildCreateUserRequest("kyc@ost.com", credentials, at);
const createdMethod: "POST" = created.method;
const createdBody: string = created.body;
buildCreateUserRequest("kyc@ost.com", credentials);
const gotUser: OstGetRequest = buildGetUserRequest(11428, credentials, at);
const gotMethod: "GET" = gotUser.method;
const gotQuery: string = gotUser.query;
buildGetUserRequest("11428", credentials);
buildGetUserRequest(11428n, credentials, {});
const listUsersParams: OstListUsersParams = {
  filters: { is_kyc_submitted: true, is_doptin_done: "false", email: "kyc@ost.com" },
  page_number: 2,
  order: "desc",
  limit: 100,
};
buildListUsersRequest(listUsersParams, credentials, at);
buildListUsersRequest(null, credentials);
buildListUsersRequest(undefined, credentials);
buildListUsersRequest({ limit: "10", page_number: "3", order: "asc" }, credentials);
const kycFields: OstKycFields = {
  first_name: "Ada",
  last_name: "Lovelace",
  birthdate: "10/12/1985",
  country: "united kingdom",
  nationality: "british",
  document_id_number: "X1234567",
  document_id_file_path: "2/i/016be96da275031de2787b57c99f1471",
  selfie_file_path: "2/i/9e8d3a5a7a58f0f1f59b34a4bd8d8f1b",
  investor_proof_files_path: ["2/d/1", "2/d/2"],
  ethereum_address: "0x32be343b94f860124dc4fee278fdcbd38c102d88",
  estimated_participation_amount: "1.5",
  street_address: "1 Main St",
  city: "London",
  state: "London",
  postal_code: "N1",
};
const submitted: OstPostRequest = buildSubmitKycRequest(11428, kycFields, credentials, at);
buildSubmitKycRequest("11428", { estimated_participation_amount: 2 }, credentials);
const gotKyc: OstGetRequest = buildGetUserKycRequest(11428, credentials, at);
const listUsersKycParams: OstListUsersKycParams = {
  filters: { admin_status: "qualified", aml_status: "cleared:approved", whitelist_status: "done", admin_action_types: "data_mismatch" },
  page_number: 1,
  order: "asc",
  limit: 10,
};
buildListUsersKycRequest(listUsersKycParams, credentials, at);
buildListUsersKycRequest(null, credentials);
const gotDetail: OstGetRequest = buildGetUserKycDetailRequest(11428, credentials, at);
const addressCheck: OstGetRequest = buildValidateEthereumAddressRequest("0x32be343b94f860124dc4fee278fdcbd38c102d88", credentials, at);
const presigned: OstGetRequest = buildPresignedUrlsRequest("put", { document_id: "image/jpeg", selfie: "image/png" }, credentials, at);
buildPresignedUrlsRequest("post", { investor_proof_file1: "application/pdf" }, credentials);
const approveEmail: OstPostRequest = buildSendApproveEmailRequest(11428, { first_name: "Ada", links: ["a", 1], company: { name: "ACME" } }, credentials, at);
buildSendDenyEmailRequest("11428", undefined, credentials);
buildSendReportIssueEmailRequest(11428n, null, credentials, at);
void approveEmail;
// @ts-expect-error: template variables nest one level at most
buildSendDenyEmailRequest(1, { a: { b: { c: "deep" } } }, credentials);
// @ts-expect-error: credentials need apiSecret
buildCreateUserRequest("kyc@ost.com", { apiKey: "k" });
// @ts-expect-error: the email is a string
buildCreateUserRequest(42, credentials);
// @ts-expect-error: the timestamp is a number of seconds
buildCreateUserRequest("kyc@ost.com", credentials, { timestamp: "1542185198" });
// @ts-expect-error: a POST request has no query, only a body
created.query;
// @ts-expect-error: a GET request has no body
gotUser.body;
// @ts-expect-error: buildGetUserRequest signs a GET
const notPost: "POST" = gotUser.method;
// @ts-expect-error: an id is a number, a string or a bigint, not an object
buildGetUserRequest({ id: 11428 }, credentials);
// @ts-expect-error: credentials are required
buildGetUserKycRequest(11428);
// @ts-expect-error: order is "asc" or "desc"
buildListUsersRequest({ order: "up" }, credentials);
// @ts-expect-error: limit is a number or a string of digits, not a boolean
buildListUsersRequest({ limit: true }, credentials);
// @ts-expect-error: a boolean filter is a boolean or "true"/"false"
buildListUsersRequest({ filters: { is_kyc_submitted: "yes" } }, credentials);
// @ts-expect-error: no such filter on users
buildListUsersRequest({ filters: { admin_status: "qualified" } }, credentials);
// @ts-expect-error: admin_status is one of three values
buildListUsersKycRequest({ filters: { admin_status: "approved" } }, credentials);
// @ts-expect-error: aml_status is one of the documented values
buildListUsersKycRequest({ filters: { aml_status: "ok" } }, credentials);
// @ts-expect-error: no such KYC field
buildSubmitKycRequest(11428, { first_nam: "Ada" }, credentials);
// @ts-expect-error: investor proofs are a list of paths
buildSubmitKycRequest(11428, { investor_proof_files_path: "2/d/1" }, credentials);
// @ts-expect-error: the amount is a number or a string holding one
buildSubmitKycRequest(11428, { estimated_participation_amount: true }, credentials);
// @ts-expect-error: the address is a string
buildValidateEthereumAddressRequest(0x32be343b, credentials);
// @ts-expect-error: the kind is "put" or "post"
buildPresignedUrlsRequest("get", { selfie: "image/png" }, credentials);
// @ts-expect-error: files map a key to a content type string
buildPresignedUrlsRequest("put", { selfie: 1 }, credentials);
// @ts-expect-error: files are a map, not a list
buildPresignedUrlsRequest("put", ["selfie"], credentials);

// validateKycSubmission ------------------------------------------------------------------------------------
const problems: KycProblem[] = validateKycSubmission(kycFields, { required: ["first_name", "ethereum_address"], now: 1542185198 });
validateKycSubmission({ first_name: 42, extra: "x" });
validateKycSubmission(JSON.parse("{}") as { [key: string]: unknown }, {});
const firstProblem: KycProblem | undefined = problems[0];
if (firstProblem) {
  const field: string = firstProblem.field;
  const problemCode: KycProblemCode = firstProblem.code;
  const problemMessage: string = firstProblem.message;
  void [field, problemCode, problemMessage];
  // @ts-expect-error: not one of the documented problem codes
  if (firstProblem.code === "INVALID") {
    // unreachable
  }
}
// @ts-expect-error: required names are KYC fields
validateKycSubmission(kycFields, { required: ["first_nam"] });
// @ts-expect-error: now is Unix seconds as a number
validateKycSubmission(kycFields, { now: new Date() });
// @ts-expect-error: the fields are an object
validateKycSubmission("first_name=Ada");

// Uploads: parseUploadTargets / kycFilePaths / uploadFile ----------------------------------------------------
const targets: UploadTarget[] = parseUploadTargets('{"success":true,"data":{}}', { now: 1542185198, files: { document_id: "image/jpeg" } });
parseUploadTargets({ document_id: { url: "https://s3.amazonaws.com/b", fields: { key: "2/i/1" } } });
const target: UploadTarget | undefined = targets[0];
if (target) {
  const targetMethod: "PUT" | "POST" = target.method;
  const s3Key: string | undefined = target.fields["key"];
  const expiresAt: number = target.expiresAt;
  const declared: string | null = target.contentType;
  void [targetMethod, s3Key, expiresAt, declared];
  // @ts-expect-error: the method is "PUT" or "POST"
  const getMethod: "GET" = target.method;
  // @ts-expect-error: the content type may be unknown (null)
  const sure: string = target.contentType;
  void [getMethod, sure];

  const controller = new AbortController();
  const uploaded: Promise<UploadedTarget> = uploadFile(target, new Blob([bytes], { type: "image/jpeg" }), {
    onProgress: ({ loaded, total }) => {
      const share: number = loaded / total;
      void share;
    },
    signal: controller.signal,
    now: 1542185198,
    maxBytes: 20 << 20,
    minBytes: 1,
    contentType: "image/jpeg",
  });
  uploadFile(target, bytes);
  uploadFile(target, bytes.buffer, {});
  uploadFile(target, new DataView(bytes.buffer));
  void (async () => {
    const done = await uploaded;
    const status: number = done.status;
    const etag: string | null = done.etag;
    const sentType: string = done.contentType;
    void [status, etag, sentType];
  })();
  // @ts-expect-error: a file is a Blob or bytes, not a number
  uploadFile(target, 42);
  // @ts-expect-error: a file is a Blob or bytes, not a string
  uploadFile(target, "file contents");
  // @ts-expect-error: the target is an UploadTarget, not a URL
  uploadFile("https://s3.amazonaws.com/b", bytes);
  // @ts-expect-error: progress reports numbers
  uploadFile(target, bytes, { onProgress: (p: { loaded: string }) => void p });
  // @ts-expect-error: signal is an AbortSignal, not its controller
  uploadFile(target, bytes, { signal: controller });
}
const paths: KycFilePaths = kycFilePaths(targets);
kycFilePaths({ document_id: { fields: { key: "2/i/1" } }, investor_proof_file1: { fields: { key: "2/d/1" } } });
kycFilePaths([{ key: "selfie", fields: { key: "2/i/2" } }]);
const investorPaths: string[] | undefined = paths.investor_proof_files_path;
const submitWithFiles: OstPostRequest = buildSubmitKycRequest(11428, { ...kycFields, ...paths }, credentials);
// @ts-expect-error: each uploaded entry needs its fields
kycFilePaths([{ key: "selfie" }]);
// @ts-expect-error: the paths of a single file are strings
const selfiePaths: string[] | undefined = paths.selfie_file_path;
// @ts-expect-error: parseUploadTargets' files map holds content types
parseUploadTargets({}, { files: { selfie: 1 } });

// Token of Trust helpers shared by both builds ----------------------------------------------------------------
const appUserid: string = appUserIdFromEmail("someone@example.com", 42);
const verification: VerificationDecision = evaluateVerification({ isCleared: true });
const continuation = verification.continuation;
const continueUrl: string | undefined = continuation?.url;
const passThrough = processPersonResponse({ content: {} });
if (passThrough.verificationRequired && "continuation" in passThrough) {
  const continuationUrl: string = passThrough.continuation.params.url;
  void continuationUrl;
}
// @ts-expect-error: the app id is a string or a number
appUserIdFromEmail("someone@example.com", null);
// @ts-expect-error: the action is one of three values
const denied: "denied" = verification.action;

void [createdMethod, createdBody, gotMethod, gotQuery, submitted, gotKyc, gotDetail, addressCheck, presigned, notPost];
void [investorPaths, submitWithFiles, selfiePaths, appUserid, continueUrl, denied];

// Errors -----------------------------------------------------------------------------------------------------
try {
  verifyOstWebhook("a=1", { url, secret });
} catch (e: unknown) {
  // @ts-expect-error: before narrowing, a caught value has no code
  e.code;
  if (isKycError(e)) {
    const narrowed: KycError = e;
    const code: KycErrorCode = e.code;
    const message: string = e.message;
    const name: "KycError" = e.name;
    if (code === "TIMESTAMP_OUT_OF_TOLERANCE" || code === "INVALID_SIGNATURE") {
      // handled
    }
    // @ts-expect-error: not one of the documented codes
    if (e.code === "SIGNATURE_INVALID") {
      // unreachable
    }
    // @ts-expect-error: the code is a KycErrorCode, not any string
    const anyCode: KycErrorCode = "NOPE";
    void [narrowed, message, name, anyCode];
  }
}
const isError: boolean = isKycError(new Error("x"));
// KycError is a class: `instanceof` narrows, and applications may make their own.
try {
  verifyTotWebhook("{}", undefined, "secret");
} catch (e: unknown) {
  if (e instanceof KycError) {
    const code: KycErrorCode = e.code;
    const status: number | undefined = e.status;
    void [code, status];
  }
}
const own: KycError = new KycError("INVALID_ARGUMENT", "made by the application", { status: 400 });
// @ts-expect-error: the code is a KycErrorCode
new KycError("NOPE", "x");
void own;

void [createdAt, status, newer, approved];
void [query, notNumber, parsed, signature, stringToSign, sentQuery, sentParams, eventName, webhookBody, positive, value, notString, valueString, isError];
