// The Token of Trust verifyPerson flow (issue 3), against the Node build (pkg/node, by require):
//
// - a differential test of evaluateVerification against the seed's own doVerifyPerson success handler;
// - every branch of evaluateVerification and processPersonResponse;
// - buildVerifyPersonBody's validation, field by field;
// - appUserIdFromEmail against node:crypto's SHA3-256;
// - that the browser build (pkg/web) has no buildVerifyPersonBody and never mentions totSecretKey.
//
// Self-contained on purpose: the expected answers come from the seed's code (copied below), node:crypto and
// tables written out here, never from the Rust code. Replay a random run with KYC_TEST_SEED=<seed>.

import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// KYC_PKG_DIR: test a copy of pkg/ (for instance while pkg/ is being rebuilt); pkg/ by default.
const PKG = process.env.KYC_PKG_DIR ? path.resolve(process.env.KYC_PKG_DIR) : path.join(ROOT, "pkg");
const NODE_BUILD = path.join(PKG, "node", "kyc_wasm.js");
if (!existsSync(NODE_BUILD)) {
  throw new Error(`pkg/ is not built (no ${NODE_BUILD}): run \`bash scripts/build.sh\` first`);
}
const require = createRequire(import.meta.url);
const kyc = process.env.KYC_PKG_DIR ? require(NODE_BUILD) : require("../../pkg/node/kyc_wasm.js");

const MET = "WorkflowService:conditionsMet";
const NEXT = "WorkflowService:nextStepIsInteractive";
const CONTINUATION_URL = "https://app.tokenoftrust.com/continue/abc123";

// -------------------------------------------------------------------------------------------------------------
// Randomness: mulberry32, seeded so that any failure can be replayed.

function testSeed() {
  const fromEnv = process.env.KYC_TEST_SEED;
  return fromEnv ? Number(fromEnv) >>> 0 : randomBytes(4).readUInt32LE(0);
}

function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    bool: (p = 0.5) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

// -------------------------------------------------------------------------------------------------------------
// The seed's client handler, copied from shared/seeds/004_47e5d2f9b23f90e7.txt: "Code Sample / 1. Ajax
// request (verifyPerson) from the client side" (doVerifyPerson) and "Utility Functions" (reasonIsPositive,
// reasonValue and helpers). The seed text lost some closing braces; the restored ones are marked
// `// restored`, nothing else in the seed's statements is changed. The free variables the seed relies on
// (window.totOpts, $, tot, console, verifyPersonInProgress) are provided by `seedHarness`; one probe line
// (marked `// TEST PROBE`) records the handler's local verificationMessageCode, which it never returns.

/* eslint-disable */
function seedHarness() {
  const calls = { tot: [], onVerified: [], onError: [], probe: null };
  const window = { totOpts: { verifyPersonUrl: "/verifyPerson" } };
  const console = { error() {}, log() {} };
  let verifyPersonInProgress = false;
  let ajaxContent;
  // $.ajax: no request, the success callback gets the generated content at once.
  const $ = { ajax: (options) => options.success(ajaxContent, "success", {}) };
  const tot = (...args) => { calls.tot.push(args); };
  const probe = (verificationMessageCode, verificationRequired) => {
    calls.probe = { verificationMessageCode, verificationRequired };
  };

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

  function doVerifyPerson(verifyPersonBody, autoOpen, onVerified, onError) {
    var verifyPerson = window.totOpts["verifyPerson"] || {};
    var verifyPersonUrl = verifyPerson.url || window.totOpts["verifyPersonUrl"];
     if (verifyPersonInProgress) {
        return;
     } // restored
     verifyPersonInProgress = true;
     $.ajax({
         url: verifyPersonUrl,
         type: "POST",
         data: verifyPersonBody,
         dataType: "json",
         timeout: 10 * 1000,
         success: function (content, textStatus, theXhr) {
            var continuation = content && content.continuation || content;
             var continuationParams =
                 content.continuation && content.continuation.params || {};
             var verificationMessageCode, verificationRequired;
             if (content && (content.verificationRequired === undefined ||
  content.verificationMessageCode === undefined)
                 && content.code === "WorkflowService:conditionsMet") {
                 const gates =
                     content.details &&
                     content.details.conditionResult &&
                     content.details.conditionResult.gates;
                 const isCleared = reasonIsPositive(gates["isCleared"]);
                 const isNotRequired = reasonIsPositive(
                     gates["isNotRequired"]
                 );
                 const isSubmitted = reasonIsPositive(gates["isSubmitted"]);
                 const isUpdateRequested = reasonIsPositive(
                     gates["isUpdateRequested"]
                 );
  verificationRequired = false;
                 if (isNotRequired) {
                     verificationMessageCode = undefined;
                 } else if (isCleared) {
                     verificationMessageCode = "isCleared";
                 } else if (isUpdateRequested) {
                     verificationMessageCode = "isUpdateRequested";
                     verificationRequired = true;
                     console.error('TOT: conditionsMet and update requested!',
  content);
                 } else if (isSubmitted) {
                     verificationMessageCode = "isSubmitted";
                 }
             }
             probe(verificationMessageCode, verificationRequired); // TEST PROBE
             if (verificationRequired !== false && continuationParams.url) {
                 if (autoOpen) {
                     // When required - use continuationParams to start the
  // verification process using the tot function.
                     continuationParams.disableClose = true;
                     tot("modalOpen", "continue", continuationParams);
                 } // restored
             } else if (verificationMessageCode && verificationMessageCode ===
  "error") {
                 verifyPersonInProgress = false;
                 return onError(content.errorMessage);
             } else {
                 verifyPersonInProgress = false;
                 return onVerified(content);
             }
         },
         error: function (theXhr, textStatus, errorThrown) {
             console.error("Failure(%s) in POST to %s", textStatus,
  verifyPersonUrl);
             verifyPersonInProgress = false;
         } ,
    });
  } // restored

  return {
    calls,
    run(content) {
      ajaxContent = content;
      doVerifyPerson({}, /* autoOpen */ true, (c) => calls.onVerified.push(c), (m) => calls.onError.push(m));
    },
  };
}
/* eslint-enable */

/**
 * What the seed's client does with `content` (autoOpen on): "continue" (modalOpen, with its params),
 * "verified" (onVerified), "error" (onError) or "threw"; plus the handler's verificationMessageCode.
 */
function seedOutcome(content) {
  const seed = seedHarness();
  try {
    seed.run(content);
  } catch (e) {
    return { outcome: "threw", error: e };
  }
  const { calls } = seed;
  const messageCode = calls.probe?.verificationMessageCode;
  if (calls.tot.length > 0) {
    assert.equal(calls.tot.length, 1);
    const [command, name, params] = calls.tot[0];
    assert.equal(command, "modalOpen");
    assert.equal(name, "continue");
    return { outcome: "continue", params, messageCode };
  }
  if (calls.onVerified.length > 0) return { outcome: "verified", messageCode };
  if (calls.onError.length > 0) return { outcome: "error", messageCode };
  return { outcome: "nothing", messageCode };
}

