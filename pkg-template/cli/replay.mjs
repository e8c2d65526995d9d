// `kyc-wasm replay <file>`: re-sends recorded deliveries (the JSON lines the handlers' `record` option writes)
// to an endpoint, or verifies them offline.

import { readFileSync } from "node:fs";

import * as kyc from "kyc-wasm";

import { SECRET_OPTIONS, UsageError, parseTime, secretsOf } from "./args.mjs";
import { describeEvent, errorOf, isKycError, shortBody } from "./format.mjs";
import { checkUrl, parsed, send } from "./http.mjs";

/** Headers a replay does not copy: the connection's own, and those fetch sets from the body. */
const SKIP = new Set([
  "host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "expect",
  "proxy-connection", "proxy-authorization", "accept-encoding", "http2-settings",
]);

export const command = {
  summary: "re-send recorded deliveries to an endpoint, or verify them offline",
  usage: "<file> (--to URL | --secret S [--url URL] [--now T|received])",
  details: `
<file> holds JSON lines, one delivery each: {"provider", "method", "url", "headers", "body", "bodyEncoding",
"receivedAt"}, as the webhook handlers write with the option record: "deliveries.jsonl" ("body" is text, or
base64 when "bodyEncoding" is "base64"; "provider" may be given with --provider instead).
  --to URL     sends each delivery as recorded (method, headers, exact body bytes) and prints the answers;
               exit 0 when every answer is 2xx. An OST delivery's request_timestamp is as old as the record.
  --secret S   verifies each delivery offline, as the handler would have: OST against --url (default: the
               recorded URL) at --now (default "received": each record's receivedAt); exit 0 when all verify.`,
  options: {
    to: { type: "string", value: "URL", help: "re-send the deliveries to this endpoint" },
    ...SECRET_OPTIONS,
    url: { type: "string", value: "URL", help: "offline, ost: the webhook URL registered with OST (default: recorded)" },
    now: { type: "string", value: "T", help: 'offline, ost: Unix seconds, ISO date, or "received" (default)' },
    tolerance: { type: "number", value: "SECONDS", min: 0, help: "offline, ost: allowed age of request_timestamp (default 300)" },
    provider: { type: "string", value: "ost|tot", help: "the provider of records that do not name one" },
    timeout: { type: "number", value: "MS", min: 1, help: "--to: how long to wait for each answer (default 10000)" },
  },
  examples: [
    "kyc-wasm replay deliveries.jsonl --to http://localhost:3000/webhooks/ost",
    "kyc-wasm replay deliveries.jsonl --secret-env OST_WEBHOOK_SECRET --url https://example.com/webhooks/ost",
  ],
  run,
};

