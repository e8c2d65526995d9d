// OST webhook verifier: Rails-style encoder + @noble/hashes (pure JS) + a constant-time loop.
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { checkTimestamp, constantTimeEqual, hexToBytes, prepare, text, utf8 } from "./rails.mjs";

export function verifyOstNoble(body, { url, secret, now }) {
  const { params, signature, text: toSign } = prepare(text(body), url);
  const mac = hmac(sha256, utf8.encode(secret), utf8.encode(toSign));
  if (!constantTimeEqual(hexToBytes(signature), mac)) throw new Error("bad signature");
  checkTimestamp(params, now);
  return params;
}
