// verifyTotWebhook's options fast path (issue 16, scripts/tot-options.cjs): options holding only `now` are read
// by the glue and passed to `__verifyTotWebhookNow` as a number. The general path (wasm reads the six options)
// is the reference: every answer and every error (name, code, message) must be the same on both.

import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";

import { hmacSha1Base64, kyc } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const SECRET = "tot_options_secret_DO_NOT_PRINT";
const T = 1_765_000_000;

function outcome(fn) {
  try {
    return { ok: JSON.stringify(fn()) };
  } catch (e) {
    return { name: e?.name, code: e?.code, message: e?.message };
  }
}

// Bodies: signed timestamps around `now`, none, of the wrong type; a BOM; text that is not JSON or not UTF-8.
function bodies() {
  const out = [];
  for (const ts of [T, T - 300, T - 301, T + 300, T + 301, String(T), "soon", null, true, undefined, 1.5e12]) {
    const text = JSON.stringify({ operation: "gates.changed", timestamp: ts, pad: "é".repeat(3) });
    out.push(text, Buffer.from(text));
  }
  out.push("\ufeff" + JSON.stringify({ timestamp: T }), Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), "{", Buffer.from([0x7b, 0xff, 0x7d]), "", "x".repeat(2048));
  return out;
}

const NOWS = [T, T + 0.9, T - 300, String(T), undefined, null, NaN, Infinity, -Infinity, -1, 0, 1e12, -1e12, 1.5e12, 2 ** 62];

for (const [label, api] of [
  ["node", kyc],
  ["lite/node", require("../../pkg/lite/node/index.js")],
  // The ES-module glue (the edge build's wasm, embedded): kyc-wasm/server under the browser condition.
  ["server", await import("../../pkg/server/index.js")],
]) {
  test(`${label}: options with only now answer as the general path does (answers, codes, messages)`, () => {
    let compared = 0;
    for (const body of bodies()) {
      const good = hmacSha1Base64(SECRET, body);
      for (const header of [good, `bad${good}`, "", undefined]) {
        for (const secret of [SECRET, [SECRET, "other"], ""]) {
          for (const now of NOWS) {
            const where = `${label}: body ${JSON.stringify(String(body).slice(0, 40))}, header ${header === good ? "good" : header}, now ${now}`;
            // toleranceSeconds: 300 is the default; setting it sends the call down the general path.
            const general = outcome(() => api.verifyTotWebhook(body, header, secret, { now, toleranceSeconds: 300 }));
            assert.deepEqual(outcome(() => api.verifyTotWebhook(body, header, secret, { now })), general, where);
            if (now === undefined) assert.deepEqual(outcome(() => api.verifyTotWebhook(body, header, secret, {})), general, where);
            compared++;
          }
        }
      }
    }
    assert.ok(compared > 2000);
  });

  test(`${label}: the fast path is taken for {now} and not for anything else verifyTotWebhook reads`, () => {
    const body = Buffer.from(JSON.stringify({ timestamp: T }));
    const header = hmacSha1Base64(SECRET, body);
    // Each read of an option or of the body's byteLength is recorded: the fast path reads `now` in the glue,
    // before the body; the general path reads it in wasm after verifying the body.
    const order = (options) => {
      const reads = [];
      const view = new Uint8Array(body);
      const proto = Object.getPrototypeOf(Uint8Array.prototype);
      const len = Object.getOwnPropertyDescriptor(proto, "byteLength").get;
      Object.defineProperty(view, "byteLength", { get() { reads.push("body"); return len.call(this); } });
      const proxy = new Proxy(options, { get(o, k) { reads.push(String(k)); return o[k]; } });
      try {
        api.verifyTotWebhook(view, header, SECRET, proxy);
      } catch (e) {
        assert.equal(e.code, "INVALID_ARGUMENT"); // { now: "…" }, after the body (the general path)
      }
      return reads;
    };
    const fast = order({ now: T });
    assert.ok(fast.indexOf("now") < fast.indexOf("body"), `fast path: ${fast}`);
    assert.equal(fast.filter((k) => k === "now").length, 1, `now read once: ${fast}`);
    for (const options of [{ now: T, toleranceSeconds: 60 }, { now: T, maxBodyBytes: 1000 }, { now: String(T) }]) {
      const reads = order(options);
      assert.ok(reads.lastIndexOf("now") > reads.indexOf("body"), `general path for ${JSON.stringify(options)}: ${reads}`);
    }
  });

  test(`${label}: bad options still throw the general path's errors`, () => {
    const body = JSON.stringify({ timestamp: T });
    const header = hmacSha1Base64(SECRET, body);
    const general = (options) => outcome(() => api.verifyTotWebhook(body, header, SECRET, options));
    const throwing = { get now() { throw new Error("getter"); } };
    const r = general(throwing);
    assert.equal(r.code, "INVALID_ARGUMENT", JSON.stringify(r));
    assert.equal(general({ now: 1.7e12 }).code, "INVALID_ARGUMENT");
    assert.match(general({ now: 1.7e12 }).message, /milliseconds/);
    assert.equal(general({ now: "x" }).code, "INVALID_ARGUMENT");
    assert.equal(general({ now: T, toleranceSeconds: -1 }).code, "INVALID_ARGUMENT");
    assert.equal(general({ now: T, maxBodyBytes: 0 }).code, "INVALID_ARGUMENT");
    assert.equal(general({ now: T + 301 }).code, general({ now: T + 301, toleranceSeconds: 300 }).code);
    assert.ok(general({ now: T + 301 }).code);
  });
}
