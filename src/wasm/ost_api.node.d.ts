
// ---- OST KYC API client (Node build: it holds the API secret) ----

/** The user object. */
export interface OstUser {
  id: number;
  email: string;
  /** `kyc_submitted`, `doptin_mail_sent`, `doptin_done`. */
  properties: string[];
  /** Unix seconds. */
  created_at: number;
}

/** The user-kyc object: status of the user's last KYC submission. */
export interface OstUserKyc {
  id: number;
  user_kyc_detail_id: number;
  user_id: number;
  kyc_status: "pending" | "approved" | "denied" | (string & {});
  admin_status: OstAdminStatus | (string & {});
  aml_status: OstAmlStatus | (string & {});
  whitelist_status: OstWhitelistStatus | (string & {});
  admin_action_types: string[];
  submission_count: number;
  /** `null` when the last action was the system's, or none. */
  last_acted_by: string | null;
  created_at: number;
}

/**
 * The user-kyc-detail object. Only `id` and `created_at` are always there: the rest depends on the fields
 * collected and on the dashboard setting that shares KYC data over the API.
 */
export interface OstUserKycDetail {
  id: number;
  created_at: number;
  first_name?: string;
  last_name?: string;
  birthdate?: string;
  country?: string;
  nationality?: string;
  document_id_number?: string;
  /** S3 URLs, valid for 12 hours. */
  document_id_file?: string;
  selfie_file?: string;
  residence_proof_file?: string;
  investor_proof_files?: string[];
  ethereum_address?: string;
  estimated_participation_amount?: number;
  street_address?: string;
  city?: string;
  state?: string;
  postal_code?: string;
  [key: string]: unknown;
}

/** One page of a list. Pass `meta.next_page_payload` back to get the next page; it is `null` on the last. */
export interface OstPage<T, P> {
  items: T[];
  meta: { total: number; next_page_payload: P | null };
}

/**
 * A pre-signed upload target: PUT to `url`, or POST a form with `fields` to `url`. It is the full
 * `UploadTarget` (`key`, `method`, `expiresAt` and the requested `contentType` besides `url` and `fields`),
 * ready for `uploadFile`; `parseUploadTargets` reads a map of them back without guessing.
 */
export type OstUploadTarget = UploadTarget;

/** The subset of `fetch` the client uses. */
export type OstFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: unknown },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface OstKycClientOptions {
  apiKey: string;
  apiSecret: string;
  /** Default `https://kyc.ost.com` (a trailing `/api/v2` is accepted). */
  baseUrl?: string;
  /** `true`: OST's sandbox host, `https://kyc.sandboxost.com` (not together with `baseUrl`). */
  sandbox?: boolean;
  /** Bound on each call, retries included (default 10000) -> `TIMEOUT`. */
  timeoutMs?: number;
  /** Defaults to the global `fetch`. */
  fetch?: OstFetch;
  /** Retries of a GET after a network error or a 5xx (default 2, at most 10). POSTs are never retried. */
  retries?: number;
  /** Base of the jittered exponential backoff between retries (default 250 ms, capped at 5 s). */
  retryDelayMs?: number;
}

export interface SubmitKycOptions {
  /** The required fields (default: the seed's mandatory ones). */
  required?: OstKycField[];
  /** `false` skips `validateKycSubmission` (default `true`). */
  validate?: boolean;
}

/**
 * The OST KYC API client. Every method signs afresh on each attempt. Errors are `KycError`s:
 * `API_ERROR` for `success: false` (with `err`, `apiCode`, `apiMessage`, `internalId`, `status` and, when the
 * server sent one, `errorData`) and for network failures (`apiCode` `NETWORK_ERROR`), `NOT_FOUND` for 404,
 * `TIMEOUT`, `INVALID_ARGUMENT` (with `problems` from `submitKyc`), `MALFORMED_BODY` for an unexpected answer.
 * The e-mail calls add `reason` (`kyc_not_approved`, `kyc_not_denied`, `kyc_not_reported_issue`) to the
 * `API_ERROR` of a refusal (HTTP 422).
 */
