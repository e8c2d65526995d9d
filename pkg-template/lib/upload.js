// `uploadFile`: the I/O of an upload through a pre-signed S3 URL (issue 16 moved it here from Rust, so that
// pages' wasm carries no async runtime, XHR/fetch bindings or closures). This module reads the file, sends it,
// reports progress, waits between retries and listens to the AbortSignal. Every decision is the wasm core's,
// through its `__upload…` exports (src/wasm/upload.rs): the arguments and their errors, the plan (transport,
// expiry, declared type against the magic bytes, size bounds, the POST policy's conditions), the S3 error
// document, whether and when to retry, and every error thrown.
//
// Transport, by build (the core says which: `start.xhr`): `XMLHttpRequest` in the browser build (the only
// browser API with upload progress), the global `fetch` in the Node and edge builds (Node 18+, Deno, Bun,
// workers), which reports only the start and the end.
import * as core from "./kyc_wasm.js";

// __uploadError kinds (src/wasm/upload.rs).
const ABORTED = 0;
const UNREADABLE = 1;
const NETWORK = 2;
const REFUSED = 3;
const NAME_THREW = 4;

const isObject = (v) => v !== null && (typeof v === "object" || typeof v === "function");

/** What went wrong in a request, from an error's `message` and its `cause`'s: never a body. */
function describe(error) {
  const read = (v, key) => {
    if (!isObject(v)) return undefined;
    try {
      return v[key];
    } catch {
      return undefined;
    }
  };
  const message = (v) => {
    const m = read(v, "message");
    return typeof m === "string" ? m : undefined;
  };
  const m = message(error);
  if (m === undefined) return "the request failed";
  const c = message(read(error, "cause"));
  return c === undefined ? m : `${m} (${c})`;
}

/** `onProgress({loaded, total})` at most once per distinct `loaded`; a throwing callback is ignored. */
function progress(callback, total) {
  let last = -1;
  return (loaded) => {
    if (callback === null) return;
    loaded = loaded < 0 ? 0 : loaded > total ? total : loaded;
    if (loaded === last) return;
    last = loaded;
    try {
      callback.call(undefined, { loaded, total });
    } catch {
      // It must not break the upload.
    }
  };
}

/** S3's POST form: every policy field first, then the file (a Blob of the signed type), last. */
function formBody(plan, file) {
  const form = new FormData();
  for (const [name, value] of plan.form) form.append(name, value);
  form.append("file", new Blob([file.part], { type: plan.contentType }), file.name ?? plan.filename);
  return form;
}

/** XMLHttpRequest. Resolves to `{status, etag, body}`, `{aborted: true}` or `{failure: message}`. */
async function sendXhr(plan, file, report, signal) {
  let xhr;
  let form = null;
  let upload;
  try {
    xhr = new XMLHttpRequest();
    xhr.open(plan.method, plan.url, true);
    if (plan.method === "PUT") xhr.setRequestHeader("Content-Type", plan.contentType);
    else form = formBody(plan, file);
    upload = xhr.upload;
  } catch (e) {
    return { failure: describe(e) };
  }
  const cancel = () => xhr.abort();
  const outcome = await new Promise((resolve) => {
    xhr.onload = () => resolve("load");
    xhr.onerror = () => resolve("error");
    xhr.onabort = () => resolve("abort");
    xhr.ontimeout = () => resolve("timeout");
    // Listening to upload events before send() is what makes the browser emit them. A POST body is larger
    // than the file (the form fields): scale to the file's bytes.
    upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) report(Math.floor((e.loaded / e.total) * plan.size));
    };
    if (signal !== null) {
      try {
        signal.addEventListener("abort", cancel);
      } catch {
        // A signal that cannot be listened to cannot cancel.
      }
    }
    try {
      xhr.send(form ?? file.part);
    } catch (e) {
      resolve(`error: ${describe(e)}`);
    }
  });
  if (signal !== null) {
    try {
      signal.removeEventListener("abort", cancel);
    } catch {
      // As above.
    }
  }
  upload.onprogress = null;
  xhr.onload = xhr.onerror = xhr.onabort = xhr.ontimeout = null;
  switch (outcome) {
    case "load": {
      const status = xhr.status;
      if (!(status > 0)) return { failure: "no HTTP status" };
      let body = "";
      try {
        body = xhr.responseText ?? "";
      } catch {
        // Not a text response.
      }
      let etag = null;
      try {
        etag = xhr.getResponseHeader("ETag");
      } catch {
        // No readable header: no ETag.
      }
      return { status, etag, body };
    }
    case "abort":
      return { aborted: true };
    case "error":
      return { failure: "the request failed (network error, or refused by CORS)" };
    case "timeout":
      return { failure: "the request timed out" };
    default:
      return { failure: outcome };
  }
}

