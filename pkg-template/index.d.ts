// The types TypeScript picks for "kyc-wasm" when it resolves without the `node` or `browser` condition
// (`moduleResolution: "bundler"`, the default of Next.js, Vite and most bundler templates): the server (Node)
// API, so that server code (a Next.js route handler, an SSR module) sees webhookHandler, OstKycClient & co.,
// plus the few functions only the browser build has (the Token of Trust modal and verifyPerson), so that
// browser code type-checks too. Each function exists at run time only in the builds the README lists for it.
// With `moduleResolution: "node16"`/`"nodenext"` the `node` condition gives the exact Node types instead.
export * from "./node/index.js";
export { loadTotEmbed, onModalClose, onModalFormSubmitted, openContinuation, verifyPerson } from "./browser/index.js";
