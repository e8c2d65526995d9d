// The routes that server.cjs (require) and server.mjs (import) both serve with node:http, given the package as
// each loaded it: webhookHandler from "kyc-wasm" and from "kyc-wasm/lite", and the plain functions
// verifyOstWebhook / verifyTotWebhook on a body read by hand.
"use strict";
const http = require("node:http");

function direct(kyc, provider) {
  return (req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      let status = 200;
      let answer = { ok: true };
      try {
        const event =
          provider === "ost"
            ? kyc.verifyOstWebhook(body, { url: "https://shop.example/direct/ost", secret: process.env.OST_WEBHOOK_SECRET })
            : kyc.verifyTotWebhook(body, req.headers.authorization, process.env.TOT_WEBHOOK_SECRET);
        if (!event || typeof event !== "object") throw new Error("no event");
      } catch (e) {
        status = e instanceof kyc.KycError && /SIGNATURE/.test(e.code) ? 401 : 400;
        answer = { ok: false, error: { code: e.code ?? "UNEXPECTED", message: e.message } };
      }
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer));
    });
  };
}

exports.serve = (kyc, lite, port) => {
  const secret = (name) => () => process.env[name];
  const routes = {
    "/ost": kyc.webhookHandler({ provider: "ost", secret: secret("OST_WEBHOOK_SECRET"), url: "https://shop.example/ost" }),
    "/tot": kyc.webhookHandler({ provider: "tot", secret: secret("TOT_WEBHOOK_SECRET") }),
    "/lite/ost": lite.webhookHandler({ provider: "ost", secret: secret("OST_WEBHOOK_SECRET"), url: "https://shop.example/lite/ost" }),
    "/lite/tot": lite.webhookHandler({ provider: "tot", secret: secret("TOT_WEBHOOK_SECRET") }),
    "/direct/ost": direct(kyc, "ost"),
    "/direct/tot": direct(kyc, "tot"),
  };
  http
    .createServer((req, res) => {
      const route = routes[req.url];
      if (route) return route(req, res);
      res.writeHead(404).end();
    })
    .listen(port, "127.0.0.1");
};