// -------------------------------------------------------------------------------------------------------------
// Generated verifyPerson responses.

const REASON_SCALARS = [
  true, false, "fullMatch", "partialMatch", "noMatch", "no match", "insufficientData", "notApplicable", "false",
  "true", "", "0", "cleared", 0, 1, -1, 0.5, null,
];

function reason(r, depth = 2) {
  const roll = r.next();
  if (depth <= 0 || roll < 0.55) return r.pick(REASON_SCALARS);
  if (roll < 0.65) return r.bool() ? [] : [reason(r, depth - 1)];
  if (roll < 0.75) return {};
  if (roll < 0.85) return { value: reason(r, depth - 1) };
  if (roll < 0.92) return { status: reason(r, depth - 1) };
  return { value: reason(r, depth - 1), status: reason(r, depth - 1) };
}

const GATE_NAMES = ["isNotRequired", "isCleared", "isUpdateRequested", "isSubmitted"];
const OTHER_GATES = ["isRejected", "isPending", "isExpired"];

function gates(r) {
  const out = {};
  const mode = r.int(3); // 0: all four gates, 1: some of them, 2: one of them
  const names = mode === 0 ? GATE_NAMES : mode === 1 ? GATE_NAMES.filter(() => r.bool()) : [r.pick(GATE_NAMES)];
  for (const name of names) out[name] = reason(r);
  if (r.bool(0.3)) out[r.pick(OTHER_GATES)] = reason(r);
  return out;
}

/** `details` with gates present, missing or broken at every level. */
function details(r) {
  switch (r.int(12)) {
    case 0: return undefined;
    case 1: return {};
    case 2: return { conditionResult: {} };
    case 3: return { conditionResult: { gates: null } };
    case 4: return { conditionResult: null };
    case 5: return { conditionResult: { gates: {} } };
    case 6: return r.pick(["x", 0, [], true]);
    default: return { conditionResult: { gates: gates(r), passed: r.bool() } };
  }
}

function continuation(r) {
  switch (r.int(10)) {
    case 0: return undefined;
    case 1: return null;
    case 2: return {};
    case 3: return { params: {} };
    case 4: return { params: { url: "" } };
    case 5: return { params: null };
    case 6: return { params: { url: `${CONTINUATION_URL}?n=${r.int(1000)}`, disableClose: r.bool() } };
    default: {
      const params = { url: `${CONTINUATION_URL}?n=${r.int(1000)}` };
      if (r.bool(0.3)) params.title = "Verify your identity";
      if (r.bool(0.2)) params.width = 640;
      const c = { params };
      if (r.bool(0.3)) c.id = `c-${r.int(1e6)}`;
      return c;
    }
  }
}

/** A random verifyPerson response: TOT's own content, an app server's pass-through, an error, or junk. */
function content(r) {
  if (r.bool(0.04)) return r.pick([null, undefined, {}, "", "text", 0, 42, false, true, [], [{}]]);
  const out = {};
  const codeRoll = r.next();
  if (codeRoll < 0.4) out.code = MET;
  else if (codeRoll < 0.6) out.code = NEXT;
  else if (codeRoll < 0.72) out.code = r.pick(["WorkflowService:somethingElse", "AuthService:invalidKey", "", 5]);
  // else: no code
  if (out.code === MET ? r.bool(0.9) : r.bool(0.2)) {
    const d = details(r);
    if (d !== undefined || r.bool(0.1)) out.details = d;
  }
  if (r.bool(0.5)) {
    const c = continuation(r);
    if (c !== undefined || r.bool(0.1)) out.continuation = c;
  }
  if (r.bool(0.12)) {
    out.type = r.pick(["error", "error", "success"]);
    if (r.bool()) out.message = r.pick(["Invalid API key", "", "Server error"]);
    if (r.bool(0.3)) out.errorMessage = "Something failed";
  }
  if (r.bool(0.3)) out.verificationRequired = r.pick([true, false, null, "false", undefined]);
  if (r.bool(0.25)) out.verificationMessageCode = r.pick(["isCleared", "error", null, "", undefined]);
  if (r.bool(0.08)) {
    out.error = r.pick([
      { code: "TOT_ERROR", message: "bad" },
      { code: "HTTP_ERROR", message: "HTTP 502", status: 502 },
      { message: "no code" },
      "a string error",
    ]);
  }
  if (r.bool(0.1)) out.metadata = { status: r.pick([200, 400, 500]) };
  return out;
}

/** What the seed's handler sees: JSON as parsed from the wire (our binding skips `undefined` properties too). */
const clone = (v) => (v === undefined ? undefined : structuredClone(v));
const show = (v) => (v === undefined ? "undefined" : JSON.stringify(v));

// -------------------------------------------------------------------------------------------------------------
// 1. The differential test.

