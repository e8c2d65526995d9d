// scripts/embed-wasm.cjs (issue 13): the build step that puts the wasm bytes into the JavaScript must refuse a
// glue whose shape it does not know, rather than ship one that reads a file that is not there; and what it
// embeds must be the very bytes of the .wasm.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";

import { PKG, ROOT } from "./helpers.mjs";

const SCRIPT = path.join(ROOT, "scripts", "embed-wasm.cjs");
const WASM = path.join(PKG, "web", "kyc_wasm_bg.wasm");
const run = (...args) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8" });

test("the embedded bytes are the .wasm's, in the Node build and the browser entry", async () => {
  const wasm = readFileSync(WASM);
  const browserHex = (await import(path.join(PKG, "browser", "kyc_wasm_bg.wasm.js"))).default;
  assert.ok(Buffer.from(browserHex, "hex").equals(wasm), "browser/kyc_wasm_bg.wasm.js holds web/kyc_wasm_bg.wasm");
  // The Node build's bytes are base64 (issue 16: faster to load and decode at a cold start than hex).
  const nodeBase64 = createRequire(import.meta.url)(path.join(PKG, "node", "kyc_wasm_bg.wasm.js"));
  assert.match(nodeBase64, /^[A-Za-z0-9+/]+={0,2}$/);
  const nodeBytes = Buffer.from(nodeBase64, "base64");
  assert.equal(nodeBytes.readUInt32BE(0), 0x0061736d, "node/kyc_wasm_bg.wasm.js holds a wasm module");
  assert.ok(WebAssembly.validate(nodeBytes), "node/kyc_wasm_bg.wasm.js holds a valid wasm module");
});

test("embed-wasm refuses a Node glue without the readFileSync it replaces, and a browser glue without new URL", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kyc-embed-"));
  try {
    mkdirSync(path.join(dir, "node"));
    copyFileSync(WASM, path.join(dir, "node", "kyc_wasm_bg.wasm"));
    writeFileSync(path.join(dir, "node", "kyc_wasm.js"), "const wasmBytes = require('fs').readFileSync(require('path').join(__dirname, 'x.wasm'));\n");
    let r = run("node", path.join(dir, "node"));
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /glue changed shape; update scripts\/embed-wasm\.cjs/);

    mkdirSync(path.join(dir, "web"));
    copyFileSync(WASM, path.join(dir, "web", "kyc_wasm_bg.wasm"));
    writeFileSync(path.join(dir, "web", "kyc_wasm.js"), "module_or_path = new URL('other.wasm', import.meta.url);\nexport { initSync, __wbg_init as default };\n");
    r = run("browser", path.join(dir, "web"), path.join(dir, "browser"));
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /glue changed shape/);

    // A glue of the known shape is rewritten: wasm-bindgen's unhashed path is gone; the glue reads the module
    // renamed with its content hash, else the embedded bytes (issue 16); --lazy defers the instantiation.
    const known =
      "const wasmPath = `${__dirname}/kyc_wasm_bg.wasm`;\nconst wasmBytes = require('fs').readFileSync(wasmPath);\n" +
      "const wasmModule = new WebAssembly.Module(wasmBytes);\n" +
      "let wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());\n" +
      "let wasm = wasmInstance.exports;\n" +
      "wasm.__wbindgen_start();\n" +
      "x(function (arg0, arg1) { const ret = require(getStringFromWasm0(arg0, arg1)); });\n";
    const hash = createHash("sha256").update(readFileSync(WASM)).digest("hex").slice(0, 16);
    for (const lazy of [false, true]) {
      copyFileSync(WASM, path.join(dir, "node", "kyc_wasm_bg.wasm"));
      writeFileSync(path.join(dir, "node", "kyc_wasm.js"), known);
      r = run("node", path.join(dir, "node"), ...(lazy ? ["--lazy"] : []));
      assert.equal(r.status, 0, r.stderr);
      const glue = readFileSync(path.join(dir, "node", "kyc_wasm.js"), "utf8");
      assert.ok(!glue.includes("wasmPath") && !glue.includes("kyc_wasm_bg.wasm`"));
      assert.ok(readFileSync(path.join(dir, "node", `kyc_wasm_bg.${hash}.wasm`)).equals(readFileSync(WASM)), "the module, renamed by its hash");
      assert.ok(glue.includes(`readFileSync(__dirname + "/kyc_wasm_bg.${hash}.wasm")`));
      assert.ok(glue.includes(`bytes.length === ${readFileSync(WASM).length}`));
      assert.ok(glue.includes('require("./kyc_wasm_bg.wasm.js")'), "the embedded bytes as the fallback");
      assert.match(glue, /require\("node:crypto"\)/);
      assert.equal(glue.includes("new Proxy("), lazy);
      assert.equal(/^const wasmModule = new WebAssembly\.Module\(__kycWasmBytes\(\)\);$/m.test(glue), !lazy, "instantiated at require unless --lazy");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("embed-wasm browser: a glue built with `node` (pkg/server) keeps no require; the embedded bytes are the edge wasm's", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kyc-embed-"));
  try {
    mkdirSync(path.join(dir, "web"));
    copyFileSync(WASM, path.join(dir, "web", "kyc_wasm_bg.wasm"));
    writeFileSync(
      path.join(dir, "web", "kyc_wasm.js"),
      "module_or_path = new URL('kyc_wasm_bg.wasm', import.meta.url);\n" +
        "x(function (arg0, arg1) { const ret = require(getStringFromWasm0(arg0, arg1)); });\n" +
        "export { initSync, __wbg_init as default };\n",
    );
    writeFileSync(path.join(dir, "web", "kyc_wasm.d.ts"), "export function initSync(module: unknown): unknown;\n");
    const r = run("browser", path.join(dir, "web"), path.join(dir, "out"));
    assert.equal(r.status, 0, r.stderr);
    const glue = readFileSync(path.join(dir, "out", "kyc_wasm.js"), "utf8");
    assert.ok(!/\brequire\(/.test(glue), "no require left");
    assert.match(glue, /throw new Error\("kyc-wasm: no node:crypto under the browser condition"\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The package's own kyc-wasm/server entry: the edge build's bytes.
  const serverHex = (await import(path.join(PKG, "server", "kyc_wasm_bg.wasm.js"))).default;
  assert.ok(Buffer.from(serverHex, "hex").equals(readFileSync(path.join(PKG, "edge", "kyc_wasm_bg.wasm"))), "server/ embeds edge/kyc_wasm_bg.wasm");
});
