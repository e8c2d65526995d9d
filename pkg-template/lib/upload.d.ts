// uploadFile is declared with the upload types in the glue's declarations (src/wasm/upload.d.ts, a
// typescript_custom_section): this module implements it over the glue's __upload… exports.
export { uploadFile } from "./kyc_wasm.js";