test("differential: evaluateVerification against the seed's doVerifyPerson success handler", (t) => {
  const seed = testSeed();
  t.diagnostic(`KYC_TEST_SEED=${seed}`);
  const r = rng(seed);
  const N = 5000;
  const counts = {};
  const bump = (key) => { counts[key] = (counts[key] ?? 0) + 1; };
  for (let i = 0; i < N; i++) {
    const input = content(r);
    const where = `case ${i} (KYC_TEST_SEED=${seed}): ${show(input)}`;
    const ours = kyc.evaluateVerification(clone(input));
    const theirs = seedOutcome(clone(input));

    // The shape of every decision.
    assert.ok(["verified", "continue", "error"].includes(ours.action), where);
    assert.equal(ours.verificationRequired, ours.action !== "verified", where);
    assert.equal(ours.error === null, ours.action !== "error", where);
    assert.equal(ours.continuation === null, ours.action !== "continue", where);
    if (ours.action === "error") {
      assert.equal(typeof ours.error.code, "string", where);
      assert.equal(typeof ours.error.message, "string", where);
      assert.equal(ours.messageCode, null, where);
    }

    if (theirs.outcome === "continue") {
      // The seed opens the modal: so do we, with the same params (disableClose forced to true by the
      // seed; ours keeps an explicit boolean disableClose, the "defaulting to true").
      assert.equal(ours.action, "continue", `seed opens the modal, ours says ${ours.action}: ${where}`);
      const original = input.continuation.params;
      const explicit = typeof original.disableClose === "boolean";
      const expected = { ...theirs.params, disableClose: explicit ? original.disableClose : true };
      assert.deepStrictEqual(ours.continuation, expected, where);
      assert.equal(ours.continuation.url, theirs.params.url, where);
      assert.equal(ours.messageCode, theirs.messageCode ?? null, where);
      if (explicit && !original.disableClose) bump("agree: continue (explicit disableClose:false kept)");
      else bump("agree: continue");
    } else if (theirs.outcome === "verified" && ours.action === "verified") {
      assert.equal(ours.messageCode, theirs.messageCode ?? null, where);
      bump("agree: verified");
    } else {
      // Every difference is one where the seed fails open, and ours fails closed.
      assert.ok(
        theirs.outcome === "verified" || theirs.outcome === "threw",
        `ours ${ours.action} differs from a seed that does not fail open (${theirs.outcome}): ${where}`,
      );
      assert.equal(ours.action, "error", `seed ${theirs.outcome}, ours ${ours.action}: ${where}`);
      bump(`differ: seed ${theirs.outcome === "threw" ? "threw" : "onVerified"}, ours error ${ours.error.code}`);
    }
  }
  const lines = Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [key, n] of lines) t.diagnostic(`${key}: ${n}`);
  // The generator must reach every outcome.
  const total = (prefix) => lines.filter(([k]) => k.startsWith(prefix)).reduce((s, [, n]) => s + n, 0);
  assert.ok(counts["agree: continue"] > 300, "continue");
  assert.ok(counts["agree: verified"] > 200, "verified");
  assert.ok(total("differ: seed onVerified") > 300, "seed onVerified");
  assert.ok(total("differ: seed threw") > 50, "seed threw");
  for (const code of ["NO_CONTENT", "NO_POSITIVE_GATE", "NO_CONTINUATION", "TOT_ERROR", "UNEXPECTED_RESPONSE"]) {
    assert.ok(lines.some(([k]) => k.endsWith(` ${code}`)), `no case ended in ${code}`);
  }
});

test("differential: the seed's fail-open cases, written out", () => {
  // Each of these lets the user through in the seed (or throws); ours is an error.
  const failOpen = [
    [{}, "verified", "UNEXPECTED_RESPONSE"],
    [{ type: "error", message: "Invalid API key" }, "verified", "TOT_ERROR"],
    [{ code: MET, details: { conditionResult: { gates: {} } } }, "verified", "NO_POSITIVE_GATE"],
    [{ code: MET, details: { conditionResult: { gates: { isUpdateRequested: true } } } }, "verified", "NO_CONTINUATION"],
    [{ code: MET }, "threw", "NO_POSITIVE_GATE"],
    [{ code: MET, details: { conditionResult: { gates: null } } }, "threw", "NO_POSITIVE_GATE"],
    [null, "threw", "NO_CONTENT"],
    [undefined, "threw", "NO_CONTENT"],
    ["", "verified", "NO_CONTENT"],
    [[], "verified", "NO_CONTENT"],
    [{ verificationRequired: true }, "verified", "UNEXPECTED_RESPONSE"],
    [{ verificationRequired: true, error: { code: "TOT_ERROR", message: "x" } }, "verified", "TOT_ERROR"],
    [{ verificationRequired: false, error: { code: "HTTP_ERROR", message: "x" } }, "verified", "HTTP_ERROR"],
    [{ code: NEXT }, "verified", "UNEXPECTED_RESPONSE"],
    [{ code: NEXT, continuation: { params: { url: "" } } }, "verified", "UNEXPECTED_RESPONSE"],
  ];
  for (const [input, seedSays, code] of failOpen) {
    assert.equal(seedOutcome(clone(input)).outcome, seedSays, show(input));
    const ours = kyc.evaluateVerification(clone(input));
    assert.equal(ours.action, "error", show(input));
    assert.equal(ours.error.code, code, show(input));
  }
});

test("the seed opens a modal for a non-string params.url; ours refuses (error), recorded as a deviation", () => {
  // Outside the differential's generator: a truthy non-string url opens a broken modal in the seed.
  for (const url of [1, true, { href: CONTINUATION_URL }, [CONTINUATION_URL]]) {
    const input = { code: NEXT, continuation: { params: { url } } };
    assert.equal(seedOutcome(clone(input)).outcome, "continue");
    const ours = kyc.evaluateVerification(input);
    assert.equal(ours.action, "error", show(input));
    assert.equal(ours.error.code, "UNEXPECTED_RESPONSE");
  }
});

// -------------------------------------------------------------------------------------------------------------
// 2. evaluateVerification, branch by branch.

const met = (g, extra = {}) => ({ code: MET, details: { conditionResult: { gates: g } }, ...extra });
const cont = (params = { url: CONTINUATION_URL }) => ({ continuation: { params } });
const decision = (action, rest = {}) => ({
  action,
  verificationRequired: action !== "verified",
  messageCode: null,
  continuation: null,
  error: null,
  ...rest,
});
const errorDecision = (code, message, status) =>
  decision("error", { error: status === undefined ? { code, message } : { code, message, status } });

test("evaluateVerification: conditionsMet, gate by gate in the seed's order", () => {
  const ev = kyc.evaluateVerification;
  // isNotRequired wins over everything, and has no message code.
  assert.deepStrictEqual(ev(met({ isNotRequired: true, isCleared: "fullMatch", isUpdateRequested: true })), decision("verified"));
  assert.deepStrictEqual(ev(met({ isNotRequired: { value: "fullMatch" } })), decision("verified"));
  // isCleared next.
  assert.deepStrictEqual(ev(met({ isCleared: "fullMatch", isUpdateRequested: true, isSubmitted: true })), decision("verified", { messageCode: "isCleared" }));
  assert.deepStrictEqual(ev(met({ isNotRequired: "notApplicable", isCleared: { status: "partialMatch" } })), decision("verified", { messageCode: "isCleared" }));
  // isUpdateRequested: continue when there is a continuation, error when there is none.
  assert.deepStrictEqual(
    ev(met({ isUpdateRequested: true, isSubmitted: true }, cont())),
    decision("continue", { messageCode: "isUpdateRequested", continuation: { url: CONTINUATION_URL, disableClose: true } }),
  );
  assert.deepStrictEqual(
    ev(met({ isUpdateRequested: true, isSubmitted: true })),
    errorDecision("NO_CONTINUATION", "an update was requested but the response has no continuation"),
  );
  assert.deepStrictEqual(ev(met({ isUpdateRequested: true }, cont({ url: "" }))).error.code, "NO_CONTINUATION");
  // isSubmitted last.
  assert.deepStrictEqual(ev(met({ isSubmitted: 1, isCleared: "noMatch" })), decision("verified", { messageCode: "isSubmitted" }));
  // A continuation does not override a positive gate (the seed sets verificationRequired = false).
  assert.deepStrictEqual(ev(met({ isCleared: true }, cont())), decision("verified", { messageCode: "isCleared" }));
  // No positive gate: error, never verified.
  for (const g of [{}, { isCleared: "noMatch", isSubmitted: "insufficientData" }, { isRejected: true }, { isCleared: { value: null, status: "fullMatch" } }]) {
    assert.deepStrictEqual(ev(met(g)), errorDecision("NO_POSITIVE_GATE", "conditions met, but no gate is positive"), show(g));
    assert.deepStrictEqual(ev(met(g, cont())).action, "error", show(g));
  }
});

