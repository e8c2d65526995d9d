// Server code as a bundler project (Next.js, Vite SSR) type-checks it: moduleResolution "bundler", no
// customConditions. "kyc-wasm" must show the server API (the TS2305 without `customConditions: ["node"]`).
import { KycError, OstKycClient, webhookFetchHandler, webhookHandler, verifyTotWebhook, type TotWebhook } from "kyc-wasm";

export function handlers(secret: string) {
  const fetchHandler: (request: Request) => Promise<Response> = webhookFetchHandler({ provider: "tot", secret });
  const nodeHandler = webhookHandler({ provider: "ost", url: "https://example.com/webhooks/ost", secret });
  const client = new OstKycClient({ apiKey: "k", apiSecret: secret });
  return { fetchHandler, nodeHandler, client };
}

export function gates(body: string, authorization: string, secret: string): TotWebhook["gates"] {
  try {
    return verifyTotWebhook(body, authorization, secret).gates;
  } catch (e) {
    if (e instanceof KycError) return undefined;
    throw e;
  }
}
