// OST webhook verifier: Rails-style encoder + node:crypto + timingSafeEqual.
import { createHmac, timingSafeEqual } from "node:crypto";
import { checkTimestamp, prepare, railsToQuery, text } from "./rails.mjs";

export function verifyOstNodeCrypto(body, { url, secret, now }) {
  const { params, signature, text: toSign } = prepare(text(body), url);
  const mac = createHmac("sha256", secret).update(toSign).digest();
  const got = Buffer.from(signature, "hex");
  if (got.length !== mac.length || !timingSafeEqual(got, mac)) throw new Error("bad signature");
  checkTimestamp(params, now);
  return params;
}

/** Produces a signed body the way OST does (fixtures; the benchmark checks kyc-wasm accepts it). */
export function signOstBody(event, { url, secret, timestamp }) {
  const params = { ...event, request_timestamp: String(timestamp) };
  const sig = createHmac("sha256", secret).update(`${url}?${railsToQuery(params)}`).digest("hex");
  return railsToQuery({ ...params, signature: sig });
}
