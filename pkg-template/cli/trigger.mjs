// `kyc-wasm trigger <provider> <event>`: signs a fixture event as the provider does and POSTs it to an endpoint.

import { randomBytes, randomInt } from "node:crypto";

import { fixtures, ostDelivery, totDelivery } from "../testing/index.mjs";
import { SECRET_OPTIONS, UsageError, secretsOf } from "./args.mjs";
import { shortBody } from "./format.mjs";
import { checkUrl, parsed, send, userAgent } from "./http.mjs";

const TOT_ALIASES = Object.fromEntries(
  fixtures.totEventNames.filter((n) => n.startsWith("verification.")).map((n) => [n.slice("verification.".length), n]),
);
const STALE_SECONDS = 3600;
// Token of Trust: older than the newer event, yet inside the 300 s window verifyTotWebhook allows for its
// signed timestamp, so it is out of order rather than too old.
const TOT_OUT_OF_ORDER_SECONDS = 60;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const nowSeconds = () => Math.floor(Date.now() / 1000);
const rfc1123 = (seconds) => new Date(seconds * 1000).toUTCString();

export const command = {
  summary: "sign a fixture event as the provider does and POST it to your endpoint",
  usage: "<ost|tot> <event> --to URL --secret S [--tamper] [--stale] [--repeat N]",
  details: `
Events (the documentation's examples, with a fresh id and the current time):
  ost: ${fixtures.ostEventNames.join(", ")}
  tot: ${fixtures.totEventNames.join(", ")}
       (isSubmitted, isCleared, isRejected, isUpdateRequested are short for verification.*; "test" is the
       envelope of a test webhook, the event at content.sentWebhookBody)
OST deliveries are form-urlencoded and signed over --url (default: --to) with a fresh request_timestamp on
every attempt, keeping the webhook id, as OST's retries do. Token of Trust deliveries are JSON with the
signature in Authorization.
The exit code says whether the endpoint answered as a correct one would: 2xx for a good delivery (a repeat
too: a duplicate is acknowledged), 4xx for --tamper and for an OST --stale delivery.
  --stale  ost: request_timestamp an hour old (outside the usual 300 s tolerance), to be refused.
           tot: an out-of-order delivery: the event is first sent stamped now, then again (new eventId)
                stamped a minute earlier (inside the 300 s window of its signed timestamp); both are acknowledged,
                and a kyc-wasm handler answers the second {"ok":true,"stale":true} without delivering it.`,
  options: {
    to: { type: "string", value: "URL", help: "your webhook endpoint (required)" },
    ...SECRET_OPTIONS,
    url: { type: "string", value: "URL", help: "ost: the webhook URL signed, as registered with OST (default: --to)" },
    tamper: { type: "boolean", help: "change the body after signing (the verdict, an email): expect 4xx" },
    stale: { type: "boolean", help: "send a stale delivery (see above)" },
    repeat: { type: "number", value: "N", min: 1, help: "send the delivery N times (OST: re-signed each time, same id)" },
    interval: { type: "number", value: "MS", min: 0, help: "wait between repeated sends (default 0)" },
    id: { type: "string", value: "ID", help: "the event id (ost: id, digits; tot: eventId) instead of a fresh one" },
    timeout: { type: "number", value: "MS", min: 1, help: "how long to wait for each answer (default 10000, OST's limit)" },
  },
  examples: [
    "kyc-wasm trigger ost kyc_status_update --to http://localhost:3000/webhooks/ost --secret-env OST_WEBHOOK_SECRET",
    "kyc-wasm trigger tot verification.isCleared --to http://localhost:3000/webhooks/tot --secret S --repeat 2",
    "kyc-wasm trigger ost user_register --to http://localhost:3000/hook --url https://example.com/hook --secret S --tamper",
  ],
  run,
};

