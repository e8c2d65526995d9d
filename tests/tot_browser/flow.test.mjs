// The browser side of the Token of Trust flow (issue 3) in headless Chromium: the browser build (pkg/web) on a
// local test page, a fake embed.js that records every tot(...) call, and verifyPerson endpoints that answer
// each way the client must handle. Driven with playwright-core and Debian's chromium (never a downloaded one).
//
// Run: node --test tests/tot_browser/   (needs pkg/ built: bash scripts/build.sh)
// Screenshot: test-output/tot-flow.png. CHROMIUM=/path/to/chromium overrides the browser.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { CONTINUATION_URL, PKG, startServer } from "./server.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
// The flags Chromium needs as root in a container (team rules), minus --headless, which playwright adds.
const FLAGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run",
];
const SCREENSHOT = path.join(ROOT, "test-output", "tot-flow.png");

for (const file of ["kyc_wasm.js", "kyc_wasm_bg.wasm"]) {
  if (!existsSync(path.join(PKG, "web", file))) {
    throw new Error(`pkg/web/${file} is missing: run \`bash scripts/build.sh\` first`);
  }
}

let server;
let context;
let profile;

before(async () => {
  server = await startServer();
  profile = mkdtempSync(path.join(os.tmpdir(), "kyc-tot-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1000, height: 760 },
  });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/**
 * A fresh page (a fresh wasm instance, so loadTotEmbed and verifyPerson start from scratch). `holdEmbed`:
 * embed.js is not served until `server.releaseEmbed()`.
 */
async function openPage({ holdEmbed = false } = {}) {
  if (holdEmbed) server.holdEmbed();
  else server.releaseEmbed();
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e));
  page.pageErrors = pageErrors;
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => window.__ready !== undefined);
  assert.equal(await page.evaluate(() => window.__ready), true, "pkg/web did not initialise");
  return page;
}

/** Loads the embed with the full-origin host and waits until the fake embed.js has run. */
async function loadEmbed(page, apiKey = "pk_test_public") {
  await page.evaluate(([host, key]) => window.kyc.loadTotEmbed({ host, apiKey: key }), [server.origin, apiKey]);
  await page.waitForFunction(() => window.__embedLoads === 1);
}

const totCalls = (page) => page.evaluate(() => window.__totCalls.map((c) => c.args));
const lastCall = async (page) => (await totCalls(page)).at(-1);

/** Runs `fn` in the page and returns its error as plain data ({name, code, message, isError, isKycError}). */
async function pageError(page, fn, arg) {
  return page.evaluate(
    async ([source, a]) => {
      try {
        // eslint-disable-next-line no-new-func
        await new Function("kyc", "arg", `return (${source})(kyc, arg);`)(window.kyc, a);
        return null;
      } catch (e) {
        return { name: e.name, code: e.code, message: e.message, isError: e instanceof Error, isKycError: window.kyc.isKycError(e) };
      }
    },
    [fn.toString(), arg],
  );
}

function assertKycError(e, code, what) {
  assert.ok(e, `${what}: expected a KycError ${code}, nothing was thrown`);
  assert.equal(e.isError, true, what);
  assert.equal(e.name, "KycError", what);
  assert.equal(e.code, code, `${what}: ${e.code} ${e.message}`);
  assert.equal(e.isKycError, true, what);
}