export class OstKycClient {
  constructor(options: OstKycClientOptions);
  /** Releases the client's memory now rather than when it is garbage-collected. */
  free(): void;
  readonly baseUrl: string;
  /** `POST /api/v2/users`. Never retried. */
  createUser(email: string): Promise<OstUser>;
  /** `GET /api/v2/users/{id}`. */
  getUser(id: OstId): Promise<OstUser>;
  /** `GET /api/v2/users`: one page. */
  listUsers(params?: OstListUsersParams | null): Promise<OstPage<OstUser, OstListUsersParams>>;
  /** Validates with `validateKycSubmission`, then `POST /api/v2/users-kyc/{user_id}`. Never retried. */
  submitKyc(userId: OstId, fields: OstKycFields, options?: SubmitKycOptions): Promise<OstUserKyc>;
  /** `GET /api/v2/users-kyc/{user_id}`. */
  getUserKyc(userId: OstId): Promise<OstUserKyc>;
  /** `GET /api/v2/users-kyc`: one page. */
  listUsersKyc(params?: OstListUsersKycParams | null): Promise<OstPage<OstUserKyc, OstListUsersKycParams>>;
  /** `GET /api/v2/users-kyc-detail/{user_id}`. */
  getUserKycDetail(userId: OstId): Promise<OstUserKycDetail>;
  /** `GET /api/v2/ethereum-address-validation`: `false` when the server says the format is wrong. */
  validateEthereumAddress(address: string): Promise<boolean>;
  /**
   * `GET /api/v2/users-kyc/pre-signed-urls/for-put` or `/for-post`: one full upload target per file key
   * (`expiresAt` 15 minutes after the answer arrived, `contentType` as requested in `files`).
   */
  getPresignedUrls(kind: OstPresignedKind, files: OstUploadFiles): Promise<{ [fileKey: string]: OstUploadTarget }>;
  /**
   * `POST /api/v2/users-kyc/{user_id}/email/approve`: OST e-mails the user that the KYC is approved; resolves
   * `true`. Never retried. When the KYC is not approved the server answers HTTP 422 and the `API_ERROR` has
   * `reason: "kyc_not_approved"`.
   */
  sendApproveEmail(userId: OstId, templateVars?: OstEmailTemplateVars | null): Promise<true>;
  /** `POST …/email/deny`; `reason: "kyc_not_denied"` when the KYC is not denied. */
  sendDenyEmail(userId: OstId, templateVars?: OstEmailTemplateVars | null): Promise<true>;
  /** `POST …/email/report-issue`; `reason: "kyc_not_reported_issue"` when no issue was reported. */
  sendReportIssueEmail(userId: OstId, templateVars?: OstEmailTemplateVars | null): Promise<true>;
  /** Every user, page after page, following `meta.next_page_payload`. */
  iterateUsers(params?: OstListUsersParams | null): AsyncGenerator<OstUser, void, undefined>;
  /** Every user-kyc object, page after page. */
  iterateUsersKyc(params?: OstListUsersKycParams | null): AsyncGenerator<OstUserKyc, void, undefined>;
}

/** The signed request for the pre-signed URL endpoints, as the uploads API names it. */
export interface PresignedUrlRequest {
  /** `/api/v2/users-kyc/pre-signed-urls/for-put` or `/for-post`. */
  endpoint: string;
  method: "GET";
  /** The query string, signature included. */
  query: string;
  stringToSign: string;
}

/**
 * The signed request for `/api/v2/users-kyc/pre-signed-urls/for-put` or `/for-post` (Node build only).
 * @throws {KycError} INVALID_ARGUMENT for an empty map, an unknown content type or a bad key.
 */
export function presignedUrlRequest(
  kind: OstPresignedKind,
  files: OstUploadFiles,
  credentials: OstCredentials,
  options?: OstRequestOptions,
): PresignedUrlRequest;
