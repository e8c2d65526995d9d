// Generates tot_signatures.json: Token of Trust webhook signatures made by node:crypto.
//
//   node tests/vectors/gen_tot_signatures.mjs        (from the repository root; deterministic, no npm packages)
//
// Rule (seed 004_47e5d2f9b23f90e7.txt, "HMAC Signatures"): crypto.createHmac('sha1', webhookSecretKey),
// update(body), digest('base64'). Here the body is fed as bytes, so bodies that are not UTF-8 are covered too.

import { createHmac } from "node:crypto";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "tot_signatures.json");

// mulberry32: small, deterministic, good enough for test data.
let state = 20261122 >>> 0;
function rand() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (list) => list[Math.floor(rand() * list.length)];

const SAFE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~ !\"#$%&'()*+,/:;<=>?@[\\]^`{|}";
const UNICODE = ["é", "ü", "ß", "Ω", "中", "文", "😀", "👍🏽", "𝄞", "ﬁ", "e\u0301", "\u00a0", "\u200b", "\u2028", "\ufeff",
  "\t", "\n", "\u0000", "\u007f", "\u0080", "\ufffd", "\u{10ffff}"];

function randomText(len, unicodeShare = 0.3) {
  let s = "";
  for (let i = 0; i < len; i++) s += rand() < unicodeShare ? pick(UNICODE) : SAFE[int(0, SAFE.length - 1)];
  return s;
}

const fatal = new TextDecoder("utf-8", { fatal: true });
function isUtf8(buf) {
  try {
    fatal.decode(buf);
    return true;
  } catch {
    return false;
  }
}

const cases = [];
function add(name, body, secret) {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
  if (Buffer.from(secret, "utf8").toString("utf8") !== secret || secret.length === 0) {
    throw new Error(`${name}: secret must be non-empty well-formed Unicode`);
  }
  const c = { name, body_hex: buf.toString("hex") };
  if (isUtf8(buf)) c.body_utf8 = buf.toString("utf8");
  c.secret = secret;
  c.signature = createHmac("sha1", secret).update(buf).digest("base64");
  if (cases.some((x) => x.name === name)) throw new Error(`duplicate name ${name}`);
  cases.push(c);
}

// The seed's example webhook (section "Webhooks / Example"), made valid JSON: the opening brace restored, the
// trailing comma after "ageVerified" removed, and the field names written with underscores as in the seed's
// "Structure of the webhook" list (app_user_id, app_transaction_id); the PDF text shows them with spaces.
const seedWebhook = {
  app_transaction_id: "R:MXAOM3NVK9yUv62V",
  app_user_id: "vYRsWXlypTzRAS42gbZrQR1i/m+b09K0z59w00Fz9IU=",
  app_domain: "mySite.com",
  reasons: {
    appReviewNotRejected: "noMatch",
    govtIdAppReviewerApproved: "noMatch",
    govtIdTotReviewerApproved: "noMatch",
    govtIdPositiveAppReview: "noMatch",
    selfieIsGoodHeadShot: "fullMatch",
    community_isOnlineVerified: "noMatch",
    community_accountDataIsConsistent: false,
    ageVerified: "noMatch",
  },
  gates: {
    isConditionallyVerified: "noMatch",
    isApproved: "noMatch",
    isPositiveReview: "noMatch",
    isCleared: "noMatch",
    isSubmitted: false,
    isUpdateRequested: "noMatch",
    isRejected: "fullMatch",
  },
  eventId: "txeQPiToZz",
  name: "verification.isRejected",
  operation: "isRejected",
  timestamp: "Mon, 18 Jul 2022 13:03:54 GMT",
};
add("seed_example_webhook_compact", JSON.stringify(seedWebhook), "webhookSecretKey");
add("seed_example_webhook_pretty", JSON.stringify(seedWebhook, null, 2), "webhookSecretKey");
add("seed_example_webhook_pretty_crlf", JSON.stringify(seedWebhook, null, 2).replace(/\n/g, "\r\n") + "\r\n", "webhookSecretKey");
// "Is it possible to have the Token of Trust server send a test webhook request?": sentWebhookBody.
add("seed_test_webhook_body", JSON.stringify({
  reputation: { foo: "bar" }, testMode: true, name: "reputation.created", resource: "reputation",
  operation: "created", timestamp: "Sat, 14 Apr 2018 03:46:12 GMT",
}), "webhookSecretKey");
add("seed_curl_test_body", "test", "foo");