function plan(ctx) {
  const [provider, name, ...extra] = ctx.positionals;
  if (provider !== "ost" && provider !== "tot") throw new UsageError(provider === undefined ? "which provider? ost or tot" : `unknown provider "${provider}": ost or tot`);
  const names = provider === "ost" ? fixtures.ostEventNames : fixtures.totEventNames;
  if (name === undefined) throw new UsageError(`which event? one of: ${names.join(", ")}`);
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
  const event = provider === "tot" ? (TOT_ALIASES[name] ?? name) : name;
  if (!names.includes(event)) throw new UsageError(`unknown ${provider} event "${name}"; one of: ${names.join(", ")}`);
  if (ctx.options.to === undefined) throw new UsageError("--to URL is required: your webhook endpoint");
  const to = checkUrl(ctx.options.to, "to");
  const [secret] = secretsOf(ctx.options, { single: true });
  const { tamper = false, stale = false } = ctx.options;
  const repeat = ctx.options.repeat ?? 1;
  const headers = { "user-agent": userAgent("trigger") };
  const sends = [];
  if (provider === "ost") {
    const url = ctx.options.url === undefined ? to : checkUrl(ctx.options.url, "url");
    // OST's ids grow with time, and handlers order events of one second by id: a later trigger gets a larger
    // id (milliseconds, then two random digits against a clash).
    const id = ctx.options.id ?? String(Date.now() * 100 + randomInt(0, 100));
    if (!/^[0-9]{1,15}$/.test(id)) throw new UsageError("--id: OST event ids are digits");
    const createdAt = String(nowSeconds());
    for (let i = 1; i <= repeat; i++) {
      sends.push({
        label: `OST ${event} #${id}`,
        expect: tamper || stale ? "4xx" : "2xx",
        // Built at send time: each attempt is signed with its own request_timestamp.
        build: () =>
          ostDelivery(event, {
            url,
            to,
            secret,
            tamper,
            headers,
            overrides: { id, created_at: createdAt },
            timestamp: nowSeconds() - (stale ? STALE_SECONDS : 0),
          }),
      });
    }
  } else {
    if (ctx.options.url !== undefined) throw new UsageError("--url is for ost (Token of Trust signs the body alone)");
    const fresh = () => randomBytes(8).toString("base64url").slice(0, 10);
    const eventId = ctx.options.id ?? fresh();
    const at = nowSeconds();
    const stamp = (id, seconds) => {
      const fields = { timestamp: rfc1123(seconds), ...(event.startsWith("verification.") ? { eventId: id } : {}) };
      return event === "test" ? { content: { sentWebhookBody: fields } } : fields;
    };
    const delivery = (id, seconds) => totDelivery(event, { secret, url: to, tamper, headers, overrides: stamp(id, seconds) });
    if (stale) {
      const newer = delivery(fresh(), at);
      sends.push({ label: `Token of Trust ${event} (newer, stamped now)`, expect: tamper ? "4xx" : "2xx", build: () => newer });
    }
    const main = delivery(eventId, stale ? at - TOT_OUT_OF_ORDER_SECONDS : at);
    for (let i = 1; i <= repeat; i++) {
      sends.push({ label: `Token of Trust ${event}${stale ? " (out of order, a minute older)" : ""}`, expect: tamper ? "4xx" : "2xx", build: () => main });
    }
  }
  return { provider, event, to, sends };
}

const meets = (status, expect) => (expect === "2xx" ? status >= 200 && status < 300 : status >= 400 && status < 500);

async function run(ctx) {
  const { provider, event, to, sends } = plan(ctx);
  const timeoutMs = ctx.options.timeout ?? 10000;
  const results = [];
  for (const [i, s] of sends.entries()) {
    if (i > 0 && ctx.options.interval) await sleep(ctx.options.interval);
    const d = s.build();
    const answer = await send(d.url, { headers: d.headers, body: d.body, timeoutMs });
    const ok = answer.status !== 0 && meets(answer.status, s.expect);
    const result = {
      label: s.label,
      attempt: i + 1,
      expected: s.expect,
      status: answer.status,
      ok,
      ms: answer.ms,
      ...(answer.error ? { error: answer.error } : { answer: parsed(answer.body) }),
      ...(d.timestamp !== undefined ? { requestTimestamp: d.timestamp } : {}),
    };
    results.push(result);
    if (!ctx.json) {
      const ts = d.timestamp !== undefined ? `, request_timestamp ${d.timestamp}` : "";
      ctx.out(`→ POST ${d.url}  ${s.label} (${i + 1} of ${sends.length}${ts})`);
      const got = answer.status === 0 ? `no answer: ${answer.error}` : `${answer.status} ${shortBody(answer.body)}`;
      ctx.out(`  ← ${got}  ${ok ? "✓" : "✗"} expected ${s.expect}`);
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  if (ctx.json) ctx.emit({ ok: failed === 0, provider, event, to, deliveries: results });
  else if (failed === 0) ctx.out(`ok: ${results.length} of ${results.length} answers as expected`);
  else ctx.out(`FAILED: ${failed} of ${results.length} answers not as expected`);
  return failed === 0 ? 0 : 1;
}