/** The global fetch: no upload progress. Same answers as sendXhr. */
async function sendFetch(plan, file, signal) {
  const init = { method: plan.method };
  try {
    if (plan.method === "PUT") {
      init.headers = { "content-type": plan.contentType };
      init.body = file.part;
    } else {
      init.body = formBody(plan, file);
    }
  } catch (e) {
    return { failure: describe(e) };
  }
  if (signal !== null) init.signal = signal;
  let response;
  try {
    response = await fetch(plan.url, init);
  } catch (e) {
    return signal !== null && signal.aborted ? { aborted: true } : { failure: describe(e) };
  }
  const status = response.status;
  let etag = null;
  try {
    etag = response.headers.get("etag");
  } catch {
    // No headers: no ETag.
  }
  let body = "";
  try {
    const text = await response.text();
    if (typeof text === "string") body = text;
  } catch {
    // An unreadable body is an empty one (the status decides).
  }
  return { status, etag, body };
}

/** Waits `ms`, or less when the signal fires; false when the signal has fired. */
async function sleep(ms, signal) {
  let wake;
  const woken = new Promise((resolve) => (wake = () => resolve()));
  if (signal !== null) {
    try {
      signal.addEventListener("abort", wake);
    } catch {
      // See sendXhr.
    }
  }
  const timer = setTimeout(wake, ms);
  await woken;
  clearTimeout(timer);
  if (signal !== null) {
    try {
      signal.removeEventListener("abort", wake);
    } catch {
      // See sendXhr.
    }
  }
  return !(signal !== null && signal.aborted);
}

/** The file: a Blob/File (sent as is) or a Uint8Array over the caller's bytes, and its first bytes. */
async function readFile(file, sniffBytes) {
  if (typeof Blob === "function" && file instanceof Blob) {
    let head;
    try {
      head = new Uint8Array(await file.slice(0, sniffBytes).arrayBuffer());
    } catch {
      throw core.__uploadError(UNREADABLE, undefined, "");
    }
    let name;
    try {
      name = file.name;
    } catch {
      throw core.__uploadError(NAME_THREW, undefined, "");
    }
    return {
      part: file,
      head,
      size: file.size,
      ownType: file.type || null,
      name: typeof name === "string" && name !== "" ? name : null,
    };
  }
  const bytes = core.__uploadBytes(file);
  return { part: bytes, head: bytes.subarray(0, sniffBytes), size: bytes.length, ownType: null, name: null };
}

/**
 * `uploadFile(target, file, {onProgress, signal, now, maxBytes, minBytes, contentType, allowInsecure})`:
 * checks the file against the target, then sends it; resolves to the target with `status` and `etag`.
 */
export async function uploadFile(target, file, options) {
  const started = Date.now();
  const start = core.__uploadStart(target, options);
  const { signal, onProgress } = start;
  const key = start.target.key;
  const aborted = () => core.__uploadError(ABORTED, undefined, key);
  if (signal !== null && signal.aborted) throw aborted();
  const loaded = await readFile(file, start.sniffBytes);
  if (signal !== null && signal.aborted) throw aborted();
  const plan = (elapsed) => {
    const p = core.__uploadPlan(start, loaded.head, loaded.size, loaded.ownType, elapsed);
    p.size = loaded.size;
    return p;
  };
  let current = plan(0);
  const report = progress(onProgress, loaded.size);
  report(0);
  const xhr = start.xhr === true;
  for (let retries = 0; ; ) {
    const answer = xhr
      ? await sendXhr(current, loaded, report, signal)
      : await sendFetch(current, loaded, signal);
    if (answer.aborted) throw aborted();
    let status;
    let error;
    if (answer.failure !== undefined) {
      error = core.__uploadError(NETWORK, undefined, answer.failure);
    } else if (answer.status >= 200 && answer.status < 300) {
      report(loaded.size);
      const etag = answer.etag == null ? null : String(answer.etag).replace(/^"+|"+$/g, "");
      return { ...start.target, contentType: current.contentType, status: answer.status, etag };
    } else {
      status = answer.status;
      error = core.__uploadError(REFUSED, status, answer.body);
    }
    const delay = core.__uploadRetry(status, retries);
    if (delay < 0) throw error;
    retries += 1;
    if (!(await sleep(delay, signal))) throw aborted();
    // Never retry after expiry: everything is checked again at the current time, the time spent rounded up
    // (`now` is whole seconds, so the real clock may already be up to a second further).
    current = plan(Math.max(0, Math.ceil((Date.now() - started) / 1000)));
  }
}