test("loadTotEmbed: one embed.js (id tot-embed), calls queued before it loads are replayed, later calls are no-ops", async () => {
  const page = await openPage({ holdEmbed: true });
  const before = server.count("/embed/embed.js");
  const state = await page.evaluate((origin) => {
    const { kyc } = window;
    kyc.loadTotEmbed({ host: origin, apiKey: "pk_test_public" });
    kyc.loadTotEmbed({ host: origin, apiKey: "pk_other" });
    kyc.openContinuation({ url: "https://app.tokenoftrust.com/continue/queued" });
    window.__closes = [];
    window.__unbind = kyc.onModalClose((e) => window.__closes.push(e));
    const scripts = [...document.querySelectorAll("script#tot-embed")];
    return {
      scripts: scripts.length,
      src: scripts[0]?.src,
      async: scripts[0]?.async,
      firstScriptId: document.getElementsByTagName("script")[0].id,
      queue: (window.tot.q || []).map((a) => Array.from(a, (x) => (typeof x === "function" ? "[function]" : x))),
      embedLoads: window.__embedLoads ?? 0,
    };
  }, server.origin);
  assert.equal(state.scripts, 1);
  assert.equal(state.src, `${server.origin}/embed/embed.js`);
  assert.equal(state.async, true);
  assert.equal(state.firstScriptId, "tot-embed", "inserted before the first script, as the seed's loader does");
  assert.equal(state.embedLoads, 0, "embed.js is held by the server");
  // The seed's queue: `arguments` objects in window.tot.q, in call order.
  const expected = [
    ["setPublicKey", "pk_test_public"],
    ["modalOpen", "continue", { url: "https://app.tokenoftrust.com/continue/queued", disableClose: true }],
    ["bind", "modalClose", "[function]"],
  ];
  assert.deepStrictEqual(state.queue, expected);

  server.releaseEmbed();
  await page.waitForFunction(() => window.__embedLoads === 1);
  const calls = await page.evaluate(() => window.__totCalls);
  assert.deepStrictEqual(calls.map((c) => c.args), expected, "replayed in order");
  assert.ok(calls.every((c) => c.replayed), "all three were queued, then replayed");
  assert.equal(await page.evaluate(() => window.__totHandlerCount("modalClose")), 1);

  // After the load: still a no-op, and calls now go straight to the embed.
  await page.evaluate((origin) => {
    window.kyc.loadTotEmbed({ host: origin, apiKey: "pk_test_public" });
    window.kyc.loadTotEmbed({ host: origin, apiKey: "pk_third" });
    window.kyc.openContinuation({ url: "https://app.tokenoftrust.com/continue/direct" });
  }, server.origin);
  const after = await page.evaluate(() => ({
    scripts: document.querySelectorAll("script#tot-embed").length,
    allScripts: [...document.scripts].filter((s) => s.src.includes("/embed/embed.js")).length,
    calls: window.__totCalls,
    loads: window.__embedLoads,
  }));
  assert.equal(after.scripts, 1);
  assert.equal(after.allScripts, 1);
  assert.equal(after.loads, 1);
  assert.equal(after.calls.filter((c) => c.args[0] === "setPublicKey").length, 1, "setPublicKey recorded once");
  assert.deepStrictEqual(after.calls.at(-1), {
    args: ["modalOpen", "continue", { url: "https://app.tokenoftrust.com/continue/direct", disableClose: true }],
    replayed: false,
  });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(server.count("/embed/embed.js") - before, 1, "embed.js requested once");

  // The close handler bound before the load works after it.
  await page.evaluate(() => window.__postModalClose({ data: { continue: true } }, 42));
  assert.deepStrictEqual(await page.evaluate(() => window.__closes), [{ continue: true, data: { continue: true } }]);
  assert.deepStrictEqual(page.pageErrors, []);
  await page.close();
});

test("loadTotEmbed: a bare host means https; bad hosts and keys are INVALID_ARGUMENT and change nothing", async () => {
  const page = await openPage();
  const fake = readFileSync(path.join(HERE, "fake-embed.js"));
  const intercepted = [];
  // No network: the https request is answered here.
  await page.route("https://app.tokenoftrust.com/**", (route) => {
    intercepted.push(route.request().url());
    return route.fulfill({ status: 200, contentType: "text/javascript", body: fake });
  });
  for (const [options, what] of [
    [{ host: "", apiKey: "pk" }, "empty host"],
    [{ host: "  ", apiKey: "pk" }, "blank host"],
    [{ host: "app tokenoftrust.com", apiKey: "pk" }, "host with a space"],
    [{ host: "app.tokenoftrust.com/embed", apiKey: "pk" }, "host with a path"],
    [{ host: 5, apiKey: "pk" }, "numeric host"],
    [{ apiKey: "pk" }, "no host"],
    [{ host: "app.tokenoftrust.com", apiKey: "" }, "empty apiKey"],
    [{ host: "app.tokenoftrust.com" }, "no apiKey"],
    [undefined, "no options"],
  ]) {
    const e = await pageError(page, (kyc, o) => kyc.loadTotEmbed(o), options);
    assertKycError(e, "INVALID_ARGUMENT", what);
  }
  assert.equal(await page.evaluate(() => document.querySelectorAll("script#tot-embed").length), 0);
  assert.equal(await page.evaluate(() => window.tot === undefined || (window.tot.q || []).length === 0), true);

  await page.evaluate(() => window.kyc.loadTotEmbed({ host: "app.tokenoftrust.com/", apiKey: "pk_live_public" }));
  await page.waitForFunction(() => window.__embedLoads === 1);
  assert.equal(await page.evaluate(() => document.getElementById("tot-embed").src), "https://app.tokenoftrust.com/embed/embed.js");
  assert.deepStrictEqual(intercepted, ["https://app.tokenoftrust.com/embed/embed.js"]);
  assert.deepStrictEqual(await totCalls(page), [["setPublicKey", "pk_live_public"]]);
  await page.close();
});

