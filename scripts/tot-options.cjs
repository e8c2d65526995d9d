// Patches wasm-bindgen's glue (<dir>/kyc_wasm.js, CommonJS or ES module) so that `verifyTotWebhook` does not
// read its options object from wasm when it holds nothing but `now` (issue 16).
//
// Before: wasm read the six options (`maxBodyBytes`, `maxDepth`, `maxParams`, `maxKeyBytes`,
// `toleranceSeconds`, `now`) one boundary call each, ~0.5 µs a call: the whole gap to the node:crypto peer at
// 64 B. Now the glue reads them in JavaScript first; when the four limits and `toleranceSeconds` are
// `undefined` and `now` is a number, `undefined` or `null`, it calls `__verifyTotWebhookNow` (src/wasm.rs)
// with `now` as a number: the default limits and tolerance, and `now` checked by the same rule, at the same
// point (after the signature), as `options.now`. Anything else (a limit or a tolerance set, `now` of another
// type, a getter or proxy that throws, options that are not an object) goes to the general
// `verifyTotWebhook` unchanged: same answers, same typed errors and messages. The one observable
// difference: property getters on the options run before the body is checked, and run again when the
// general path then reads them.
//
// Session 3 (only where the glue has the fast-path exports: the Node builds, cargo feature `node-fast`; strings
// too, under 1,280 UTF-16 units into wasm by `__verifyTotWebhookText`, above it hashed here in the Node build;
// the caller's string is parsed, a leading BOM dropped): a binary body under 1,536 bytes (where the Node build hashes in wasm anyway) with string
// `authorization` and `secret` is read here as the core reads it (buffer, byteOffset, byteLength), copied
// into wasm in one call and verified by `__verifyTotWebhookBytes` (the same core checks, in the same order);
// then decoded (strict UTF-8, BOM dropped) and parsed here, as the core does through its imports, and its
// timestamp checked by `__checkTotTimestampNow` (the same function). A body that is not UTF-8 or not JSON goes
// to `__verifyTotWebhookNow`, which gives the error; so does anything the fast path does not take. The view's
// getters run again in that case. In the Node build (CommonJS glue), a binary body from 1,536 bytes to 1 MiB,
// which the core hands to node:crypto anyway, is hashed here with `createHmac` and its digest checked by
// `__verifyTotWebhookDigest` (the core's checks and constant-time comparison), then parsed as above.
//
//   node scripts/tot-options.cjs <dir>       (a no-op when the glue has no verifyTotWebhook)
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const file = path.join(path.resolve(process.argv[2]), "kyc_wasm.js");
let glue = fs.readFileSync(file, "utf8");
const SIGNATURE = /^(export )?function verifyTotWebhook\(body, authorization, secret, options\) \{\n/m;
if (!/function verifyTotWebhook\(/.test(glue)) process.exit(0);
if (glue.includes("__totNowOnly")) process.exit(0); // already patched
const match = glue.match(SIGNATURE);
if (!match || !/function __verifyTotWebhookNow\(body, authorization, secret, now\)/.test(glue)) {
  throw new Error(`tot-options: ${file}: verifyTotWebhook or __verifyTotWebhookNow not in the expected form (wasm-bindgen changed?)`);
}

// The Node builds (cargo feature `node-fast`) have the exports of the session-3 fast paths; the edge builds do not
// (their size): they get the options fast path only.
const FAST_EXPORTS = [/function __verifyTotWebhookBytes\(body, authorization, secret\)/, /function __verifyTotWebhookText\(body, authorization, secret\)/,
  /function __checkTotTimestampNow\(parsed, now\)/, /function __checkTotTimestampText\(timestamp, now\)/].map((re) => re.test(glue));
if (FAST_EXPORTS.some((x) => x !== FAST_EXPORTS[0])) throw new Error(`tot-options: ${file}: the fast-path exports come together`);
const FAST = FAST_EXPORTS[0];
// Only in CommonJS glue (the Node builds: `require` is there; the ES-module glue of the edge builds has none).
const LARGE = FAST && /function __verifyTotWebhookDigest\(len, authorization, secret, digest\)/.test(glue) && /^exports\.verifyTotWebhook = /m.test(glue);
const LARGE_HELPERS = `// The Node build (CommonJS glue) hashes larger bodies with node:crypto, as the core does from 1,536 bytes
// (binary) or 1,280 UTF-16 units (strings).
// node:crypto is looked up on first use (null: there is none), not when the glue loads.
let __TOT_CRYPTO;
function __totCrypto() {
    if (__TOT_CRYPTO === undefined) {
        try {
            const crypto = typeof require === "function" ? require("node:crypto") : null;
            __TOT_CRYPTO = crypto && typeof crypto.createHmac === "function" ? crypto : null;
        } catch (_) {
            __TOT_CRYPTO = null;
        }
    }
    return __TOT_CRYPTO;
}
/** HMAC-SHA1 of a body (bytes or string, as UTF-8) under the secret by node:crypto, or undefined. */
function __totNativeDigest(body, secret) {
    try {
        const crypto = __totCrypto();
        return crypto === null ? undefined : crypto.createHmac("sha1", secret).update(body).digest();
    } catch (_) {
        return undefined;
    }
}
`;
// Up to 1 MiB (the default maxBodyBytes), and for strings up to a third of it (so that no limit applies).
const LARGE_TEXT = `            const digest = body.length <= 349525 ? __totNativeDigest(body, secret) : undefined;
            if (digest === undefined) return __TOT_GENERAL;
            __verifyTotWebhookDigest(body.length, authorization, secret, digest);
`;
const LARGE_BYTES = `            const digest = bytes.length <= 1048576 ? __totNativeDigest(bytes, secret) : undefined;
            if (digest === undefined) return __TOT_GENERAL;
            __verifyTotWebhookDigest(bytes.length, authorization, secret, digest);
`;
const FAST_HELPERS = `// Bodies under the sizes from which the Node build hashes with node:crypto (1,536 bytes, 1,280 UTF-16 units) with
// string authorization and secret: copied into wasm in one call and verified there; then parsed here and the
// timestamp checked in wasm (issue 16, session 3). Larger ones in the Node build: LARGE_* above.
const __TOT_UTF8 = new TextDecoder("utf-8", { fatal: true });
/** A fresh Uint8Array over a binary body's bytes, read as the core reads them (its buffer, byteOffset and
 * byteLength, once each), or undefined. */
function __totBytes(body) {
    try {
        if (!ArrayBuffer.isView(body)) return undefined;
        const buffer = body.buffer, offset = body.byteOffset, length = body.byteLength;
        return new Uint8Array(buffer, offset, length);
    } catch (_) {
        return undefined;
    }
}
/** JSON.parse of verified bytes (strict UTF-8, a leading BOM dropped) or of the caller's string (a leading BOM
 * dropped), as the core does; or __TOT_GENERAL. */
function __totParse(body) {
    try {
        if (typeof body === "string") return JSON.parse(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body);
        return JSON.parse(__TOT_UTF8.decode(body));
    } catch (_) {
        return __TOT_GENERAL;
    }
}
${LARGE ? LARGE_HELPERS : ""}/** verifyTotWebhook's answer for options holding only \`now\` by the paths above, or __TOT_GENERAL (then
 * __verifyTotWebhookNow decides). Errors of the core's checks are thrown as they are. */
function __totFast(body, authorization, secret, now) {
    if (typeof authorization !== "string" || typeof secret !== "string") return __TOT_GENERAL;
    let bytes;
    if (typeof body === "string") {
        if (body.length < 1280) __verifyTotWebhookText(body, authorization, secret);
        else {
${LARGE ? LARGE_TEXT : "            return __TOT_GENERAL;\n"}        }
    } else {
        bytes = __totBytes(body);
        if (bytes === undefined) return __TOT_GENERAL;
        if (bytes.length < 1536) __verifyTotWebhookBytes(bytes, authorization, secret);
        else {
${LARGE ? LARGE_BYTES : "            return __TOT_GENERAL;\n"}        }
    }
    const parsed = __totParse(bytes === undefined ? body : bytes);
    if (parsed === __TOT_GENERAL) return parsed;
    // JSON.parse made it: \`parsed.timestamp\` is what the core's Reflect.get would read. A string (the usual
    // RFC 1123 date) is passed as such; anything else, the parsed body, read back as before.
    const timestamp = parsed !== null && typeof parsed === "object" ? parsed.timestamp : undefined;
    if (typeof timestamp === "string") __checkTotTimestampText(timestamp, now);
    else __checkTotTimestampNow(parsed, now);
    return parsed;
}
`;
const helpers = `// Issue 16 (scripts/tot-options.cjs): options holding only \`now\` are read here, not from wasm.
const __TOT_GENERAL = {};
/** \`options.now\` (a number, undefined or null) when nothing else verifyTotWebhook reads is set; else __TOT_GENERAL. */
function __totNowOnly(options) {
    try {
        if (options.maxBodyBytes !== undefined || options.maxDepth !== undefined || options.maxParams !== undefined ||
            options.maxKeyBytes !== undefined || options.toleranceSeconds !== undefined) return __TOT_GENERAL;
        const now = options.now;
        return now === undefined || now === null || typeof now === "number" ? now : __TOT_GENERAL;
    } catch (_) {
        return __TOT_GENERAL;
    }
}
${FAST ? FAST_HELPERS : ""}`;
const FAST_CALL = `            const fast = __totFast(body, authorization, secret, now);
            if (fast !== __TOT_GENERAL) return fast;
`;
const prologue = `    if (options !== null && typeof options === "object") {
        const now = __totNowOnly(options);
        if (now !== __TOT_GENERAL) {
${FAST ? FAST_CALL : ""}            return __verifyTotWebhookNow(body, authorization, secret, now);
        }
    }
`;
const doc = glue.lastIndexOf("/**", match.index);
const at = doc >= 0 && /^\/\*\*[^]*?\*\/\n$/.test(glue.slice(doc, match.index)) ? doc : match.index;
const end = match.index + match[0].length;
glue = glue.slice(0, at) + helpers + glue.slice(at, end) + prologue + glue.slice(end);
fs.writeFileSync(file, glue);
