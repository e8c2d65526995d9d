// verifyTotWebhook's options fast path (issue 16, scripts/tot-options.cjs): options holding only `now` are read
// by the glue and passed to `__verifyTotWebhookNow` as a number. The general path (wasm reads the six options)
// is the reference: every answer and every error (name, code, message) must be the same on both.
// Session 3: binary bodies under 1,536 bytes with string authorization and secret are copied into wasm by the
// glue and verified by `__verifyTotWebhookBytes`, then parsed in the glue, the timestamp checked by
// `__checkTotTimestampNow`; the last test below compares that with the general path for views of every kind.

import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { test } from "node:test";
import { isDeepStrictEqual } from "node:util";

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

// Asserts that `fast()` and `general()` give the same outcome. With `now` undefined both read the real clock,
// and an age in seconds in a message changes when a second boundary falls between the two calls (a large body
// makes that likely); a disagreement is therefore checked again on new pairs of calls, and a real one persists.
function sameOutcome(fast, general, where) {
  let [a, b] = [outcome(general), outcome(fast)];
  for (let i = 0; i < 3 && !isDeepStrictEqual(a, b); i++) [a, b] = [outcome(general), outcome(fast)];
  assert.deepEqual(b, a, where);
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
            const general = () => api.verifyTotWebhook(body, header, secret, { now, toleranceSeconds: 300 });
            sameOutcome(() => api.verifyTotWebhook(body, header, secret, { now }), general, where);
            if (now === undefined) sameOutcome(() => api.verifyTotWebhook(body, header, secret, {}), general, where);
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

  test(`${label}: small binary bodies (the glue's copy into wasm) answer as the general path does`, () => {
    const views = [];
    const add = (name, view, bytes = view) => views.push([name, view, bytes]);
    const texts = [
      JSON.stringify({ operation: "gates.changed", timestamp: "Mon, 18 Jul 2022 13:03:54 GMT" }),
      JSON.stringify({ timestamp: T, list: [1, 2, { a: "é😀" }] }),
      JSON.stringify({ timestamp: "not a date" }),
      JSON.stringify({ timestamp: { a: 1 } }),
      JSON.stringify({ timestamp: [T] }),
      JSON.stringify({ timestamp: T + 0.5 }),
      JSON.stringify({ timestamp: "\ud800" }),
      JSON.stringify({}),
      "5", "null", '"s"', "[]", "[1]", "{", "", " {} ", "{}\n",
      "\ufeff{}", "\ufeff\ufeff{}",
      JSON.stringify({ timestamp: T, pad: "x".repeat(1535 - 30) }).slice(0, 1535),
      JSON.stringify({ timestamp: T, pad: "x".repeat(1490) }),
      JSON.stringify({ timestamp: T, pad: "x".repeat(1520) }),
      // From 1,536 bytes the Node build's glue hashes with node:crypto (__verifyTotWebhookDigest).
      JSON.stringify({ timestamp: T, pad: "x".repeat(1536 - 30) }).slice(0, 1536),
      JSON.stringify({ timestamp: T, pad: "é".repeat(1000) }),
      JSON.stringify({ timestamp: "Mon, 18 Jul 2022 13:03:54 GMT", pad: "x".repeat(20000) }),
      "\ufeff" + JSON.stringify({ timestamp: T, pad: "x".repeat(3000) }),
      JSON.stringify({ timestamp: T, pad: "x".repeat(3000) }) + "}",
      JSON.stringify({ timestamp: "soon", pad: "x".repeat(3000) }),
      JSON.stringify({ pad: "x".repeat(1048576 - 10) }),
    ];
    for (const text of texts) {
      const buf = Buffer.from(text);
      add(`Buffer ${JSON.stringify(text.slice(0, 30))} (${buf.length} B)`, buf);
      // The same as a string (the glue's text paths: under 1,280 UTF-16 units into wasm, above by node:crypto).
      add(`string ${JSON.stringify(text.slice(0, 30))} (${text.length} units)`, text, buf);
    }
    for (const text of [
      JSON.stringify({ timestamp: T, pad: "é".repeat(1279 - 30) }).slice(0, 1279),
      JSON.stringify({ timestamp: T, pad: "😀".repeat(700) }),
      JSON.stringify({ timestamp: T, pad: "x".repeat(1240) }) + "\ud800",
      `{"timestamp":${T},"s":"\ud800 lone"}`,
      "\ufeff" + JSON.stringify({ timestamp: T }),
      JSON.stringify({ timestamp: T, pad: "x".repeat(349525 - 30) }).slice(0, 349524) + "}",
      JSON.stringify({ timestamp: T, pad: "é".repeat(349530) }),
    ]) {
      add(`string ${JSON.stringify(text.slice(0, 30))}… (${text.length} units)`, text, Buffer.from(text));
    }
    const base = Buffer.from(JSON.stringify({ timestamp: T, name: "v" }));
    add("invalid UTF-8", Buffer.from([0x7b, 0xff, 0x7d]));
    add("invalid UTF-8, 4 KB", Buffer.concat([Buffer.from('{"a":"'), Buffer.alloc(4096, 0xff), Buffer.from('"}')]));
    const largeBase = Buffer.from(JSON.stringify({ timestamp: T, pad: "y".repeat(4000) }));
    const largeWide = new Uint8Array(largeBase.length + 8);
    largeWide.set(largeBase, 4);
    add("large subarray with an offset", largeWide.subarray(4, 4 + largeBase.length), largeBase);
    add("large DataView", new DataView(largeWide.buffer, 4, largeBase.length), largeBase);
    const largeLying = new Uint8Array(largeBase);
    Object.defineProperty(largeLying, "byteLength", { get: () => 2000 });
    add("large byteLength getter saying 2000", largeLying, largeBase.subarray(0, 2000));
    add("lone surrogate bytes", Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]));
    add("Uint8Array", new Uint8Array(base));
    const wide = new Uint8Array(base.length + 8);
    wide.set(base, 4);
    add("subarray with an offset", wide.subarray(4, 4 + base.length), base);
    add("DataView", new DataView(wide.buffer, 4, base.length), base);
    if (base.length % 2 === 0) add("Int16Array", new Int16Array(new Uint8Array(base).buffer), base);
    const shared = new Uint8Array(new SharedArrayBuffer(base.length));
    shared.set(base);
    add("SharedArrayBuffer", shared, base);
    const detached = new Uint8Array(base);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    add("detached", detached, Buffer.alloc(0));
    const lying = new Uint8Array(base);
    Object.defineProperty(lying, "byteLength", { get: () => 4 });
    add("byteLength getter saying 4", lying, base.subarray(0, 4));
    const offsetLie = new Uint8Array(base);
    Object.defineProperty(offsetLie, "byteOffset", { get: () => 1e9 });
    add("byteOffset out of range", offsetLie, base);
    const throwing = new Uint8Array(base);
    Object.defineProperty(throwing, "buffer", { get() { throw new Error("getter"); } });
    add("throwing buffer getter", throwing, base);
    const big = new Uint8Array(base);
    Object.defineProperty(big, "byteLength", { get: () => "12" });
    add("byteLength a string", big, base.subarray(0, 12));
    let compared = 0;
    for (const [name, view, bytes] of views) {
      const good = hmacSha1Base64(SECRET, Buffer.from(bytes));
      const lone = hmacSha1Base64("sec\ud800ret", Buffer.from(bytes)); // the secret as UTF-8, U+FFFD for the surrogate
      for (const header of [good, ` ${good} `, `bad${good}`, "", "  ", lone]) {
        for (const secret of [SECRET, "", "other", "sec\ud800ret"]) {
          for (const now of [T, undefined, 1658149434, 1.5e12, NaN]) {
            const where = `${label}: ${name}, header ${header === good ? "good" : JSON.stringify(header)}, secret ${secret === SECRET ? "good" : JSON.stringify(secret)}, now ${now}`;
            const general = () => api.verifyTotWebhook(view, header, secret, { now, toleranceSeconds: 300 });
            sameOutcome(() => api.verifyTotWebhook(view, header, secret, { now }), general, where);
            compared++;
          }
        }
      }
    }
    assert.ok(compared > 1000);
    // Taken where it should be: the fast export verifies a small Buffer by itself.
    const glue = label === "server" ? null : require(`../../pkg/${label}/kyc_wasm.js`);
    if (glue) {
      const buf = Buffer.from(JSON.stringify({ timestamp: T }));
      assert.equal(glue.__verifyTotWebhookBytes(buf, hmacSha1Base64(SECRET, buf), SECRET), undefined);
      assert.throws(() => glue.__verifyTotWebhookBytes(buf, hmacSha1Base64("x", buf), SECRET), { code: "INVALID_SIGNATURE" });
      if (glue.__verifyTotWebhookDigest) {
        const digest = createHmac("sha1", SECRET).update(buf).digest();
        assert.equal(glue.__verifyTotWebhookDigest(buf.length, digest.toString("base64"), SECRET, digest), undefined);
        // A digest that is not 20 bytes matches nothing, not even a signature of its own bytes.
        for (const short of [Buffer.alloc(0), digest.subarray(0, 19), Buffer.concat([digest, Buffer.alloc(1)])]) {
          assert.throws(() => glue.__verifyTotWebhookDigest(buf.length, short.toString("base64") || "AA==", SECRET, short), { code: "INVALID_SIGNATURE" });
        }
      }
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
