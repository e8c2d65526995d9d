// `npx kyc-wasm sandbox` runs the repository's provider sandbox (sandbox/*.mjs, copied here by
// scripts/build.sh) over the installed package itself; the repository's own sandbox/kyc.mjs loads pkg/.
import * as kyc from "kyc-wasm";

export { kyc };
