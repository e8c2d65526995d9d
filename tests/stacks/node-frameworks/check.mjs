// Stack-matrix row "node-frameworks": the README's webhook recipes, run as written, under Express, Fastify,
// Koa (without and with koa-bodyparser), Hono on @hono/node-server, and an AWS Lambda handler (API Gateway v2
// event, base64 body). Real HTTP on 127.0.0.1; deliveries signed here with node:crypto, never with kyc-wasm.
// Each framework: a valid OST and TOT delivery -> 200 and onEvent, tampered -> 401, a body a parser already
// read -> a JSON 4xx/5xx error at once (never a hang). Prints one PASS/FAIL line per framework.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import express from "express";
import Fastify from "fastify";
import Koa from "koa";
import bodyParser from "koa-bodyparser";
import { Hono } from "hono";
import { serve } from "@hono/node-server";
import { webhookHandler, webhookFetchHandler } from "kyc-wasm";

const here = path.dirname(fileURLToPath(import.meta.url));
/** The installed version (read from node_modules: some packages do not export their package.json). */
const version = (name) => JSON.parse(readFileSync(path.join(here, "node_modules", name, "package.json"), "utf8")).version;
const OST_SECRET = "ost-stack-secret";
const TOT_SECRET = "tot-stack-secret";
const now = () => Math.floor(Date.now() / 1000);
const quiet = { warn() {}, error() {} };

setTimeout(() => {
  console.log("FAIL node-frameworks: the whole run took over 120 s");
  process.exit(1);
}, 120000).unref();

// ---- signing, independently of kyc-wasm ----

/** Ruby's CGI.escape, as OST's server encodes: A-Z a-z 0-9 - . _ bare, space "+", other bytes %XX. */
function cgi(text) {
  let out = "";
  for (const b of Buffer.from(String(text), "utf8")) {
    const c = String.fromCharCode(b);
    if (/^[A-Za-z0-9._-]$/.test(c)) out += c;
    else if (b === 0x20) out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}
/** Rails' Hash#to_query for string leaves and nested objects: chunks sorted bytewise. */
function toQuery(object, namespace = null) {
  const chunks = Object.keys(object).map((k) => {
    const key = namespace === null ? k : `${namespace}[${k}]`;
    const v = object[k];
    return v !== null && typeof v === "object" ? toQuery(v, key) : `${cgi(key)}=${cgi(v)}`;
  });
  return chunks.sort().join("&");
}
let ostId = 100;
function ostDelivery(url) {
  const params = {
    id: String(++ostId),
    name: "kyc_status_update",
    type: "user_kyc",
    source: "web",
    version: "v1",
    created_at: String(now()),
    description: "user kyc state has changed",
    data: { result_type: "user_kyc", user_kyc: { id: "1", user_id: String(ostId), kyc_status: "approved" } },
    request_timestamp: String(now()),
  };
  const signature = createHmac("sha256", OST_SECRET).update(`${url}?${toQuery(params)}`).digest("hex");
  return toQuery({ ...params, signature });
}
let totSeq = 0;
function totDelivery() {
  const body = JSON.stringify({
    app_user_id: `stack-user-${++totSeq}`,
    eventId: `e${totSeq}`,
    timestamp: new Date().toUTCString(),
    gates: { isCleared: "fullMatch" },
    reasons: {},
  });
  return { body, authorization: createHmac("sha1", TOT_SECRET).update(body).digest("base64") };
}

async function post(url, body, headers) {
  const res = await fetch(url, { method: "POST", body, headers, signal: AbortSignal.timeout(10000) });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json };
}
const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** The checks every framework passes: returns a list of failures (empty = pass) and a summary. */
async function checkServer(base, { parsedPaths = ["/parsed"], extra } = {}) {
  const failures = [];
  const expect = (what, got, want) => {
    if (got !== want) failures.push(`${what}: got ${got}, want ${want}`);
  };
  const ost = await post(`${base}/ost`, ostDelivery(`${base}/ost`), FORM);
  expect("valid OST", ost.status, 200);
  const tampered = ostDelivery(`${base}/ost`).replace("approved", "rejected");
  const bad = await post(`${base}/ost`, tampered, FORM);
  expect("tampered OST", bad.status, 401);
  expect("tampered OST code", bad.json?.error?.code, "INVALID_SIGNATURE");
  const tot = totDelivery();
  const totRes = await post(`${base}/tot`, tot.body, { "content-type": "application/json", authorization: tot.authorization });
  expect("valid TOT", totRes.status, 200);
  const totBad = await post(`${base}/tot`, tot.body.replace("fullMatch", "noMatch"), { "content-type": "application/json", authorization: tot.authorization });
  expect("tampered TOT", totBad.status, 401);
  const codes = [];
  for (const p of parsedPaths) {
    const t = totDelivery();
    let r;
    try {
      r = await post(`${base}${p}`, t.body, { "content-type": "application/json", authorization: t.authorization });
    } catch (e) {
      failures.push(`parsed body at ${p}: no answer (${e.name})`);
      continue;
    }
    if (!(r.status >= 400 && r.status < 600 && r.json?.ok === false && typeof r.json.error?.code === "string")) {
      failures.push(`parsed body at ${p}: ${r.status} ${JSON.stringify(r.json)}`);
    } else codes.push(`${r.status} ${r.json.error.code}`);
  }
  if (extra) await extra(failures, codes);
  const parsed = codes.length ? `, parsed body -> ${codes.join(", ")}` : "";
  return { failures, summary: `valid 200 (OST and TOT), tampered 401${parsed}` };
}

