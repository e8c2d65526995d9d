// The lite page of the consumer test, bundled by esbuild into dist/lite/ with its own .wasm: "kyc-wasm/lite"
// resolves through the exports map to lite/browser/index.js (the small build: signing, verification,
// gates and events), which awaits init() at top level like the full browser entry.

import * as kyc from "kyc-wasm/lite";

import { runPageChecks } from "./fixtures.js";

// A page's build: the page functions, and none of the server API (issue 16).
const lines = runPageChecks(kyc);
const failed = lines.filter((l) => !/: ok\b/.test(l));
document.querySelector("#results").textContent = lines.join("\n");
document.querySelector("#status").textContent = failed.length === 0 ? "PASS" : `FAIL (${failed.length})`;
