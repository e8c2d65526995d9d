// `kyc-wasm sign` and `kyc-wasm verify`: a body in, its signature or the verdict out.

import * as kyc from "kyc-wasm";

import { ostDelivery } from "../testing/index.mjs";
import { SECRET_OPTIONS, UsageError, parseTime, secretsOf } from "./args.mjs";
import { describeEvent, errorOf, isKycError, table } from "./format.mjs";

const PROVIDER = { provider: { type: "string", value: "ost|tot", help: "the provider (or give it as the first argument)" } };

/** `[ost|tot] [file]` and `--provider`. */
function providerAndFile(ctx) {
  const rest = [...ctx.positionals];
  let provider = ctx.options.provider;
  if (rest[0] === "ost" || rest[0] === "tot") {
    const given = rest.shift();
    if (provider !== undefined && provider !== given) throw new UsageError(`--provider ${provider} contradicts "${given}"`);
    provider = given;
  }
  if (provider === undefined) throw new UsageError("which provider? give ost or tot (first argument or --provider)");
  if (provider !== "ost" && provider !== "tot") throw new UsageError(`unknown provider "${provider}": ost or tot`);
  if (rest.length > 1) throw new UsageError(`unexpected arguments: ${rest.slice(1).join(" ")}`);
  return { provider, file: rest[0] };
}

function requireUrl(ctx) {
  const url = ctx.options.url;
  if (url === undefined) throw new UsageError("OST signs the webhook URL: --url URL is required (the URL registered with OST)");
  if (!/^https?:\/\/[^\s]+$/i.test(url)) throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
  return url;
}

/** OST event parameters from a body: a JSON object, or a form-urlencoded body (signature and timestamp dropped). */
function ostParams(bytes) {
  const text = Buffer.from(bytes).toString("utf8");
  let params;
  if (text.trimStart().startsWith("{")) {
    try {
      params = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`the body is not valid JSON: ${e.message}`);
    }
    if (params === null || typeof params !== "object" || Array.isArray(params)) throw new UsageError("the JSON body must be an object of event parameters");
  } else {
    try {
      params = kyc.parseQuery(text);
    } catch (e) {
      throw new UsageError(`the body is neither a JSON object nor a form-urlencoded body (${e.code ?? e.message})`);
    }
  }
  const { signature: _s, request_timestamp: _t, ...rest } = params;
  return rest;
}

export const signCommand = {
  summary: "sign a webhook body: OST's signed form body, or Token of Trust's Authorization value",
  usage: "<ost|tot> [file] --secret S [--url URL] [--timestamp T] [--explain]",
  details: `
Reads the body from the file, or from stdin when there is no file (or it is "-"). Prints the result with no
newline added (unless on a terminal), so that it can be saved or piped as the exact body.
  ost: the body is the event's parameters, as a JSON object or a form-urlencoded body (an old signature and
       request_timestamp in it are dropped). Prints the form-urlencoded body OST would POST, signed with
       request_timestamp = --timestamp or now: HMAC-SHA256 (hex) of "URL?to_query(params)". --url is required.
  tot: prints the base64 HMAC-SHA1 of the exact body bytes: the Authorization header Token of Trust sends.`,
  options: {
    ...PROVIDER,
    ...SECRET_OPTIONS,
    url: { type: "string", value: "URL", help: "OST: the webhook URL registered with OST (it is signed)" },
    timestamp: { type: "string", value: "T", help: "OST: request_timestamp, Unix seconds or ISO date (default now)" },
    explain: { type: "boolean", help: "show what is signed: the string to sign, the signature, the body" },
  },
  examples: [
    "kyc-wasm sign ost event.json --url https://example.com/webhooks/ost --secret-env OST_WEBHOOK_SECRET",
    "kyc-wasm sign tot body.json --secret S        # the Authorization header value",
    "curl -H \"authorization: $(kyc-wasm sign tot body.json --secret S)\" --data-binary @body.json http://localhost:3000/webhooks/tot",
  ],
  async run(ctx) {
    const { provider, file } = providerAndFile(ctx);
    const [secret] = secretsOf(ctx.options, { single: true });
    if (provider === "ost") {
      const url = requireUrl(ctx);
      const timestamp = ctx.options.timestamp === undefined ? undefined : parseTime(ctx.options.timestamp, "timestamp");
      const params = ostParams(await ctx.readBody(file));
      const d = ostDelivery(params, { url, secret, timestamp });
      if (ctx.json) {
        ctx.emit({ ok: true, provider, url, timestamp: d.timestamp, stringToSign: d.stringToSign, signature: d.signature, body: d.body });
      } else if (ctx.options.explain) {
        ctx.out(table([["string to sign", d.stringToSign], ["algorithm", "HMAC-SHA256, hex"], ["signature", d.signature], ["request_timestamp", String(d.timestamp)], ["body", d.body]]));
      } else {
        ctx.outValue(d.body);
      }
      return 0;
    }
    if (ctx.options.url !== undefined || ctx.options.timestamp !== undefined) {
      throw new UsageError("Token of Trust signs the body alone: --url and --timestamp are for ost");
    }
    const bytes = await ctx.readBody(file);
    const signature = kyc.totWebhookSignature(new Uint8Array(bytes), secret);
    if (ctx.json) ctx.emit({ ok: true, provider, bytes: bytes.length, signature });
    else if (ctx.options.explain) ctx.out(table([["signed", `the ${bytes.length} bytes of the body, exactly`], ["algorithm", "HMAC-SHA1, base64"], ["authorization", signature]]));
    else ctx.outValue(signature);
    return 0;
  },
};