test("evaluateVerification: a TOT error that also says conditionsMet is an error, as in processPersonResponse", () => {
  const gatesCleared = { isCleared: true };
  for (const extra of [{ type: "error", message: "x" }, { error: { code: "TOT_ERROR", message: "x" } }]) {
    const content = met(gatesCleared, extra);
    // processPersonResponse already refuses the type:"error" one (TOT_ERROR).
    if (extra.type) assert.equal(kyc.processPersonResponse({ content }).error?.code, "TOT_ERROR");
    assert.equal(kyc.evaluateVerification(content).action, "error", show(content));
  }
});

test("evaluateVerification: missing or broken gates do not throw", () => {
  for (const d of [undefined, null, {}, { conditionResult: null }, { conditionResult: {} }, { conditionResult: { gates: null } }, { conditionResult: { gates: "x" } }, { conditionResult: { gates: [] } }, "x", 7]) {
    const input = d === undefined ? { code: MET } : { code: MET, details: d };
    const out = kyc.evaluateVerification(input);
    assert.equal(out.action, "error", show(input));
    assert.equal(out.error.code, "NO_POSITIVE_GATE", show(input));
  }
});

test("evaluateVerification: a resolved pass-through skips the gates, as the seed does", () => {
  // With both verificationRequired and verificationMessageCode present, the seed ignores the gates.
  const resolved = { verificationRequired: false, verificationMessageCode: "isCleared" };
  assert.deepStrictEqual(kyc.evaluateVerification(met({ isCleared: true }, resolved)), decision("verified"));
  assert.deepStrictEqual(kyc.evaluateVerification(met({}, resolved)), decision("verified"));
  assert.equal(kyc.evaluateVerification(met({ isCleared: true }, { verificationRequired: true, verificationMessageCode: "x" })).error.code, "UNEXPECTED_RESPONSE");
  // Only one of the two present: the gates decide.
  assert.deepStrictEqual(kyc.evaluateVerification(met({ isCleared: true }, { verificationRequired: true })), decision("verified", { messageCode: "isCleared" }));
});

test("evaluateVerification: continuations, normalised", () => {
  const ev = kyc.evaluateVerification;
  const params = { url: CONTINUATION_URL, title: "t", nested: { a: [1, "b"] } };
  for (const input of [{ code: NEXT, ...cont(params) }, cont(params), { verificationRequired: true, ...cont(params) }, { verificationRequired: false, ...cont(params) }, { type: "error", ...cont(params) }]) {
    assert.deepStrictEqual(ev(input), decision("continue", { continuation: { ...params, disableClose: true } }), show(input));
  }
  // disableClose defaults to true; an explicit boolean is kept; a non-boolean is replaced.
  assert.equal(ev(cont({ url: "u", disableClose: false })).continuation.disableClose, false);
  assert.equal(ev(cont({ url: "u", disableClose: true })).continuation.disableClose, true);
  assert.equal(ev(cont({ url: "u", disableClose: "no" })).continuation.disableClose, true);
  assert.equal(ev(cont({ url: "u", disableClose: 0 })).continuation.disableClose, true);
  // The input is not changed (the seed mutates its continuation params).
  const input = cont({ url: "u" });
  ev(input);
  assert.deepStrictEqual(input, cont({ url: "u" }));
  // No usable url: not a continuation.
  for (const c of [{}, { params: {} }, { params: { url: "" } }, { params: null }, { params: "u" }, null, "u"]) {
    assert.equal(ev({ continuation: c }).action, "error", show(c));
  }
});

test("evaluateVerification: the app server's pass-through", () => {
  const ev = kyc.evaluateVerification;
  assert.deepStrictEqual(ev({ verificationRequired: false }), decision("verified"));
  // An error, even next to verificationRequired: false, is an error.
  for (const extra of [{ type: "error" }, { error: { code: "TOT_ERROR", message: "x" } }, { error: "x" }, { error: null }]) {
    assert.equal(ev({ verificationRequired: false, ...extra }).action, "error", show(extra));
  }
  // Each code of a pass-through error is kept; an unknown one becomes TOT_ERROR.
  for (const code of ["HTTP_ERROR", "NO_CONTENT", "NO_CONTINUATION", "NO_POSITIVE_GATE", "UNEXPECTED_RESPONSE", "TOT_ERROR"]) {
    assert.deepStrictEqual(ev({ verificationRequired: true, error: { code, message: "m" } }), errorDecision(code, "m"));
  }
  assert.deepStrictEqual(ev({ verificationRequired: true, error: { code: "SOMETHING", message: "m" } }), errorDecision("TOT_ERROR", "m"));
  assert.deepStrictEqual(ev({ verificationRequired: true, error: { code: "HTTP_ERROR", message: "m", status: 502 } }), errorDecision("HTTP_ERROR", "m", 502));
  assert.deepStrictEqual(ev({ error: { errorMessage: "e" } }), errorDecision("TOT_ERROR", "e"));
  assert.deepStrictEqual(ev({ error: {} }), errorDecision("TOT_ERROR", "verification failed"));
  // Other values of verificationRequired are not "false".
  for (const v of [true, null, "false", 0, undefined]) {
    assert.deepStrictEqual(ev({ verificationRequired: v }), errorDecision("UNEXPECTED_RESPONSE", "the response is neither conditions met nor a continuation"), show(v));
  }
});

