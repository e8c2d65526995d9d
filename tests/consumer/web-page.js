// The second browser page: the `kyc-wasm/web` entry, initialised by hand with `await init()`, as users without
// a bundler plugin (or with their own loading strategy) do it.

import init, * as kyc from "kyc-wasm/web";

import { runPageChecks } from "./fixtures.js";

try {
  // Before init() the exports cannot work; after it they must.
  await init();
  const lines = runPageChecks(kyc);
  const failed = lines.filter((l) => !/: ok\b/.test(l));
  document.querySelector("#results").textContent = lines.join("\n");
  document.querySelector("#status").textContent = failed.length === 0 ? "PASS" : `FAIL (${failed.length})`;
} catch (e) {
  document.querySelector("#status").textContent = `FAIL init: ${e && e.name}: ${e && e.message}`;
}
