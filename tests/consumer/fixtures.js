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

/**
 * Runs the checks every consumer runs, with whatever `kyc` module it imported, and returns one line per
 * check ("name: ok ..." or "name: FAIL ..."). Used by the Node scripts and by both browser pages.
 */
export function runChecks(kyc) {
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
