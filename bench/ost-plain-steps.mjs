// Issue 16: where the time of verifyOstWebhook(parsedObject) goes, step by step in one process (BENCHMARKS.md,
// "What the missed speed targets need"). Each step is timed alone: 2,000 warm-up calls, then 5 × 20,000 calls,
// the median per call. Reads pkg/node (build it first); the peer is bench/peers/rails.mjs + node:crypto.
//   node bench/ost-plain-steps.mjs
import { createHmac, timingSafeEqual } from "node:crypto";
import { createRequire } from "node:module";
import qs from "qs";
import { railsToQuery } from "./peers/rails.mjs";

const require = createRequire(import.meta.url);
const kyc = require("../pkg/node/index.js");
const glue = require("../pkg/node/kyc_wasm.js"); // the internal __verifyOstWebhookPlain
const BODY = "created_at=1541144915&data%5Bresult_type%5D=user&data%5Buser%5D%5Bcreated_at%5D=1541144915&data%5Buser%5D%5Bemail%5D=yogesh%2B13233%40ost.com&data%5Buser%5D%5Bid%5D=11493&data%5Buser%5D%5Bproperties%5D%5B%5D=doptin_mail_sent&description=User+has+signed+up&id=236&name=user_register&request_timestamp=1542185198&signature=34e852b1bb2b73357483ce7d35a837611f098f9e7df580edb0bb735993868c0a&source=web&type=user&version=v1";
const parsed = qs.parse(BODY, { allowPrototypes: true, arrayLimit: 100, depth: 32, parameterLimit: 1000 });
const opts = { url: "https://webhook.ost.com/test/", secret: "WEBHOOK_SECRET_KEY", now: 1542185198 };
const utf8 = new TextEncoder();
const json = utf8.encode(JSON.stringify(parsed));
const answer = glue.__verifyOstWebhookPlain(json, opts);
if (typeof answer !== "string") throw new Error("expected the JSON-text answer");
const refused = utf8.encode("x"); // the reader refuses it: the export returns after reading the options

function time(name, fn, n = 20000) {
  for (let i = 0; i < 2000; i++) fn();
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    runs.push(Number(process.hrtime.bigint() - t) / n / 1000);
  }
  runs.sort((a, b) => a - b);
  console.log(`| ${name} | ${runs[2].toFixed(2)} µs |`);
}

console.log("| step | median per call |\n|---|---:|");
time("kyc-wasm verifyOstWebhook(parsed), whole call", () => kyc.verifyOstWebhook(parsed, opts));
time("JSON.stringify(parsed)", () => JSON.stringify(parsed));
time("JSON.stringify + TextEncoder.encode", () => utf8.encode(JSON.stringify(parsed)));
time("__verifyOstWebhookPlain (the wasm part, answer as text)", () => glue.__verifyOstWebhookPlain(json, opts));
time("__verifyOstWebhookPlain reading the options only", () => glue.__verifyOstWebhookPlain(refused, opts));
time("JSON.parse of the answer", () => JSON.parse(answer));
time("hmacSha256Hex of 440 B (wasm HMAC + crossing)", () => kyc.hmacSha256Hex(opts.secret, json.subarray(0, 440)));
// Session 3: the glue's direct path (options read in JavaScript, the body copied and sent as JSON text without
// its signature, the copy returned). __verifyOstWebhookDirect is the wasm part of it.
const { signature: sig, ...unsigned } = parsed;
const direct = JSON.stringify(unsigned);
if (glue.__verifyOstWebhookDirect(direct, sig, opts.url, opts.secret, undefined, opts.now, undefined) !== true) {
  throw new Error("expected the direct path to answer");
}
time("__verifyOstWebhookDirect (the wasm part of the direct path)", () =>
  glue.__verifyOstWebhookDirect(direct, sig, opts.url, opts.secret, undefined, opts.now, undefined));
time("__verifyOstWebhookDirect, options only (text refused)", () =>
  glue.__verifyOstWebhookDirect("x", sig, opts.url, opts.secret, undefined, opts.now, undefined));
time("copy of the body (plain JS, the direct path's walk)", () => {
  const copy = (v) => {
    const out = {};
    for (const k of Object.keys(v)) {
      const x = v[k];
      out[k] = typeof x === "string" ? x : Array.isArray(x) ? x.slice() : copy(x);
    }
    return out;
  };
  return copy(parsed);
});
time("JSON.stringify of the body without signature", () => JSON.stringify(unsigned));
time("peer: railsToQuery + node:crypto + timingSafeEqual", () => {
  const { signature, ...rest } = parsed;
  const mac = createHmac("sha256", opts.secret).update(`${opts.url}?${railsToQuery(rest)}`).digest();
  return timingSafeEqual(mac, Buffer.from(signature, "hex"));
});
time("peer: railsToQuery alone", () => {
  const { signature: _, ...rest } = parsed;
  return railsToQuery(rest);
});
