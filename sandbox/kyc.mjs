// The package under demonstration: the Node build in pkg/node (CommonJS), loaded once for the whole process.

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The built package: pkg/ (KYC_WASM_PKG points elsewhere, e.g. at a copy while pkg/ is being rebuilt). */
export const PKG = path.resolve(process.env.KYC_WASM_PKG || path.join(ROOT, "pkg"));
const entry = path.join(PKG, "node", "index.js"); // the wasm API and the JavaScript recipes (webhookHandler)

if (!existsSync(entry)) {
  throw new Error(`${entry} is missing: build the package first (make build, or bash scripts/build.sh)`);
}

/** The Node build of kyc-wasm. */
export const kyc = createRequire(import.meta.url)(entry);
