
/** What the client does with a verifyPerson response. */
export interface VerificationDecision {
  action: "verified" | "continue" | "error";
  /** `false` only when verified. */
  verificationRequired: boolean;
  /** The gate that decided: `isCleared`, `isSubmitted` or `isUpdateRequested`; `null` otherwise. */
  messageCode: "isCleared" | "isSubmitted" | "isUpdateRequested" | null;
  /** The params for `tot("modalOpen", "continue", …)` (`disableClose` defaults to `true`), when `continue`. */
  continuation: TotContinuationParams | null;
  /** Why, when `error`. */
  error: VerificationError | null;
}

export interface TotContinuationParams {
  url: string;
  disableClose?: boolean;
  [key: string]: unknown;
}

export interface VerificationError {
  code: "TOT_ERROR" | "NO_CONTENT" | "HTTP_ERROR" | "NETWORK_ERROR" | "NO_CONTINUATION" | "NO_POSITIVE_GATE" | "UNEXPECTED_RESPONSE";
  message: string;
  status?: number;
}

/** What the app server returns to its client (seed step 6), fail-closed. */
export type PersonResponsePassThrough =
  | { verificationRequired: false }
  | { verificationRequired: true; continuation: { params: TotContinuationParams; [key: string]: unknown } }
  | { verificationRequired: true; error: VerificationError };

/**
 * Decides what to do with a verifyPerson response (TOT's `content`, or the app server's pass-through).
 * Unlike the seed's handler, an empty, failed or unrecognised response is `error`, never `verified`.
 */
export function evaluateVerification(content: unknown): VerificationDecision;

/** Seed step 6, fail-closed: the pass-through for TOT's `/api/person` response (or HTTP error body). */
export function processPersonResponse(response: unknown): PersonResponsePassThrough;

/** The seed's `appUserid`: lowercase hex SHA3-256 of `lowercase(email) + "-" + appId`. */
export function appUserIdFromEmail(email: string, appId: string | number): string;
