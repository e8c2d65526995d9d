
// ---- OST KYC API: request builders and KYC submission validation (both builds) ----

/** A signed OST GET request: send `GET {baseUrl}{path}?{query}`. */
export interface OstGetRequest {
  method: "GET";
  /** The endpoint path, ids included, e.g. `/api/v2/users/11428`. */
  path: string;
  /** The canonical query with `&signature=…` appended. */
  query: string;
  /** `path?…`: exactly what was signed. */
  stringToSign: string;
}

/** A signed OST POST request: send `POST {baseUrl}{path}` with `content-type: application/x-www-form-urlencoded`. */
export interface OstPostRequest {
  method: "POST";
  path: string;
  /** The form-urlencoded body (the canonical query with `&signature=…`). */
  body: string;
  stringToSign: string;
}

export interface OstRequestOptions {
  /** Unix seconds; defaults to the current clock. The server accepts only ±10 s. */
  timestamp?: number;
}

/** A path id: a positive integer, as a number, a string of digits or a bigint. */
export type OstId = number | string | bigint;

export type OstBooleanFilter = boolean | "true" | "false";

/** `GET /api/v2/users` parameters. */
export interface OstListUsersParams {
  filters?: {
    is_kyc_submitted?: OstBooleanFilter;
    is_doptin_done?: OstBooleanFilter;
    is_doptin_mail_sent?: OstBooleanFilter;
    email?: string;
  };
  page_number?: number | string;
  order?: "asc" | "desc";
  /** 1 to 100 (the server's default is 10). */
  limit?: number | string;
}

export type OstAdminStatus = "unprocessed" | "qualified" | "denied";
export type OstAmlStatus = "cleared:approved" | "unprocessed" | "pending" | "cleared" | "approved" | "rejected" | "failed";
export type OstWhitelistStatus = "unprocessed" | "started" | "done" | "failed";
export type OstAdminActionType = "no_admin_action" | "data_mismatch" | "document_issue" | "other_issue";

/** `GET /api/v2/users-kyc` parameters. */
export interface OstListUsersKycParams {
  filters?: {
    admin_status?: OstAdminStatus;
    aml_status?: OstAmlStatus;
    whitelist_status?: OstWhitelistStatus;
    admin_action_types?: OstAdminActionType;
  };
  page_number?: number | string;
  order?: "asc" | "desc";
  limit?: number | string;
}

/** The fields of `POST /api/v2/users-kyc/{user_id}`. */
export interface OstKycFields {
  first_name?: string;
  last_name?: string;
  /** `dd/mm/yyyy`, in the past. */
  birthdate?: string;
  country?: string;
  nationality?: string;
  document_id_number?: string;
  /** `fields.key` of a pre-signed URL answer. */
  document_id_file_path?: string;
  selfie_file_path?: string;
  residence_proof_file_path?: string;
  investor_proof_files_path?: string[];
  /** `0x` + 40 hex digits; EIP-55 checksummed when mixed-case. */
  ethereum_address?: string;
  /** A positive number, or a string holding one. */
  estimated_participation_amount?: number | string;
  street_address?: string;
  city?: string;
  state?: string;
  postal_code?: string;
}

export type OstKycField = keyof OstKycFields;

/** Stable codes of `validateKycSubmission` problems. */
export type KycProblemCode =
  | "REQUIRED"
  | "EMPTY"
  | "NOT_A_STRING"
  | "NOT_AN_ARRAY"
  | "INVALID_DATE"
  | "DATE_NOT_IN_PAST"
  | "INVALID_ADDRESS"
  | "BAD_CHECKSUM"
  | "NOT_A_NUMBER"
  | "NOT_POSITIVE"
  | "UNKNOWN_FIELD";

export interface KycProblem {
  /** The field, or `investor_proof_files_path[i]` for an array item. */
  field: string;
  code: KycProblemCode;
  /** What is wrong, without the value. */
  message: string;
}

export interface ValidateKycSubmissionOptions {
  /** The required fields (default: the seed's mandatory ones). Every name must be a KYC field. */
  required?: OstKycField[];
  /** Unix seconds, for "birthdate in the past"; defaults to the current clock. */
  now?: number;
}

/** The kind of pre-signed URLs: `"put"` (`/for-put`) or `"post"` (`/for-post`). */
export type OstPresignedKind = "put" | "post";

/**
 * Maps each unique file key (`A-Z a-z 0-9 _ -`, e.g. `document_id`, `investor_proof_file1`) to its content
 * type: `image/jpeg`, `image/png`, `image/jpg` or `application/pdf`, in any case (sent in lowercase).
 */
export type OstUploadFiles = Record<string, string>;

/**
 * `template_vars` of the e-mail endpoints: variables for the client's e-mail template. Values are strings,
 * numbers or booleans, or objects or arrays of those (OST's server refuses deeper nesting); names have no
 * `[` or `]`.
 */
export type OstEmailTemplateVars = Record<
  string,
  string | number | boolean | Array<string | number | boolean> | Record<string, string | number | boolean>
>;

/**
 * Checks KYC fields before anything is sent and returns every problem at once (an empty array when they
 * are fine). Throws only for a caller mistake (fields not an object, an unknown name in `required`).
 */
export function validateKycSubmission(
  fields: OstKycFields | { [key: string]: unknown },
  options?: ValidateKycSubmissionOptions,
): KycProblem[];
