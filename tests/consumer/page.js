// The browser page of the consumer test, bundled by esbuild (format esm, platform browser, target es2022).
// "kyc-wasm" resolves through the package's exports map to the `browser` condition: browser/index.js, which
// awaits init() at top level (fetching kyc_wasm_bg.wasm from beside the bundle) and re-exports the API.

import * as kyc from "kyc-wasm";

import { runPageChecks } from "./fixtures.js";

// A page's build: the page functions, and none of the server API (issue 16).
const lines = runPageChecks(kyc);
const failed = lines.filter((l) => !/: ok\b/.test(l));
document.querySelector("#results").textContent = lines.join("\n");
document.querySelector("#status").textContent = failed.length === 0 ? "PASS" : `FAIL (${failed.length})`;
