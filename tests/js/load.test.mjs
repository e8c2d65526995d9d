// Loading the package: by path (ESM and CommonJS), through its exports map, and the web build in Node.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";

import { API_NAMES, NODE_ONLY_API_NAMES, PKG, SEED_OST, SERVER_API_NAMES, WEB_API_NAMES, WEB_ONLY_API_NAMES, assertModuleWorks, isApiName, kyc, requirePkg } from "./helpers.mjs";

const seedOptions = { url: SEED_OST.url, secret: SEED_OST.secret, now: SEED_OST.timestamp };

// Each build exports exactly the names listed in helpers.mjs (API_NAMES for pkg/node, WEB_API_NAMES for
// pkg/web and pkg/browser): a new export, or a lost one, fails here until the list is updated.
const esmNames = (m) => Object.keys(m).filter((n) => n !== "default" && isApiName(n)).sort();

test("import by path exposes exactly the Node API as functions, plus a default export", () => {
  const names = esmNames(kyc);
  assert.deepEqual(names, API_NAMES);
  for (const name of WEB_ONLY_API_NAMES) assert.ok(!names.includes(name), `the Node build does not export ${name}`);
  for (const name of names) assert.equal(typeof kyc[name], "function", name);
  assert.deepEqual(Object.keys(kyc.default).filter(isApiName).sort(), names);
});

test("require by path gives the same export names and the very same functions", () => {
  const cjs = requirePkg();
  assert.deepEqual(Object.keys(cjs).filter(isApiName).sort(), esmNames(kyc));
  for (const name of Object.keys(cjs).filter(isApiName)) assert.equal(cjs[name], kyc[name], name);
  assert.equal(kyc.default, cjs);
});

describe("resolution through the package's exports map (node_modules/kyc-wasm -> pkg)", () => {
  let dir;
  let entry;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "kyc-wasm-exports-"));
    mkdirSync(path.join(dir, "node_modules"));
    symlinkSync(PKG, path.join(dir, "node_modules", "kyc-wasm"), "dir");
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "exports-check", private: true, type: "module" }));
    writeFileSync(
      path.join(dir, "entry.mjs"),
      [
        'import * as esm from "kyc-wasm";',
        'import { createRequire } from "node:module";',
        "const require = createRequire(import.meta.url);",
        'const cjs = require("kyc-wasm");',
        "const resolved = {",
        '  import: import.meta.resolve("kyc-wasm"),',
        '  importWeb: import.meta.resolve("kyc-wasm/web"),',
        '  importServer: import.meta.resolve("kyc-wasm/server"),',
        '  requireServer: require.resolve("kyc-wasm/server"),',
        '  require: require.resolve("kyc-wasm"),',
        '  requireWeb: require.resolve("kyc-wasm/web"),',
        '  packageJson: require.resolve("kyc-wasm/package.json"),',
        "};",
        "let notExported;",
        'try { require.resolve("kyc-wasm/node/kyc_wasm.js"); } catch (e) { notExported = e.code; }',
        "let notExportedImport;",
        'try { await import("kyc-wasm/node/index.mjs"); } catch (e) { notExportedImport = e.code; }',
        "export { esm, cjs, resolved, notExported, notExportedImport };",
      ].join("\n"),
    );
    entry = pathToFileURL(path.join(dir, "entry.mjs")).href;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("import and require pick the node entries, and share one module instance", async () => {
    const { esm, cjs, resolved, notExported, notExportedImport } = await import(entry);
    const real = realpathSync(PKG);
    assert.equal(resolved.import, pathToFileURL(path.join(real, "node", "index.mjs")).href);
    assert.equal(resolved.importWeb, pathToFileURL(path.join(real, "web", "index.js")).href);
    // kyc-wasm/server under the node condition is the Node build itself (issue 16).
    assert.equal(resolved.importServer, pathToFileURL(path.join(real, "node", "index.mjs")).href);
    assert.equal(resolved.requireServer, path.join(real, "node", "index.js"));
    assert.equal(resolved.require, path.join(real, "node", "index.js"));
    assert.equal(resolved.requireWeb, path.join(real, "web", "index.js"));
    assert.equal(resolved.packageJson, path.join(real, "package.json"));
    assert.equal(notExported, "ERR_PACKAGE_PATH_NOT_EXPORTED");
    assert.equal(notExportedImport, "ERR_PACKAGE_PATH_NOT_EXPORTED");
    assert.deepEqual(esmNames(esm), esmNames(kyc));
    assert.deepEqual(Object.keys(cjs).filter(isApiName).sort(), esmNames(kyc));
    for (const name of Object.keys(cjs).filter(isApiName)) {
      assert.equal(esm[name], cjs[name], name);
      assert.equal(esm[name], kyc[name], `${name}: the package import is the same module as the by-path import`);
    }
    assert.equal(esm.verifyOstWebhook(SEED_OST.body, seedOptions).name, "user_register");
    assert.equal(cjs.toQuery({ email: "kyc@ost.com" }), "email=kyc%40ost.com");
  });

  test("the package.json in pkg/ is the published one (exports map, no dependencies)", () => {
    const pkg = createRequire(entry)("kyc-wasm/package.json");
    assert.equal(pkg.name, "kyc-wasm");
    assert.equal(pkg.dependencies, undefined);
    assert.deepEqual(Object.keys(pkg.exports).sort(), [".", "./lite", "./lite/web", "./package.json", "./server", "./testing", "./web"]);
    assert.equal(pkg.exports["."].node.import, "./node/index.mjs");
    assert.equal(pkg.exports["."].node.require, "./node/index.js");
  });

  test("kyc-wasm/web works in Node once init() is given the wasm bytes", async () => {
    // Through the exports map: a module in the temp project re-exports "kyc-wasm/web".
    const webEntry = path.join(dir, "web-entry.mjs");
    writeFileSync(webEntry, 'export * from "kyc-wasm/web";\nexport { default } from "kyc-wasm/web";\n');
    const web = await import(pathToFileURL(webEntry).href);
    const names = Object.keys(web).filter(isApiName).sort();
    assert.deepEqual(names, [...WEB_API_NAMES, "default", "initSync"].sort(), "kyc-wasm/web exports exactly the browser API and its loaders");
    for (const name of [...NODE_ONLY_API_NAMES, ...SERVER_API_NAMES]) assert.ok(!names.includes(name), `the browser build does not export ${name}`);
    for (const name of WEB_API_NAMES) assert.equal(typeof web[name], "function", name);
    assert.equal(typeof web.default, "function");
    assert.equal(typeof web.initSync, "function");
    await web.default({ module_or_path: readFileSync(path.join(PKG, "web", "kyc_wasm_bg.wasm")) });
    assert.equal(web.parseQuery(SEED_OST.body).id, "236");
    assertModuleWorks(web);
    // A second instance: the web build and the node build do not share state.
    assert.notEqual(web.toQuery, kyc.toQuery);
  });
});

