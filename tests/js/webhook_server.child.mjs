// A child process for webhook_handler.test.mjs: serves webhookHandler (TOT, 1 MiB limit) on 127.0.0.1 and
// answers "rss" messages with its peak and current RSS, so the parent measures the server alone.
import http from "node:http";
import { createRequire } from "node:module";

const kyc = createRequire(import.meta.url)(process.argv[2]);
const handler = kyc.webhookHandler({ provider: "tot", secret: "tot-webhook-secret", logger: { warn() {}, error() {} } });
const server = http.createServer((req, res) => handler(req, res));
server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
process.on("message", (m) => {
  if (m === "rss") process.send({ maxRss: process.resourceUsage().maxRSS * 1024, rss: process.memoryUsage().rss });
});
process.on("disconnect", () => process.exit(0));
