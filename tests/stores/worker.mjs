// One webhook endpoint instance, run as its own process by the multi-instance tests and the load bench:
//   node tests/stores/worker.mjs '<json config>'
// It serves, on 127.0.0.1:<config.port or a free port>,
//   POST /ost        webhookHandler({provider: "ost", ...})            (node:http form)
//   POST /tot        webhookHandler({provider: "tot", ...})
//   POST /fetch/ost  webhookFetchHandler({provider: "ost", ...})       (Fetch form, over a Request made here)
//   POST /fetch/tot  webhookFetchHandler({provider: "tot", ...})
//   GET  /health     200
// with `store` built from config.store ("node-redis" | "ioredis" | "postgres" | "memory"), and an onEvent that
// appends one JSON line per call to config.log (O_APPEND: lines from several processes never interleave).
// config.hang: event ids whose onEvent writes a "pending" line and then never resolves (to be killed meanwhile).
// config.failRate: the share of onEvent calls that reject (seeded, per process). config.delayMs: onEvent latency.
// It prints one line {"ready": port} on stdout once listening.
import http from "node:http";
import { appendFileSync } from "node:fs";
import { Readable } from "node:stream";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const config = JSON.parse(process.argv[2]);
// KYC_PKG=<dir>: a package built elsewhere instead of pkg/ (as bench/run.mjs allows).
const kyc = await import(process.env.KYC_PKG ? pathToFileURL(`${process.env.KYC_PKG}/node/index.mjs`).href : "../../pkg/node/index.mjs");

async function makeStore() {
  switch (config.store) {
    case "node-redis": {
      const { createClient } = require("redis");
      // No offline queue: while Redis is away a store call fails at once (the handler answers 503), instead
      // of waiting for a reconnection that may outlast the provider's timeout.
      const client = createClient({
        url: config.redisUrl,
        disableOfflineQueue: true,
        socket: { reconnectStrategy: (retries) => Math.min(50 * (retries + 1), 500), connectTimeout: 2000 },
      });
      client.on("error", () => {});
      await client.connect();
      return kyc.redisStore(client, { prefix: config.prefix });
    }
    case "ioredis": {
      const Redis = require("ioredis");
      const client = new Redis(config.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: (times) => Math.min(50 * times, 500),
      });
      client.on("error", () => {});
      await new Promise((resolve) => client.once("ready", resolve));
      return kyc.redisStore(client, { prefix: config.prefix });
    }
    case "postgres": {
      const pg = require("pg");
      const pool = new pg.Pool({ connectionString: config.postgresUrl, max: 10, connectionTimeoutMillis: 2000 });
      pool.on("error", () => {});
      return kyc.postgresStore(pool, { table: config.table });
    }
    case "memory":
      return kyc.memoryStore ? kyc.memoryStore() : undefined;
    default:
      throw new Error(`unknown store ${config.store}`);
  }
}

let seed = (config.seed ?? process.pid) >>> 0 || 1;
const random = () => {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 4294967296;
};
const hang = new Set((config.hang ?? []).map(String));
const idOf = (event) => String(event.eventId ?? event.id);
const line = (record) => appendFileSync(config.log, JSON.stringify({ instance: config.name, pid: process.pid, ...record }) + "\n", { flag: "a" });

async function onEvent(event) {
  const id = idOf(event);
  if (hang.has(id)) {
    line({ kind: "pending", id });
    return new Promise(() => {});
  }
  if (config.delayMs) await new Promise((resolve) => setTimeout(resolve, config.delayMs));
  if (config.failRate && random() < config.failRate) {
    line({ kind: "failed", id });
    throw new Error("onEvent failed on purpose (fault run)");
  }
  line({ kind: "event", id, provider: event.provider, stale: event.stale === true, status: event.status ?? event.data?.user_kyc?.kyc_status });
}

const store = await makeStore();
const common = { store, onEvent, ...(config.handlerOptions ?? {}) };
const ostOptions = { provider: "ost", secret: config.ostSecret, url: config.ostUrl, ...common };
const totOptions = { provider: "tot", secret: config.totSecret, ...common };
const handlers = {
  "/ost": kyc.webhookHandler(ostOptions),
  "/tot": kyc.webhookHandler(totOptions),
};
const fetchHandlers = {
  "/fetch/ost": kyc.webhookFetchHandler(ostOptions),
  "/fetch/tot": kyc.webhookFetchHandler(totOptions),
};

async function viaFetch(handler, req, res) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(`http://127.0.0.1${req.url}`, {
    method: req.method,
    headers,
    body: hasBody ? Readable.toWeb(req) : undefined,
    duplex: "half",
  });
  const response = await handler(request);
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}

const server = http.createServer((req, res) => {
  if (req.url === "/health") {
    res.end("ok");
    return;
  }
  const node = handlers[req.url];
  if (node) return node(req, res);
  const fetchForm = fetchHandlers[req.url];
  if (fetchForm) {
    return viaFetch(fetchForm, req, res).catch(() => {
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  }
  res.statusCode = 404;
  res.end();
});
server.keepAliveTimeout = 30_000;
server.listen(config.port ?? 0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ ready: server.address().port }) + "\n");
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