test("openContinuation: modalOpen 'continue' with the params, disableClose true unless asked", async () => {
  const page = await openPage();
  await loadEmbed(page);
  const url = CONTINUATION_URL;
  const cases = [
    [[{ url }], { url, disableClose: true }],
    [[{ url }, { disableClose: false }], { url, disableClose: false }],
    [[{ url }, { disableClose: true }], { url, disableClose: true }],
    [[{ url }, {}], { url, disableClose: true }],
    // The raw continuation from the server ({params: {...}}), extra params kept.
    [[{ params: { url, title: "Verify" }, id: "c1" }], { url, title: "Verify", disableClose: true }],
    [[{ params: { url } }, { disableClose: false }], { url, disableClose: false }],
    // An explicit disableClose in the params is kept; the option wins over it.
    [[{ url, disableClose: false }], { url, disableClose: false }],
    [[{ url, disableClose: false }, { disableClose: true }], { url, disableClose: true }],
  ];
  for (const [args, params] of cases) {
    await page.evaluate((a) => window.kyc.openContinuation(...a), args);
    assert.deepStrictEqual(await lastCall(page), ["modalOpen", "continue", params], JSON.stringify(args));
  }
  // evaluateVerification's continuation goes straight in.
  await page.evaluate((u) => {
    const d = window.kyc.evaluateVerification({ verificationRequired: true, continuation: { params: { url: u } } });
    window.kyc.openContinuation(d.continuation);
  }, url);
  assert.deepStrictEqual(await lastCall(page), ["modalOpen", "continue", { url, disableClose: true }]);
  const count = (await totCalls(page)).length;
  for (const bad of [{}, { url: "" }, { params: { url: "" } }, { params: {} }, null, "https://x", { url: 5 }]) {
    const e = await pageError(page, (kyc, c) => kyc.openContinuation(c), bad);
    assertKycError(e, "INVALID_ARGUMENT", JSON.stringify(bad));
  }
  assert.equal((await totCalls(page)).length, count, "a refused continuation opens nothing");
  // Every modalOpen so far, all in the right form.
  const opens = (await totCalls(page)).filter((c) => c[0] === "modalOpen");
  assert.equal(opens.length, cases.length + 1);
  assert.deepStrictEqual(page.pageErrors, []);
  await page.close();
});

