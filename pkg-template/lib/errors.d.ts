import type { KycError as KycErrorFields, KycErrorCode } from "./kyc_wasm.js";

/**
 * What this package throws: a real `Error` with `name === "KycError"` and a stable `code`.
 * `e instanceof KycError` is true for every error thrown by any build of this package.
 * Its fields (`code`, `status`, `err`, `reason`, ...) are declared once, in the glue's `KycError` interface.
 */
export declare class KycError extends Error {
  constructor(code: KycErrorCode, message: string, details?: Record<string, unknown>);
  name: "KycError";
  code: KycErrorCode;
}
export interface KycError extends KycErrorFields {}
