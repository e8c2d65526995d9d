
/**
 * A key or message for the raw HMAC functions: a string (hashed as UTF-8; lone surrogates become U+FFFD, as
 * `Buffer.from` does), or binary data: a `Uint8Array`/`Buffer`, any other `ArrayBuffer` view (its bytes from
 * `byteOffset` for `byteLength`), or an `ArrayBuffer`.
 */
export type HmacInput = string | ArrayBufferView | ArrayBuffer;

/**
 * Lowercase hex HMAC-SHA256 of `message` under `key`, as OST signs requests and webhooks. Equal to
 * `createHmac("sha256", key).update(message).digest("hex")`.
 * @throws {KycError} `INVALID_ARGUMENT` for an empty key or an argument of another type.
 */
export function hmacSha256Hex(key: HmacInput, message: HmacInput): string;

/**
 * Base64 HMAC-SHA1 of `message` under `key`, as Token of Trust signs webhooks. Equal to
 * `createHmac("sha1", key).update(message).digest("base64")`.
 * @throws {KycError} `INVALID_ARGUMENT` for an empty key or an argument of another type.
 */
export function hmacSha1Base64(key: HmacInput, message: HmacInput): string;
