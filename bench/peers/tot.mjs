// Hand-written Token of Trust webhook verifiers: base64 HMAC-SHA1 of the raw body in `Authorization`,
// compared in constant time, then JSON.parse of the body. One with node:crypto, one with @noble/hashes.
import { createHmac, timingSafeEqual } from "node:crypto";
import { hmac } from "@noble/hashes/hmac.js";
import { sha1 } from "@noble/hashes/legacy.js";

/** node:crypto + timingSafeEqual. `body` is a Buffer (or string). */
export function verifyTotNodeCrypto(body, authorization, secret) {
  if (!authorization) throw new Error("missing signature");
  const mac = createHmac("sha1", secret).update(body).digest();
  const got = Buffer.from(authorization.trim(), "base64");
  if (got.length !== mac.length || !timingSafeEqual(got, mac)) throw new Error("bad signature");
  return JSON.parse(typeof body === "string" ? body : body.toString("utf8"));
}

const utf8 = new TextEncoder();
const decoder = new TextDecoder();

/** @noble/hashes, with a constant-time loop (no timingSafeEqual outside Node). `body` is a Uint8Array. */
export function verifyTotNoble(body, authorization, secret) {
  if (!authorization) throw new Error("missing signature");
  const mac = hmac(sha1, utf8.encode(secret), typeof body === "string" ? utf8.encode(body) : body);
  const got = Uint8Array.from(atob(authorization.trim()), (c) => c.charCodeAt(0));
  if (got.length !== mac.length) throw new Error("bad signature");
  let diff = 0;
  for (let i = 0; i < mac.length; i++) diff |= mac[i] ^ got[i];
  if (diff !== 0) throw new Error("bad signature");
  return JSON.parse(typeof body === "string" ? body : decoder.decode(body));
}