test("onModalClose: {continue, data} once per event, bad JSON ignored and warned once, duplicates dropped, unbind", async () => {
  const page = await openPage();
  await loadEmbed(page);
  await page.evaluate(() => {
    window.__closes = [];
    window.__others = [];
    window.__unbind = window.kyc.onModalClose((e) => window.__closes.push(e));
    window.kyc.onModalClose((e) => window.__others.push(e));
  });
  assert.deepStrictEqual((await totCalls(page)).filter((c) => c[0] === "bind"), [
    ["bind", "modalClose", "[function]"],
    ["bind", "modalClose", "[function]"],
  ]);
  const post = (data, ts) => page.evaluate(([d, t]) => window.__postModalClose(d, t), [data, ts]);
  const closes = () => page.evaluate(() => window.__closes);

  // TOT wraps its payload in {data: {...}}: unwrapped. The handler returns false, as the seed's does.
  assert.deepStrictEqual(await post({ data: { continue: true, reason: "verified" } }, 1000), [false, false]);
  assert.deepStrictEqual(await closes(), [{ continue: true, data: { continue: true, reason: "verified" } }]);
  // The same event again (same timeStamp): dropped.
  await post({ data: { continue: true, reason: "verified" } }, 1000);
  await post({ data: { continue: false } }, 1000);
  assert.equal((await closes()).length, 1);
  // Unwrapped payloads, and payloads without `continue`.
  await post({ continue: false, step: 2 }, 1001);
  await post({ data: {} }, 1002);
  await post({ data: { continue: "yes" } }, 1003);
  assert.deepStrictEqual((await closes()).slice(1), [
    { continue: false, data: { continue: false, step: 2 } },
    { continue: false, data: {} },
    { continue: true, data: { continue: "yes" } },
  ]);
  // Bad JSON: ignored, and one warning however many arrive.
  assert.deepStrictEqual(await page.evaluate(() => window.__warnings), []);
  await post("not json {", 1100);
  await post("<html>", 1101);
  await post("", 1102);
  assert.equal((await closes()).length, 4);
  const warnings = await page.evaluate(() => window.__warnings);
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.match(warnings[0], /JSON/);
  // A duplicate of the last delivered event, after the bad ones: still dropped.
  await post({ data: { continue: true } }, 1003);
  assert.equal((await closes()).length, 4);
  // The other binding saw the same events.
  assert.deepStrictEqual(await page.evaluate(() => window.__others), await closes());

  // unbind: the first callback stops, the second goes on.
  await page.evaluate(() => window.__unbind());
  await post({ data: { continue: true } }, 2000);
  assert.equal((await closes()).length, 4);
  assert.equal((await page.evaluate(() => window.__others)).length, 5);
  await page.evaluate(() => window.__unbind()); // twice is harmless
  await post({ data: { continue: true } }, 2001);
  assert.equal((await closes()).length, 4);

  // A callback that throws does not break the handler.
  await page.evaluate(() => {
    window.__afterThrow = [];
    window.kyc.onModalClose(() => { throw new Error("app bug"); });
    window.kyc.onModalClose((e) => window.__afterThrow.push(e));
  });
  await post({ data: { continue: true } }, 3000);
  assert.deepStrictEqual(await page.evaluate(() => window.__afterThrow), [{ continue: true, data: { continue: true } }]);
  const e = await pageError(page, (kyc) => kyc.onModalClose("not a function"));
  assertKycError(e, "INVALID_ARGUMENT", "onModalClose without a function");
  assert.deepStrictEqual(page.pageErrors, []);
  await page.close();
});

test("onModalFormSubmitted: {data} once per modalFormSubmitted event, apart from modalClose; bad JSON warned once; unbind", async () => {
  const page = await openPage();
  await loadEmbed(page);
  await page.evaluate(() => {
    window.__submits = [];
    window.__closes = [];
    window.__unbindSubmit = window.kyc.onModalFormSubmitted((e) => window.__submits.push(e));
    window.kyc.onModalClose((e) => window.__closes.push(e));
  });
  assert.deepStrictEqual((await totCalls(page)).filter((c) => c[0] === "bind"), [
    ["bind", "modalFormSubmitted", "[function]"],
    ["bind", "modalClose", "[function]"],
  ]);
  assert.equal(await page.evaluate(() => window.__totHandlerCount("modalFormSubmitted")), 1);
  const submit = (data, ts) => page.evaluate(([d, t]) => window.__postModalFormSubmitted(d, t), [data, ts]);
  const submits = () => page.evaluate(() => window.__submits);

  // Unwrapped like modalClose, without `continue`; the handler returns false.
  assert.deepStrictEqual(await submit({ data: { form: "identity", step: 1 } }, 500), [false]);
  assert.deepStrictEqual(await submits(), [{ data: { form: "identity", step: 1 } }]);
  await submit({ data: { form: "identity", step: 1 } }, 500); // the same event: dropped
  await submit({ step: 2 }, 501);
  assert.deepStrictEqual(await submits(), [{ data: { form: "identity", step: 1 } }, { data: { step: 2 } }]);
  // Neither event reaches the other's callbacks.
  assert.deepStrictEqual(await page.evaluate(() => window.__closes), []);
  await page.evaluate(() => window.__postModalClose({ data: { continue: true } }, 502));
  assert.equal((await submits()).length, 2);
  assert.deepStrictEqual(await page.evaluate(() => window.__closes), [{ continue: true, data: { continue: true } }]);
  // Bad JSON: ignored, one warning naming the event.
  await submit("not json {", 600);
  await submit("<html>", 601);
  assert.equal((await submits()).length, 2);
  const warnings = await page.evaluate(() => window.__warnings);
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.match(warnings[0], /modalFormSubmitted.*JSON/);
  // unbind.
  await page.evaluate(() => window.__unbindSubmit());
  await submit({ data: { step: 3 } }, 700);
  assert.equal((await submits()).length, 2);
  const e = await pageError(page, (kyc) => kyc.onModalFormSubmitted(null));
  assertKycError(e, "INVALID_ARGUMENT", "onModalFormSubmitted without a function");
  assert.match(e.message, /onModalFormSubmitted needs a callback function/);
  assert.deepStrictEqual(page.pageErrors, []);
  await page.close();
});

