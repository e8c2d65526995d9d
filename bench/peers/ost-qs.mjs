// The issue-16 OST peer: what an Express user writes. The body goes through `qs.parse` with the options Express's
// `urlencoded({ extended: true })` passes it (body-parser 1.20: allowPrototypes, arrayLimit 100, depth 32,
// parameterLimit 1000), then the fastest hand Rails encoder of this benchmark (`railsToQuery` in rails.mjs),
// node:crypto HMAC-SHA256 and `timingSafeEqual`.
import { createHmac, timingSafeEqual } from "node:crypto";
import qs from "qs";
import { checkTimestamp, railsToQuery, text } from "./rails.mjs";

export const EXPRESS_URLENCODED = { allowPrototypes: true, arrayLimit: 100, depth: 32, parameterLimit: 1000 };

/** What Express's `urlencoded({ extended: true })` hands a route: the parsed body. */
export const expressParse = (body) => qs.parse(text(body), EXPRESS_URLENCODED);

/** Verifies parameters that are already parsed (req.body); returns them without `signature`. */
export function verifyOstParsedNodeCrypto(body, { url, secret, now }) {
  const { signature, ...params } = body;
  if (typeof signature !== "string" || signature === "") throw new Error("missing signature");
  const mac = createHmac("sha256", secret).update(`${url.split(/[?#]/)[0]}?${railsToQuery(params)}`).digest();
  const got = Buffer.from(signature, "hex");
  if (got.length !== mac.length || !timingSafeEqual(got, mac)) throw new Error("bad signature");
  checkTimestamp(params, now);
  return params;
}

/** From the raw form body (string or Buffer): `qs.parse` as Express does, then as above. */
export const verifyOstQsNodeCrypto = (body, options) => verifyOstParsedNodeCrypto(expressParse(body), options);
