// The kyc-wasm benchmark: `make bench` (or `node bench/run.mjs` after `make build`).
//
// Every case runs kyc-wasm and its peers in the same process, interleaved: each round runs every
// implementation of a case once (tinybench, BENCH_TIME_MS each), and there are BENCH_ROUNDS rounds. The
// table gives the median ops/s over the rounds, the spread (min–max across rounds, relative to the
// median) and kyc-wasm's ratio to each peer (median of the per-round ratios, with their min–max).
// Case 8 is issue 16's OST comparison with what Express users write (qs.parse). Every case that measures an
// issue target reports it to bench/targets.mjs; the target table (target, measured, met/missed) is printed last.
// Cold start (case 5), sizes (case 6) and hostile OST bodies (case 7) run after, from cold.mjs, size.mjs and
// hostile.mjs. Results also go to
// bench/results/last.md and last.json. Environment: BENCH_ROUNDS (5), BENCH_TIME_MS (150),
// BENCH_COLD_RUNS (25), BENCH_ONLY (comma list of case numbers).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createHmac } from "node:crypto";
import { Bench } from "tinybench";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { sha1 } from "@noble/hashes/legacy.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { createHMAC, createSHA1, createSHA256 } from "hash-wasm";

import * as F from "./fixtures.mjs";
import { verifyOstNodeCrypto } from "./peers/ost-node.mjs";
import { verifyOstNoble } from "./peers/ost-noble.mjs";
import { ostVerifierHashWasm } from "./peers/ost-hashwasm.mjs";
import { verifyTotNodeCrypto, verifyTotNoble } from "./peers/tot.mjs";
import { signOstRequestQs } from "./peers/qs-signer.mjs";
import { expressParse, verifyOstParsedNodeCrypto, verifyOstQsNodeCrypto } from "./peers/ost-qs.mjs";
import { pairedRatio, report, targetRows, targetTable } from "./targets.mjs";
import { entrySize } from "./entry-size.mjs";
import { coldStart } from "./cold.mjs";
import { hostileBodies } from "./hostile.mjs";
import { sizes } from "./size.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");
// The machine is shared and `make build` replaces pkg/ wholesale, so the run works on a private copy of it
// (the cold-start children and the size case use the same copy, through KYC_PKG).
const SNAPSHOT = path.join(HERE, ".snapshot");
// KYC_PKG=<dir> benchmarks a package built elsewhere (a private copy) instead of pkg/.
const SOURCE_PKG = process.env.KYC_PKG ? path.resolve(process.env.KYC_PKG) : path.join(ROOT, "pkg");
const KEY_FILES = ["node/kyc_wasm.js", "node/index.mjs", "node/kyc_wasm_bg.wasm.js", "web/kyc_wasm.js", "web/kyc_wasm_bg.wasm", "server/kyc_wasm.js", "browser/index.js", "browser/kyc_wasm_bg.wasm.js"];
for (let waited = 0; !KEY_FILES.every((f) => existsSync(path.join(SOURCE_PKG, f))); waited += 5) {
  if (waited >= 600) throw new Error("pkg/ is incomplete: run `make build` first");
  if (waited === 0) console.error("pkg/ is being rebuilt (or missing); waiting for it…");
  await new Promise((r) => setTimeout(r, 5000));
}
rmSync(SNAPSHOT, { recursive: true, force: true });
cpSync(SOURCE_PKG, path.join(SNAPSHOT, "pkg"), { recursive: true });
process.env.KYC_PKG = path.join(SNAPSHOT, "pkg");
const require = createRequire(import.meta.url);
const kyc = require(path.join(process.env.KYC_PKG, "node/kyc_wasm.js"));
// The pure-wasm build with the server API (`kyc-wasm/server` under the `browser` condition: no node:crypto,
// instantiated at import), loaded in Node: cases 2 and 4 show it next to the Node build. Since issue 16 the
// page builds (browser/, web/) have no HMAC or verification functions.
const web = await import(pathToFileURL(path.join(process.env.KYC_PKG, "server/kyc_wasm.js")).href);

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TIME_MS = Number(process.env.BENCH_TIME_MS ?? 150);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",").map(Number)) : null;
const want = (n) => !ONLY || ONLY.has(n);