function handlers(events) {
  return {
    ost: (url) => webhookHandler({ provider: "ost", secret: () => OST_SECRET, url, logger: quiet, onEvent: (e) => events.push(e.provider) }),
    tot: () => webhookHandler({ provider: "tot", secret: TOT_SECRET, logger: quiet, onEvent: (e) => events.push(e.provider) }),
  };
}

const results = [];
async function run(name, versionText, fn) {
  const events = [];
  try {
    const { failures, summary } = await fn(events);
    if (events.filter((p) => p === "ost").length < 1 || events.filter((p) => p === "tot").length < 1) {
      failures.push(`onEvent saw ${JSON.stringify(events)}`);
    }
    results.push([failures.length === 0, `${name} ${versionText}`, failures.length ? failures.join("; ") : summary]);
  } catch (e) {
    results.push([false, `${name} ${versionText}`, `threw ${e?.stack ?? e}`]);
  }
}

const listen = (app) => new Promise((resolve) => { const s = app.listen(0, "127.0.0.1", () => resolve(s)); });
const baseOf = (server) => `http://127.0.0.1:${server.address().port}`;

// ---- Express: express.raw on the webhook routes; express.json() elsewhere must fail clearly ----
await run("express", version("express"), async (events) => {
  const app = express();
  const server = await listen(app);
  const base = baseOf(server);
  const h = handlers(events);
  app.post("/ost", express.raw({ type: "*/*", limit: "1mb" }), h.ost(`${base}/ost`));
  app.post("/tot", express.raw({ type: "*/*", limit: "1mb" }), h.tot());
  app.post("/parsed", express.json(), h.tot());
  app.post("/parsed-form", express.urlencoded({ extended: true }), h.ost(`${base}/parsed-form`));
  try {
    return await checkServer(base, {
      parsedPaths: ["/parsed"],
      extra: async (failures, codes) => {
        // express.json() and an empty {} body.
        const empty = await post(`${base}/parsed`, "{}", { "content-type": "application/json" });
        if (empty.status !== 500 || empty.json?.error?.code !== "BODY_ALREADY_READ") failures.push(`empty {}: ${empty.status} ${JSON.stringify(empty.json)}`);
        else codes.push(`empty {} ${empty.status} ${empty.json.error.code}`);
        const form = await post(`${base}/parsed-form`, ostDelivery(`${base}/parsed-form`), FORM);
        if (form.status !== 500 || form.json?.error?.code !== "BODY_ALREADY_READ") failures.push(`urlencoded: ${form.status}`);
        else codes.push(`urlencoded ${form.status} ${form.json.error.code}`);
      },
    });
  } finally {
    server.closeAllConnections?.();
    server.close();
  }
});

