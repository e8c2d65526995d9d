// The Token of Trust embed in the page (the builds pages load; issue 16 moved it here from Rust): loading
// `embed.js`, opening a continuation, the modal's close and form-submitted events, and the verifyPerson round
// trip to the app's own server. The DOM, `window.tot`, the events, the timer and the fetch are here; every
// decision is the wasm core's, through its `__tot…` exports (src/wasm/tot/embed.rs): the embed URL and the
// options, the continuation's modal parameters, what a verifyPerson answer means, and every error thrown.
// No function here accepts or needs `totSecretKey`.
import * as core from "./kyc_wasm.js";

// __totError kinds (src/wasm/tot/embed.rs).
const INVALID = 0;
const BUSY = 1;
const TIMEOUT = 2;

const invalid = (message) => core.__totError(INVALID, message, 0);

let loaded = false;
let inFlight = false;
const warned = new Set();

function browserWindow() {
  if (typeof window === "undefined" || window === null) throw invalid("the Token of Trust embed needs a browser window");
  return window;
}

/**
 * `window.tot`, with the seed's command queue: calls made before embed.js loads are kept in `tot.q` as
 * `arguments` objects, which embed.js replays.
 */
function tot() {
  const w = browserWindow();
  w.tot =
    w.tot ||
    function () {
      (w.tot.q = w.tot.q || []).push(arguments);
    };
  return w.tot;
}

/** Reads `value[key]`: undefined for a non-object or a throwing getter. */
function peek(value, key) {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return undefined;
  try {
    return value[key];
  } catch {
    return undefined;
  }
}

/**
 * `loadTotEmbed({host, apiKey})`: installs `window.tot`, injects `embed.js` once (id `tot-embed`) and sets the
 * public key. Calling it again is a no-op.
 */
export function loadTotEmbed(options) {
  if (loaded) return;
  const { src, apiKey } = core.__totEmbedOptions(options);
  const t = tot();
  const document = browserWindow().document;
  if (!document) throw invalid("no document");
  if (!document.getElementById("tot-embed")) {
    const fail = () => invalid("could not insert the embed script");
    let script;
    try {
      script = document.createElement("script");
    } catch {
      throw fail();
    }
    script.id = "tot-embed";
    script.async = true;
    script.src = src;
    const first = document.getElementsByTagName("script").item(0);
    const parent = first ? first.parentNode : null;
    if (parent) {
      try {
        parent.insertBefore(script, first);
      } catch {
        throw fail();
      }
    } else {
      const root = document.head || document.documentElement;
      if (!root) throw invalid("the document has no root");
      try {
        root.appendChild(script);
      } catch {
        throw fail();
      }
    }
  }
  try {
    t.call(null, "setPublicKey", apiKey);
  } catch {
    throw invalid('tot("setPublicKey") threw');
  }
  loaded = true;
}

function open(params) {
  const t = tot();
  try {
    t.call(null, "modalOpen", "continue", params);
  } catch {
    throw invalid('tot("modalOpen") threw');
  }
}

/** `openContinuation(continuation, {disableClose})`: `tot("modalOpen", "continue", params)`. */
export function openContinuation(continuation, options) {
  open(core.__totOpenParams(continuation, options));
}

/**
 * Binds `callback` to an embed event with `tot("bind", name, handler)`: the handler (called by the embed as
 * `(eventData, evt)`) reads `evt.data` (the JSON text the iframe posted), ignores a repeat of the same
 * `evt.timeStamp` and bad JSON (warned once), and calls `callback` with `{continue?, data}`.
 */