add("empty_object", "{}", "webhookSecretKey");
add("empty_array", "[]", "webhookSecretKey");
add("empty_body", "", "webhookSecretKey");
add("newline_only", "\n", "webhookSecretKey");
add("object_with_trailing_newline", "{}\n", "webhookSecretKey");
add("whitespace_differs_1", '{"operation":"isCleared"}', "shh");
add("whitespace_differs_2", '{"operation": "isCleared"}', "shh");
add("unicode_body", JSON.stringify({ name: "Zoë Ñúñez", city: "北京", emoji: "😀👍🏽", note: "e\u0301 \u2028 \u0000" }), "webhookSecretKey");
add("unicode_body_escaped", JSON.stringify({ name: "Zoë" }).replace("ë", "\\u00eb"), "webhookSecretKey");
add("bom_prefixed_body", "\ufeff{}", "webhookSecretKey");
add("nul_bytes", Buffer.from([0x7b, 0x00, 0x7d]), "webhookSecretKey");
add("invalid_utf8_lone_continuation", Buffer.from([0x7b, 0x80, 0x7d]), "webhookSecretKey");
add("invalid_utf8_overlong_nul", Buffer.from([0xc0, 0x80]), "webhookSecretKey");
add("invalid_utf8_surrogate", Buffer.from([0xed, 0xa0, 0x80]), "webhookSecretKey");
add("invalid_utf8_truncated_4_byte", Buffer.from([0x22, 0xf0, 0x9f, 0x98, 0x22]), "webhookSecretKey");
add("invalid_utf8_ff", Buffer.from([0xff, 0xfe, 0xfd]), "webhookSecretKey");
add("latin1_body", Buffer.from('{"name":"Zo\xeb"}', "latin1"), "webhookSecretKey");

// Secrets: lengths 1..200 characters, ASCII and Unicode (many over the 64-byte SHA-1 block).
add("secret_1_char", "{}", "k");
add("secret_64_bytes", "{}", "k".repeat(64));
add("secret_65_bytes", "{}", "k".repeat(65));
add("secret_unicode_short", "{}", "é");
add("secret_unicode_long", "{}", "秘密🔑é".repeat(40));
add("secret_with_nul", "{}", "a\u0000b");

// A 16 KB body.
const big = { events: [] };
while (JSON.stringify(big).length < 16384 - 200) big.events.push({ id: int(1, 1e9), gate: pick(["isCleared", "isSubmitted", "isRejected"]), note: randomText(20, 0) });
let bigText = JSON.stringify(big);
bigText = bigText.slice(0, -1) + ',"pad":"' + "x".repeat(16384 - bigText.length - 9) + '"}';
if (Buffer.byteLength(bigText) !== 16384) throw new Error(`16 KB body is ${Buffer.byteLength(bigText)} bytes`);
add("body_16kb", bigText, randomText(40, 0));

const GATES = ["isCleared", "isSubmitted", "isRejected", "isUpdateRequested", "isApproved", "isNotRequired"];
const VALUES = [true, false, "fullMatch", "partialMatch", "noMatch", "notApplicable", "insufficientData", null];
function randomWebhook() {
  const gates = {};
  for (const g of GATES) if (rand() < 0.7) gates[g] = pick(VALUES);
  const reasons = {};
  for (let i = int(0, 6); i > 0; i--) reasons[randomText(int(1, 12), 0.1)] = rand() < 0.3 ? { value: pick(VALUES), status: pick(VALUES) } : pick(VALUES);
  const op = pick(GATES);
  return {
    app_transaction_id: randomText(int(0, 20), 0.1), app_user_id: randomText(int(1, 44), 0.2), app_domain: "example.com",
    reasons, gates, eventId: randomText(10, 0), name: `verification.${op}`, operation: op,
    timestamp: new Date(Date.UTC(2020, 0, 1) + int(0, 2e9) * 1000).toUTCString(),
  };
}

function randomSecret() {
  const len = pick([int(1, 16), int(17, 63), 64, 65, int(66, 200), int(1, 200)]);
  return randomText(len, rand() < 0.4 ? 0.3 : 0);
}

let n = 0;
const name = (kind) => `random_${String(n++).padStart(3, "0")}_${kind}`;
while (cases.length < 200) {
  const r = rand();
  if (r < 0.45) {
    const w = randomWebhook();
    add(name("webhook"), rand() < 0.5 ? JSON.stringify(w) : JSON.stringify(w, null, int(1, 4)), randomSecret());
  } else if (r < 0.7) {
    add(name("unicode_text"), randomText(int(0, 300), 0.5), randomSecret());
  } else if (r < 0.9) {
    const bytes = Buffer.alloc(int(1, 400));
    for (let i = 0; i < bytes.length; i++) bytes[i] = int(0, 255);
    add(name("random_bytes"), bytes, randomSecret());
  } else {
    // Valid UTF-8 text with one byte flipped: usually no longer UTF-8.
    const buf = Buffer.from(randomText(int(5, 80), 0.5), "utf8");
    buf[int(0, buf.length - 1)] ^= 0x80;
    add(name("flipped_byte"), buf, randomSecret());
  }
}

const source = `gen_tot_signatures.mjs: Node ${process.version} node:crypto (OpenSSL ${process.versions.openssl}) ` +
  "createHmac('sha1', secret).update(bodyBytes).digest('base64') (seed 004 HMAC Signatures)";
const text = `{"source": ${JSON.stringify(source)},\n"cases": [\n${cases.map((c) => JSON.stringify(c)).join(",\n")}\n]}\n`;
writeFileSync(OUT, text);
console.log(`tot_signatures.json: ${cases.length} cases, ${Buffer.byteLength(text)} bytes, ` +
  `${cases.filter((c) => c.body_utf8 === undefined).length} not UTF-8`);