// ---- Fastify: a buffer content-type parser in the webhook scope, the raw request and reply ----
await run("fastify", version("fastify"), async (events) => {
  const app = Fastify();
  const h = handlers(events);
  let base = "";
  const routes = {};
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
    for (const name of ["ost", "tot"]) {
      scope.post(`/${name}`, (request, reply) => {
        reply.hijack();
        request.raw.rawBody = request.body;
        return routes[name](request.raw, reply.raw);
      });
    }
  });
  // Fastify's default JSON parser ran: the raw stream is consumed.
  app.post("/parsed", (request, reply) => {
    reply.hijack();
    return routes.parsed(request.raw, reply.raw);
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${app.server.address().port}`;
  routes.ost = h.ost(`${base}/ost`);
  routes.tot = h.tot();
  routes.parsed = h.tot();
  try {
    return await checkServer(base);
  } finally {
    await app.close();
  }
});

// ---- Koa without a body parser: Node's own request and response ----
await run("koa", version("koa"), async (events) => {
  const app = new Koa();
  const h = handlers(events);
  const routes = {};
  app.use(async (ctx, next) => {
    const route = ctx.method === "POST" && routes[ctx.path];
    if (!route) return next();
    ctx.respond = false;
    await route(ctx.req, ctx.res);
  });
  const server = await listen(app);
  const base = baseOf(server);
  routes["/ost"] = h.ost(`${base}/ost`);
  routes["/tot"] = h.tot();
  try {
    return await checkServer(base, { parsedPaths: [] });
  } finally {
    server.closeAllConnections?.();
    server.close();
  }
});

// ---- Koa with koa-bodyparser: its rawBody handed over; without it, a clear error ----
await run("koa+koa-bodyparser", `${version("koa")} koa-bodyparser ${version("koa-bodyparser")}`, async (events) => {
  const app = new Koa();
  const h = handlers(events);
  const routes = {};
  app.use(bodyParser({ enableTypes: ["json", "form", "text"] }));
  app.use(async (ctx, next) => {
    const route = ctx.method === "POST" && routes[ctx.path];
    if (!route) return next();
    ctx.respond = false;
    if (ctx.path !== "/parsed") ctx.req.rawBody = ctx.request.rawBody;
    await route(ctx.req, ctx.res);
  });
  const server = await listen(app);
  const base = baseOf(server);
  routes["/ost"] = h.ost(`${base}/ost`);
  routes["/tot"] = h.tot();
  routes["/parsed"] = h.tot();
  try {
    return await checkServer(base);
  } finally {
    server.closeAllConnections?.();
    server.close();
  }
});

// ---- Hono on @hono/node-server: the Fetch handler with c.req.raw ----
await run("hono", `${version("hono")} @hono/node-server ${version("@hono/node-server")}`, async (events) => {
  const app = new Hono();
  const routes = {};
  app.post("/ost", (c) => routes.ost(c.req.raw));
  app.post("/tot", (c) => routes.tot(c.req.raw));
  app.post("/parsed", async (c) => {
    await c.req.json(); // something read the body first
    return routes.tot(c.req.raw);
  });
  const server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const base = baseOf(server);
  routes.ost = webhookFetchHandler({ provider: "ost", secret: OST_SECRET, url: `${base}/ost`, logger: quiet, onEvent: (e) => events.push(e.provider) });
  routes.tot = webhookFetchHandler({ provider: "tot", secret: TOT_SECRET, logger: quiet, onEvent: (e) => events.push(e.provider) });
  try {
    return await checkServer(base);
  } finally {
    server.closeAllConnections?.();
    server.close();
  }
});

// ---- AWS Lambda: an API Gateway v2 (HTTP API) event, body base64, through the README's recipe ----
await run("aws-lambda", "apigw-v2", async (events) => {
  const url = "https://abc123.execute-api.eu-west-1.amazonaws.com/webhooks/ost";
  const ost = webhookFetchHandler({ provider: "ost", secret: OST_SECRET, url, logger: quiet, onEvent: (e) => events.push(e.provider) });
  const tot = webhookFetchHandler({ provider: "tot", secret: TOT_SECRET, logger: quiet, onEvent: (e) => events.push(e.provider) });
  // The recipe (README, "AWS Lambda").
  const toLambda = (handler) => async (event) => {
    const body = event.body == null ? undefined : event.isBase64Encoded ? Buffer.from(event.body, "base64") : event.body;
    const query = event.rawQueryString ? `?${event.rawQueryString}` : "";
    const request = new Request(`https://${event.requestContext.domainName}${event.rawPath}${query}`, {
      method: event.requestContext.http.method,
      headers: /** @type {Record<string, string>} */ (event.headers), // every value a string here
      body,
    });
    const response = await handler(request);
    return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
  };
  const apiEvent = (path, body, headers, base64 = true) => ({
    version: "2.0",
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: "",
    headers,
    requestContext: { domainName: "abc123.execute-api.eu-west-1.amazonaws.com", http: { method: "POST", path } },
    body: base64 ? Buffer.from(body).toString("base64") : body,
    isBase64Encoded: base64,
  });
  const failures = [];
  const ostLambda = toLambda(ost);
  const totLambda = toLambda(tot);
  const valid = await ostLambda(apiEvent("/webhooks/ost", ostDelivery(url), FORM));
  if (valid.statusCode !== 200) failures.push(`valid OST ${valid.statusCode} ${valid.body}`);
  const bad = await ostLambda(apiEvent("/webhooks/ost", ostDelivery(url).replace("approved", "rejected"), FORM));
  if (bad.statusCode !== 401) failures.push(`tampered OST ${bad.statusCode}`);
  const t = totDelivery();
  const totOk = await totLambda(apiEvent("/webhooks/tot", t.body, { "content-type": "application/json", authorization: t.authorization }));
  if (totOk.statusCode !== 200) failures.push(`valid TOT ${totOk.statusCode} ${totOk.body}`);
  const plain = totDelivery();
  const notBase64 = await totLambda(apiEvent("/webhooks/tot", plain.body, { authorization: plain.authorization }, false));
  if (notBase64.statusCode !== 200) failures.push(`TOT without base64 ${notBase64.statusCode}`);
  const totBad = await totLambda(apiEvent("/webhooks/tot", t.body.replace("fullMatch", "noMatch"), { authorization: t.authorization }));
  if (totBad.statusCode !== 401) failures.push(`tampered TOT ${totBad.statusCode}`);
  const get = await totLambda({ ...apiEvent("/webhooks/tot", "", {}), body: undefined, requestContext: { domainName: "x", http: { method: "GET" } } });
  if (get.statusCode !== 405 || get.headers.allow !== "POST") failures.push(`GET ${get.statusCode} ${get.headers.allow}`);
  return { failures, summary: "valid 200 (base64 and plain), tampered 401, GET 405 Allow: POST" };
});

let ok = true;
for (const [pass, stack, detail] of results) {
  ok &&= pass;
  console.log(`${pass ? "PASS" : "FAIL"} ${stack}: ${detail}`);
}
process.exit(ok ? 0 : 1);
