// The embed's functions are declared in the glue's declarations (src/wasm/tot.browser.d.ts, a
// typescript_custom_section of the full browser build): this module implements them over the glue's __tot…
// exports.
export { loadTotEmbed, onModalClose, onModalFormSubmitted, openContinuation, verifyPerson } from "./kyc_wasm.js";
