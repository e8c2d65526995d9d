export * from "../web/kyc_wasm.js";
