// Generates reasons.json: what Token of Trust's own reasonIsPositive / reasonValue say about ~2000 inputs.
//
//   node tests/vectors/gen_reasons.mjs        (from the repository root; deterministic, no npm packages)
//
// The reference is the provider's code, copied below.

import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "reasons.json");

// ---- Copied from seed 004_47e5d2f9b23f90e7.txt, section "Utility Functions" (Token of Trust Verify Person
// API docs). The extracted text lost the closing braces of reasonIsPositive, handleNotApplicable, the
// `else if` block in reasonValue, isObject and isBoolean; they are restored (marked "restored"), nothing else
// is changed.
// Some utility classes...
function reasonIsPositive(reason) {
  var theReasonValue = reasonValue(reason);
  return !! (theReasonValue && theReasonValue !== 'false' && theReasonValue !==
'noMatch' && theReasonValue !== 'no match' && theReasonValue !==
'insufficientData' && theReasonValue !== 'notApplicable');
} // restored
function handleNotApplicable(value) {
  return (value === 'notApplicable') ? undefined : value;
} // restored
function reasonValue(reason) {
  var retVal = reason;
  if (isBoolean(reason)) {
      retVal = reason;
   } else if (isObject(reason)) {
      retVal = reason.value !== undefined ? reason.value : reason.status;
   } // restored
  return handleNotApplicable(retVal);
}
function isObject(possibleObject) {
  return (possibleObject !== undefined) &&
Object.prototype.toString.call(possibleObject) === '[object Object]';
} // restored
function isBoolean(possibleBool) {
  return (possibleBool !== undefined) &&
Object.prototype.toString.call(possibleBool) === '[object Boolean]';
} // restored
// ---- End of the seed's code.

// mulberry32, seeded: deterministic.
let state = 20261122 >>> 0;
function rand() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (list) => list[Math.floor(rand() * list.length)];

const KNOWN_STRINGS = ["true", "false", "fullMatch", "partialMatch", "noMatch", "no match", "insufficientData",
  "notApplicable", "", "0", "1", "null", "undefined", "False", "FALSE", "NoMatch", "nomatch", "no  match",
  " noMatch", "noMatch ", "notapplicable", "not applicable", "insufficientdata", "paritalMatch", "yes", "no",
  "value", "status", "[]", "{}", " ", "\u0000", "é", "😀"];
const NUMBERS = [0, -0, 1, -1, 0.5, -0.5, 2, 1e-7, 1e21, 123456789, -2147483648, 9007199254740991, 3.14];
const CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-éü中😀";

function randomString() {
  const chars = [...CHARS];
  let s = "";
  for (let i = int(0, 12); i > 0; i--) s += pick(chars);
  return s;
}

function scalar() {
  const r = rand();
  if (r < 0.15) return rand() < 0.5;
  if (r < 0.55) return pick(KNOWN_STRINGS);
  if (r < 0.65) return randomString();
  if (r < 0.85) return pick(NUMBERS);
  return null;
}

// Any JSON value; depth bounds the nesting.
function value(depth) {
  const r = rand();
  if (depth > 0 && r < 0.12) return Array.from({ length: int(0, 3) }, () => value(depth - 1));
  if (depth > 0 && r < 0.35) return reasonObject(depth - 1);
  return scalar();
}

// Objects shaped like a reason: value and/or status, sometimes other keys, sometimes empty.
function reasonObject(depth) {
  const o = {};
  const r = rand();
  const keys = [];
  if (r < 0.3) keys.push("value");
  else if (r < 0.55) keys.push("status");
  else if (r < 0.85) keys.push(...(rand() < 0.5 ? ["value", "status"] : ["status", "value"]));
  else if (r < 0.93) keys.push(); // empty object
  else keys.push(pick(["Value", "STATUS", "values", "reason", "result"]));
  if (rand() < 0.2) keys.push(pick(["details", "source", "updatedAt", "label", "__proto__x"]));
  for (const k of keys) o[k] = value(depth);
  return o;
}

const cases = [];
const seen = new Set();
function add(input, missing = false) {
  // What a consumer sees: the JSON text, parsed. (This is also where -0 becomes 0.)
  const text = missing ? "missing" : JSON.stringify(input);
  const parsed = missing ? undefined : JSON.parse(text);
  const c = missing ? { missing: true } : { input: parsed };
  c.positive = reasonIsPositive(parsed);
  const v = reasonValue(parsed);
  if (v === undefined) c.value_undefined = true;
  else c.value = v;
  const key = JSON.stringify(c);
  if (seen.has(key)) return;
  seen.add(key);
  cases.push(c);
}

// Every simple case first.
add(undefined, true);
for (const b of [true, false]) add(b);
for (const s of KNOWN_STRINGS) add(s);
for (const n of NUMBERS) add(n);
add(null);
add([]);
add([false]);
add([[]]);
add({});
add({ other: "fullMatch" });
for (const inner of [true, false, null, [], {}, ...KNOWN_STRINGS, ...NUMBERS]) {
  add({ value: inner });
  add({ status: inner });
  add({ value: inner, status: "fullMatch" });
  add({ value: inner, status: "noMatch" });
  add({ status: "fullMatch", value: inner });
  add({ value: "notApplicable", status: inner });
}
add({ value: { value: false } });
add({ value: { status: "fullMatch" } });
add({ value: { value: "notApplicable" } });
add({ status: { value: "noMatch" } });
add({ value: [] });
add({ value: [false] });

let guard = 0;
while (cases.length < 2000 && guard++ < 100000) {
  const r = rand();
  if (r < 0.6) add(reasonObject(pick([0, 0, 0, 1, 1, 2, 3])));
  else add(value(pick([0, 1, 2, 3])));
}

const source = `gen_reasons.mjs: Node ${process.version}, Token of Trust's reasonIsPositive/reasonValue copied ` +
  "from seed 004_47e5d2f9b23f90e7.txt (Utility Functions), closing braces restored";
const text = `{"source": ${JSON.stringify(source)},\n"cases": [\n${cases.map((c) => JSON.stringify(c)).join(",\n")}\n]}\n`;
writeFileSync(OUT, text);
console.log(`reasons.json: ${cases.length} cases, ${Buffer.byteLength(text)} bytes, ` +
  `${cases.filter((c) => c.positive).length} positive, ${cases.filter((c) => c.value_undefined).length} undefined`);