test("browser/index.js instantiates itself at import from embedded bytes: no fetch, no top-level await, no import.meta", () => {
  // fetch throws in the child: the entry must not need it.
  const browserEntry = pathToFileURL(path.join(PKG, "browser", "index.js")).href;
  const code = `
    globalThis.fetch = () => { throw new Error("the browser entry fetched something"); };
    const k = await import(${JSON.stringify(browserEntry)});
    const out = k.parseQuery(${JSON.stringify(SEED_OST.body)});
    console.log(JSON.stringify({ names: Object.keys(k).filter((n) => !n.startsWith("__")).sort(), name: out.name }));
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8", timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim().split("\n").pop());
  assert.equal(result.name, "user_register");
  assert.deepEqual(result.names, [...WEB_API_NAMES, "initSync"].sort(), "kyc-wasm's browser entry exports exactly the browser API and initSync");
  for (const name of SERVER_API_NAMES) assert.ok(!result.names.includes(name), `the browser entry does not export ${name}`);
  // What makes it work in every bundler and output format (ESM, CommonJS, IIFE): no top-level await and no
  // `new URL(..., import.meta.url)` asset; only relative imports (a page can load it by URL).
  for (const dir of ["browser", path.join("lite", "browser"), "server"]) {
    for (const file of readdirSync(path.join(PKG, dir)).filter((f) => f.endsWith(".js"))) {
      const text = readFileSync(path.join(PKG, dir, file), "utf8");
      assert.ok(!text.includes("import.meta"), `${dir}/${file} has no import.meta`);
      assert.ok(!/^await /m.test(text), `${dir}/${file} has no top-level await`);
      // Import and re-export statements (one line, or the closing `} from "…"` line of a multi-line one).
      const specifiers = [
        ...text.matchAll(/^\s*(?:import|export)\b[^;"'\n]*?\bfrom\s*["']([^"']+)["']/gm),
        ...text.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
        ...text.matchAll(/^\s*\}\s*from\s*["']([^"']+)["']/gm),
      ].map((m) => m[1]);
      assert.ok(file !== "index.js" || specifiers.length > 0, `${dir}/index.js imports something`);
      for (const specifier of specifiers) assert.match(specifier, /^\.\.?\//, `${dir}/${file} imports ${specifier} relatively`);
    }
  }
});

test("the browser entries' TypeScript declarations list exactly their run-time exports (issue 16: no server API)", async () => {
  const declared = (dir) =>
    ["kyc_wasm.d.ts", "errors.d.ts"].flatMap((f) =>
      [...readFileSync(path.join(PKG, dir, f), "utf8").matchAll(/^export (?:declare )?(?:function|class) (\w+)/gm)].map((m) => m[1]),
    );
  for (const dir of ["browser", "web", path.join("lite", "browser"), path.join("lite", "web")]) {
    const types = [...new Set(declared(dir))].sort();
    const index = readFileSync(path.join(PKG, dir, "index.d.ts"), "utf8");
    assert.match(index, /export \* from "\.\/kyc_wasm\.js"/, `${dir}/index.d.ts re-exports the glue's declarations`);
    assert.ok(!/webhook|store|record/.test(index), `${dir}/index.d.ts re-exports no server lib module`);
    const runtime = dir.endsWith("web")
      ? null
      : JSON.parse(
          spawnSync(process.execPath, ["--input-type=module", "-e", `const k = await import(${JSON.stringify(pathToFileURL(path.join(PKG, dir, "index.js")).href)}); console.log(JSON.stringify(Object.keys(k).sort()));`], { encoding: "utf8", timeout: 60_000 }).stdout,
        );
    if (runtime) assert.deepEqual(types, runtime, `${dir}: declared = exported`);
    for (const name of SERVER_API_NAMES) assert.ok(!types.includes(name), `${dir} declares no ${name}`);
  }
  assert.deepEqual([...new Set(declared("browser"))].sort(), [...WEB_API_NAMES, "initSync"].sort());
});

