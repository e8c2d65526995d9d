// The provider side of the runtime rows (nextjs, workerd, deno, bun, node-versions): signed OST and Token of
// Trust webhook deliveries, made with node:crypto only (an independent peer, never kyc-wasm), POSTed over real
// HTTP to a server that runs the package in the runtime under test.
//
//   node webhook-client.mjs <stack> <version> <label> <base-url> <ost-path> <ost-signed-url> <tot-path>
//
// For each provider: a valid delivery must answer 200 {ok: true}; the same delivery with one byte of the body
// changed must answer 401 with error code INVALID_SIGNATURE. Prints one `PASS` line when all four pass, else a
// `FAIL` line per failed check, and exits 1. Waits up to WAIT_SECONDS (default 60) for the server to answer at all; every request has a
// timeout, so a hung server fails the check rather than the run.
import { createHmac } from "node:crypto";

// The secrets the servers were started with (lib/common.sh sets them; the servers get them under their own names).
export const OST_SECRET = process.env.STACK_OST_SECRET ?? "ost-stack-secret-\u00e9t\u00e9";
export const TOT_SECRET = process.env.STACK_TOT_SECRET ?? "tot-stack-secret";

// Ruby's CGI.escape as OST's Rails server applies it: A-Z a-z 0-9 - . _ stay, space is "+", other bytes %XX.
function escape(text) {
  let out = "";
  for (const byte of new TextEncoder().encode(String(text))) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9._-]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

// Hash#to_query for nested objects of strings: `key[sub]=value` pairs, sorted, joined with "&".
function toQuery(object, prefix) {
  const pairs = [];
  for (const [key, value] of Object.entries(object)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (value !== null && typeof value === "object") pairs.push(toQuery(value, name));
    else pairs.push(`${escape(name)}=${escape(value)}`);
  }
  return pairs.sort().join("&");
}

/** An OST `user_kyc` webhook for `signedUrl`, form-encoded and signed as OST's server does it. */
export function ostDelivery(signedUrl, secret = OST_SECRET) {
  const now = Math.floor(Date.now() / 1000);
  const params = {
    id: String(1000 + Math.floor(Math.random() * 1e6)),
    name: "kyc_status_update",
    type: "user_kyc",
    source: "web",
    version: "v1",
    description: "user kyc state has changed",
    created_at: String(now),
    request_timestamp: String(now),
    data: { result_type: "user_kyc", user_kyc: { id: "328", user_id: "11493", kyc_status: "approved" } },
  };
  const signature = createHmac("sha256", secret).update(`${signedUrl}?${toQuery(params)}`).digest("hex");
  const body = toQuery({ ...params, signature });
  return {
    body,
    tampered: body.replace("kyc_status%5D=approved", "kyc_status%5D=denied"),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  };
}

/** A Token of Trust gate webhook: JSON, HMAC-SHA1 of the raw bytes in `Authorization`, base64. */
export function totDelivery(secret = TOT_SECRET) {
  const body = JSON.stringify({
    app_user_id: "user-1",
    app_transaction_id: "R:1",
    app_domain: "shop.example",
    operation: "isCleared",
    name: "verification.isCleared",
    eventId: `evt-${Math.floor(Math.random() * 1e9)}`,
    timestamp: new Date().toUTCString(),
    gates: { isCleared: "fullMatch", isRejected: "noMatch" },
    reasons: { selfieIsGoodHeadShot: "fullMatch" },
  });
  const authorization = createHmac("sha1", secret).update(body).digest("base64");
  return {
    body,
    tampered: body.replace('"isCleared":"fullMatch"', '"isCleared":"noMatch__"'),
    headers: { "content-type": "application/json", authorization },
  };
}

async function post(url, body, headers) {
  const res = await fetch(url, { method: "POST", body, headers, signal: AbortSignal.timeout(15000) });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = { unparsed: text.slice(0, 200) };
  }
  return { status: res.status, json };
}

/** Polls `url` until the server answers anything (any status), or throws after `seconds`. */
export async function waitForServer(url, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(5000) });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`no answer from ${url} within ${seconds} s (${e.cause?.code ?? e.message})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Runs the four checks against one server; returns the number of failures. `print` gets each line.
 * `label` says which route or entry was checked (e.g. "edge", "lite", "cjs").
 */
export async function checkWebhooks({ stack, version, label, base, ostPath, ostSignedUrl, totPath }, print = console.log) {
  let failures = 0;
  const passed = [];
  const ost = ostDelivery(ostSignedUrl);
  const tot = totDelivery();
  const checks = [
    ["ost valid", ostPath, ost.body, ost.headers, 200, null],
    ["ost tampered", ostPath, ost.tampered, ost.headers, 401, "INVALID_SIGNATURE"],
    ["tot valid", totPath, tot.body, tot.headers, 200, null],
    ["tot tampered", totPath, tot.tampered, tot.headers, 401, "INVALID_SIGNATURE"],
  ];
  for (const [name, path, body, headers, status, code] of checks) {
    let outcome;
    try {
      const res = await post(base + path, body, headers);
      const ok = res.status === status && (code ? res.json?.error?.code === code : res.json?.ok === true);
      outcome = ok ? null : `got ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`;
    } catch (e) {
      outcome = `request failed: ${e.message}`;
    }
    const expected = `${status}${code ? ` ${code}` : ""}`;
    if (outcome === null) passed.push(`${name} ${expected}`);
    else {
      failures += 1;
      print(`FAIL ${stack} ${version} ${label}: ${name}: expected ${expected}, ${outcome}`);
    }
  }
  // One line when every check passed.
  if (failures === 0) print(`PASS ${stack} ${version} ${label}: ${passed.join(", ")}`);
  return failures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [stack, version, label, base, ostPath, ostSignedUrl, totPath] = process.argv.slice(2);
  try {
    await waitForServer(base + "/", Number(process.env.WAIT_SECONDS ?? 60));
  } catch (e) {
    console.log(`FAIL ${stack} ${version} ${label}: ${e.message}`);
    process.exit(1);
  }
  const failures = await checkWebhooks({ stack, version, label, base, ostPath, ostSignedUrl, totPath });
  process.exit(failures ? 1 : 0);
}
