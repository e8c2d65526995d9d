// The provider sandbox: one HTTP server on 127.0.0.1 that plays OST KYC (/api/v2/...) and Token of Trust
// (/api/person, /embed/embed.js, /continue/...), built only on kyc-wasm and real components (node:http, an
// S3-compatible store, the AWS SDK's presigners).

import { createServer } from "node:http";

import { closeServer, listen, send, sendJson } from "./http.mjs";
import { createOst } from "./ost.mjs";
import { createTot } from "./tot.mjs";

/**
 * Starts the sandbox. `ost`: options of `createOst` (apiKey, apiSecret, webhook {url, secret}, s3 ...);
 * `tot`: options of `createTot` (publicKey, secretKey, webhook {url, secret} ...).
 */
export async function startProviders({ port = 8081, ost: ostOptions, tot: totOptions, log = () => {} }) {
  const ost = createOst({ log, ...ostOptions });
  const tot = createTot({ log, ...totOptions });
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    try {
      if (await ost.handle(req, res, url)) return;
      if (await tot.handle(req, res, url)) return;
      if (url.pathname === "/__sandbox/state") {
        return sendJson(res, 200, {
          ost: { users: ost.users, usersKyc: [...ost.usersKyc.values()], requests: ost.requests, deliveries: ost.deliveries },
          tot: { verifications: [...tot.verifications.values()].map(({ review, ...v }) => v), deliveries: tot.deliveries },
        });
      }
      if (url.pathname === "/") {
        return send(res, 200, "kyc-wasm provider sandbox: OST KYC at /api/v2, Token of Trust at /api/person and /embed/embed.js\n");
      }
      return send(res, 404, "not found");
    } catch (e) {
      log(`provider sandbox: ${e?.stack ?? e}`);
      return send(res, 500, "sandbox error");
    }
  });
  const origin = await listen(server, port);
  return {
    origin,
    ost,
    tot,
    close: () => closeServer(server),
  };
}
