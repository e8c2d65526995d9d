// `kyc-wasm sandbox`: the OST KYC and Token of Trust provider sandbox on 127.0.0.1, for the user's own app.

import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

import { UsageError } from "./args.mjs";
import { checkUrl } from "./http.mjs";

const HOUR_MS = 3600 * 1000;

export const command = {
  summary: "run the OST KYC + Token of Trust sandbox on 127.0.0.1 for your app (no provider account)",
  usage: "[--port N] [--webhook-url [ost=|tot=]URL]...",
  details: `
Starts one HTTP server on 127.0.0.1 that plays both providers, and prints its URL and the keys and secrets to
put in your app's environment (fresh on every start):
  OST KYC: the documented /api/v2 endpoints, each checking the request's signature and its ±10 s timestamp;
    point OstKycClient({ baseUrl }) at it. Users, pre-signed upload URLs (PUT and POST) into its S3 store, KYC
    submissions (each file path must name an uploaded object), reviews that end as --ost-decision says.
  S3 store: path-style at /kyc-sandbox/<key> on the same origin, objects in memory (gone at exit). It checks
    what S3 checks: SigV4 pre-signed PUT/GET URLs (signature, signed content-type, expiry) and POST policy
    forms (signature, expiration, every condition: content-length-range, Content-Type, key, bucket), and
    answers S3's XML errors. Uploads over http: uploadFile(target, file, { allowInsecure: true }).
  Token of Trust: POST /api/person, the embed script at /embed/embed.js (tot("modalOpen", ...)) and its modal.
  Webhooks: every state change is signed and POSTed to --webhook-url, form-urlencoded (OST) or JSON with
    Authorization (Token of Trust). OST counts only HTTP 200 (within 10 s) as delivered and retries 6 times
    with exponential backoff from one hour, scaled by --time-scale, re-signing each attempt with a fresh
    request_timestamp and the same webhook id; Token of Trust sends one attempt (--tot-retries N for more).
    "--webhook-url URL" sends both providers' webhooks to URL; "ost=URL" and "tot=URL" set one provider's.
Scenarios, at start (the options below) or while it runs, with POST /__sandbox/scenario and a JSON body
  {"ost": {"decision": "approve"|"deny"|"update"}, "tot": {"decision": "clear"|"reject"|"update"|null},
   "deliverTwice": N, "outOfOrder": N, "failNext": N}
(GET shows the current scenario), e.g.
  curl -X POST http://127.0.0.1:8081/__sandbox/scenario -d '{"ost":{"decision":"deny"},"deliverTwice":1}'`,
  options: {
    port: { type: "number", value: "N", min: 0, help: "the port (default 8081; 0 picks a free one)" },
    "webhook-url": { type: "list", value: "[ost=|tot=]URL", help: "where webhooks go (repeatable)" },
    "time-scale": { type: "string", value: "F", help: "multiplies OST's retry delays (1 hour, 2, 4 ...); default 1/3600: 1 s" },
    "step-ms": { type: "number", value: "MS", min: 0, help: "time between OST review steps (default 1500)" },
    "review-ms": { type: "number", value: "MS", min: 0, help: "Token of Trust review time (default 2000)" },
    "ost-decision": { type: "string", value: "D", help: "how OST reviews end: approve (default), deny, update (a data mismatch reported)" },
    "tot-decision": { type: "string", value: "D", help: "force Token of Trust's outcome: clear, reject, update (default: the modal's choice)" },
    "deliver-twice": { type: "number", value: "N", min: 0, help: "deliver the next N events twice (OST: re-signed, same id)" },
    "out-of-order": { type: "number", value: "N", min: 0, help: "hold back the next N events until the event after each is delivered" },
    "fail-next": { type: "number", value: "N", min: 0, help: "fail the next N delivery attempts without sending them (the app is down): OST retries" },
    "upload-min-bytes": { type: "number", value: "N", min: 0, help: "the POST policy's smallest file (default 204800, OST's 200 KiB)" },
    "tot-retries": { type: "number", value: "N", min: 0, help: "retries of a failed Token of Trust webhook (default 0: one attempt)" },
    // Not "--env-file": Node 20 takes that option for itself wherever it appears on the command line.
    dotenv: { type: "string", value: "PATH", help: "also write the variables to the dotenv file PATH (e.g. .env): their lines replaced, other lines kept" },
    quiet: { type: "boolean", help: "do not log webhook deliveries" },
  },
  examples: [
    "kyc-wasm sandbox --webhook-url ost=http://localhost:3000/webhooks/ost --webhook-url tot=http://localhost:3000/webhooks/tot",
    "kyc-wasm sandbox --port 0 --json     # one JSON line with the URL and the secrets, then the log on stderr",
    "kyc-wasm sandbox --webhook-url ost=http://127.0.0.1:3000/webhooks/ost --dotenv .env   # Next.js reads .env",
  ],
  run,
};