function bindEmbedEvent(name, api, withContinue, callback) {
  if (typeof callback !== "function") throw invalid(`${api} needs a callback function`);
  let active = true;
  let lastTimestamp;
  const handler = (_eventData, evt) => {
    if (!active) return false;
    const stamp = peek(evt, "timeStamp");
    const timestamp = typeof stamp === "number" ? stamp : undefined;
    if (timestamp !== undefined && timestamp === lastTimestamp) return false; // the same event twice
    const raw = peek(evt, "data");
    let parsed = raw;
    if (typeof raw === "string") {
      try {
        parsed = JSON.parse(raw);
      } catch {
        if (!warned.has(name)) {
          warned.add(name);
          console.warn(`kyc-wasm: ignored a ${name} event whose data is not JSON`);
        }
        return false;
      }
    }
    lastTimestamp = timestamp;
    const data = peek(parsed, "data");
    const inner = data ? data : parsed;
    const out = {};
    if (withContinue) out.continue = !!peek(inner, "continue");
    out.data = inner === undefined ? null : inner;
    try {
      callback.call(null, out);
    } catch (e) {
      console.error(`kyc-wasm: the ${api} callback threw`, e);
    }
    return false;
  };
  const t = tot();
  try {
    t.call(null, "bind", name, handler);
  } catch {
    throw invalid('tot("bind") threw');
  }
  return () => {
    active = false;
  };
}

/**
 * `onModalClose(callback)`: binds `modalClose`; the callback gets `{continue, data}` once per event. Returns
 * a function that unbinds it.
 */
export function onModalClose(callback) {
  return bindEmbedEvent("modalClose", "onModalClose", true, callback);
}

/**
 * `onModalFormSubmitted(callback)`: binds `modalFormSubmitted` (the user submitted the modal's form); the
 * callback gets `{data}` once per event. Returns a function that unbinds it.
 */
export function onModalFormSubmitted(callback) {
  return bindEmbedEvent("modalFormSubmitted", "onModalFormSubmitted", false, callback);
}

/** POSTs and reads the JSON answer: `{status, ok, content}` (content undefined for a non-JSON body) or `{failure}`. */
async function fetchJson(url, body, signal) {
  let pending;
  try {
    pending = fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body,
      signal,
    });
  } catch {
    return { failure: "fetch threw" };
  }
  let response;
  try {
    response = await pending;
  } catch {
    return { failure: `the request to ${url} failed` };
  }
  const status = peek(response, "status");
  const ok = !!peek(response, "ok");
  const json = peek(response, "json");
  let reading;
  if (typeof json === "function") {
    try {
      reading = json.call(response);
    } catch {
      reading = undefined;
    }
  }
  let content;
  if (reading instanceof Promise) {
    try {
      content = await reading;
    } catch {
      if (signal.aborted) return { failure: "aborted" };
    }
  }
  return { status: typeof status === "number" ? status : 0, ok, content };
}

/**
 * `verifyPerson({url, body, autoOpen, timeoutMs})`: POSTs `body` as JSON to the app's own endpoint, decides
 * with `evaluateVerification`, opens the modal when `autoOpen` is set and the decision is `continue`. Rejects
 * with `BUSY` while a call is in flight and `TIMEOUT` after `timeoutMs` (default 10 000).
 */
export async function verifyPerson(options) {
  const { url, body, autoOpen, timeoutMs } = core.__totVerifyOptions(options);
  if (inFlight) throw core.__totError(BUSY, "", 0);
  inFlight = true;
  try {
    let controller;
    try {
      controller = new AbortController();
    } catch {
      throw invalid("AbortController is unavailable");
    }
    const signal = controller.signal;
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const answer = await fetchJson(url, body, signal);
    clearTimeout(timer);
    let decision;
    if (answer.failure !== undefined) {
      if (signal.aborted) throw core.__totError(TIMEOUT, "", timeoutMs);
      decision = core.__totVerifyDecision(0, false, undefined, answer.failure);
    } else {
      decision = core.__totVerifyDecision(answer.status, answer.ok, answer.content, undefined);
    }
    if (autoOpen && decision.action === "continue" && decision.continuation !== null) {
      open(core.__totOpenParams(decision.continuation, undefined));
    }
    return decision;
  } finally {
    inFlight = false;
  }
}
