// `KycError`: the class of every error this package throws, for `instanceof`.
//
// The errors themselves are made in the wasm core (a real `Error` with `name === "KycError"` and a stable
// `code`). `instanceof` recognises them by that brand rather than by prototype, so it holds across the
// package's builds (`kyc-wasm` and `kyc-wasm/lite` loaded side by side) and for errors made in JavaScript.

const hasOwn = Object.prototype.hasOwnProperty;

function branded(value) {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return false;
  try {
    return value.name === "KycError" && typeof value.code === "string" && value instanceof Error;
  } catch {
    return false;
  }
}

export class KycError extends Error {
  /**
   * @param {string} code a stable code, such as "MISSING_SECRET"
   * @param {string} message what went wrong, with no secret and no body content
   * @param {object} [details] extra fields copied onto the error (`status`, ...)
   */
  constructor(code, message, details) {
    super(message);
    this.name = "KycError";
    this.code = code;
    if (details && typeof details === "object") {
      for (const key of Object.keys(details)) {
        if (key !== "name" && key !== "code" && key !== "message" && hasOwn.call(details, key)) {
          this[key] = details[key];
        }
      }
    }
  }

  static [Symbol.hasInstance](value) {
    return branded(value);
  }
}