function readRecords(file, providerOption) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${e.code ?? e.message}`);
  }
  const records = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `${file}:${i + 1}`;
    let r;
    try {
      r = JSON.parse(line);
    } catch (e) {
      throw new UsageError(`${where}: not JSON (${e.message})`);
    }
    if (r === null || typeof r !== "object" || Array.isArray(r)) throw new UsageError(`${where}: a delivery must be a JSON object`);
    if (typeof r.body !== "string") throw new UsageError(`${where}: "body" must be a string (text, or base64 with "bodyEncoding": "base64")`);
    const encoding = r.bodyEncoding ?? r.encoding ?? "text";
    if (encoding !== "text" && encoding !== "base64" && encoding !== "utf8") throw new UsageError(`${where}: "bodyEncoding" must be "text" or "base64"`);
    const headers = {};
    if (r.headers !== undefined) {
      if (r.headers === null || typeof r.headers !== "object" || Array.isArray(r.headers)) throw new UsageError(`${where}: "headers" must be an object`);
      for (const [k, v] of Object.entries(r.headers)) {
        if (typeof v !== "string") throw new UsageError(`${where}: header ${k} must be a string`);
        headers[k.toLowerCase()] = v;
      }
    }
    const provider = r.provider ?? providerOption;
    if (provider !== "ost" && provider !== "tot") throw new UsageError(`${where}: which provider? the record names none: give --provider ost|tot`);
    let receivedAt = null;
    if (r.receivedAt !== undefined) {
      const ms = typeof r.receivedAt === "number" ? r.receivedAt : Date.parse(r.receivedAt);
      if (Number.isNaN(ms)) throw new UsageError(`${where}: "receivedAt" is not a date`);
      receivedAt = Math.floor(ms / 1000);
    }
    records.push({
      line: i + 1,
      provider,
      method: typeof r.method === "string" ? r.method.toUpperCase() : "POST",
      url: typeof r.url === "string" ? r.url : null,
      headers,
      bytes: encoding === "base64" ? Buffer.from(r.body, "base64") : Buffer.from(r.body, "utf8"),
      receivedAt,
    });
  });
  if (records.length === 0) throw new UsageError(`${file} holds no deliveries`);
  return records;
}

async function run(ctx) {
  const [file, ...extra] = ctx.positionals;
  if (file === undefined) throw new UsageError("which file? give the JSON lines file of recorded deliveries");
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
  const { options } = ctx;
  if (options.provider !== undefined && options.provider !== "ost" && options.provider !== "tot") throw new UsageError("--provider: ost or tot");
  const sending = options.to !== undefined;
  const verifying = options.secret !== undefined || options["secret-env"] !== undefined;
  if (sending === verifying) throw new UsageError("give --to URL (re-send) or --secret S (verify offline), one of them");
  if (sending && (options.url !== undefined || options.now !== undefined || options.tolerance !== undefined)) {
    throw new UsageError("--url, --now and --tolerance are for offline verification (--secret)");
  }
  const records = readRecords(file, options.provider);
  return sending ? resend(ctx, records) : verifyAll(ctx, records);
}

async function resend(ctx, records) {
  const to = checkUrl(ctx.options.to, "to");
  const results = [];
  for (const r of records) {
    const headers = Object.fromEntries(Object.entries(r.headers).filter(([k]) => !SKIP.has(k)));
    const hasBody = r.method !== "GET" && r.method !== "HEAD";
    const answer = await send(to, { method: r.method, headers, body: hasBody ? r.bytes : undefined, timeoutMs: ctx.options.timeout ?? 10000 });
    const ok = answer.status >= 200 && answer.status < 300;
    results.push({ line: r.line, provider: r.provider, status: answer.status, ok, ms: answer.ms, ...(answer.error ? { error: answer.error } : { answer: parsed(answer.body) }) });
    if (!ctx.json) {
      const got = answer.status === 0 ? `no answer: ${answer.error}` : `${answer.status} ${shortBody(answer.body)}`;
      ctx.out(`line ${r.line} (${r.provider}, ${r.bytes.length} bytes) → ${r.method} ${to}  ← ${got}`);
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  if (ctx.json) ctx.emit({ ok: failed === 0, to, deliveries: results });
  else ctx.out(failed === 0 ? `ok: ${results.length} of ${results.length} answered 2xx` : `FAILED: ${failed} of ${results.length} not answered 2xx`);
  return failed === 0 ? 0 : 1;
}

function verifyAll(ctx, records) {
  const { options } = ctx;
  const secrets = secretsOf(options);
  const secret = secrets.length === 1 ? secrets[0] : secrets;
  const fixedNow = options.now === undefined || options.now === "received" ? null : parseTime(options.now);
  const urlOption = options.url === undefined ? null : checkUrl(options.url, "url");
  const results = [];
  for (const r of records) {
    const bytes = new Uint8Array(r.bytes);
    let result;
    try {
      let event;
      if (r.provider === "ost") {
        const url = urlOption ?? r.url;
        if (!url) throw new UsageError(`line ${r.line}: the record has no URL: give --url (the webhook URL registered with OST)`);
        const now = fixedNow ?? r.receivedAt ?? undefined;
        const contentType = r.headers["content-type"];
        const o = { url, secret, ...(now === undefined ? {} : { now }), ...(contentType ? { contentType } : {}) };
        if (options.tolerance !== undefined) o.toleranceSeconds = options.tolerance;
        event = kyc.parseOstEvent(kyc.verifyOstWebhook(bytes, o));
      } else {
        event = kyc.parseTotEvent(kyc.verifyTotWebhook(bytes, r.headers.authorization, secret));
      }
      result = { line: r.line, provider: r.provider, ok: true, event };
    } catch (e) {
      if (!isKycError(e)) throw e;
      result = { line: r.line, provider: r.provider, ok: false, error: errorOf(e) };
    }
    results.push(result);
    if (!ctx.json) {
      ctx.out(`line ${r.line}: ${result.ok ? `verified: ${describeEvent(result.event)}` : `not verified: ${result.error.code}: ${result.error.message}`}`);
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  if (ctx.json) ctx.emit({ ok: failed === 0, deliveries: results });
  else ctx.out(failed === 0 ? `ok: ${results.length} of ${results.length} verified` : `FAILED: ${failed} of ${results.length} not verified`);
  return failed === 0 ? 0 : 1;
}
