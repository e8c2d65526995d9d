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
// Session 3: a binary body under 1,536 bytes (where the Node build hashes in wasm anyway) with string
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
if (!match || !/function __verifyTotWebhookNow\(body, authorization, secret, now\)/.test(glue) ||
    !/function __verifyTotWebhookBytes\(body, authorization, secret\)/.test(glue) ||
    !/function __checkTotTimestampNow\(parsed, now\)/.test(glue)) {
  throw new Error(`tot-options: ${file}: verifyTotWebhook or __verifyTotWebhookNow not in the expected form (wasm-bindgen changed?)`);
}

// Only in CommonJS glue (the Node builds: `require` is there; the ES-module glue of the edge builds has none).
const LARGE = /function __verifyTotWebhookDigest\(len, authorization, secret, digest\)/.test(glue) && /^exports\.verifyTotWebhook = /m.test(glue);
const LARGE_HELPERS = `// The Node build (CommonJS glue) hashes larger binary bodies with node:crypto, as the core does from 1,536 bytes.
const __TOT_CRYPTO = (() => {
    try {
        const crypto = typeof require === "function" && typeof __verifyTotWebhookDigest === "function" ? require("node:crypto") : undefined;
        return crypto && typeof crypto.createHmac === "function" ? crypto : undefined;
    } catch (_) {
        return undefined;
    }
})();
/** The view of __totSmallBytes for a body from 1,536 bytes to 1 MiB (the default maxBodyBytes), else undefined. */
function __totLargeBytes(body) {
    try {
        if (!ArrayBuffer.isView(body)) return undefined;
        const buffer = body.buffer, offset = body.byteOffset, length = body.byteLength;
        if (!(length >= 1536 && length <= 1048576)) return undefined;
        return new Uint8Array(buffer, offset, length);
    } catch (_) {
        return undefined;
    }
}
/** HMAC-SHA1 of bytes under the secret by node:crypto, or undefined. */
function __totNativeDigest(bytes, secret) {
    try {
        return __TOT_CRYPTO.createHmac("sha1", secret).update(bytes).digest();
    } catch (_) {
        return undefined;
    }
}
`;
const LARGE_BRANCH = `            } else if (strings && __TOT_CRYPTO !== undefined) {
                const large = __totLargeBytes(body);
                const digest = large === undefined ? undefined : __totNativeDigest(large, secret);
                if (digest !== undefined) {
                    __verifyTotWebhookDigest(large.length, authorization, secret, digest);
                    const parsed = __totParse(large);
                    if (parsed !== __TOT_GENERAL) {
                        __checkTotTimestampNow(parsed, now);
                        return parsed;
                    }
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
// Small binary bodies (below the size from which the Node build hashes with node:crypto): copied into wasm in one
// call, verified there, then decoded and parsed here, and the timestamp checked in wasm (issue 16, session 3).
const __TOT_UTF8 = new TextDecoder("utf-8", { fatal: true });
/** A fresh Uint8Array over a binary body's bytes, read as the core reads them (its buffer, byteOffset and
 * byteLength, once each), when it is under 1,536 bytes; else undefined. */
function __totSmallBytes(body) {
    try {
        if (!ArrayBuffer.isView(body)) return undefined;
        const buffer = body.buffer, offset = body.byteOffset, length = body.byteLength;
        if (typeof length !== "number" || !(length < 1536)) return undefined;
        return new Uint8Array(buffer, offset, length);
    } catch (_) {
        return undefined;
    }
}
${LARGE ? LARGE_HELPERS : ""}/** JSON.parse of verified bytes (strict UTF-8, a leading BOM dropped), or __TOT_GENERAL. */
function __totParse(bytes) {
    try {
        return JSON.parse(__TOT_UTF8.decode(bytes));
    } catch (_) {
        return __TOT_GENERAL;
    }
}
`;
const prologue = `    if (options !== null && typeof options === "object") {
        const now = __totNowOnly(options);
        if (now !== __TOT_GENERAL) {
            const strings = typeof authorization === "string" && typeof secret === "string";
            const bytes = strings ? __totSmallBytes(body) : undefined;
            if (bytes !== undefined) {
                __verifyTotWebhookBytes(bytes, authorization, secret);
                const parsed = __totParse(bytes);
                if (parsed !== __TOT_GENERAL) {
                    __checkTotTimestampNow(parsed, now);
                    return parsed;
                }
${LARGE ? LARGE_BRANCH : ""}            }
            return __verifyTotWebhookNow(body, authorization, secret, now);
        }
    }
`;
const doc = glue.lastIndexOf("/**", match.index);
const at = doc >= 0 && /^\/\*\*[^]*?\*\/\n$/.test(glue.slice(doc, match.index)) ? doc : match.index;
const end = match.index + match[0].length;
glue = glue.slice(0, at) + helpers + glue.slice(at, end) + prologue + glue.slice(end);
fs.writeFileSync(file, glue);
