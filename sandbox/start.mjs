// `make demo`: the whole KYC integration on one machine, no provider account needed.
//
//   1. an S3-compatible store (@20minutes/s3rver, started by tests/upload/servers.mjs, the uploads tests' own
//      start script) for the documents;
//   2. the provider sandbox (sandbox/providers.mjs): OST KYC and Token of Trust on 127.0.0.1;
//   3. the demo app (sandbox/app.mjs): the page, its API and the webhook endpoints.
//
// Secrets are made afresh on every start and shared between the sandbox and the app, in this process only.
//
// Environment: DEMO_PORT (or PORT, default 8080) for the app, SANDBOX_PORT (default 8081) for the providers;
// 0 picks a free port. The S3 store always takes a free port. SANDBOX_STEP_MS (default 1500): time between
// OST review steps; SANDBOX_REVIEW_MS (default 2000): Token of Trust review time; SANDBOX_RETRY_MS (default
// 1000): first webhook retry delay (then doubling, six retries). DEMO_QUIET=1 hides the request log.
// DEMO_SECRET_SEED derives the credentials from a seed instead of making random ones (for tests).

import { createHmac, randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { BUCKET, s3Client, startServers } from "../tests/upload/servers.mjs";
import { startApp } from "./app.mjs";
import { startProviders } from "./providers.mjs";

const hex = (n) => randomBytes(n).toString("hex");

/**
 * The sandbox's credentials: random on every start, or derived from `seed` (DEMO_SECRET_SEED) so that a test
 * can check that none of them ever reaches the page.
 */
export function demoSecrets(seed = null) {
  const make = (name, bytes) => (seed ? createHmac("sha256", seed).update(name).digest("hex").slice(0, bytes * 2) : hex(bytes));
  return {
    ostApiKey: `sandbox_${make("ostApiKey", 8)}`,
    ostApiSecret: make("ostApiSecret", 32),
    ostWebhookSecret: make("ostWebhookSecret", 32),
    totPublicKey: `pk_sandbox_${make("totPublicKey", 8)}`,
    totSecretKey: `sk_sandbox_${make("totSecretKey", 16)}`,
    totWebhookSecret: make("totWebhookSecret", 32),
  };
}
const int = (value, fallback) => (value === undefined || value === "" ? fallback : Number(value));

/** Starts the store, the sandbox and the app; resolves to their origins and a `close()`. */
export async function startDemo({
  appPort = int(process.env.DEMO_PORT ?? process.env.PORT, 8080),
  sandboxPort = int(process.env.SANDBOX_PORT, 8081),
  stepMs = int(process.env.SANDBOX_STEP_MS, 1500),
  reviewMs = int(process.env.SANDBOX_REVIEW_MS, 2000),
  retryBaseMs = int(process.env.SANDBOX_RETRY_MS, 1000),
  secretSeed = process.env.DEMO_SECRET_SEED || null,
  log = process.env.DEMO_QUIET === "1" ? () => {} : (line) => console.log(`  · ${line}`),
} = {}) {
  const secrets = demoSecrets(secretSeed);
  const store = await startServers({ corsOrigins: ["*"], s3s: false });
  let providers;
  let app;
  try {
    providers = await startProviders({
      port: sandboxPort,
      log,
      ost: {
        apiKey: secrets.ostApiKey,
        apiSecret: secrets.ostApiSecret,
        webhook: { secret: secrets.ostWebhookSecret },
        s3: { client: s3Client(store.endpoint), bucket: BUCKET },
        stepMs,
        retryBaseMs,
      },
      tot: {
        publicKey: secrets.totPublicKey,
        secretKey: secrets.totSecretKey,
        webhook: { secret: secrets.totWebhookSecret },
        reviewMs,
        retryBaseMs,
      },
    });
    app = await startApp({
      port: appPort,
      log,
      s3Origin: store.endpoint,
      ost: {
        apiKey: secrets.ostApiKey,
        apiSecret: secrets.ostApiSecret,
        baseUrl: providers.origin,
        webhookSecret: secrets.ostWebhookSecret,
      },
      tot: {
        host: providers.origin,
        publicKey: secrets.totPublicKey,
        secretKey: secrets.totSecretKey,
        webhookSecret: secrets.totWebhookSecret,
        appId: "kyc-wasm-demo",
        appDomain: "demo.kyc-wasm.local",
      },
    });
  } catch (e) {
    await providers?.close();
    await store.close();
    throw e;
  }
  // The webhook URLs as registered in each provider's dashboard.
  providers.ost.setWebhookUrl(app.webhookUrls.ost);
  providers.tot.setWebhookUrl(app.webhookUrls.tot);
  return {
    app: `${app.origin}/`,
    sandbox: providers.origin,
    s3: store.endpoint,
    bucket: BUCKET,
    async close() {
      await app.close();
      await providers.close();
      await store.close();
    },
  };
}

/** Runs the demo until Ctrl-C, printing where everything is (`make demo`, `node www/serve.mjs`). */
export async function main() {
  let demo;
  try {
    demo = await startDemo();
  } catch (e) {
    if (e?.code === "EADDRINUSE") {
      console.error(`kyc-wasm demo: port ${e.port} is in use; set DEMO_PORT / SANDBOX_PORT (0 picks a free port)`);
      process.exit(1);
    }
    throw e;
  }
  console.log(`kyc-wasm demo: ${demo.app}`);
  console.log(`  open ${demo.app} in a browser: sign up, fill in KYC, upload documents, verify with Token of Trust`);
  console.log(`  provider sandbox  ${demo.sandbox}  (OST KYC /api/v2, Token of Trust /api/person + /embed/embed.js)`);
  console.log(`  S3 store          ${demo.s3}  (bucket ${demo.bucket})`);
  console.log("  Ctrl-C stops everything.");
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await demo.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return demo;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