test("kyc-wasm/server's browser entry (service workers): the server API, instantiated at import, no Node built-in", () => {
  const serverEntry = pathToFileURL(path.join(PKG, "server", "index.js")).href;
  // No require in the child (an ES module): the glue must not need node:crypto under the browser condition.
  const code = `
    globalThis.fetch = () => { throw new Error("the server entry fetched something"); };
    const k = await import(${JSON.stringify(serverEntry)});
    const out = k.verifyOstWebhook(${JSON.stringify(SEED_OST.body)}, ${JSON.stringify(seedOptions)});
    const big = "x".repeat(100000);
    const sig = k.totWebhookSignature(big, "k");
    console.log(JSON.stringify({ names: Object.keys(k).filter((n) => !n.startsWith("__")).sort(), name: out.name, sig }));
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8", timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim().split("\n").pop());
  assert.equal(result.name, "user_register");
  assert.equal(result.sig, createHmac("sha1", "k").update("x".repeat(100000)).digest("base64"));
  assert.deepEqual(result.names, [...API_NAMES.filter((n) => n !== "webhookHandler"), "initSync"].sort());
  const glue = readFileSync(path.join(PKG, "server", "kyc_wasm.js"), "utf8");
  assert.ok(!/\brequire\(/.test(glue), "server/kyc_wasm.js has no require");
  const pkg = JSON.parse(readFileSync(path.join(PKG, "package.json"), "utf8"));
  assert.equal(pkg.exports["./server"].browser.default, "./server/index.js");
  assert.equal(pkg.exports["./server"].workerd.default, "./edge/index.js");
  assert.equal(pkg.exports["./server"].node.import, "./node/index.mjs");
  assert.ok(pkg.files.includes("server/"));
});

test("package.json: sideEffects names the modules that instantiate at import; types without a condition are the server API", () => {
  const pkg = JSON.parse(readFileSync(path.join(PKG, "package.json"), "utf8"));
  assert.ok(Array.isArray(pkg.sideEffects), "sideEffects is a list, not false: the glue instantiates the module at import");
  for (const file of ["./node/kyc_wasm.js", "./browser/kyc_wasm.js", "./lite/node/kyc_wasm.js", "./lite/browser/kyc_wasm.js"]) {
    assert.ok(pkg.sideEffects.includes(file), `sideEffects lists ${file}`);
  }
  assert.equal(pkg.exports["."].types, "./index.d.ts");
  const types = readFileSync(path.join(PKG, "index.d.ts"), "utf8");
  assert.match(types, /export \* from "\.\/node\/index\.js"/);
  // The Node build reads its module from the file beside the glue, named by its content hash (issue 16, cold
  // start), and has the same bytes in node/kyc_wasm_bg.wasm.js for bundles, which do not follow the file.
  for (const dir of ["node", path.join("lite", "node")]) {
    const wasmFiles = readdirSync(path.join(PKG, dir)).filter((f) => f.endsWith(".wasm"));
    assert.equal(wasmFiles.length, 1, `${dir} ships one .wasm`);
    const bytes = readFileSync(path.join(PKG, dir, wasmFiles[0]));
    const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
    assert.equal(wasmFiles[0], `kyc_wasm_bg.${hash}.wasm`);
    const embedded = Buffer.from(createRequire(import.meta.url)(path.join(PKG, dir, "kyc_wasm_bg.wasm.js")), "base64");
    assert.ok(embedded.equals(bytes), `${dir}: the embedded bytes are the file's`);
    const glue = readFileSync(path.join(PKG, dir, dir === "node" ? "kyc_wasm_full.js" : "kyc_wasm.js"), "utf8");
    assert.ok(glue.includes(`"/${wasmFiles[0]}"`), `${dir}: the glue reads ${wasmFiles[0]}`);
  }
});

