// Known answers shared by the consumer checks (Node scripts and browser pages). Each one is computed without
// the library; browser.mjs recomputes the TOT signature with node:crypto before every run, so a wrong
// constant here cannot go unnoticed.

// OST: the seed's webhook example (seed 000, "WebHooks / Signature Generation").
export const OST_URL = "https://webhook.ost.com/test/";
export const OST_SECRET = "WEBHOOK_SECRET_KEY";
export const OST_NOW = 1542185198;
export const OST_BODY =
  "created_at=1541144915&data%5Bresult_type%5D=user&data%5Buser%5D%5Bcreated_at%5D=1541144915" +
  "&data%5Buser%5D%5Bemail%5D=yogesh%2B13233%40ost.com&data%5Buser%5D%5Bid%5D=11493" +
  "&data%5Buser%5D%5Bproperties%5D%5B%5D=doptin_mail_sent&description=User+has+signed+up&id=236" +
  "&name=user_register&request_timestamp=1542185198" +
  "&signature=34e852b1bb2b73357483ce7d35a837611f098f9e7df580edb0bb735993868c0a" +
  "&source=web&type=user&version=v1";
export const OST_TAMPERED = OST_BODY.replace("11493", "11494");

// Token of Trust: createHmac('sha1', TOT_SECRET).update(TOT_BODY, 'utf8').digest('base64'), as in seed 004.
export const TOT_SECRET = "TOT_WEBHOOK_SECRET";
export const TOT_BODY =
  '{"appUserid":"user-42","operation":"gates.changed","gates":{"isCleared":{"value":true},"isSubmitted":{"status":"fullMatch"}}}';
export const TOT_SIGNATURE = "ZpoV2aMTz2koA2s41zQD35WC4So=";
export const TOT_TAMPERED = TOT_BODY.replace("user-42", "user-43");

/** What the builds pages load must not have (issue 16): every function that takes a server secret. */
export const SERVER_ONLY = [
  "signOstRequest", "verifyOstWebhook", "signOstWebhook", "totWebhookSignature", "verifyTotWebhook",
  "hmacSha256Hex", "hmacSha1Base64", "buildCreateUserRequest", "buildSubmitKycRequest", "buildPresignedUrlsRequest",
  "OstKycClient", "webhookFetchHandler", "webhookHandler", "memoryStore", "redisStore", "postgresStore",
];

/**
 * Runs every check: the server checks (webhooks, for builds with the server API: Node, kyc-wasm/server) and the
 * page checks. One line per check ("name: ok ..." or "name: FAIL ...").
 */
export function runChecks(kyc) {
  return [...runServerChecks(kyc), ...runPageChecks(kyc, { serverApi: true })];
}

/** The webhook checks: only builds with the server API (Node, edge, kyc-wasm/server). */
export function runServerChecks(kyc) {
  const lines = [];
  const check = (name, fn) => {
    try {
      const detail = fn();
      lines.push(`${name}: ok${detail === undefined ? "" : ` ${detail}`}`);
    } catch (e) {
      lines.push(`${name}: FAIL ${e && e.name}: ${e && e.message}`);
    }
  };
  const rejects = (fn, code) => () => {
    try {
      fn();
    } catch (e) {
      if (typeof kyc.KycError !== "function") throw new Error("the entry does not export the KycError class");
      if (e instanceof kyc.KycError && e instanceof Error && e.name === "KycError" && e.code === code && kyc.isKycError(e)) return `rejected ${code}`;
      throw new Error(`expected KycError ${code}, got ${e && e.name} ${e && e.code}: ${e && e.message}`);
    }
    throw new Error(`expected KycError ${code}, but it verified`);
  };
  const equal = (actual, expected) => {
    if (actual !== expected) throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  };

  check("tot-valid", () => {
    const event = kyc.verifyTotWebhook(TOT_BODY, TOT_SIGNATURE, TOT_SECRET);
    equal(event.appUserid, "user-42");
    equal(kyc.reasonIsPositive(event.gates.isCleared), true);
    equal(kyc.totWebhookSignature(new TextEncoder().encode(TOT_BODY), TOT_SECRET), TOT_SIGNATURE);
    return event.operation;
  });
  check("tot-tampered", rejects(() => kyc.verifyTotWebhook(TOT_TAMPERED, TOT_SIGNATURE, TOT_SECRET), "INVALID_SIGNATURE"));
  check("tot-missing-header", rejects(() => kyc.verifyTotWebhook(TOT_BODY, undefined, TOT_SECRET), "MISSING_SIGNATURE"));
  check("ost-valid", () => {
    const params = kyc.verifyOstWebhook(OST_BODY, { url: OST_URL, secret: OST_SECRET, now: OST_NOW });
    equal(params.data.user.email, "yogesh+13233@ost.com");
    equal(params.signature, undefined);
    equal(kyc.signOstWebhook(params, { url: OST_URL, secret: OST_SECRET }), OST_BODY);
    return params.name;
  });
  check("ost-tampered", rejects(() => kyc.verifyOstWebhook(OST_TAMPERED, { url: OST_URL, secret: OST_SECRET, now: OST_NOW }), "INVALID_SIGNATURE"));
  check("ost-stale", rejects(() => kyc.verifyOstWebhook(OST_BODY, { url: OST_URL, secret: OST_SECRET, now: OST_NOW + 301 }), "TIMESTAMP_OUT_OF_TOLERANCE"));
  return lines;
}

