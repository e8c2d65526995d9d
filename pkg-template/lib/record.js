// The webhook handlers' `record` option: every request that reaches verification, as one JSON object
// `{provider, method, url, headers, body, bodyEncoding, receivedAt}` (body as text when it is UTF-8, otherwise
// base64), handed to a function or, in Node (and Deno/Bun), appended as a line to a JSON lines file.
// `kyc-wasm replay <file>` re-sends or verifies such a file. A recording failure is logged, never answered.

const utf8 = () => new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function base64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The record of one request. `headers` is a plain object of lowercase names. */
export function __deliveryRecord(provider, { method, url, headers, bytes }) {
  let body;
  let bodyEncoding = "text";
  try {
    body = utf8().decode(bytes);
  } catch {
    body = base64(bytes);
    bodyEncoding = "base64";
  }
  return { provider, method, url, headers, body, bodyEncoding, receivedAt: new Date().toISOString() };
}

/** A writer for `options.record`: a function, or a file path appended to in order; null when unset. */
export function __recorder(record) {
  if (record === undefined || record === null || record === false) return null;
  if (typeof record === "function") return async (r) => record(r);
  if (typeof record !== "string" || record === "") return undefined; // the caller reports the bad option
  let chain = Promise.resolve();
  let fs = null;
  return (r) => {
    const next = chain.then(async () => {
      if (fs === null) {
        const proc = globalThis.process;
        const name = "node:fs/promises";
        fs =
          typeof proc?.getBuiltinModule === "function"
            ? proc.getBuiltinModule(name)
            : await import(/* webpackIgnore: true */ /* @vite-ignore */ name);
      }
      await fs.appendFile(record, JSON.stringify(r) + "\n");
    });
    chain = next.catch(() => {});
    return next;
  };
}