// Issue 16, cold start: node/kyc_wasm.js serves the exports it shares with lite/node from lite's module
// (instantiated at import) and compiles the full module on the first call of a full-only export; each glue reads
// its .wasm file when it is beside it and takes its embedded bytes when it is not (bundles). Fresh processes over
// a copy of the two build directories, with and without the .wasm files.
test("Node build: the webhook path on lite's module, the full module on first use, the embedded bytes without the file", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kyc-cold-"));
  try {
    cpSync(path.join(PKG, "node"), path.join(dir, "node"), { recursive: true });
    cpSync(path.join(PKG, "lite", "node"), path.join(dir, "lite", "node"), { recursive: true });
    const script = `
      const fs = require("fs"), path = require("path");
      const read = fs.readFileSync, reads = [];
      fs.readFileSync = function (file) {
        const bytes = read.apply(this, arguments); // throws when the file is not there: not counted
        if (String(file).endsWith(".wasm")) reads.push(path.relative(${JSON.stringify(dir)}, String(file)).split(path.sep)[0]);
        return bytes;
      };
      const state = () => ({
        reads: [...reads],
        embedded: Object.keys(require.cache).filter((f) => f.endsWith("kyc_wasm_bg.wasm.js")).map((f) => path.relative(${JSON.stringify(dir)}, f).split(path.sep)[0]),
      });
      const kyc = require(${JSON.stringify(path.join(dir, "node", "index.js"))});
      const out = { atImport: state() };
      out.event = kyc.verifyOstWebhook(${JSON.stringify(SEED_OST.body)}, ${JSON.stringify(seedOptions)}).name;
      out.afterVerify = state();
      out.hmac = kyc.hmacSha256Hex("k", "message");
      out.afterHmac = state();
      const client = new kyc.OstKycClient({ apiKey: "k", apiSecret: "s", baseUrl: "https://kyc.sandbox.ost.com" });
      out.client = client instanceof kyc.OstKycClient;
      console.log(JSON.stringify(out));
    `;
    const run = () => {
      const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout);
    };
    const hmac = createHmac("sha256", "k").update("message").digest("hex");
    assert.deepEqual(run(), {
      atImport: { reads: ["lite"], embedded: [] },
      event: "user_register",
      afterVerify: { reads: ["lite"], embedded: [] },
      hmac,
      afterHmac: { reads: ["lite", "node"], embedded: [] },
      client: true,
    });
    for (const sub of ["node", path.join("lite", "node")]) {
      for (const f of readdirSync(path.join(dir, sub))) if (f.endsWith(".wasm")) rmSync(path.join(dir, sub, f));
    }
    assert.deepEqual(run(), {
      atImport: { reads: [], embedded: ["lite"] },
      event: "user_register",
      afterVerify: { reads: [], embedded: ["lite"] },
      hmac,
      afterHmac: { reads: [], embedded: ["lite", "node"] },
      client: true,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
