// Sending one request for `trigger` and `replay`: fetch with a timeout, the answer read as text.

import { readFileSync } from "node:fs";

import { UsageError } from "./args.mjs";

/** The package's version. */
export function version() {
  try {
    return JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
  } catch {
    return "unknown";
  }
}

export const userAgent = (what) => `kyc-wasm-${what}/${version()}`;

/** `{status, body, ms}` or `{status: 0, error, ms}`; never rejects. */
export async function send(url, { method = "POST", headers, body, timeoutMs = 10000 }) {
  const started = Date.now();
  try {
    const response = await fetch(url, { method, headers, body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    return { status: response.status, body: text, ms: Date.now() - started };
  } catch (e) {
    const error = e?.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(e));
    return { status: 0, error, ms: Date.now() - started };
  }
}

/** The answer's body as JSON when it is JSON, else the text. */
export function parsed(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function checkUrl(value, name) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--${name} must be a URL, got "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--${name} must be an http(s) URL`);
  return url.href;
}