test("evaluateVerification: TOT errors, empty and junk responses", () => {
  const ev = kyc.evaluateVerification;
  assert.deepStrictEqual(ev({ type: "error", message: "Invalid API key" }), errorDecision("TOT_ERROR", "Invalid API key"));
  assert.deepStrictEqual(ev({ type: "error", errorMessage: "Bad" }), errorDecision("TOT_ERROR", "Bad"));
  assert.deepStrictEqual(ev({ type: "error", code: "AuthService:invalidKey" }), errorDecision("TOT_ERROR", "AuthService:invalidKey"));
  assert.deepStrictEqual(ev({ type: "error", message: "" }), errorDecision("TOT_ERROR", "Token of Trust answered an error"));
  assert.deepStrictEqual(ev({ type: "error", metadata: { status: 401 } }), errorDecision("TOT_ERROR", "Token of Trust answered an error", 401));
  assert.deepStrictEqual(ev({ type: "error", status: 503 }), errorDecision("TOT_ERROR", "Token of Trust answered an error", 503));
  assert.deepStrictEqual(ev({ error: "down" }), errorDecision("TOT_ERROR", "Token of Trust answered an error"));
  for (const input of [undefined, null, "", "x", 0, 1, true, false, [], [{ verificationRequired: false }]]) {
    assert.deepStrictEqual(ev(input), errorDecision("NO_CONTENT", "the response has no content"), show(input));
  }
  assert.deepStrictEqual(ev(), errorDecision("NO_CONTENT", "the response has no content"));
  for (const input of [{}, { code: "WorkflowService:somethingElse" }, { code: NEXT }, { type: "success" }, { metadata: { status: 200 } }]) {
    assert.equal(ev(input).error.code, "UNEXPECTED_RESPONSE", show(input));
  }
  assert.deepStrictEqual(ev({ metadata: { status: 500 } }).error.status, 500);
});

test("evaluateVerification: hostile input throws a KycError, never crashes the module", () => {
  const cyclic = {};
  cyclic.self = cyclic;
  for (const [input, code] of [[cyclic, "TOO_DEEP"], [{ f() {} }, "INVALID_ARGUMENT"], [{ s: Symbol("s") }, "INVALID_ARGUMENT"]]) {
    assert.throws(() => kyc.evaluateVerification(input), (e) => e instanceof Error && e.name === "KycError" && e.code === code);
    assert.throws(() => kyc.processPersonResponse({ content: input }), (e) => e instanceof Error && e.name === "KycError" && e.code === code);
  }
  const getter = { get code() { throw new Error("boom"); } };
  assert.throws(() => kyc.evaluateVerification(getter), (e) => e.name === "KycError" && e.code === "INVALID_ARGUMENT" && /content\.code/.test(e.message));
  assert.deepStrictEqual(kyc.evaluateVerification({ verificationRequired: false }), decision("verified"));
});

// -------------------------------------------------------------------------------------------------------------
// 3. processPersonResponse, branch by branch.

const notRequired = { verificationRequired: false };
const failure = (code, message, status) => ({
  verificationRequired: true,
  error: status === undefined ? { code, message } : { code, message, status },
});

test("processPersonResponse: conditions met", () => {
  const pp = kyc.processPersonResponse;
  assert.deepStrictEqual(pp({ content: met({ isCleared: true }) }), notRequired);
  assert.deepStrictEqual(pp({ content: met({ isNotRequired: true }), metadata: { status: 200 } }), notRequired);
  // The seed's step 6: conditionsMet is "not required" whatever the gates say (the code is TOT's word).
  assert.deepStrictEqual(pp({ content: met({}) }), notRequired);
  assert.deepStrictEqual(pp({ content: { code: MET } }), notRequired);
  // ... except an update request with a continuation: the user must go through it again.
  const c = { params: { url: CONTINUATION_URL }, id: "c1" };
  assert.deepStrictEqual(pp({ content: met({ isUpdateRequested: true }, { continuation: c }) }), { verificationRequired: true, continuation: c });
  assert.deepStrictEqual(pp({ content: met({ isCleared: true, isUpdateRequested: true }, { continuation: c }) }), notRequired);
});

test("processPersonResponse: a continuation is passed through as is", () => {
  const pp = kyc.processPersonResponse;
  const c = { params: { url: CONTINUATION_URL, title: "x" }, id: "c1" };
  const out = pp({ content: { code: NEXT, continuation: c, details: { secretish: 1 } }, metadata: { status: 200 } });
  assert.deepStrictEqual(out, { verificationRequired: true, continuation: c });
  assert.equal(out.continuation.params.disableClose, undefined, "the pass-through is not normalised");
  // And the client decides continue from it.
  assert.deepStrictEqual(kyc.evaluateVerification(out), decision("continue", { continuation: { ...c.params, disableClose: true } }));
  for (const bad of [undefined, null, {}, { params: {} }, { params: { url: "" } }, { params: { url: 5 } }]) {
    const input = { content: bad === undefined ? { code: NEXT } : { code: NEXT, continuation: bad } };
    assert.deepStrictEqual(pp(input), failure("NO_CONTINUATION", "nextStepIsInteractive without a continuation URL"), show(input));
  }
});

test("processPersonResponse: fails closed on every TOT error, HTTP error and empty response", () => {
  const pp = kyc.processPersonResponse;
  assert.deepStrictEqual(pp({ content: { type: "error", message: "Invalid key" } }), failure("TOT_ERROR", "Invalid key"));
  assert.deepStrictEqual(pp({ content: { type: "error", errorMessage: "e" }, metadata: { status: 401 } }), failure("TOT_ERROR", "e", 401));
  assert.deepStrictEqual(pp({ content: { type: "error", code: "X:y" } }), failure("TOT_ERROR", "X:y"));
  assert.deepStrictEqual(pp({ content: { type: "error" } }), failure("TOT_ERROR", "Token of Trust answered an error"));
  // A TOT error that also claims conditionsMet is still an error.
  assert.deepStrictEqual(pp({ content: { type: "error", code: MET, message: "m" } }), failure("TOT_ERROR", "m"));
  // HTTP errors, with or without content (the seed's catch branch passes err.response.body).
  assert.deepStrictEqual(pp({ metadata: { status: 500 } }), failure("HTTP_ERROR", "Token of Trust answered HTTP 500", 500));
  assert.deepStrictEqual(pp({ content: { code: MET }, metadata: { status: 502 } }), failure("HTTP_ERROR", "Token of Trust answered HTTP 502", 502));
  assert.deepStrictEqual(pp({ content: null, metadata: { status: 404 } }), failure("HTTP_ERROR", "Token of Trust answered HTTP 404", 404));
  // No content.
  for (const input of [undefined, null, {}, { content: null }, { content: "x" }, { content: [] }, { content: 1 }, "x", 0, []]) {
    assert.deepStrictEqual(pp(input), failure("NO_CONTENT", "the Token of Trust response has no content"), show(input));
  }
  assert.deepStrictEqual(pp({ metadata: { status: 200 } }), failure("NO_CONTENT", "the Token of Trust response has no content", 200));
  assert.deepStrictEqual(pp(), failure("NO_CONTENT", "the Token of Trust response has no content"));
  // Codes other than the two accepted ones.
  assert.deepStrictEqual(pp({ content: { code: "WorkflowService:other" } }), failure("UNEXPECTED_RESPONSE", "unexpected Token of Trust code WorkflowService:other"));
  assert.deepStrictEqual(pp({ content: { continuation: { params: { url: "u" } } } }), failure("UNEXPECTED_RESPONSE", "the Token of Trust response has no code"));
  assert.deepStrictEqual(pp({ content: { code: 5 } }), failure("UNEXPECTED_RESPONSE", "the Token of Trust response has no code"));
});

