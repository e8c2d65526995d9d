
/** One file's upload destination: a pre-signed S3 PUT URL, or a POST form action and its policy fields. */
export interface UploadTarget {
  /** The unique file key of the request, e.g. `document_id` or `investor_proof_file2`. */
  key: string;
  method: "PUT" | "POST";
  /** The pre-signed URL (PUT) or the form action (POST). */
  url: string;
  /** `fields.key` is the S3 object key, the file path to submit; a POST target carries its policy fields too. */
  fields: Record<string, string>;
  /** Unix seconds: 15 minutes after `now`. */
  expiresAt: number;
  /** The content type the URL was requested for (from `files`, lowercased), when known. */
  contentType: string | null;
}

/** What `uploadFile` resolves to: the target, the type that was sent, and the server's answer. */
export interface UploadedTarget extends UploadTarget {
  contentType: string;
  /** The storage server's HTTP status (200 for PUT, 204 for POST unless the form says otherwise). */
  status: number;
  /** The ETag the server answered, without quotes; `null` when it sent none (or CORS hides it). */
  etag: string | null;
}

export interface ParseUploadTargetsOptions {
  /** When the response arrived, Unix seconds (default: now). */
  now?: number;
  /** The `files` map the URLs were requested with (file key to content type). */
  files?: Record<string, string>;
}

export interface UploadProgress {
  /** Bytes of the file sent so far. */
  loaded: number;
  /** The file size in bytes. */
  total: number;
}

export interface UploadFileOptions {
  /** Browser: called as the bytes go out (XMLHttpRequest upload events). Node: at the start and the end. */
  onProgress?: (progress: UploadProgress) => void;
  /** Cancels the upload (or the wait before a retry): the promise rejects with `KycError` `ABORTED`. */
  signal?: AbortSignal;
  /** The current time, Unix seconds (default: now). */
  now?: number;
  /** Largest accepted file, in bytes (default 20 MiB, OST's POST policy bound). */
  maxBytes?: number;
  /** Smallest accepted file, in bytes (default 200 KiB, OST's POST policy bound). */
  minBytes?: number;
  /**
   * The declared type; default `target.contentType`, else the `File`/`Blob` type. Compared with the signed
   * type case-insensitively; what is sent is always the signed type's own spelling.
   */
  contentType?: string;
  /** Allow an `http:` target (a local test server). Default `false`: only `https:` targets are used. */
  allowInsecure?: boolean;
}

/** The KYC submission fields for uploaded files; ready to merge into the submit params. */
export interface KycFilePaths {
  document_id_file_path?: string;
  selfie_file_path?: string;
  residence_proof_file_path?: string;
  /** Every `investor_proof_file*` upload, in natural key order (file2 before file10). */
  investor_proof_files_path?: string[];
}

/**
 * One target per file key of a `file_upload_put` or `file_upload_post` response (an object or its JSON text),
 * or of the `{fileKey: target}` map `OstKycClient#getPresignedUrls` resolves to (its targets keep their own
 * `method`, `expiresAt` and `contentType`; bare `{url, fields}` entries are PUT, or POST when they carry a policy).
 * @throws {KycError} `API_ERROR` for `success: false` (with the server's `err`), `MALFORMED_BODY` for any
 *   other shape, `INVALID_ARGUMENT` for bad options.
 */
export function parseUploadTargets(response: unknown, options?: ParseUploadTargetsOptions): UploadTarget[];

/**
 * Maps uploaded targets to `document_id_file_path`, `selfie_file_path`, `residence_proof_file_path` and
 * `investor_proof_files_path`.
 * @throws {KycError} `INVALID_ARGUMENT` for a file key with no KYC field, or one given twice.
 */
export function kycFilePaths(
  uploaded: ReadonlyArray<Pick<UploadTarget, "key" | "fields">> | Record<string, Pick<UploadTarget, "fields">>,
): KycFilePaths;

/**
 * Checks the file (declared type against magic bytes, size bounds, expiry, and for POST the policy's
 * conditions) and only then sends it. Network failures and 5xx are retried at most twice, never after expiry.
 * @throws {KycError} `INVALID_FILE` or `URL_EXPIRED` before sending anything; `UPLOAD_FAILED` with `s3Code`,
 *   `s3Message` and `status` when the server refuses; `ABORTED` when the signal fires.
 */
export function uploadFile(
  target: UploadTarget,
  file: Blob | ArrayBufferView | ArrayBuffer,
  options?: UploadFileOptions,
): Promise<UploadedTarget>;
