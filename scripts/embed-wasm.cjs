// Puts the .wasm bytes inside the JavaScript of a build, so that no bundler, server framework or page has to
// find, copy or serve a separate file (issue 13):
//
//   node scripts/embed-wasm.cjs node <dir> [--lazy]
//     <dir>/kyc_wasm.js is wasm-bindgen's CommonJS glue (target nodejs). Its
//     `require('fs').readFileSync(`${__dirname}/kyc_wasm_bg.wasm`)` (a path that webpack and Turbopack do
//     not follow) becomes: read the module from the file beside the glue, renamed
//     kyc_wasm_bg.<sha-256 prefix>.wasm, when it is there and has the expected length (Node, Bun: issue 16,
//     cold start: loading the 684 KB base64 string costs ~5 ms, reading the file ~0.4 ms), else the bytes of
//     <dir>/kyc_wasm_bg.wasm.js (base64, CommonJS; a literal require, so bundlers, whose output has no such
//     file beside it, include it). The content hash in the name means a glue never reads another build's
//     module. Its `require(<string from wasm>)` (node:crypto for the native HMACs) becomes a static
//     `require("node:crypto")` that bundlers resolve as a Node built-in.
//     --lazy (issue 16, the full Node build): the module is compiled and instantiated on the first use of
//     `wasm` (any export's first call), not at require: `wasm` starts as a Proxy whose first property read
//     instantiates and replaces it, so later calls pay nothing. The entry serves the cold path (webhooks)
//     from the lite module, instantiated at import (scripts/node-esm-wrapper.cjs --cold).
//
//   node scripts/embed-wasm.cjs browser <webdir> <outdir>
//     Copies wasm-bindgen's ES module glue (target web) from <webdir> into <outdir>, writes
//     <outdir>/kyc_wasm_bg.wasm.js (hex, ES module), and instantiates the module synchronously at import
//     (`initSync`): no top-level await, no `new URL(…, import.meta.url)` asset, so the output works in ESM,
//     CommonJS and IIFE bundles alike. Chromium compiles modules up to 8 MB synchronously on the main thread
//     (measured: BENCHMARKS.md); Firefox and Safari have no such limit.
//
// Why hex and not base64: gzip and brotli find the wasm's repetitions again in hex (one byte is always the
// same two characters), not in base64 (3-byte groups straddle them). For the browser build: raw .wasm 118.1 KB
// gzip -9, hex 130.1 KB, base64 155.1 KB (BENCHMARKS.md, "Embedded wasm").
//
// Every rewrite checks that the generated code has the exact shape it expects and fails the build loudly
// when a wasm-bindgen upgrade changes it, rather than shipping a glue that would read a missing file.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const [mode, ...dirs] = process.argv.slice(2);

/** Replaces the one occurrence of `from` in `text`; throws if there is not exactly one. */
function replaceOnce(text, from, to, file) {
  const count = text.split(from).length - 1;
  if (count !== 1) {
    throw new Error(
      `embed-wasm: expected exactly one ${JSON.stringify(from)} in ${file}, found ${count}: ` +
        "the wasm-bindgen glue changed shape; update scripts/embed-wasm.cjs",
    );
  }
  return text.replace(from, () => to);
}

function refuse(text, needle, file) {
  if (text.includes(needle)) {
    throw new Error(`embed-wasm: ${file} still contains ${JSON.stringify(needle)} after the rewrite; update scripts/embed-wasm.cjs`);
  }
}

const hexOf = (wasmFile) => {
  const bytes = fs.readFileSync(wasmFile);
  if (bytes.readUInt32BE(0) !== 0x0061736d) throw new Error(`embed-wasm: ${wasmFile} is not a wasm module`);
  return { hex: bytes.toString("hex"), length: bytes.length };
};

