// Inputs shared by every benchmark case. The seed examples are copied from the provider documents in
// ../shared/seeds (the Token of Trust example is made valid JSON: the seed's has no opening brace and a
// trailing comma); the larger bodies are generated deterministically from them.
import { signOstBody } from "./peers/ost-node.mjs";

export const OST_URL = "https://webhook.ost.com/test/";
export const OST_SECRET = "WEBHOOK_SECRET_KEY";
export const OST_NOW = 1542185198;

/** The seed's user_register webhook, exactly as OST posts it (signature 34e852b1…). */
export const OST_SEED_BODY =
  "created_at=1541144915&data%5Bresult_type%5D=user&data%5Buser%5D%5Bcreated_at%5D=1541144915" +
  "&data%5Buser%5D%5Bemail%5D=yogesh%2B13233%40ost.com&data%5Buser%5D%5Bid%5D=11493" +
  "&data%5Buser%5D%5Bproperties%5D%5B%5D=doptin_mail_sent&description=User+has+signed+up&id=236" +
  "&name=user_register&request_timestamp=1542185198" +
  "&signature=34e852b1bb2b73357483ce7d35a837611f098f9e7df580edb0bb735993868c0a&source=web&type=user&version=v1";

/** A ~4 KB webhook: a kyc_update event carrying a full submission and its history. */
export function ostBody4k() {
  const history = [];
  for (let i = 0; i < 13; i++) {
    history.push({ action: i % 2 ? "document_reviewed" : "kyc_submitted", admin_id: String(100 + i), at: String(1541144915 + i * 3600), note: `step ${i}: reviewed by admin #${100 + i}` });
  }
  const event = {
    created_at: "1541144915",
    data: {
      result_type: "user_kyc",
      user_kyc: {
        id: "11493", user_id: "11420", kyc_status: "pending", admin_status: "unprocessed", aml_status: "cleared",
        whitelist_status: "unprocessed", admin_action_types: ["data_mismatch", "document_issue"],
        submission_count: "2", last_acted_by: "admin+1@ost.com", history,
      },
    },
    description: "User KYC status updated", id: "237", name: "kyc_status_update", source: "web", type: "user_kyc", version: "v1",
  };
  return signOstBody(event, { url: OST_URL, secret: OST_SECRET, timestamp: OST_NOW });
}

export const TOT_SECRET = "tot_webhook_secret_key_0123456789";

/** The seed's Token of Trust isRejected webhook, as valid JSON (~1 KB pretty-printed). */
export const TOT_SEED = {
  app_transaction_id: "R:MXAOM3NVK9yUv62V",
  app_user_id: "vYRsWXlypTzRAS42gbZrQR1i/m+b09K0z59w00Fz9IU=",
  app_domain: "mySite.com",
  reasons: {
    appReviewNotRejected: "noMatch", govtIdAppReviewerApproved: "noMatch", govtIdTotReviewerApproved: "noMatch",
    govtIdPositiveAppReview: "noMatch", selfieIsGoodHeadShot: "fullMatch", "community isOnlineVerified": "noMatch",
    "community accountDataIsConsistent": false, ageVerified: "noMatch",
  },
  gates: {
    isConditionallyVerified: "noMatch", isApproved: "noMatch", isPositiveReview: "noMatch", isCleared: "noMatch",
    isSubmitted: false, isUpdateRequested: "noMatch", isRejected: "fullMatch",
  },
  eventId: "txeQPiToZz",
  name: "verification.isRejected",
  operation: "isRejected",
  timestamp: "Mon, 18 Jul 2022 13:03:54 GMT",
};
export const TOT_BODY_1K = JSON.stringify(TOT_SEED, null, 6);

/** A ~16 KB body: the seed event plus a review history. */
export function totBody16k() {
  const reviews = [];
  for (let i = 0; reviews.length < 100; i++) {
    reviews.push({ at: `2022-07-18T13:${String(i % 60).padStart(2, "0")}:54Z`, reviewer: `reviewer-${i}`, reason: Object.keys(TOT_SEED.reasons)[i % 8], value: i % 3 ? "noMatch" : "fullMatch" });
  }
  return JSON.stringify({ ...TOT_SEED, reviews }, null, 2);
}

/** The seed's submit_kyc call with every documented field. */
export const KYC_ENDPOINT = "/api/v2/users-kyc/11420";
export const KYC_PARAMS = {
  first_name: "YOGESH", last_name: "SAWANT", birthdate: "29/07/1992", country: "INDIA", nationality: "INDIAN",
  document_id_number: "DMDPS9634C", document_id_file_path: "10/i/4ae058629d4b384edcda8decdfbf0dd1",
  selfie_file_path: "10/i/4ae058629d4b384edcda8decdfbf0dd2", ethereum_address: "0x04d39e0b112c20917868ffd5c42372ecc5df577b",
  estimated_participation_amount: "1.2", residence_proof_file_path: "10/i/4ae058629d4b384edcda8decdfbf0dd3",
  investor_proof_files_path: ["10/i/4ae058629d4b384edcda8decdfbf0da1", "10/i/4ae058629d4b384edcda8decdfbf0da2"],
  city: "pune", street_address: "hadapsar", postal_code: "411028", state: "maharashtra",
};
export const KYC_CREDENTIALS = { apiKey: "API_KEY_6d5f1e2f0a", apiSecret: "API_SECRET_c0ffee~(x)" };
export const KYC_TIMESTAMP = 1542185198;

/** Deterministic pseudo-random bytes (xorshift), for the raw HMAC sizes. */
export function bytes(n, seed = 7) {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export { signOstBody as signOstBodyForBench };