export const verifyCommand = {
  summary: "verify a received webhook body: the verdict and the typed event",
  usage: "<ost|tot> [file] --secret S [--url URL | --authorization SIG] [--now T] [--explain]",
  details: `
Reads the raw body from the file, or from stdin when there is no file (or it is "-"), and verifies it as the
webhook handlers do. Prints the typed event (exit 0) or the error code and reason (exit 1).
  ost: the form-urlencoded body as received; --url is the webhook URL registered with OST. The
       request_timestamp must be within --tolerance seconds (default 300) of --now (default: the clock).
  tot: the JSON body as received, and --authorization, the Authorization header that came with it. A signed
       timestamp in the body must be within --tolerance seconds (default 300) of --now (default: the clock).`,
  options: {
    ...PROVIDER,
    ...SECRET_OPTIONS,
    url: { type: "string", value: "URL", help: "OST: the webhook URL registered with OST" },
    authorization: { type: "string", value: "SIG", help: "Token of Trust: the Authorization header received" },
    now: { type: "string", value: "T", help: "judge the signed timestamp at this time (Unix seconds or ISO date)" },
    tolerance: { type: "number", value: "SECONDS", min: 0, help: "allowed distance of the signed timestamp from --now, seconds (default 300)" },
    "content-type": { type: "string", value: "TYPE", help: "OST: the Content-Type received (a JSON body is judged as JSON)" },
    explain: { type: "boolean", help: "also show the string to sign recomputed and the signatures compared" },
  },
  examples: [
    "kyc-wasm verify ost body.txt --url https://example.com/webhooks/ost --secret-env OST_WEBHOOK_SECRET",
    "kyc-wasm verify tot body.json --authorization 'k3X…=' --secret S --json",
  ],
  async run(ctx) {
    const { provider, file } = providerAndFile(ctx);
    const secrets = secretsOf(ctx.options);
    const secret = secrets.length === 1 ? secrets[0] : secrets;
    let run;
    let explain = [];
    if (provider === "ost") {
      const url = requireUrl(ctx);
      if (ctx.options.authorization !== undefined) throw new UsageError("--authorization is for tot: OST's signature is in the body");
      const now = ctx.options.now === undefined ? undefined : parseTime(ctx.options.now);
      const bytes = new Uint8Array(await ctx.readBody(file));
      const options = { url, secret, ...(now === undefined ? {} : { now }) };
      if (ctx.options.tolerance !== undefined) options.toleranceSeconds = ctx.options.tolerance;
      if (ctx.options["content-type"] !== undefined) options.contentType = ctx.options["content-type"];
      run = () => kyc.parseOstEvent(kyc.verifyOstWebhook(bytes, options));
      if (ctx.options.explain) explain = explainOst(bytes, url, secrets, now);
    } else {
      if (ctx.options.url !== undefined) throw new UsageError("Token of Trust signs the body alone (no URL): --url is for ost");
      const now = ctx.options.now === undefined ? undefined : parseTime(ctx.options.now);
      const options = { ...(now === undefined ? {} : { now }) };
      if (ctx.options.tolerance !== undefined) options.toleranceSeconds = ctx.options.tolerance;
      const authorization = ctx.options.authorization;
      if (authorization === undefined) throw new UsageError("--authorization SIG is required: the Authorization header that came with the body");
      const bytes = new Uint8Array(await ctx.readBody(file));
      run = () => kyc.parseTotEvent(kyc.verifyTotWebhook(bytes, authorization, secret, options));
      if (ctx.options.explain) {
        explain = [["signed", `the ${bytes.length} bytes of the body`], ["received", authorization]];
        secrets.forEach((s, i) => explain.push([`expected (secret ${i + 1})`, kyc.totWebhookSignature(bytes, s)]));
      }
    }
    let event;
    try {
      event = run();
    } catch (e) {
      if (!isKycError(e)) throw e;
      const error = errorOf(e);
      if (ctx.json) ctx.emit({ ok: false, provider, error, ...(explain.length ? { explain: Object.fromEntries(explain) } : {}) });
      else {
        if (explain.length) ctx.out(table(explain));
        ctx.out(`not verified: ${error.code}: ${error.message}`);
      }
      return 1;
    }
    if (ctx.json) ctx.emit({ ok: true, provider, event, ...(explain.length ? { explain: Object.fromEntries(explain) } : {}) });
    else {
      if (explain.length) ctx.out(table(explain));
      ctx.out(`verified: ${describeEvent(event)}`);
    }
    return 0;
  },
};

/** What an OST verification compares, best effort (a body that does not parse shows nothing). */
function explainOst(bytes, url, secrets, now) {
  let params;
  try {
    params = kyc.parseQuery(bytes);
  } catch {
    return [["body", "not a form-urlencoded body"]];
  }
  const { signature, ...rest } = params;
  const stringToSign = `${url.split(/[?#]/)[0]}?${kyc.toQuery(rest)}`;
  const rows = [["string to sign", stringToSign], ["received", typeof signature === "string" ? signature : "(none)"]];
  secrets.forEach((s, i) => rows.push([`expected (secret ${i + 1})`, kyc.hmacSha256Hex(s, stringToSign)]));
  const at = now ?? Math.floor(Date.now() / 1000);
  if (typeof rest.request_timestamp === "string") rows.push(["request_timestamp", `${rest.request_timestamp} (${at - Number(rest.request_timestamp)} s before now)`]);
  return rows;
}
