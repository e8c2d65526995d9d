// Webhook delivery as the providers do it: POST, expect a 2xx within 10 s, otherwise retry with exponential
// backoff. OST retries 6 times at 1 h, 2 h, 4 h, ... (seed: "Failed events will be retried upto 6 times at an
// interval of 1 hour increasing exponentially with a factor of 2"); the sandbox keeps the shape and scales the
// hour down to `baseDelayMs`.

import { sleep } from "./http.mjs";

/**
 * Delivers one event. `build(attempt)` returns `{body, headers}` afresh for each attempt (OST signs a new
 * `request_timestamp` every time). Resolves to the list of attempts; never rejects.
 */
export async function deliver({
  url,
  build,
  label,
  retries = 6,
  baseDelayMs = 1000,
  timeoutMs = 10_000,
  log,
  // Which answers count as delivered (OST: only 200, "expects to receive 200 OK").
  accepted = (status) => status >= 200 && status < 300,
  // Scenario `failNext`: true when this attempt must fail without being sent (the app is "down").
  failAttempt = () => false,
}) {
  const attempts = [];
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    const started = Date.now();
    let status = 0;
    let error = null;
    try {
      if (failAttempt()) throw Object.assign(new Error("failed by the sandbox scenario"), { name: "failed by the sandbox scenario (failNext)" });
      const { body, headers } = build(attempt);
      const response = await fetch(url, {
        method: "POST",
        headers: { ...headers, "x-sandbox-delivery-attempt": String(attempt) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e?.cause?.code || e?.name || String(e);
    }
    const ok = accepted(status);
    attempts.push({ attempt, status, error, ms: Date.now() - started });
    if (ok) {
      log?.(`${label}: delivered (HTTP ${status}, attempt ${attempt})`);
      return attempts;
    }
    if (attempt > retries) break;
    const delay = baseDelayMs * 2 ** (attempt - 1);
    log?.(`${label}: ${error ?? `HTTP ${status}`} on attempt ${attempt}; retrying in ${delay} ms`);
    await sleep(delay);
  }
  log?.(`${label}: gave up after ${attempts.length} attempts`);
  return attempts;
}
