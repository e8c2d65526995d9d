// Fixture webhook events, as data: the examples of the providers' documentation (OST: seed 000, "WebHooks";
// Token of Trust: seed 004, "Webhooks"), one per event the providers send. Every OST value is a string, as OST
// sends them; Token of Trust events carry gates and reasons in its vocabulary. `kyc-wasm/testing` and the
// `kyc-wasm trigger` command sign these (with fresh ids and times when asked).

const ostUser = (id, email, properties, createdAt) => ({ result_type: "user", user: { created_at: createdAt, email, id, properties } });
const ostUserKyc = (fields) => ({
  result_type: "user_kyc",
  user_kyc: {
    admin_status: "unprocessed",
    aml_status: "cleared",
    created_at: "1541753703",
    id: "337",
    kyc_status: "pending",
    last_acted_by: "",
    submission_count: "2",
    user_id: "11483",
    user_kyc_detail_id: "820",
    whitelist_status: "unprocessed",
    ...fields,
  },
});
const ost = (name, type, source, description, id, createdAt, data) => ({
  created_at: createdAt,
  data,
  description,
  id,
  name,
  source,
  type,
  version: "v1",
});

/** OST events by name: every event of the documentation, with its documented example's values. */
export const OST_EVENTS = {
  user_register: ost("user_register", "user", "web", "User has signed up", "236", "1541144915",
    ostUser("11493", "yogesh+13233@ost.com", ["doptin_mail_sent"], "1541144915")),
  user_dopt_in: ost("user_dopt_in", "user", "web", "User has done double opt in", "241", "1541152654",
    ostUser("11493", "yogesh+13233@ost.com", ["doptin_mail_sent", "doptin_done"], "1541144915")),
  user_deleted: ost("user_deleted", "user", "web", "User was deletd by admin", "234", "1541144571",
    ostUser("11404", "yogesh@ost.com", ["doptin_mail_sent", "doptin_done", "kyc_submitted"], "1541144915")),
  kyc_submit: ost("kyc_submit", "user_kyc", "api", "User has submitted kyc data", "345", "1541753766", ostUserKyc({})),
  update_ethereum_address: ost("update_ethereum_address", "user_kyc", "web", "Admin has updates ethereum address of user", "353",
    "1541756913", ostUserKyc({ created_at: "1541755701", id: "338", last_acted_by: "all is well kyc", user_id: "11497", user_kyc_detail_id: "823" })),
  kyc_reopen: ost("kyc_reopen", "user_kyc", "web", "user kyc case was reopened by admin", "232", "1541144431",
    ostUserKyc({ created_at: "1538648382", id: "284", last_acted_by: "yogesh + 6", submission_count: "5", user_id: "11404", user_kyc_detail_id: "613" })),
  kyc_status_update: ost("kyc_status_update", "user_kyc", "web", "user kyc state has changed", "256", "1541154581",
    ostUserKyc({ admin_status: "qualified", created_at: "1541152723", id: "328", kyc_status: "approved", last_acted_by: "yogesh + 6", submission_count: "3", user_id: "11493", user_kyc_detail_id: "790" })),
};

const NO = "noMatch";
const FULL = "fullMatch";
/** The gates of a verification in each state (Token of Trust's vocabulary: strings, booleans, `{value}`). */
function gates(state) {
  const g = { isConditionallyVerified: NO, isApproved: NO, isPositiveReview: NO, isCleared: NO, isSubmitted: false, isUpdateRequested: NO, isRejected: NO };
  if (state === "isSubmitted") g.isSubmitted = FULL;
  if (state === "isCleared") Object.assign(g, { isConditionallyVerified: FULL, isApproved: FULL, isPositiveReview: FULL, isCleared: FULL, isSubmitted: true });
  if (state === "isUpdateRequested") Object.assign(g, { isSubmitted: true, isUpdateRequested: FULL });
  if (state === "isRejected") g.isRejected = FULL;
  return g;
}
function reasons(state) {
  const cleared = state === "isCleared";
  return {
    appReviewNotRejected: state === "isRejected" ? NO : FULL,
    govtIdAppReviewerApproved: cleared ? FULL : NO,
    govtIdTotReviewerApproved: cleared ? FULL : NO,
    govtIdPositiveAppReview: { value: cleared ? FULL : NO },
    selfieIsGoodHeadShot: FULL,
    "community isOnlineVerified": NO,
    "community accountDataIsConsistent": false,
    ageVerified: cleared ? "partialMatch" : NO,
  };
}
const verification = (operation, eventId) => ({
  app_transaction_id: "R:MXAOM3NVK9yUv62V",
  app_user_id: "vYRsWXlypTzRAS42gbZrQR1i/m+b09K0z59w00Fz9IU=",
  app_domain: "mySite.com",
  reasons: reasons(operation),
  gates: gates(operation),
  eventId,
  name: `verification.${operation}`,
  operation,
  timestamp: "Mon, 18 Jul 2022 13:03:54 GMT",
});
const reputation = (operation) => ({
  reputation: { foo: "bar" },
  testMode: true,
  name: `reputation.${operation}`,
  resource: "reputation",
  operation,
  timestamp: "Sat, 14 Apr 2018 03:46:12 GMT",
});

/**
 * Token of Trust events by name: the four gate changes (`verification.<operation>`), the `reputation.*`
 * webhooks, and `test`: the envelope of a test webhook sent through `api/webhooks/test`, whose event sits at
 * `content.sentWebhookBody`.
 */
export const TOT_EVENTS = {
  "verification.isSubmitted": verification("isSubmitted", "txeQPiToZa"),
  "verification.isCleared": verification("isCleared", "txeQPiToZb"),
  "verification.isRejected": verification("isRejected", "txeQPiToZz"),
  "verification.isUpdateRequested": verification("isUpdateRequested", "txeQPiToZc"),
  "reputation.created": reputation("created"),
  "reputation.updated": reputation("updated"),
  test: {
    content: {
      sentWebhookBody: reputation("created"),
      webhookConfig: {
        "reputation.created": { hookUrl: "http://my.findaplace.xyz:32080/webhooks/reputation.created" },
        "reputation.updated": { hookUrl: "http://my.findaplace.xyz:32080/webhooks/reputation.updated" },
      },
    },
    metadata: { version: "1.0.1", status: 200 },
  },
};