const assert = (cond, msg) => {
  if (!cond) throw new Error(`benchmark self-check failed: ${msg}`);
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// ---------------------------------------------------------------------------------------------------
// The groups: one per case and size. `impls[0]` is kyc-wasm; ratios are kyc-wasm / peer.
const groups = [];
const group = (caseNo, title, impls, note) => groups.push({ caseNo, title, impls, note, rounds: [] });

// Case 1: OST webhook end to end.
const ostOpts = { url: F.OST_URL, secret: F.OST_SECRET, now: F.OST_NOW };
const hashWasmOst = await ostVerifierHashWasm(F.OST_SECRET);
for (const [label, text] of [["seed user_register, 563 B", F.OST_SEED_BODY], [`4 KB payload (${F.ostBody4k().length} B)`, F.ostBody4k()]]) {
  const buf = Buffer.from(text);
  const expected = verifyOstNodeCrypto(buf, ostOpts);
  assert(same(kyc.verifyOstWebhook(buf, ostOpts), expected), `case 1 ${label}: kyc-wasm result`);
  assert(same(kyc.verifyOstWebhook(text, ostOpts), expected), `case 1 ${label}: kyc-wasm result (string)`);
  assert(same(verifyOstNoble(buf, ostOpts), expected), `case 1 ${label}: noble result`);
  assert(same(hashWasmOst(buf, ostOpts), expected), `case 1 ${label}: hash-wasm result`);
  group(1, `OST webhook verify, ${label}`, [
    ["kyc-wasm verifyOstWebhook (Buffer)", () => kyc.verifyOstWebhook(buf, ostOpts)],
    ["JS Rails encoder + node:crypto", () => verifyOstNodeCrypto(buf, ostOpts)],
    ["JS Rails encoder + @noble/hashes", () => verifyOstNoble(buf, ostOpts)],
    ["JS Rails encoder + hash-wasm", () => hashWasmOst(buf, ostOpts)],
    ["kyc-wasm verifyOstWebhook (string)", () => kyc.verifyOstWebhook(text, ostOpts)],
  ]);
}

// Case 2: TOT webhook end to end, 64 B / 1 KB / 16 KB, Buffer and string bodies, against node:crypto +
// timingSafeEqual + JSON.parse given the same kind of body. The two "floor" rows are the peer's own parts
// alone (its JSON.parse, its native HMAC): what no verifier that returns the parsed event can skip.
const TOT_64 = (() => {
  const base = { eventId: "", name: "verification.isRejected", timestamp: "Mon, 18 Jul 2022 13:03:54 GMT" };
  const pad = 64 - JSON.stringify(base).length;
  return JSON.stringify({ ...base, eventId: "x".repeat(Math.max(1, pad)) });
})();
const TOT_SIZES = [["64 B", TOT_64], ["seed example, 1 KB", F.TOT_BODY_1K], ["16 KB", F.totBody16k()]];
const TOT_TARGETS = [];
for (const [label, text] of TOT_SIZES) {
  const buf = Buffer.from(text);
  const sig = createHmac("sha1", F.TOT_SECRET).update(buf).digest("base64");
  const expected = JSON.parse(text);
  // verifyTotWebhook checks the signed timestamp (issue 14): `now` is the body's own, so the check runs (the
  // peers make none) and passes.
  const o = { now: kyc.parseTotEvent(text).timestamp ?? undefined };
  assert(same(kyc.verifyTotWebhook(buf, sig, F.TOT_SECRET, o), expected), `case 2 ${label}: kyc-wasm`);
  assert(same(kyc.verifyTotWebhook(text, sig, F.TOT_SECRET, o), expected), `case 2 ${label}: kyc-wasm (string)`);
  assert(same(web.verifyTotWebhook(buf, sig, F.TOT_SECRET, o), expected), `case 2 ${label}: kyc-wasm browser build`);
  assert(same(verifyTotNodeCrypto(buf, sig, F.TOT_SECRET), expected), `case 2 ${label}: node`);
  assert(same(verifyTotNodeCrypto(text, sig, F.TOT_SECRET), expected), `case 2 ${label}: node (string)`);
  assert(same(verifyTotNoble(buf, sig, F.TOT_SECRET), expected), `case 2 ${label}: noble`);
  const g = {
    kycBuf: "kyc-wasm verifyTotWebhook (Buffer)",
    peerBuf: "node:crypto + timingSafeEqual + JSON.parse (Buffer)",
    kycStr: "kyc-wasm verifyTotWebhook (string)",
    peerStr: "node:crypto + timingSafeEqual + JSON.parse (string)",
  };
  group(2, `TOT webhook verify, ${label} (${buf.length} B)`, [
    [g.kycBuf, () => kyc.verifyTotWebhook(buf, sig, F.TOT_SECRET, o)],
    [g.peerBuf, () => verifyTotNodeCrypto(buf, sig, F.TOT_SECRET)],
    [g.kycStr, () => kyc.verifyTotWebhook(text, sig, F.TOT_SECRET, o)],
    [g.peerStr, () => verifyTotNodeCrypto(text, sig, F.TOT_SECRET)],
    ["@noble/hashes", () => verifyTotNoble(buf, sig, F.TOT_SECRET)],
    ["kyc-wasm verifyTotWebhook (Buffer, browser build, pure wasm)", () => web.verifyTotWebhook(buf, sig, F.TOT_SECRET, o)],
    ["floor: the peer's JSON.parse alone (Buffer → string → object)", () => JSON.parse(buf.toString("utf8"))],
    ["floor: the peer's node:crypto HMAC-SHA1 alone (Buffer)", () => createHmac("sha1", F.TOT_SECRET).update(buf).digest()],
  ]);
  TOT_TARGETS.push({ label, bytes: buf.length, g, group: groups[groups.length - 1] });
}

// Case 8 (issue 16): OST webhooks against what an Express user writes: `qs.parse` as `urlencoded({extended:
// true})` does, the hand Rails encoder, node:crypto + timingSafeEqual (bench/peers/ost-qs.mjs). From the raw form
// body (string, Buffer), and from the object `urlencoded` hands the route (req.body).
const OST8 = {};
{
  const text = F.OST_SEED_BODY;
  const buf = Buffer.from(text);
  const parsed = expressParse(text);
  const expected = verifyOstQsNodeCrypto(buf, ostOpts);
  assert(same(kyc.verifyOstWebhook(buf, ostOpts), expected), "case 8: kyc-wasm (Buffer)");
  assert(same(kyc.verifyOstWebhook(text, ostOpts), expected), "case 8: kyc-wasm (string)");
  assert(same(kyc.verifyOstWebhook(parsed, ostOpts), expected), "case 8: kyc-wasm (parsed object)");
  assert(same(verifyOstParsedNodeCrypto(parsed, ostOpts), expected), "case 8: peer (parsed object)");
  OST8.raw = {
    kycBuf: "kyc-wasm verifyOstWebhook (Buffer)",
    peerBuf: "qs.parse + Rails encoder + node:crypto (Buffer)",
    kycStr: "kyc-wasm verifyOstWebhook (string)",
    peerStr: "qs.parse + Rails encoder + node:crypto (string)",
  };
  group(8, `OST webhook from the raw form body, seed user_register (${buf.length} B)`, [
    [OST8.raw.kycBuf, () => kyc.verifyOstWebhook(buf, ostOpts)],
    [OST8.raw.peerBuf, () => verifyOstQsNodeCrypto(buf, ostOpts)],
    [OST8.raw.kycStr, () => kyc.verifyOstWebhook(text, ostOpts)],
    [OST8.raw.peerStr, () => verifyOstQsNodeCrypto(text, ostOpts)],
  ]);
  OST8.rawGroup = groups[groups.length - 1];
  OST8.obj = { kyc: "kyc-wasm verifyOstWebhook (parsed object)", peer: "Rails encoder + node:crypto (parsed object)" };
  group(8, "OST webhook from the object Express urlencoded({extended: true}) hands over (req.body), seed user_register", [
    [OST8.obj.kyc, () => kyc.verifyOstWebhook(parsed, ostOpts)],
    [OST8.obj.peer, () => verifyOstParsedNodeCrypto(parsed, ostOpts)],
  ]);
  OST8.objGroup = groups[groups.length - 1];
}

// Case 3: OST request signing.
const signed = kyc.signOstRequest(F.KYC_ENDPOINT, F.KYC_PARAMS, F.KYC_CREDENTIALS, { timestamp: F.KYC_TIMESTAMP });
const qsSigned = signOstRequestQs(F.KYC_ENDPOINT, F.KYC_PARAMS, F.KYC_CREDENTIALS, F.KYC_TIMESTAMP);
// The seed's submission happens to encode the same way; inputs with `~`, `(`/`)` or keys that are prefixes
// of each other do not. Not timed: shown so the difference is on record.
const TRAP = { ...F.KYC_PARAMS, street_address: "12 ~Main St (rear)", city: "pune", id: "5", id2: "3" };
const trapOurs = kyc.signOstRequest(F.KYC_ENDPOINT, TRAP, F.KYC_CREDENTIALS, { timestamp: F.KYC_TIMESTAMP });
const trapQs = signOstRequestQs(F.KYC_ENDPOINT, TRAP, F.KYC_CREDENTIALS, F.KYC_TIMESTAMP);
const signingDiff = [
  `Seed submission: ${diffQuery(signed.stringToSign, qsSigned.stringToSign)}`,
  `Same submission with street_address "12 ~Main St (rear)" and params id=5, id2=3: ${diffQuery(trapOurs.stringToSign, trapQs.stringToSign)}`,
].join("\n");
group(3, "OST request signing, submit_kyc with every documented field", [
  ["kyc-wasm signOstRequest", () => kyc.signOstRequest(F.KYC_ENDPOINT, F.KYC_PARAMS, F.KYC_CREDENTIALS, { timestamp: F.KYC_TIMESTAMP })],
  ["qs.stringify + node:crypto (JS SDK style)", () => signOstRequestQs(F.KYC_ENDPOINT, F.KYC_PARAMS, F.KYC_CREDENTIALS, F.KYC_TIMESTAMP)],
], signingDiff);

// Case 4: raw HMACs. kyc-wasm's first row is the Node build (node:crypto natively from 1.5 KB for SHA-1 and
// 384 B for SHA-256, its own wasm below: src/wasm/native_hmac.rs); the browser build's pure-wasm path, loaded
// in Node, is shown too. The message is a Buffer of n pseudo-random bytes; the key a 32-character string.
const KEY = "raw-hmac-benchmark-key-32-bytes!";
const keyBytes = new TextEncoder().encode(KEY);
const hwSha256 = await createHMAC(createSHA256(), KEY);
const hwSha1 = await createHMAC(createSHA1(), KEY);
const SIZES = [["64 B", 64], ["1 KB", 1024], ["16 KB", 16384], ["1 MB", 1 << 20]];
for (const [label, n] of SIZES) {
  const data = F.bytes(n);
  const b64 = createHmac("sha1", KEY).update(data).digest("base64");
  assert(kyc.hmacSha1Base64(KEY, data) === b64, "case 4 sha1 kyc");
  assert(web.hmacSha1Base64(KEY, data) === b64, "case 4 sha1 kyc web build");
  assert(kyc.totWebhookSignature(data, KEY) === b64, "case 4 sha1 kyc totWebhookSignature");
  hwSha1.init(); hwSha1.update(data);
  assert(Buffer.from(hwSha1.digest("binary")).toString("base64") === b64, "case 4 sha1 hash-wasm");
  assert(Buffer.from(hmac(sha1, keyBytes, data)).toString("base64") === b64, "case 4 sha1 noble");
  group(4, `HMAC-SHA1 base64, ${label}`, [
    ["kyc-wasm hmacSha1Base64 (Node build)", () => kyc.hmacSha1Base64(KEY, data)],
    ["node:crypto", () => createHmac("sha1", KEY).update(data).digest("base64")],
    ["hash-wasm (reused hasher)", () => { hwSha1.init(); hwSha1.update(data); return Buffer.from(hwSha1.digest("binary")).toString("base64"); }],
    ["@noble/hashes", () => Buffer.from(hmac(sha1, keyBytes, data)).toString("base64")],
    ["kyc-wasm hmacSha1Base64 (browser build, pure wasm)", () => web.hmacSha1Base64(KEY, data)],
    ["kyc-wasm totWebhookSignature (Node build)", () => kyc.totWebhookSignature(data, KEY)],
  ]);
}
for (const [label, n] of SIZES) {
  const data = F.bytes(n);
  const hex = createHmac("sha256", KEY).update(data).digest("hex");
  assert(kyc.hmacSha256Hex(KEY, data) === hex, "case 4 sha256 kyc");
  assert(web.hmacSha256Hex(KEY, data) === hex, "case 4 sha256 kyc web build");
  hwSha256.init(); hwSha256.update(data);
  assert(hwSha256.digest("hex") === hex, "case 4 sha256 hash-wasm");
  assert(bytesToHex(hmac(sha256, keyBytes, data)) === hex, "case 4 sha256 noble");
  group(4, `HMAC-SHA256 hex, ${label}`, [
    ["kyc-wasm hmacSha256Hex (Node build)", () => kyc.hmacSha256Hex(KEY, data)],
    ["node:crypto", () => createHmac("sha256", KEY).update(data).digest("hex")],
    ["hash-wasm (reused hasher)", () => { hwSha256.init(); hwSha256.update(data); return hwSha256.digest("hex"); }],
    ["@noble/hashes", () => bytesToHex(hmac(sha256, keyBytes, data))],
    ["kyc-wasm hmacSha256Hex (browser build, pure wasm)", () => web.hmacSha256Hex(KEY, data)],
  ]);
}

// ---------------------------------------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtOps = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(1));
const fmtTime = (ops) => {
  const us = 1e6 / ops;
  return us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(2)} µs`;
};

/** Batches fast functions so each timed sample is >= ~20 µs (timer overhead stays small). */
function batched(fn) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 50; i++) fn();
  const per = Number(process.hrtime.bigint() - t0) / 50 / 1000; // µs
  const k = Math.max(1, Math.min(256, Math.ceil(20 / Math.max(per, 0.01))));
  return { k, run: k === 1 ? fn : () => { for (let i = 0; i < k; i++) fn(); } };
}

async function runGroup(g) {
  const prepared = g.impls.map(([name, fn]) => ({ name, ...batched(fn) }));
  for (let r = 0; r < ROUNDS; r++) {
    const bench = new Bench({ time: TIME_MS, warmupTime: 50, iterations: 8, warmupIterations: 2 });
    // Rotate the order each round so no implementation always runs first or last.
    const order = prepared.map((_, i) => prepared[(i + r) % prepared.length]);
    for (const p of order) bench.add(p.name, p.run);
    await bench.run();
    const ops = {};
    for (const task of bench.tasks) {
      const p = prepared.find((x) => x.name === task.name);
      const res = task.result;
      if (!res || res.state === "errored") throw new Error(`${g.title}: ${task.name} failed: ${res?.error}`);
      ops[task.name] = (1000 / res.period) * p.k;
    }
    g.rounds.push(ops);
  }
  const names = g.impls.map(([n]) => n);
  const [kycName] = names;
  g.stats = names.map((name) => {
    const series = g.rounds.map((r) => r[name]);
    const med = median(series);
    const ratios = g.rounds.map((r) => r[kycName] / r[name]);
    return {
      name,
      ops: med,
      spread: [Math.min(...series) / med - 1, Math.max(...series) / med - 1],
      ratio: median(ratios),
      ratioRange: [Math.min(...ratios), Math.max(...ratios)],
    };
  });
}

function groupTable(g) {
  const lines = [`#### Case ${g.caseNo}: ${g.title}`, ""];
  if (g.note) lines.push(...String(g.note).split("\n").map((l) => `> ${l}`), "");
  lines.push("| implementation | ops/s (median) | time/op | spread over rounds | kyc-wasm ÷ this |", "|---|---:|---:|---:|---:|");
  for (const s of g.stats) {
    const spread = `${(s.spread[0] * 100).toFixed(0)}% / +${(s.spread[1] * 100).toFixed(0)}%`;
    const ratio = s === g.stats[0] ? "—" : `**${s.ratio.toFixed(2)}×** (${s.ratioRange[0].toFixed(2)}–${s.ratioRange[1].toFixed(2)})`;
    lines.push(`| ${s.name} | ${fmtOps(s.ops)} | ${fmtTime(s.ops)} | ${spread} | ${ratio} |`);
  }
  return lines.join("\n");
}