function webhookUrls(list = []) {
  const urls = { ost: null, tot: null };
  for (const item of list) {
    const m = /^(ost|tot)=(.*)$/.exec(item);
    const url = checkUrl(m ? m[2] : item, "webhook-url");
    for (const provider of m ? [m[1]] : ["ost", "tot"]) {
      if (urls[provider] !== null) throw new UsageError(`--webhook-url: two URLs for ${provider}`);
      urls[provider] = url;
    }
  }
  return urls;
}

/** Writes `env` into the dotenv file at `file`: each variable's line replaced (or appended), other lines kept. */
function writeEnvFile(file, env) {
  let lines = [];
  try {
    lines = readFileSync(file, "utf8").split("\n");
    if (lines.at(-1) === "") lines.pop();
  } catch (e) {
    if (e?.code !== "ENOENT") throw new UsageError(`--dotenv: cannot read ${file}: ${e.code ?? e.message}`);
  }
  const pending = new Map(Object.entries(env));
  lines = lines.map((line) => {
    const name = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    if (name === undefined || !pending.has(name)) return line;
    const value = pending.get(name);
    pending.delete(name);
    return `${name}=${value}`;
  });
  if (pending.size) lines.push("# kyc-wasm sandbox (new values on every start)", ...[...pending].map(([k, v]) => `${k}=${v}`));
  try {
    writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
  } catch (e) {
    throw new UsageError(`--dotenv: cannot write ${file}: ${e.code ?? e.message}`);
  }
}

function timeScale(text) {
  if (text === undefined) return 1 / 3600;
  const m = /^(\d+(?:\.\d+)?)(?:\/(\d+(?:\.\d+)?))?$/.exec(text);
  const value = m ? Number(m[1]) / (m[2] === undefined ? 1 : Number(m[2])) : NaN;
  if (!(value > 0) || !Number.isFinite(value)) throw new UsageError(`--time-scale must be a positive number such as 0.001 or 1/3600, got "${text}"`);
  return value;
}

