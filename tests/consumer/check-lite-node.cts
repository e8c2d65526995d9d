// node16 only: kyc-wasm/lite through require (lite/node/kyc_wasm.d.ts), and what only its Node build has.

import lite = require("kyc-wasm/lite");

const query: string = lite.toQuery({ a: 1 });
const handler = lite.webhookHandler({
  provider: "tot",
  secret: "tot-secret",
  onEvent: async (e) => {
    void e;
  },
});
const fetchHandler: (request: Request) => Promise<Response> = lite.webhookFetchHandler({
  provider: "ost",
  url: "https://example.com/hooks/ost",
  secret: () => "s",
  store: lite.memoryStore(),
});
// @ts-expect-error: an unknown provider
lite.webhookHandler({ provider: "stripe", secret: "s" });

export { query, handler, fetchHandler };