function diffQuery(ours, theirs) {
  if (ours === theirs) return "qs output is identical to the canonical string for this input.";
  const a = ours.split(/[?&]/);
  const b = theirs.split(/[?&]/);
  const onlyOurs = a.filter((x) => !b.includes(x));
  const onlyTheirs = b.filter((x) => !a.includes(x));
  const commonA = a.filter((x) => b.includes(x));
  const commonB = b.filter((x) => a.includes(x));
  const order = commonA.join("&") !== commonB.join("&") ? " Chunks also come in a different order (qs sorts raw keys with localeCompare, Rails sorts encoded chunks bytewise)." : "";
  return [
    `qs output differs from the canonical string (so its signature is rejected by the server).${order}`,
    ...onlyOurs.map((x, i) => `canonical \`${x}\` vs qs \`${onlyTheirs[i] ?? "(missing)"}\``),
    ...(order ? [`canonical order: \`${commonA.filter((x) => /^id/.test(x)).join("&")}\`, qs order: \`${commonB.filter((x) => /^id/.test(x)).join("&")}\``] : []),
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------------
const machine = `${cpus()[0]?.model ?? "unknown CPU"} (${cpus().length} cores), Node ${process.version}, ${process.platform}/${process.arch}`;
console.log(`kyc-wasm benchmark — ${machine}`);
console.log(`rounds ${ROUNDS}, ${TIME_MS} ms per implementation per round\n`);

const out = [`Machine: ${machine}. Rounds: ${ROUNDS} × ${TIME_MS} ms per implementation. Date: ${new Date().toISOString()}.`, ""];
for (const g of groups) {
  if (!want(g.caseNo)) continue;
  await runGroup(g);
  const table = groupTable(g);
  console.log(table + "\n");
  out.push(table, "");
}

let cold = null;
if (want(5)) {
  cold = await coldStart(Number(process.env.BENCH_COLD_RUNS ?? 25));
  console.log(cold.table + "\n");
  out.push(cold.table, "");
}
let size = null;
if (want(6)) {
  size = await sizes();
  console.log(size.table + "\n");
  out.push(size.table, "");
}

let hostile = null;
if (want(7)) {
  hostile = hostileBodies(kyc);
  console.log(hostile.table + "\n");
  out.push(hostile.table, "");
}

// ---------------------------------------------------------------------------------------------------
// Issue targets: every case above that measures one reports it (bench/targets.mjs); the table comes last.
function ratioTarget(id, target, goal, g, a, b, how) {
  if (!g?.rounds.length) return;
  const r = pairedRatio(g.rounds, a, b);
  report({ id, target, goal, op: ">=", measured: r.median, detail: `${how}; paired ratio per round, min–max ${r.min.toFixed(2)}–${r.max.toFixed(2)} over ${g.rounds.length} rounds` });
}
if (want(8)) {
  ratioTarget("ost-object", "OST webhook from a parsed object (req.body) ≥ 1.5× peer", 1.5, OST8.objGroup, OST8.obj.kyc, OST8.obj.peer, "case 8, vs Rails encoder + node:crypto on the same object");
  ratioTarget("ost-raw-buffer", "OST webhook from a raw form body (Buffer) ≥ 2× peer", 2, OST8.rawGroup, OST8.raw.kycBuf, OST8.raw.peerBuf, "case 8, vs qs.parse + Rails encoder + node:crypto");
  ratioTarget("ost-raw-string", "OST webhook from a raw form body (string) ≥ 2× peer", 2, OST8.rawGroup, OST8.raw.kycStr, OST8.raw.peerStr, "case 8, vs qs.parse + Rails encoder + node:crypto");
}
if (want(2)) {
  for (const t of TOT_TARGETS) {
    const size = t.label.replace(/^seed example, /, "");
    const floor = t.group.stats ? `; floor: JSON.parse ${fmtTime(t.group.stats[6].ops)}, HMAC ${fmtTime(t.group.stats[7].ops)}, peer ${fmtTime(t.group.stats[1].ops)}` : "";
    ratioTarget(`tot-${size}-buffer`, `TOT webhook ${size} (Buffer) ≥ 1.0× peer`, 1, t.group, t.g.kycBuf, t.g.peerBuf, `case 2, vs node:crypto + timingSafeEqual + JSON.parse${floor}`);
    ratioTarget(`tot-${size}-string`, `TOT webhook ${size} (string) ≥ 1.0× peer`, 1, t.group, t.g.kycStr, t.g.peerStr, "case 2, both given the string");
  }
}
if (cold) {
  const r = cold.data.ratioToNodeCrypto;
  report({ id: "cold", target: "Cold start, import → first verified OST webhook ≤ 1.5× node:crypto peer", goal: 1.5, op: "<=", measured: r.median, detail: `case 5, ${cold.data["kyc-wasm"].runs} paired fresh processes: ${cold.data["kyc-wasm"].median.toFixed(1)} ms vs ${cold.data["JS Rails encoder + node:crypto"].median.toFixed(1)} ms (medians), ratio p10–p90 ${r.p10.toFixed(2)}–${r.p90.toFixed(2)}` });
}
// Sizes: deterministic, so always. The entry file + wasm-bindgen glue + the wasm (embedded or a file), gzip -9
// each and summed; "with lib" adds every other module the entry imports (handlers, stores, KycError).
{
  const pkg = process.env.KYC_PKG;
  const KB = 1024;
  const LIB_MODULES = new Set(readdirSync(path.join(ROOT, "pkg-template", "lib")).filter((f) => f.endsWith(".js")));
  const sized = (entry, wasm) => {
    const all = entrySize(path.join(pkg, entry));
    // Everything but the hand-written lib modules (pkg-template/lib: handlers, stores, KycError): the entry, the
    // glue, its snippets and the wasm, whatever their file names.
    const core = all.files.filter((f) => !LIB_MODULES.has(path.basename(f.file)));
    const gz = core.reduce((n, f) => n + f.gzip, 0);
    return { core: gz, all: all.gzip, detail: `${entry} + glue + ${wasm}, gzip -9 each (${core.length} files); with the lib modules it imports ${(all.gzip / KB).toFixed(1)} KB` };
  };
  const browser = sized("browser/index.js", "embedded wasm");
  report({ id: "size-browser", target: "Browser entry (`kyc-wasm`, browser condition) ≤ 30 KB gzip", goal: 30, op: "<=", unit: "KB", measured: browser.core / KB, detail: browser.detail });
  const edge = sized("edge/index.js", ".wasm module");
  report({ id: "size-edge", target: "Edge entry (`kyc-wasm`, workerd/edge-light/worker) ≤ 45 KB gzip", goal: 45, op: "<=", unit: "KB", measured: edge.core / KB, detail: edge.detail });
}
const targets = targetTable();
console.log(targets + "\n");
out.push(targets, "");

mkdirSync(path.join(HERE, "results"), { recursive: true });
writeFileSync(path.join(HERE, "results", "last.md"), out.join("\n"));
writeFileSync(
  path.join(HERE, "results", "last.json"),
  JSON.stringify({ machine, rounds: ROUNDS, timeMs: TIME_MS, groups: groups.filter((g) => g.stats).map(({ caseNo, title, stats }) => ({ caseNo, title, stats })), cold: cold?.data, size: size?.data, hostile: hostile?.data, targets: targetRows() }, null, 2),
);
rmSync(SNAPSHOT, { recursive: true, force: true });
console.log(`written: bench/results/last.md, bench/results/last.json`);