test("processPersonResponse then evaluateVerification: only TOT's conditionsMet ever verifies", (t) => {
  const seed = testSeed();
  t.diagnostic(`KYC_TEST_SEED=${seed}`);
  const r = rng(seed);
  const tally = { verified: 0, continue: 0, error: 0 };
  for (let i = 0; i < 2000; i++) {
    const c = content(r);
    const response = r.bool(0.9) ? { content: c } : c;
    const isRecord = typeof response === "object" && response !== null && !Array.isArray(response);
    if (isRecord && r.bool(0.15)) response.metadata = { status: r.pick([200, 201, 400, 401, 500, 503]) };
    const where = `case ${i} (KYC_TEST_SEED=${seed}): ${show(response)}`;
    const out = kyc.processPersonResponse(clone(response));
    // Exactly one of the three shapes.
    const keys = Object.keys(out).sort().join(",");
    assert.ok(["verificationRequired", "continuation,verificationRequired", "error,verificationRequired"].includes(keys), where);
    const d = kyc.evaluateVerification(out);
    tally[d.action]++;
    const inner = response?.content;
    const status = response?.metadata?.status;
    const genuine = inner && typeof inner === "object" && inner.code === MET && inner.type !== "error" && !(status >= 400);
    if (out.verificationRequired === false) assert.ok(genuine, `not required without conditionsMet: ${where}`);
    if (d.action === "verified") assert.equal(out.verificationRequired, false, where);
    if (out.error) assert.equal(d.action, "error", where);
    if (out.continuation) assert.equal(d.action, "continue", where);
  }
  t.diagnostic(`client decisions: ${JSON.stringify(tally)}`);
  assert.ok(tally.verified > 100 && tally.continue > 25 && tally.error > 100, JSON.stringify(tally));
});

// -------------------------------------------------------------------------------------------------------------
// 4. buildVerifyPersonBody.

const SECRET = `tot-secret-${randomBytes(8).toString("hex")}`;
const base = (extra = {}) => ({
  appDomain: "example.com",
  totApiKey: "pk_live_123",
  totSecretKey: SECRET,
  appUserid: "user-1",
  person: { givenName: "Ann", familyName: "Lee", email: "ann@example.com" },
  ...extra,
});
const withPerson = (person, extra = {}) => base({ person, ...extra });

/** Asserts INVALID_ARGUMENT naming `fieldPath`, and that no text of the error holds the secret key. */
function rejects(input, fieldPath, what) {
  let error;
  try {
    kyc.buildVerifyPersonBody(input);
  } catch (e) {
    error = e;
  }
  const where = `${what ?? ""} ${show(input)}`.replace(SECRET, "<secret>");
  assert.ok(error, `accepted: ${where}`);
  assert.ok(error instanceof Error, where);
  assert.equal(error.name, "KycError", where);
  assert.equal(error.code, "INVALID_ARGUMENT", `${error.code}: ${error.message} ${where}`);
  assert.ok(error.message.includes(fieldPath), `"${error.message}" does not name ${fieldPath}: ${where}`);
  for (const text of [error.message, String(error.stack), String(error), JSON.stringify(Object.getOwnPropertyDescriptors(error))]) {
    assert.ok(!text.includes(SECRET), `an error text contains totSecretKey: ${text}`);
  }
  return error;
}

const accepts = (input) => assert.deepStrictEqual(kyc.buildVerifyPersonBody(input), input);

// The seed's "User data that can be requested" lists (govtld is the seed's OCR of govtId).
const CONSENT = [
  "govtId.givenName", "govtId.familyName", "govtId.dateOfBirth", "govtId.expirationTimestamp", "govtId.countryCode",
  "govtId.documentType",
  "tot.givenName", "tot.familyName",
  ...["location", "shippingLocation", "billingLocation"].flatMap((l) =>
    [`tot.${l}`, ...["line1", "line2", "locality", "region", "countryCode", "postalCode"].map((p) => `tot.${l}.${p}`)]),
  "tot.dateOfBirth",
];
const LOCATION_KEYS = ["line1", "line2", "locality", "region", "regionCode", "countryName", "countryCode", "postalCode"];
const WRONG_TYPES = [1, true, null, [], ["x"], {}];

test("buildVerifyPersonBody: the seed's examples and every documented field are accepted unchanged", () => {
  // Seed step 3 and "Code Sample 2", with every optional parameter.
  accepts(withPerson({ givenName: "Ann", familyName: "Lee", primaryEmail: "ann@example.com" }));
  accepts(base({
    appTransactionId: "t-1", traceId: "cart-9", guest: true, reservation: false, appReservationToken: "r-1",
    browserFingerprint: "fp", appDataConsentRequested: CONSENT,
    person: {
      givenName: { current: "Ann", previous: "Anne" },
      familyName: { current: "Lee", previous: "Li", maternal: "Kim", paternal: "Lee" },
      middleName: "B", fullName: "Ann B Lee", email: "ann@example.com", phoneNumber: "+1 555 0100",
      dateOfBirth: { day: 29, month: 2, year: 2000 },
      location: Object.fromEntries(LOCATION_KEYS.map((k) => [k, `v-${k}`])),
      shippingLocation: "1 Main St, Springfield",
      billingLocation: { countryName: "United States", region: "Illinois" },
      orderNumber: "#1001",
    },
  }));
  accepts(withPerson({}));
  accepts(withPerson({ dateOfBirth: "2000-01-01" }));
  accepts(base({ appDataConsentRequested: [] }));
  // Every location key alone, in each location field.
  for (const field of ["location", "shippingLocation", "billingLocation"]) {
    for (const key of LOCATION_KEYS) accepts(withPerson({ [field]: { [key]: "x" } }));
    accepts(withPerson({ [field]: "somewhere" }));
  }
  // The result is a copy.
  const input = base();
  const out = kyc.buildVerifyPersonBody(input);
  assert.notEqual(out, input);
  out.person.givenName = "changed";
  assert.equal(input.person.givenName, "Ann");
  // undefined optional fields are skipped, as JSON.stringify does.
  assert.deepStrictEqual(kyc.buildVerifyPersonBody({ ...base(), traceId: undefined }), base());
});