test("verifyPerson: each server answer, BUSY, TIMEOUT, HTTP 500, and the modal on autoOpen", async (t) => {
  const page = await openPage();
  await loadEmbed(page);
  const verify = (options) =>
    page.evaluate(async (o) => {
      const t0 = performance.now();
      try {
        const decision = await window.kyc.verifyPerson(o);
        window.__log(`verifyPerson ${o.url}${o.autoOpen ? " (autoOpen)" : ""}`, decision);
        return { decision, ms: performance.now() - t0 };
      } catch (e) {
        window.__log(`verifyPerson ${o.url}`, `rejected: ${e.name} ${e.code}: ${e.message}`);
        return { error: { name: e.name, code: e.code, message: e.message, isKycError: window.kyc.isKycError(e) }, ms: performance.now() - t0 };
      }
    }, options);
  const decision = (action, rest = {}) => ({
    action, verificationRequired: action !== "verified", messageCode: null, continuation: null, error: null, ...rest,
  });
  const modalOpens = async () => (await totCalls(page)).filter((c) => c[0] === "modalOpen");

  // Conditions met: verified. The body is POSTed as JSON.
  const body = { person: { givenName: "Ann", familyName: "Lee", primaryEmail: "ann@example.com" } };
  const seen = server.requests.length;
  assert.deepStrictEqual((await verify({ url: "/verify/met", body, autoOpen: true })).decision, decision("verified"));
  const request = server.requests.slice(seen).find((r) => r.path === "/verify/met");
  assert.equal(request.method, "POST");
  assert.match(request.headers["content-type"], /^application\/json/);
  assert.deepStrictEqual(JSON.parse(request.body), body);
  assert.equal(JSON.parse(request.body).totSecretKey, undefined);
  // Token of Trust's own conditionsMet content, gates and all.
  assert.deepStrictEqual((await verify({ url: "/verify/tot-met" })).decision, decision("verified", { messageCode: "isCleared" }));
  assert.equal((await modalOpens()).length, 0, "verified never opens the modal");

  // A continuation: continue; the modal opens only with autoOpen.
  const cont = decision("continue", { continuation: { url: CONTINUATION_URL, disableClose: true } });
  assert.deepStrictEqual((await verify({ url: "/verify/continuation", body })).decision, cont);
  assert.equal((await modalOpens()).length, 0, "no autoOpen, no modal");
  assert.deepStrictEqual((await verify({ url: "/verify/continuation", body, autoOpen: true })).decision, cont);
  assert.deepStrictEqual(await modalOpens(), [["modalOpen", "continue", { url: CONTINUATION_URL, disableClose: true }]]);

  // The server's error pass-through: error, never verified.
  assert.deepStrictEqual(
    (await verify({ url: "/verify/error", autoOpen: true })).decision,
    decision("error", { error: { code: "TOT_ERROR", message: "Invalid API key" } }),
  );
  // HTTP 500 (plain text): error.
  const e500 = (await verify({ url: "/verify/500", autoOpen: true })).decision;
  assert.equal(e500.action, "error", JSON.stringify(e500));
  assert.equal(e500.verificationRequired, true);
  assert.equal(e500.continuation, null);
  assert.equal(typeof e500.error?.code, "string");
  t.diagnostic(`HTTP 500 with a text body: ${JSON.stringify(e500.error)}`);
  // HTTP 500 whose body claims "not required": still an error.
  assert.deepStrictEqual(
    (await verify({ url: "/verify/500-json" })).decision,
    decision("error", { error: { code: "HTTP_ERROR", message: "the verifyPerson endpoint answered HTTP 500", status: 500 } }),
  );
  // 200 with a body that is not JSON: error.
  assert.equal((await verify({ url: "/verify/not-json" })).decision.error.code, "NO_CONTENT");
  // Nobody listening: a network error, not a rejection.
  const net = (await verify({ url: "http://127.0.0.1:9/verify", timeoutMs: 5000 })).decision;
  assert.equal(net.action, "error");
  assert.equal(net.error.code, "NETWORK_ERROR");
  assert.equal((await modalOpens()).length, 1, "no error opened the modal");

  // TIMEOUT on a server that never answers, after timeoutMs.
  const slow = await verify({ url: "/verify/slow", timeoutMs: 300, autoOpen: true });
  assert.equal(slow.error?.name, "KycError", JSON.stringify(slow));
  assert.equal(slow.error.code, "TIMEOUT");
  assert.equal(slow.error.isKycError, true);
  assert.ok(slow.ms >= 250 && slow.ms < 3000, `timed out after ${slow.ms} ms`);

  // ... and on one that sends headers, then stalls in the body.
  const stalled = await verify({ url: "/verify/slow-body", timeoutMs: 300 });
  assert.equal(stalled.error?.code, "TIMEOUT", JSON.stringify(stalled));
  assert.ok(stalled.ms >= 250 && stalled.ms < 3000, `timed out after ${stalled.ms} ms`);

  // BUSY: a second call while one is in flight is refused at once, without a request.
  const metBefore = server.count("/verify/met");
  const busy = await page.evaluate(async () => {
    const first = window.kyc.verifyPerson({ url: "/verify/slow", timeoutMs: 600 }).then(
      (d) => ({ decision: d }),
      (e) => ({ error: { name: e.name, code: e.code } }),
    );
    const t0 = performance.now();
    let second;
    try {
      second = { decision: await window.kyc.verifyPerson({ url: "/verify/met" }) };
    } catch (e) {
      second = { error: { name: e.name, code: e.code, message: e.message, isKycError: window.kyc.isKycError(e) }, ms: performance.now() - t0 };
    }
    window.__log("verifyPerson while one is in flight", second);
    return { first: await first, second };
  });
  assert.equal(busy.second.error?.code, "BUSY", JSON.stringify(busy));
  assert.equal(busy.second.error.name, "KycError");
  assert.equal(busy.second.error.isKycError, true);
  assert.ok(busy.second.ms < 200, `BUSY took ${busy.second.ms} ms`);
  assert.equal(busy.first.error?.code, "TIMEOUT", JSON.stringify(busy.first));
  assert.equal(server.count("/verify/met"), metBefore, "the refused call made no request");
  // Once the first call is done, the next one goes through.
  assert.deepStrictEqual((await verify({ url: "/verify/met" })).decision, decision("verified"));

  // Bad options: INVALID_ARGUMENT, and they do not leave a call "in flight".
  for (const [options, what] of [
    [{ url: "/verify/met", timeoutMs: 0 }, "timeoutMs 0"],
    [{ url: "/verify/met", timeoutMs: -5 }, "negative timeoutMs"],
    [{ url: "/verify/met", timeoutMs: "100" }, "string timeoutMs"],
    [{ url: "/verify/met", timeoutMs: Infinity }, "infinite timeoutMs"],
    [{ body: {} }, "no url"],
    [{ url: 5 }, "numeric url"],
  ]) {
    const r = await verify(options);
    assert.equal(r.error?.code, "INVALID_ARGUMENT", `${what}: ${JSON.stringify(r)}`);
  }
  const cyclic = await pageError(page, async (kyc) => {
    const body = {};
    body.self = body;
    await kyc.verifyPerson({ url: "/verify/met", body });
  });
  assertKycError(cyclic, "INVALID_ARGUMENT", "a body that is not JSON-serialisable");
  assert.deepStrictEqual((await verify({ url: "/verify/met" })).decision, decision("verified"));

  // The page as it stands, for a human to look at.
  await page.evaluate(() => {
    document.getElementById("status").textContent =
      `done: ${window.__totCalls.length} tot() calls recorded, ${window.__embedLoads} embed.js load`;
  });
  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  assert.deepStrictEqual(page.pageErrors, []);
  await page.close();
});

test("verifyPerson: an HTTP 500 with a non-JSON body is HTTP_ERROR with its status", async () => {
  const page = await openPage();
  const d = await page.evaluate(() => window.kyc.verifyPerson({ url: "/verify/500" }));
  await page.close();
  assert.equal(d.action, "error");
  assert.deepStrictEqual(d.error, { code: "HTTP_ERROR", message: "the verifyPerson endpoint answered HTTP 500", status: 500 });
});
