// (b) CommonJS consumer: require("kyc-wasm") resolves to node/index.js through the exports map.
"use strict";

const kyc = require("kyc-wasm");

(async () => {
  const { runChecks } = await import("./fixtures.js");
  const resolved = require.resolve("kyc-wasm");
  if (!resolved.endsWith("/node_modules/kyc-wasm/node/index.js")) throw new Error(`require resolved ${resolved}`);
  const lines = runChecks(kyc);
  for (const line of lines) console.log(`  require: ${line}`);
  if (lines.some((l) => !/: ok\b/.test(l))) process.exit(1);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
