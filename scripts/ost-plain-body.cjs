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
`;
const prologue = `    if (body !== null && typeof body === "object") {
        const fast = __ostPlainVerify(body, options);
        if (fast !== undefined) return fast;
    }
`;
// The helpers go above the function's doc comment, so that the comment stays on the function.
const doc = glue.lastIndexOf("/**", match.index);
const at = doc >= 0 && /^\/\*\*[^]*?\*\/\n$/.test(glue.slice(doc, match.index)) ? doc : match.index;
const end = match.index + match[0].length;
glue = glue.slice(0, at) + helpers + glue.slice(at, end) + prologue + glue.slice(end);
fs.writeFileSync(file, glue);
