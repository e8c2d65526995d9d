// (b) ESM consumer: import from "kyc-wasm" resolves to node/index.mjs (named exports over the CommonJS build).
import { createRequire } from "node:module";

import * as kyc from "kyc-wasm";
import kycDefault, { verifyOstWebhook } from "kyc-wasm";

import { runChecks, runPageChecks } from "./fixtures.js";

const require = createRequire(import.meta.url);
const resolved = import.meta.resolve("kyc-wasm");
if (!resolved.endsWith("/node_modules/kyc-wasm/node/index.mjs")) throw new Error(`import resolved ${resolved}`);
// One module instance behind import, the default export and require.
const cjs = require("kyc-wasm");
if (verifyOstWebhook !== cjs.verifyOstWebhook || kycDefault !== cjs) throw new Error("import and require give different modules");
const names = Object.keys(kyc).filter((n) => n !== "default").sort();
// The CommonJS module also has hidden `__` exports (for the package's own JavaScript), which the ESM entry omits.
const cjsNames = Object.keys(cjs).filter((n) => !n.startsWith("__")).sort();
if (JSON.stringify(names) !== JSON.stringify(cjsNames)) throw new Error(`export names differ: ${names} vs ${cjsNames}`);

const lines = runChecks(kyc);
for (const line of lines) console.log(`  import: ${line}`);

// kyc-wasm/web also loads in Node when init() is given the bytes (Node's fetch cannot read file: URLs).
const { readFile } = await import("node:fs/promises");
const web = await import("kyc-wasm/web");
const wasmPath = new URL("kyc_wasm_bg.wasm", import.meta.resolve("kyc-wasm/web"));
await web.default({ module_or_path: await readFile(wasmPath) });
const webLines = runPageChecks(web);
for (const line of webLines) console.log(`  import kyc-wasm/web: ${line}`);

if ([...lines, ...webLines].some((l) => !/: ok\b/.test(l))) process.exit(1);