/**
 * What a page does (the builds pages load: "kyc-wasm" and "kyc-wasm/lite" under the browser condition,
 * kyc-wasm/web): gates, decisions, query strings, KycError, and no server-secret function in sight.
 */
export function runPageChecks(kyc, { serverApi = false } = {}) {
  const lines = [];
  const check = (name, fn) => {
    try {
      const detail = fn();
      lines.push(`${name}: ok${detail === undefined ? "" : ` ${detail}`}`);
    } catch (e) {
      lines.push(`${name}: FAIL ${e && e.name}: ${e && e.message}`);
    }
  };
  const equal = (actual, expected) => {
    if (actual !== expected) throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  };
  check("gates", () => {
    const event = JSON.parse(TOT_BODY);
    equal(kyc.reasonIsPositive(event.gates.isCleared), true);
    equal(kyc.reasonIsPositive(event.gates.isSubmitted), true);
    equal(kyc.reasonIsPositive({ status: "noMatch" }), false);
    equal(kyc.reasonValue({ status: "notApplicable" }), undefined);
    return "reasonIsPositive";
  });
  check("parse-query", () => {
    const params = kyc.parseQuery(OST_BODY);
    equal(params.data.user.email, "yogesh+13233@ost.com");
    equal(params.data.user.properties[0], "doptin_mail_sent");
    return params.name;
  });
  check("decision", () => {
    const decision = kyc.evaluateVerification({ verificationRequired: false });
    equal(decision.action, "verified");
    equal(kyc.evaluateVerification({ type: "error", message: "nope" }).action, "error");
    return decision.action;
  });
  check("invalid-argument", () => {
    try {
      kyc.toQuery(42);
    } catch (e) {
      if (e instanceof kyc.KycError && e.code === "INVALID_ARGUMENT" && kyc.isKycError(e)) return "rejected INVALID_ARGUMENT";
      throw new Error(`expected KycError INVALID_ARGUMENT, got ${e && e.name} ${e && e.code}`);
    }
    throw new Error("toQuery(42) returned");
  });
  check("server-api", () => {
    if (serverApi) {
      const lacking = ["verifyTotWebhook", "verifyOstWebhook", "webhookFetchHandler"].filter((n) => typeof kyc[n] !== "function");
      if (lacking.length) throw new Error(`the server API lacks ${lacking.join(", ")}`);
      return "present";
    }
    const any = SERVER_ONLY.filter((n) => n in kyc);
    if (any.length) throw new Error(`a page's build exports ${any.join(", ")}`);
    return "absent";
  });
  check("kyc-error-class", () => {
    const made = new kyc.KycError("INVALID_ARGUMENT", "made by the application");
    equal(made instanceof kyc.KycError && made instanceof Error, true);
    equal(made.code, "INVALID_ARGUMENT");
    equal(kyc.isKycError(made), true);
    equal(new Error("x") instanceof kyc.KycError, false);
    return "instanceof";
  });
  check("to-query", () => {
    equal(kyc.toQuery({ id2: 3, id: 5, email: "kyc@ost.com" }), "email=kyc%40ost.com&id2=3&id=5");
    return "sorted";
  });
  return lines;
}