if (mode === "node") {
  const dir = path.resolve(dirs[0]);
  const lazy = dirs.includes("--lazy");
  const glue = path.join(dir, "kyc_wasm.js");
  let text = fs.readFileSync(glue, "utf8");
  // Base64 here, not hex (issue 16): nothing downloads the Node build gzipped but npm, while every cold start
  // without the file (bundles) pays for loading the string and decoding it. Measured (498 KB module, fresh
  // processes): hex ~1 MB of JavaScript to load plus a hex decode, base64 a third less and a native decode.
  const wasmFile = path.join(dir, "kyc_wasm_bg.wasm");
  const { hex, length } = hexOf(wasmFile);
  const bytes = Buffer.from(hex, "hex");
  const base64 = bytes.toString("base64");
  const fileName = `kyc_wasm_bg.${require("node:crypto").createHash("sha256").update(bytes).digest("hex").slice(0, 16)}.wasm`;
  const load = [
    "// kyc-wasm (scripts/embed-wasm.cjs): the module's bytes. Node and Bun read the file beside this glue (its name",
    "// holds a hash of its content, so no other build's module is read); bundles, which have no such file beside",
    "// their output, and Deno (no file read without a permission) take the embedded copy.",
    "function __kycWasmBytes() {",
    '    if (typeof Deno === "undefined" && typeof __dirname === "string") {',
    "        try {",
    `            const bytes = require("fs").readFileSync(__dirname + "/${fileName}");`,
    `            if (bytes.length === ${length}) return bytes;`,
    "        } catch (_) {",
    "            // no file: the embedded copy below",
    "        }",
    "    }",
    '    const wasmBase64 = require("./kyc_wasm_bg.wasm.js");',
    '    return typeof Buffer === "function" ? Buffer.from(wasmBase64, "base64") : Uint8Array.from(atob(wasmBase64), (c) => c.charCodeAt(0));',
    "}",
  ];
  const from =
    "const wasmPath = `${__dirname}/kyc_wasm_bg.wasm`;\nconst wasmBytes = require('fs').readFileSync(wasmPath);\n" +
    "const wasmModule = new WebAssembly.Module(wasmBytes);\n" +
    "let wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());\n" +
    "let wasm = wasmInstance.exports;\n" +
    "wasm.__wbindgen_start();\n";
  const eager = [
    "const wasmModule = new WebAssembly.Module(__kycWasmBytes());",
    "let wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());",
    "let wasm = wasmInstance.exports;",
    "wasm.__wbindgen_start();",
  ];
  const deferred = [
    "// Instantiated on first use (issue 16, cold start): the first read of a property of `wasm` compiles and",
    "// instantiates the module and replaces `wasm` with its exports, so only the first call pays for it.",
    "let wasm = new Proxy({}, { get(_, name) { __kycInstantiate(); return wasm[name]; } });",
    "function __kycInstantiate() {",
    "    const wasmModule = new WebAssembly.Module(__kycWasmBytes());",
    "    const wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());",
    "    const exports = wasmInstance.exports;",
    "    wasm = exports;",
    "    exports.__wbindgen_start();",
    "}",
  ];
  text = replaceOnce(text, from, [...load, ...(lazy ? deferred : eager), ""].join("\n"), glue);
  // The only module the core asks for is node:crypto (src/wasm/native_hmac.rs): a static require, which
  // bundlers resolve (a Node built-in) instead of warning about an expression they cannot follow.
  text = replaceOnce(
    text,
    "const ret = require(getStringFromWasm0(arg0, arg1));",
    'const id = getStringFromWasm0(arg0, arg1);\n            if (id !== "node:crypto") throw new Error(`kyc-wasm: unexpected require(${id})`);\n            const ret = require("node:crypto");',
    glue,
  );
  refuse(text, "wasmPath", glue);
  refuse(text, "kyc_wasm_bg.wasm`", glue);
  // Written only once the glue is known to have the expected shape.
  fs.renameSync(wasmFile, path.join(dir, fileName));
  fs.writeFileSync(
    path.join(dir, "kyc_wasm_bg.wasm.js"),
    `// Generated by scripts/embed-wasm.cjs: kyc_wasm_bg.wasm (${length} bytes), base64.\n"use strict";\nmodule.exports = "${base64}";\n`,
  );
  fs.writeFileSync(glue, text);
} else if (mode === "browser") {
  const [webDir, outDir] = dirs.map((d) => path.resolve(d));
  fs.mkdirSync(outDir, { recursive: true });
  const from = path.join(webDir, "kyc_wasm.js");
  const glue = path.join(outDir, "kyc_wasm.js");
  let text = fs.readFileSync(from, "utf8");
  const { hex, length } = hexOf(path.join(webDir, "kyc_wasm_bg.wasm"));
  fs.writeFileSync(
    path.join(outDir, "kyc_wasm_bg.wasm.js"),
    `// Generated by scripts/embed-wasm.cjs: kyc_wasm_bg.wasm (${length} bytes), hex.\nexport default "${hex}";\n`,
  );
  // init() without an argument would fetch kyc_wasm_bg.wasm from beside the module: here it takes the
  // embedded bytes instead (and returns at once, the module being instantiated at import).
  text = replaceOnce(
    text,
    "module_or_path = new URL('kyc_wasm_bg.wasm', import.meta.url);",
    "module_or_path = wasmBytes();",
    from,
  );
  refuse(text, "import.meta", from);
  // A glue built with the `node` feature (pkg/server reuses the edge build's) asks for node:crypto through a
  // dynamic require. Under the browser condition there is none: the import fails at once (handleError hands
  // the error to the core, which keeps to its own HMACs) with no `require` left for bundlers to follow.
  if (text.includes("const ret = require(getStringFromWasm0(arg0, arg1));")) {
    text = replaceOnce(
      text,
      "const ret = require(getStringFromWasm0(arg0, arg1));",
      'const ret = undefined; throw new Error("kyc-wasm: no node:crypto under the browser condition");',
      from,
    );
  }
  refuse(text, "require(", from);
  text = replaceOnce(
    text,
    "export { initSync, __wbg_init as default };",
    [
      "export { initSync, __wbg_init as default };",
      "",
      "// kyc-wasm: the bytes are embedded (scripts/embed-wasm.cjs) and the module is instantiated synchronously",
      "// here, at import, so every export works as soon as the import resolves, in any bundler's output format.",
      'import wasmHex from "./kyc_wasm_bg.wasm.js";',
      "function wasmBytes() {",
      '    if (typeof Uint8Array.fromHex === "function") return Uint8Array.fromHex(wasmHex);',
      "    const bytes = new Uint8Array(wasmHex.length >> 1);",
      "    for (let i = 0; i < bytes.length; i++) {",
      "        const hi = wasmHex.charCodeAt(2 * i), lo = wasmHex.charCodeAt(2 * i + 1);",
      "        bytes[i] = ((hi & 15) + (hi >> 6) * 9) << 4 | ((lo & 15) + (lo >> 6) * 9);",
      "    }",
      "    return bytes;",
      "}",
      "initSync({ module: wasmBytes() });",
      "",
    ].join("\n"),
    from,
  );
  fs.writeFileSync(glue, text);
  // The glue's declarations, and its inline JavaScript snippets (imported by relative path).
  fs.copyFileSync(path.join(webDir, "kyc_wasm.d.ts"), path.join(outDir, "kyc_wasm.d.ts"));
  if (fs.existsSync(path.join(webDir, "snippets"))) {
    fs.cpSync(path.join(webDir, "snippets"), path.join(outDir, "snippets"), { recursive: true });
  }
} else {
  console.error("usage: node scripts/embed-wasm.cjs node <dir> | browser <webdir> <outdir>");
  process.exit(2);
}
