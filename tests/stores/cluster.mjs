// Handler processes (tests/stores/worker.mjs) and signed deliveries for the multi-instance tests and the bench.
// Deliveries are signed with node:crypto (OST: HMAC-SHA256 hex over `url?` + Rails to_query, by the reference
// encoder of tests/js/helpers.mjs; TOT: base64 HMAC-SHA1 of the raw body), never with kyc-wasm.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { referenceOstWebhook } from "../js/helpers.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const OST_SECRET = "ost-webhook-secret-\u00e9";
export const TOT_SECRET = "tot-webhook-secret";
/** The public URL both instances sit behind (a load balancer's): OST signs it, not 127.0.0.1:port. */
export const OST_URL = "https://hooks.example.com/kyc/ost";

export const nowSeconds = () => Math.floor(Date.now() / 1000);
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** An OST `user_kyc` event (webhook `id`, `created_at`), every value a string as OST sends them. */
export function ostEvent(id, createdAt, { userId = "11493", status = "approved" } = {}) {
  return {
    id: String(id),
    name: "kyc_status_update",
    type: "user_kyc",
    source: "web",
    version: "v1",
    description: "user kyc state has changed",
    created_at: String(createdAt),
    data: {
      result_type: "user_kyc",
      user_kyc: { id: "328", user_id: String(userId), kyc_status: status, submission_count: "3" },
    },
  };
}

/** OST's delivery of `event`: re-signed with a fresh request_timestamp on every attempt, as OST does. */
export function ostDelivery(event, { timestamp = nowSeconds(), url = OST_URL, secret = OST_SECRET } = {}) {
  return {
    path: "/ost",
    body: referenceOstWebhook(event, { url, secret, timestamp }).body,
    headers: { "content-type": "application/x-www-form-urlencoded" },
  };
}

export function totBody(eventId, timestamp, { user = "user-1", cleared = true } = {}) {
  return JSON.stringify({
    app_user_id: user,
    app_transaction_id: "R:1",
    app_domain: "example.com",
    operation: cleared ? "isCleared" : "isRejected",
    name: cleared ? "verification.isCleared" : "verification.isRejected",
    eventId,
    timestamp: new Date(timestamp * 1000).toUTCString(),
    gates: cleared ? { isCleared: "fullMatch", isRejected: "noMatch" } : { isCleared: "noMatch", isRejected: "fullMatch" },
    reasons: { selfieIsGoodHeadShot: cleared ? "fullMatch" : "noMatch" },
  });
}

export function totDelivery(body, { secret = TOT_SECRET } = {}) {
  return {
    path: "/tot",
    body,
    headers: { "content-type": "application/json", authorization: createHmac("sha1", secret).update(body).digest("base64") },
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** POSTs a delivery; resolves {status, json} or {status: 0, error} (connection refused, reset, timeout). */
export function send(port, delivery, { timeoutMs = 15_000, prefix = "" } = {}) {
  return new Promise((resolve) => {
    const body = Buffer.from(delivery.body);
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: prefix + delivery.path,
        agent,
        headers: { ...delivery.headers, "content-length": body.length },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          let json = null;
          try {
            json = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode, json });
        });
        res.on("error", (error) => resolve({ status: 0, error: error.message }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (error) => resolve({ status: 0, error: error.message }));
    req.end(body);
  });
}

/**
 * A handler process. `start()` (again after `kill()`) spawns it and waits for its port; it keeps the same port
 * across restarts when `config.port` is set (the first start picks one).
 */
export class Instance {
  constructor(name, config) {
    this.name = name;
    this.config = { name, ostSecret: OST_SECRET, totSecret: TOT_SECRET, ostUrl: OST_URL, ...config };
    this.child = null;
    this.port = config.port;
    this.output = [];
  }

  async start() {
    const config = { ...this.config, port: this.port };
    this.child = spawn(process.execPath, [path.join(HERE, "worker.mjs"), JSON.stringify(config)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    instances.add(this);
    const child = this.child;
    child.stderr.on("data", (d) => this.output.push(String(d)));
    this.port = await new Promise((resolve, reject) => {
      let buffered = "";
      const timer = setTimeout(() => reject(new Error(`${this.name} did not start: ${this.output.join("")}`)), 20_000);
      child.stdout.on("data", (d) => {
        buffered += d;
        const match = /\{"ready":(\d+)\}/.exec(buffered);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code ?? signal}): ${this.output.join("")}`));
      });
    });
    return this;
  }

  /** SIGKILL: no cleanup, in-flight onEvent calls die with the process (a crash). */
  async kill(signal = "SIGKILL") {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once("exit", resolve);
      child.kill(signal);
    });
    this.child = null;
  }

  send(delivery, options) {
    return send(this.port, delivery, options);
  }
}

const instances = new Set();
process.on("exit", () => {
  for (const instance of instances) {
    try {
      instance.child?.kill("SIGKILL");
    } catch {}
  }
});

/** The onEvent log written by every instance: one record per line. */
export function readLog(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Waits until `predicate(readLog(file))` holds. */
export async function waitForLog(file, predicate, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = readLog(file);
    if (predicate(records)) return records;
    if (Date.now() > deadline) throw new Error(`log condition not met in ${timeoutMs} ms: ${JSON.stringify(records.slice(-5))}`);
    await sleep(20);
  }
}

/** How many times each id reached onEvent ("event" records). */
export function eventCounts(records) {
  const counts = new Map();
  for (const r of records) if (r.kind === "event") counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
  return counts;
}