test("buildVerifyPersonBody: required fields, types of the top-level fields, unknown keys", () => {
  for (const key of ["appDomain", "totApiKey", "totSecretKey", "appUserid", "person"]) {
    const input = base();
    delete input[key];
    rejects(input, key, "missing");
    rejects({ ...base(), [key]: undefined }, key, "undefined");
  }
  for (const key of ["appDomain", "totApiKey", "totSecretKey", "appUserid", "appTransactionId", "traceId", "appReservationToken", "browserFingerprint"]) {
    for (const v of WRONG_TYPES) rejects(base({ [key]: v }), key, "type");
    rejects(base({ [key]: "" }), key, "empty");
    rejects(base({ [key]: "  " }), key, "blank");
  }
  for (const key of ["guest", "reservation"]) {
    accepts(base({ [key]: true }));
    accepts(base({ [key]: false }));
    for (const v of ["true", 1, 0, null, {}, []]) rejects(base({ [key]: v }), key, "boolean");
  }
  for (const v of ["x", 1, null, [], true]) rejects(base({ person: v }), "person", "person type");
  for (const key of ["extra", "totSecret", "apiSecret", "AppDomain", "appUserId", "traceld", "__proto__x"]) {
    const e = rejects(base({ [key]: "x" }), key, "unknown key");
    assert.match(e.message, /not a known/);
  }
  for (const v of [undefined, null, "x", 1, [], true]) {
    assert.throws(() => kyc.buildVerifyPersonBody(v), (e) => e.name === "KycError" && e.code === "INVALID_ARGUMENT", show(v));
  }
});

test("buildVerifyPersonBody: dateOfBirth is a string or a real {day, month, year}", () => {
  const dob = (d) => withPerson({ dateOfBirth: d });
  // Every day of every month of a few years, against the calendar of JavaScript's Date.
  for (const year of [1900, 1999, 2000, 2001, 2004, 2024, 2100]) {
    for (let month = 1; month <= 12; month++) {
      for (let day = 0; day <= 32; day++) {
        const real = day >= 1 && new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
        const input = dob({ day, month, year });
        if (real) accepts(input);
        else rejects(input, "person.dateOfBirth.day", `${year}-${month}-${day}`);
      }
    }
  }
  for (const month of [0, 13, -1]) rejects(dob({ day: 1, month, year: 2000 }), "person.dateOfBirth.month");
  for (const year of [999, 10000, 0, -2000]) rejects(dob({ day: 1, month: 1, year }), "person.dateOfBirth.year");
  for (const v of [1.5, "1", null, NaN, Infinity, true, [1], {}]) {
    rejects(dob({ day: v, month: 1, year: 2000 }), "person.dateOfBirth.day", show(v));
    rejects(dob({ day: 1, month: v, year: 2000 }), "person.dateOfBirth.month", show(v));
    rejects(dob({ day: 1, month: 1, year: v }), "person.dateOfBirth.year", show(v));
  }
  rejects(dob({ day: 1, month: 1 }), "person.dateOfBirth", "missing year");
  rejects(dob({ month: 1, year: 2000 }), "person.dateOfBirth", "missing day");
  rejects(dob({}), "person.dateOfBirth", "empty");
  rejects(dob({ day: 1, month: 1, year: 2000, hour: 3 }), "person.dateOfBirth.hour", "unknown key");
  for (const v of ["", " ", 20000101, true, null, []]) rejects(dob(v), "person.dateOfBirth", show(v));
});

test("buildVerifyPersonBody: locations, names and the string fields", () => {
  for (const field of ["location", "shippingLocation", "billingLocation"]) {
    const p = `person.${field}`;
    for (const v of [1, true, null, ["x"]]) rejects(withPerson({ [field]: v }), p, show(v));
    rejects(withPerson({ [field]: "" }), p, "empty");
    for (const key of ["street", "city", "country", "zip", "Line1"]) rejects(withPerson({ [field]: { [key]: "x" } }), `${p}.${key}`);
    for (const key of LOCATION_KEYS) {
      for (const v of [1, null, {}, [], true, ""]) rejects(withPerson({ [field]: { [key]: v } }), `${p}.${key}`, show(v));
    }
  }
  const names = { givenName: ["current", "previous"], familyName: ["current", "previous", "maternal", "paternal"] };
  for (const [field, keys] of Object.entries(names)) {
    const p = `person.${field}`;
    accepts(withPerson({ [field]: "x" }));
    accepts(withPerson({ [field]: Object.fromEntries(keys.map((k) => [k, k])) }));
    for (const key of keys) {
      accepts(withPerson({ [field]: { [key]: "x" } }));
      for (const v of [1, null, {}, [], ""]) rejects(withPerson({ [field]: { [key]: v } }), `${p}.${key}`, show(v));
    }
    for (const key of ["first", "last", "nick", ...(field === "givenName" ? ["maternal", "paternal"] : [])]) {
      rejects(withPerson({ [field]: { [key]: "x" } }), `${p}.${key}`);
    }
    for (const v of [1, true, null, [], ""]) rejects(withPerson({ [field]: v }), p, show(v));
  }
  for (const field of ["middleName", "fullName", "phoneNumber", "orderNumber"]) {
    accepts(withPerson({ [field]: "x" }));
    for (const v of [...WRONG_TYPES, "", "  "]) rejects(withPerson({ [field]: v }), `person.${field}`, show(v));
  }
  for (const field of ["email", "primaryEmail"]) {
    for (const ok of ["a@b", "ann.lee+kyc@example.co.uk", "Ä@ß.de"]) accepts(withPerson({ [field]: ok }));
    for (const v of [...WRONG_TYPES, "", "ann", "@example.com", "ann@", "ann @example.com", "ann@exa mple.com"]) {
      rejects(withPerson({ [field]: v }), `person.${field}`, show(v));
    }
  }
  for (const key of ["nickname", "ssn", "dob", "address", "Email", "totSecretKey"]) {
    const e = rejects(withPerson({ [key]: "x" }), `person.${key}`);
    assert.match(e.message, /not a known person field/);
  }
});

test("buildVerifyPersonBody: appDataConsentRequested names only the supported govtId.* and tot.* fields", () => {
  for (const field of CONSENT) accepts(base({ appDataConsentRequested: [field] }));
  accepts(base({ appDataConsentRequested: CONSENT }));
  const unsupported = [
    "govtId.ssn", "govtld.givenName", "govtId", "govtId.*", "tot", "tot.*", "tot.email", "tot.location.regionCode",
    "tot.location.countryName", "tot.phoneNumber", "tot.middleName", "person.givenName", "givenName", "",
    "TOT.givenName", "tot.givenName ", "tot.dateOfBirth.year",
  ];
  for (const field of unsupported) {
    rejects(base({ appDataConsentRequested: [field] }), "appDataConsentRequested[0]", field);
    rejects(base({ appDataConsentRequested: ["tot.givenName", "govtId.givenName", field] }), "appDataConsentRequested[2]", field);
  }
  for (const v of [1, null, {}, true, []]) {
    rejects(base({ appDataConsentRequested: ["tot.givenName", v] }), "appDataConsentRequested[1]", show(v));
  }
  for (const v of ["tot.givenName", 1, null, {}, true]) rejects(base({ appDataConsentRequested: v }), "appDataConsentRequested", show(v));
});

