import type { KycErrorCode } from "./kyc_wasm.js";

/**
 * What this package throws: a real `Error` with `name === "KycError"` and a stable `code`.
 * `e instanceof KycError` is true for every error thrown by any build of this package.
 */
export declare class KycError extends Error {
  constructor(code: KycErrorCode, message: string, details?: Record<string, unknown>);
  name: "KycError";
  code: KycErrorCode;
  /** HTTP status behind the error, when there was one. */
  status?: number;
  /** `API_ERROR`: the server's `err` object, and its fields in camelCase. */
  err?: { code: string; msg: string; internal_id: string };
  apiCode?: string;
  apiMessage?: string;
  internalId?: string;
  /**
   * `API_ERROR` of an OST e-mail call the server refused (HTTP 422): `kyc_not_approved`, `kyc_not_denied` or
   * `kyc_not_reported_issue`.
   */
  reason?: "kyc_not_approved" | "kyc_not_denied" | "kyc_not_reported_issue";
  /** `UPLOAD_FAILED`: S3's error `Code` and `Message`. */
  s3Code?: string;
  s3Message?: string;
}
