// The types TypeScript picks for "kyc-wasm/lite" when it resolves without the `node` or `browser` condition
// (`moduleResolution: "bundler"`): the lite server (Node) API, a superset of the lite browser build's.
export * from "./node/index.js";
