export * from "../web/kyc_wasm.js";
export { KycError } from "../web/errors.js";