async function run(ctx) {
  const { options } = ctx;
  const urls = webhookUrls(options["webhook-url"]);
  const ostDecision = options["ost-decision"] ?? "approve";
  if (!["approve", "deny", "update"].includes(ostDecision)) throw new UsageError("--ost-decision: approve, deny or update");
  const totDecision = options["tot-decision"] ?? null;
  if (totDecision !== null && !["clear", "reject", "update"].includes(totDecision)) throw new UsageError("--tot-decision: clear, reject or update");
  const retryBaseMs = Math.max(1, Math.round(HOUR_MS * timeScale(options["time-scale"])));
  const hex = (n) => randomBytes(n).toString("hex");
  const secrets = {
    ostApiKey: `sandbox_${hex(8)}`,
    ostApiSecret: hex(32),
    ostWebhookSecret: hex(32),
    totPublicKey: `pk_sandbox_${hex(8)}`,
    totSecretKey: `sk_sandbox_${hex(16)}`,
    totWebhookSecret: hex(32),
  };
  const log = options.quiet ? () => {} : ctx.json ? (line) => ctx.err(`· ${line}`) : (line) => ctx.out(`· ${line}`);
  const { startProviders } = await import("../sandbox/providers.mjs");
  const { createS3Store } = await import("../sandbox/bucket.mjs");
  const store = createS3Store({ log });
  store.postMinBytes = options["upload-min-bytes"] ?? 200 * 1024;
  let providers;
  try {
    providers = await startProviders({
      port: options.port ?? 8081,
      log,
      store,
      ost: {
        apiKey: secrets.ostApiKey,
        apiSecret: secrets.ostApiSecret,
        webhook: { url: urls.ost, secret: secrets.ostWebhookSecret },
        stepMs: options["step-ms"] ?? 1500,
        decision: ostDecision,
        retryBaseMs,
      },
      tot: {
        publicKey: secrets.totPublicKey,
        secretKey: secrets.totSecretKey,
        webhook: { url: urls.tot, secret: secrets.totWebhookSecret },
        reviewMs: options["review-ms"] ?? 2000,
        retryBaseMs,
        retries: options["tot-retries"] ?? 0,
        decision: totDecision,
      },
    });
  } catch (e) {
    if (e?.code === "EADDRINUSE") throw new UsageError(`port ${options.port ?? 8081} is in use: choose another with --port (0 picks a free one)`);
    throw e;
  }
  providers.scenario.set({ deliverTwice: options["deliver-twice"] ?? 0, outOfOrder: options["out-of-order"] ?? 0, failNext: options["fail-next"] ?? 0 });
  const origin = providers.origin;
  const env = {
    OST_KYC_BASE_URL: origin,
    OST_API_KEY: secrets.ostApiKey,
    OST_API_SECRET: secrets.ostApiSecret,
    OST_WEBHOOK_SECRET: secrets.ostWebhookSecret,
    // The URL the OST signatures cover (what OST's dashboard would hold): the handler's `url` option.
    ...(urls.ost ? { OST_WEBHOOK_URL: urls.ost } : {}),
    TOT_HOST: new URL(origin).host,
    TOT_PUBLIC_KEY: secrets.totPublicKey,
    TOT_SECRET_KEY: secrets.totSecretKey,
    TOT_WEBHOOK_SECRET: secrets.totWebhookSecret,
  };
  const s3 = { endpoint: origin, bucket: store.bucket, region: store.region, ...store.credentials };
  if (options["dotenv"] !== undefined) {
    try {
      writeEnvFile(options["dotenv"], env);
    } catch (e) {
      await providers.close();
      throw e;
    }
  }
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: true, origin, env, dotenv: options["dotenv"] ?? null, webhooks: urls, embed: `${origin}/embed/embed.js`, scenario: `${origin}/__sandbox/scenario`, retryBaseMs, s3 }));
  } else {
    ctx.out(`kyc-wasm sandbox: ${origin}  (OST KYC at /api/v2, Token of Trust at /api/person and /embed/embed.js)`);
    ctx.out(options["dotenv"] === undefined
      ? "Put these in your app's environment (new on every start):"
      : `Written to ${options["dotenv"]} for your app's environment (new on every start):`);
    for (const [k, v] of Object.entries(env)) ctx.out(`  ${k}=${v}`);
    ctx.out(`  OstKycClient({ baseUrl: "${origin}", apiKey, apiSecret }); Token of Trust host: ${env.TOT_HOST} (http)`);
    ctx.out(`S3 store for the pre-signed uploads: ${origin}/${store.bucket} (in memory; uploadFile needs allowInsecure: true over http)`);
    for (const p of ["ost", "tot"]) {
      ctx.out(`Webhooks ${p}: ${urls[p] ?? `none (pass --webhook-url ${p}=URL)`}`);
    }
    ctx.out(`Failed OST webhooks (any answer but 200) are retried 6 times, first after ${retryBaseMs} ms, doubling;`);
    ctx.out(`Token of Trust sends ${1 + (options["tot-retries"] ?? 0)} attempt(s). Scenarios: POST ${origin}/__sandbox/scenario (see --help).`);
    ctx.out("Ctrl-C stops the sandbox.");
  }
  await new Promise((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await providers.close();
  // Pending retry timers and keep-alive sockets must not keep a stopped sandbox alive.
  setTimeout(() => process.exit(0), 200).unref();
  return 0;
}
