
/** Loads Token of Trust's `embed.js` once and sets the public key (browser build only). */
export function loadTotEmbed(options: { host: string; apiKey: string }): void;

/** Opens a continuation in the Token of Trust modal (browser build only). */
export function openContinuation(
  continuation: TotContinuationParams | { params: TotContinuationParams },
  options?: { disableClose?: boolean },
): void;

/** Calls `callback` once per modal-close event; returns a function that unbinds it (browser build only). */
export function onModalClose(callback: (event: { continue: boolean; data: unknown }) => void): () => void;

/**
 * Calls `callback` once per `modalFormSubmitted` event (the user submitted the modal's form; the modal may
 * stay open); returns a function that unbinds it (browser build only).
 */
export function onModalFormSubmitted(callback: (event: { data: unknown }) => void): () => void;

/**
 * POSTs `body` to the app's own verifyPerson endpoint and decides (browser build only).
 * Rejects with `KycError` `BUSY` while a call is in flight, and `TIMEOUT` after `timeoutMs` (default 10 000).
 */
export function verifyPerson(options: {
  url: string;
  body?: unknown;
  autoOpen?: boolean;
  timeoutMs?: number;
}): Promise<VerificationDecision>;
