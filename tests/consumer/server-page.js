// The service-worker case (issue 16): "kyc-wasm/server" under the browser condition (esbuild, platform browser)
// resolves to server/index.js, the server API instantiated at import from embedded bytes. The builds pages load
// ("kyc-wasm", "kyc-wasm/lite", kyc-wasm/web) have no function that takes a server secret; this entry is the
// explicit way to get them where a bundler applies the browser condition. Run as a page here, in Chromium.

import * as kyc from "kyc-wasm/server";

import { runChecks } from "./fixtures.js";

const lines = runChecks(kyc);
const failed = lines.filter((l) => !/: ok\b/.test(l));
document.querySelector("#results").textContent = lines.join("\n");
document.querySelector("#status").textContent = failed.length === 0 ? "PASS" : `FAIL (${failed.length})`;
