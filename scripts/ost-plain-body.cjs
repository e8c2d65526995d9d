// Patches wasm-bindgen's glue (<dir>/kyc_wasm.js, CommonJS or ES module) so that `verifyOstWebhook` reads a
// body that middleware already parsed (Express `urlencoded`, `json`) in one crossing into wasm (issue 16).
//
// Before: the wasm read such an object property by property, each read a call across the JavaScript/wasm
// boundary (0.37x the speed of plain JavaScript). Now the glue first checks, in JavaScript, that the body is
// *plain*: strings, booleans, null, safe integers other than -0, arrays (Array.prototype) and objects
// (Object.prototype or null prototype), no undefined property, nothing with a toJSON, at most 2^24 values and
// 512 levels. For such a value `JSON.stringify` writes exactly what the property-by-property reader reads (the
// same keys in the same order, Object.keys order), so the body is serialised once, encoded as UTF-8 and handed
// to `__verifyOstWebhookPlain` (src/wasm/ost_plain.rs), which reads the options exactly as `verifyOstWebhook`
// does. Everything else (functions, symbols, bigints, Dates, Maps, class instances, toJSON, undefined
// properties, fractions, cycles, throwing getters or proxies) goes to the general `verifyOstWebhook`
// unchanged, and so does a body the fast reader does not take (a limit reached): same answers, same typed
// errors. The one observable difference: a property getter runs twice (once for the check, once for
// JSON.stringify).
//
// Session 3 (only where the glue has `__verifyOstWebhookParts` and `__verifyOstWebhookDirect`: the Node builds,
// cargo feature `node-fast`): the options are read here when they are the common kind (limits absent, `url` a
// string, `toleranceSeconds`/`now` numbers or absent, `contentType` a string or absent; `secret` passed as
// given) and passed as arguments, no property read from wasm. A body that is not a parsed object goes to
// `__verifyOstWebhookParts` (the general verification with those options). A parsed object of strings, objects
// and arrays of strings is copied here (each property read once, the top-level `signature` kept aside) and
// `JSON.stringify` of the copy goes to `__verifyOstWebhookDirect`, which walks the text once in Rust; when it
// answers `true` the copy is the answer (what the second pass would have returned, as a fresh object), when it
// answers `undefined` (another key order, a number, an escape…) the path above decides. Getters of the body
// then run once more. And wasm-bindgen's `passStringToWasm0` encodes strings longer than 64 units with one
// `encodeInto` (same bytes).
//
//   node scripts/ost-plain-body.cjs <dir>       (a no-op when the glue has no verifyOstWebhook)
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const file = path.join(path.resolve(process.argv[2]), "kyc_wasm.js");
let glue = fs.readFileSync(file, "utf8");
const SIGNATURE = /^(export )?function verifyOstWebhook\(body, options\) \{\n/m;
if (!/function verifyOstWebhook\(/.test(glue)) process.exit(0);
if (glue.includes("__ostPlainVerify")) process.exit(0); // already patched
const match = glue.match(SIGNATURE);
if (!match || !/function __verifyOstWebhookPlain\(json, options\)/.test(glue)) {
  throw new Error(`ost-plain-body: ${file}: verifyOstWebhook or __verifyOstWebhookPlain not in the expected form (wasm-bindgen changed?)`);
}

// The Node builds (cargo feature `node-fast`) have the exports of the session-3 fast paths; the edge builds do not
// (their size), and get the first two passes only.
const PARTS = /function __verifyOstWebhookParts\(body, url, secret, tolerance_seconds, now, content_type\)/.test(glue);
const DIRECT = /function __verifyOstWebhookDirect\(json, signature, url, secret, tolerance_seconds, now, content_type\)/.test(glue);
if (PARTS !== DIRECT) throw new Error(`ost-plain-body: ${file}: __verifyOstWebhookParts and __verifyOstWebhookDirect come together`);
const FAST = PARTS && DIRECT;
const FAST_HELPERS = `// Issue 16, third pass: the options read here (no property read from wasm) when they are the common kind, and
// the commonest parsed body (what Express urlencoded hands over) copied here and verified from its JSON text.
/** {url, secret, tolerance, now, contentType} as verifyOstWebhook would read them, or undefined: the general
 * path decides (limits set, a type the core would refuse, options that are not an object, a throwing getter). */
function __ostOptions(options) {
    try {
        if (options === null || typeof options !== "object") return undefined;
        if (options.maxBodyBytes != null || options.maxDepth != null || options.maxParams != null || options.maxKeyBytes != null) return undefined;
        const url = options.url, secret = options.secret, tolerance = options.toleranceSeconds, now = options.now, contentType = options.contentType;
        if (typeof url !== "string" || (tolerance != null && typeof tolerance !== "number") ||
            (now != null && typeof now !== "number") || (contentType != null && typeof contentType !== "string")) return undefined;
        return { url, secret, tolerance, now, contentType };
    } catch (_) {
        return undefined;
    }
}
/** A fresh copy of a plain object of strings, objects and arrays of strings (each property read once), or
 * undefined. At the top level \`signature\` (a string) is left out and kept in \`top.signature\`. */
function __ostCopy(value, depth, top) {
    const proto = Object.getPrototypeOf(value);
    if ((proto !== Object.prototype && proto !== null) || Array.isArray(value) || depth > 32) return undefined;
    const keys = Object.keys(value);
    const out = {};
    for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const item = value[key];
        if (key === "__proto__") return undefined;
        if (typeof item === "string") {
            if (depth === 0 && key === "signature") top.signature = item;
            else out[key] = item;
            continue;
        }
        if (typeof item !== "object" || item === null || (depth === 0 && key === "signature")) return undefined;
        let copy;
        if (Array.isArray(item)) {
            if (Object.getPrototypeOf(item) !== Array.prototype) return undefined;
            const n = item.length;
            copy = [];
            for (let j = 0; j < n; j++) {
                const s = item[j];
                if (typeof s !== "string") return undefined;
                copy.push(s);
            }
        } else {
            copy = __ostCopy(item, depth + 1, top);
            if (copy === undefined) return undefined;
        }
        out[key] = copy;
    }
    return out;
}
/** Whether an object body is bytes (undefined when that cannot be told: a revoked proxy; the core decides). */
function __ostBytes(body) {
    try {
        return ArrayBuffer.isView(body) || body instanceof ArrayBuffer;
    } catch (_) {
        return undefined;
    }
}
/** The answer for a parsed body through __verifyOstWebhookDirect, or undefined: the general path decides. */
function __ostDirect(body, o) {
    let copy, json, signature;
    try {
        // JSON.stringify must write the copy's own data and nothing else.
        if (typeof Object.prototype.toJSON === "function" || typeof Array.prototype.toJSON === "function") return undefined;
        const top = { signature: undefined };
        copy = __ostCopy(body, 0, top);
        signature = top.signature;
        if (copy === undefined || signature === undefined) return undefined;
        json = JSON.stringify(copy);
    } catch (_) {
        return undefined;
    }
    // true: verified, and the answer is the copy (without signature); undefined: not that form.
    return __verifyOstWebhookDirect(json, signature, o.url, o.secret, o.tolerance, o.now, o.contentType) === true ? copy : undefined;
}
`;
const helpers = `// Issue 16 (scripts/ost-plain-body.cjs): a plain parsed body crosses into wasm once, as JSON text.
const __OST_UTF8 = new TextEncoder();
function __ostPlain(value, depth, budget) {
    if (typeof value === "string" || typeof value === "boolean" || value === null) return true;
    if (typeof value === "number") return Number.isSafeInteger(value) && !Object.is(value, -0);
    if (typeof value !== "object" || depth > 512 || --budget.left < 0) return false;
    if (typeof value.toJSON === "function") return false;
    const proto = Object.getPrototypeOf(value);
    if (Array.isArray(value)) {
        if (proto !== Array.prototype || value.length > budget.left) return false;
        for (let i = 0; i < value.length; i++) {
            const item = value[i];
            if (item !== undefined && !__ostPlain(item, depth + 1, budget)) return false;
        }
        return true;
    }
    if (proto !== Object.prototype && proto !== null) return false;
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
        const item = value[keys[i]];
        if (item === undefined || !__ostPlain(item, depth + 1, budget)) return false;
    }
    return true;
}
/** The answer of the fast path, or undefined: the general path decides. */
function __ostPlainVerify(body, options) {
    let json;
    try {
        if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer || !__ostPlain(body, 0, { left: 1 << 24 })) return undefined;
        json = __OST_UTF8.encode(JSON.stringify(body));
    } catch (_) {
        return undefined;
    }
    const answer = __verifyOstWebhookPlain(json, options);
    // JSON text written by the core (the verified parameters), or the object, or undefined.
    return typeof answer === "string" ? JSON.parse(answer) : answer;
}
${FAST ? FAST_HELPERS : ""}`;
const FAST_PROLOGUE = `    const o = __ostOptions(options);
    if (o !== undefined) {
        const bytes = body === null || typeof body !== "object" || __ostBytes(body);
        if (bytes === true) return __verifyOstWebhookParts(body, o.url, o.secret, o.tolerance, o.now, o.contentType);
        if (bytes === false) {
            const fast = __ostDirect(body, o);
            if (fast !== undefined) return fast;
        }
    }
`;
const prologue = `${FAST ? FAST_PROLOGUE : ""}    if (body !== null && typeof body === "object") {
        const fast = __ostPlainVerify(body, options);
        if (fast !== undefined) return fast;
    }
`;
// The helpers go above the function's doc comment, so that the comment stays on the function.
const doc = glue.lastIndexOf("/**", match.index);
const at = doc >= 0 && /^\/\*\*[^]*?\*\/\n$/.test(glue.slice(doc, match.index)) ? doc : match.index;
const end = match.index + match[0].length;
glue = glue.slice(0, at) + helpers + glue.slice(at, end) + prologue + glue.slice(end);

// Strings into wasm (every string argument, and every string the core reads, such as a raw OST or TOT body):
// wasm-bindgen copies the ASCII prefix one character at a time in JavaScript (0.65 µs for 440 characters) and
// hands the rest to TextEncoder.encodeInto; a long string now goes to encodeInto whole (0.07 µs), which writes
// the same bytes (a lone surrogate is U+FFFD either way). The block is then shrunk to the bytes written, as
// wasm-bindgen does.
if (!FAST) {
  fs.writeFileSync(file, glue);
  process.exit(0);
}
const PASS = /^function passStringToWasm0\(arg, malloc, realloc\) \{\n/m;
const pass = glue.match(PASS);
if (!pass || !/\bcachedTextEncoder\.encodeInto\(/.test(glue)) {
  throw new Error(`ost-plain-body: ${file}: passStringToWasm0 not in the expected form (wasm-bindgen changed?)`);
}
const passEnd = pass.index + pass[0].length;
glue = glue.slice(0, passEnd) + `    if (realloc !== undefined && arg.length > 64) {
        // Issue 16 (scripts/ost-plain-body.cjs): a long string encoded in one call.
        const cap = arg.length * 3;
        let ptr = malloc(cap, 1) >>> 0;
        const written = cachedTextEncoder.encodeInto(arg, getUint8ArrayMemory0().subarray(ptr, ptr + cap)).written;
        ptr = realloc(ptr, cap, written, 1) >>> 0;
        WASM_VECTOR_LEN = written;
        return ptr;
    }
` + glue.slice(passEnd);
fs.writeFileSync(file, glue);
