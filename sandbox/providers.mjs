// The provider sandbox: one HTTP server on 127.0.0.1 that plays OST KYC (/api/v2/...) and Token of Trust
// (/api/person, /embed/embed.js, /continue/...), built only on kyc-wasm and real components (node:http, an
// S3-compatible store: the sandbox's own (bucket.mjs) or s3rver with the AWS SDK's presigners in `make demo`).

import { createServer } from "node:http";

import { closeServer, listen, readJson, send, sendJson } from "./http.mjs";
import { createOst } from "./ost.mjs";
import { createScenario } from "./scenario.mjs";
import { createTot } from "./tot.mjs";

const OST_DECISIONS = ["approve", "deny", "update"];
const TOT_DECISIONS = ["clear", "reject", "update", null];

/**
 * Starts the sandbox. `ost`: options of `createOst` (apiKey, apiSecret, webhook {url, secret}, s3 ...);
 * `tot`: options of `createTot` (publicKey, secretKey, webhook {url, secret} ...). `store`: the sandbox's own
 * S3 store (`createS3Store` of bucket.mjs), served on the same origin under `/<bucket>/` and used for OST's
 * pre-signed URLs.
 */
export async function startProviders({ port = 8081, ost: ostOptions, tot: totOptions, store = null, log = () => {} }) {
  const scenario = createScenario();
  const delivery = { dispatch: scenario.dispatch, failAttempt: scenario.failAttempt };
  const ost = createOst({ log, ...delivery, ...(store ? { s3: store } : {}), ...ostOptions });
  const tot = createTot({ log, ...delivery, ...totOptions });
  const scenarioView = () => ({ ...scenario.state, ost: { decision: ost.decision }, tot: { decision: tot.decision } });
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    try {
      if (store && (await store.handle(req, res, url))) return;
      if (await ost.handle(req, res, url)) return;
      if (await tot.handle(req, res, url)) return;
      if (url.pathname === "/__sandbox/scenario") {
        // Scripting: {"deliverTwice": N, "outOfOrder": N, "failNext": N, "ost": {"decision": "approve"|"deny"|"update"},
        // "tot": {"decision": "clear"|"reject"|"update"|null}}; GET shows the current one.
        if (req.method === "POST") {
          let body;
          try {
            body = await readJson(req);
          } catch (e) {
            return sendJson(res, e.status ?? 400, { error: e.message });
          }
          const od = body.ost?.decision;
          const td = body.tot?.decision;
          if (od !== undefined && !OST_DECISIONS.includes(od)) return sendJson(res, 400, { error: `ost.decision: one of ${OST_DECISIONS.join(", ")}` });
          if (td !== undefined && !TOT_DECISIONS.includes(td)) return sendJson(res, 400, { error: "tot.decision: clear, reject, update or null" });
          const error = scenario.set(body);
          if (error) return sendJson(res, 400, { error });
          if (od !== undefined) ost.setDecision(od);
          if (td !== undefined) tot.setDecision(td);
        } else if (req.method !== "GET") {
          return send(res, 405, "GET or POST");
        }
        return sendJson(res, 200, scenarioView());
      }
      if (url.pathname === "/__sandbox/state") {
        return sendJson(res, 200, {
          ost: { users: ost.users, usersKyc: [...ost.usersKyc.values()], requests: ost.requests, deliveries: ost.deliveries, emails: ost.emails },
          tot: { verifications: [...tot.verifications.values()].map(({ review, ...v }) => v), deliveries: tot.deliveries },
          ...(store && {
            s3: {
              bucket: store.bucket,
              objects: [...store.objects].map(([key, o]) => ({ key, size: o.body.length, contentType: o.contentType, etag: o.etag, lastModified: o.lastModified })),
            },
          }),
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
  store?.setOrigin(origin);
  return {
    origin,
    ost,
    tot,
    scenario,
    close: () => closeServer(server),
  };
}