test("buildVerifyPersonBody: the secret key never appears in an error, whatever is wrong", (t) => {
  const seed = testSeed();
  t.diagnostic(`KYC_TEST_SEED=${seed}`);
  const r = rng(seed);
  const breakers = [
    (i) => { i.person = { [r.pick(["x", "nickname"])]: SECRET }; },
    (i) => { i.person.email = SECRET; },
    (i) => { i.person.dateOfBirth = { day: SECRET, month: 1, year: 2000 }; },
    (i) => { i.person.location = { street: SECRET }; },
    (i) => { i.person.givenName = { current: 1 }; },
    (i) => { i.guest = SECRET; },
    (i) => { i.extra = SECRET; },
    (i) => { i.appDataConsentRequested = [1]; },
    (i) => { i.totSecretKey = [SECRET]; },
    (i) => { i.totSecretKey = { value: SECRET }; },
    (i) => { delete i.appDomain; },
    (i) => { i.appUserid = ""; },
  ];
  for (let n = 0; n < 300; n++) {
    const input = base();
    const k = 1 + r.int(3);
    for (let j = 0; j < k; j++) r.pick(breakers)(input);
    let error;
    try {
      kyc.buildVerifyPersonBody(input);
    } catch (e) {
      error = e;
    }
    assert.ok(error, "every breaker makes the input invalid");
    assert.equal(error.code, "INVALID_ARGUMENT");
    for (const text of [error.message, String(error.stack), JSON.stringify(Object.getOwnPropertyDescriptors(error))]) {
      assert.ok(!text.includes(SECRET), `an error contains totSecretKey: ${text.replace(SECRET, "<SECRET>")}`);
    }
  }
});

// -------------------------------------------------------------------------------------------------------------
// 5. appUserIdFromEmail.

const sha3 = (text) => createHash("sha3-256").update(text, "utf8").digest("hex");

test("appUserIdFromEmail is SHA3-256 of lowercase(email) + '-' + appId, as node:crypto computes it", (t) => {
  const seed = testSeed();
  t.diagnostic(`KYC_TEST_SEED=${seed}`);
  const r = rng(seed);
  const PIECES = [
    "a", "Z", "ann", "LEE", "0", "9", ".", "+", "-", "_", "%", "!", "é", "É", "ß", "ẞ", "İ", "I", "Σ", "ΑΣ", "ǅ",
    "Ω", "Ж", "日本", "😀", "ﬀ", "K", "Å", "\u0130x", "x\u03a3", " ", "Ⅻ",
  ];
  const word = (max) => Array.from({ length: 1 + r.int(max) }, () => r.pick(PIECES)).join("");
  // The seed's own example shape, then random ones.
  assert.equal(kyc.appUserIdFromEmail("Ann.Lee@Example.COM", "app-1"), sha3("ann.lee@example.com-app-1"));
  for (let i = 0; i < 1000; i++) {
    const email = `${word(5)}@${word(4)}.${r.pick(["com", "ORG", "de", "Ελ"])}`;
    const appId = r.bool(0.2) ? String(r.int(1e9)) : word(6).trim() || "app";
    assert.equal(kyc.appUserIdFromEmail(email, appId), sha3(`${email.toLowerCase()}-${appId}`), `${JSON.stringify(email)} ${JSON.stringify(appId)} (KYC_TEST_SEED=${seed})`);
  }
  // A numeric appId is written the way JavaScript writes it.
  for (const appId of [42, 0, 1.5, 1e21, 123456789012]) {
    assert.equal(kyc.appUserIdFromEmail("A@B.C", appId), sha3(`a@b.c-${String(appId)}`), String(appId));
  }
  // Hex, lowercase, 64 characters.
  assert.match(kyc.appUserIdFromEmail("a@b", "x"), /^[0-9a-f]{64}$/);
});

test("appUserIdFromEmail refuses empty and non-string arguments", () => {
  for (const [email, appId] of [["", "x"], ["  ", "x"], ["a@b", ""], [null, "x"], [undefined, "x"], [1, "x"], ["a@b", null], ["a@b", undefined], ["a@b", {}]]) {
    assert.throws(() => kyc.appUserIdFromEmail(email, appId), (e) => e.name === "KycError" && e.code === "INVALID_ARGUMENT", `${show(email)}, ${show(appId)}`);
  }
});

// -------------------------------------------------------------------------------------------------------------
// 6. The browser build carries nothing that takes the secret key.

test("pkg/web has no buildVerifyPersonBody and never mentions totSecretKey; pkg/node has both", () => {
  const read = (...p) => readFileSync(path.join(PKG, ...p));
  for (const file of ["kyc_wasm.js", "kyc_wasm.d.ts", "kyc_wasm_bg.wasm.d.ts"]) {
    const text = read("web", file).toString("utf8");
    assert.ok(!text.includes("buildVerifyPersonBody"), `pkg/web/${file} mentions buildVerifyPersonBody`);
    assert.ok(!text.includes("totSecretKey"), `pkg/web/${file} mentions totSecretKey`);
    assert.ok(!/build_verify_person_body/.test(text), `pkg/web/${file} exports build_verify_person_body`);
  }
  // Not even the validator's strings survive in the browser wasm (the code is not linked in).
  assert.ok(!read("web", "kyc_wasm_bg.wasm").includes("totSecretKey"), "pkg/web/kyc_wasm_bg.wasm contains totSecretKey");
  // The browser build does have the browser side, and the Node build the server side.
  // (The embed's I/O is JavaScript beside the glue since issue 16: pkg/web/tot-embed.js.)
  const web = read("web", "kyc_wasm.js").toString("utf8") + read("web", "tot-embed.js").toString("utf8");
  for (const name of ["loadTotEmbed", "openContinuation", "onModalClose", "verifyPerson", "evaluateVerification", "appUserIdFromEmail"]) {
    assert.match(web, new RegExp(`export (?:async )?function ${name}\\b`), name);
  }
  assert.equal(typeof kyc.buildVerifyPersonBody, "function");
  assert.ok(read("node", "kyc_wasm.d.ts").toString("utf8").includes("totSecretKey"));
  for (const name of ["loadTotEmbed", "openContinuation", "onModalClose", "verifyPerson"]) {
    assert.equal(kyc[name], undefined, `the Node build exports the browser-only ${name}`);
  }
});
