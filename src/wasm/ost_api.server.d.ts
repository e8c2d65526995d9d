// The OST request builders: they take the API secret, so only builds with the `server` feature have them.

/** `POST /api/v2/users`. @throws {KycError} INVALID_ARGUMENT */
export function buildCreateUserRequest(email: string, credentials: OstCredentials, options?: OstRequestOptions): OstPostRequest;
/** `GET /api/v2/users/{id}`. */
export function buildGetUserRequest(id: OstId, credentials: OstCredentials, options?: OstRequestOptions): OstGetRequest;
/** `GET /api/v2/users`; filter values and `limit`/`order` are checked against the documented sets. */
export function buildListUsersRequest(
  params: OstListUsersParams | null | undefined,
  credentials: OstCredentials,
  options?: OstRequestOptions,
): OstGetRequest;
/** `POST /api/v2/users-kyc/{user_id}` (run `validateKycSubmission` first). */
export function buildSubmitKycRequest(
  userId: OstId,
  fields: OstKycFields,
  credentials: OstCredentials,
  options?: OstRequestOptions,
): OstPostRequest;
/** `GET /api/v2/users-kyc/{user_id}`. */
export function buildGetUserKycRequest(userId: OstId, credentials: OstCredentials, options?: OstRequestOptions): OstGetRequest;
/** `GET /api/v2/users-kyc`. */
export function buildListUsersKycRequest(
  params: OstListUsersKycParams | null | undefined,
  credentials: OstCredentials,
  options?: OstRequestOptions,
): OstGetRequest;
/** `GET /api/v2/users-kyc-detail/{user_id}`. */
export function buildGetUserKycDetailRequest(userId: OstId, credentials: OstCredentials, options?: OstRequestOptions): OstGetRequest;
/** `GET /api/v2/ethereum-address-validation`. */
export function buildValidateEthereumAddressRequest(
  address: string,
  credentials: OstCredentials,
  options?: OstRequestOptions,
): OstGetRequest;
/** `GET /api/v2/users-kyc/pre-signed-urls/for-put` or `/for-post`. */
export function buildPresignedUrlsRequest(
  kind: OstPresignedKind,
  files: OstUploadFiles,
  credentials: OstCredentials,
  options?: OstRequestOptions,
): OstGetRequest;

/**
 * `POST /api/v2/users-kyc/{user_id}/email/approve`: OST e-mails the user that the KYC is approved. The server
 * refuses it (HTTP 422, error identifier `kyc_not_approved`) unless the user's KYC is approved.
 */
export function buildSendApproveEmailRequest(
  userId: OstId,
  templateVars: OstEmailTemplateVars | null | undefined,
  credentials: OstCredentials,
  options?: OstRequestOptions,
): OstPostRequest;
/** `POST /api/v2/users-kyc/{user_id}/email/deny`: refused (`kyc_not_denied`) unless the KYC is denied. */
export function buildSendDenyEmailRequest(
  userId: OstId,
  templateVars: OstEmailTemplateVars | null | undefined,
  credentials: OstCredentials,
  options?: OstRequestOptions,
): OstPostRequest;
/**
 * `POST /api/v2/users-kyc/{user_id}/email/report-issue`: refused (`kyc_not_reported_issue`) unless an admin
 * reported an issue (`admin_action_types` is not empty).
 */
export function buildSendReportIssueEmailRequest(
  userId: OstId,
  templateVars: OstEmailTemplateVars | null | undefined,
  credentials: OstCredentials,
  options?: OstRequestOptions,
): OstPostRequest;
