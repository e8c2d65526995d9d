// Case 7 of `make bench`: hostile OST form bodies against benign bodies of the same size (issue 14).
//
// The shapes that made the old parser quadratic or that stress the nesting code: many parameters (4,095
// keys sharing a long prefix), deep nesting (every key 31 levels deep, the default limit being 32), long keys
// (1 KiB, maxKeyBytes, sharing all but their last bytes), many duplicates (one key 4,095 times) and many
// hashes in one array. Each at 64 KiB and 1 MiB, next to a benign body: the seed webhook's fields with a long
// text value, the same size. Three operations: verifyOstWebhook of an unsigned body (wrong signature: the
// unauthenticated path), verifyOstWebhook of a signed body (everything is built and returned), parseQuery.
//
// Targets: time per byte of each hostile body within 2x of the benign body's, for the same size and
// operation; an unsigned 1 MiB hostile body rejected in under 25 ms.
//
// `node bench/hostile.mjs` runs this case alone (on pkg/, or KYC_PKG).
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const URL = "https://example.com/webhooks/ost";
const SECRET = "hostile-bench-secret";
const NOW = 1_700_000_000;
const OPTIONS = { url: URL, secret: SECRET, now: NOW };
const RUNS = Number(process.env.BENCH_HOSTILE_RUNS ?? 21);

/** `pairs` joined, padded with one filler pair so that the body (with the signature pair) is `size` bytes. */
function fit(pairs, size, { signed }) {
  const head = [...pairs, `request_timestamp=${NOW}`];
  const sigLen = "&signature=".length + 64;
  let body = head.join("&");
  const room = size - body.length - sigLen - "&zz=".length;
  if (room < 0) throw new Error(`shape does not fit in ${size} bytes (${body.length})`);
  body += `&zz=${"z".repeat(room)}`;
  const signature = signed ? createHmac("sha256", SECRET).update(`${URL}?${body}`).digest("hex") : "0".repeat(64);
  body += `&signature=${signature}`;
  if (body.length !== size) throw new Error(`sized ${body.length}, wanted ${size}`);
  return Buffer.from(body);
}

const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));
const pad = (i) => String(i).padStart(6, "0");

/** Pairs for each shape, as many as fit in `size` (4,093 at most: the count limit is 4,096 with 3 more). */
const SHAPES = {
  "benign (seed fields + long text)": (size) => [
    "created_at=1541144915",
    "data%5Bresult_type%5D=user",
    "data%5Buser%5D%5Bcreated_at%5D=1541144915",
    "data%5Buser%5D%5Bemail%5D=yogesh%2B13233%40ost.com",
    "data%5Buser%5D%5Bid%5D=11493",
    "data%5Buser%5D%5Bproperties%5D%5B%5D=doptin_mail_sent",
    `description=${"User+has+signed+up%2C+caf%C3%A9+".repeat(Math.floor(size / 40))}`,
    "id=236",
    "name=user_register",
    "source=web",
    "type=user",
    "version=v1",
  ],
  "many parameters": (size) => {
    const n = 4093;
    const keyLen = Math.max(8, Math.floor(size / n) - 4);
    const prefix = "k".repeat(keyLen - 6);
    return range(n, (i) => `${prefix}${pad(i)}=v`);
  },
  "deep nesting (31 levels)": (size) => {
    const stem = "a" + "%5Bb%5D".repeat(29);
    const n = Math.min(4093, Math.floor(size / (stem.length + 16)) - 1);
    return range(n, (i) => `${stem}%5Bk${pad(i)}%5D=v`);
  },
  "long keys (1 KiB, shared prefix)": (size) => {
    const n = Math.min(4093, Math.floor(size / 1030) - 1);
    const prefix = "k".repeat(1024 - 6);
    return range(n, (i) => `${prefix}${pad(i)}=v`);
  },
  "many duplicates": (size) => {
    const n = 4093;
    const value = "v".repeat(Math.max(1, Math.floor(size / n) - 10));
    return range(n, () => `dup=${value}`);
  },
  "many hashes in one array": (size) => {
    const n = Math.min(4093, Math.floor(size / 24));
    const value = "v".repeat(Math.max(1, Math.floor(size / n) - 22));
    return range(n, (i) => `a%5B%5D%5Bk${i % 7}%5D=${value}`);
  },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function time(fn) {
  for (let i = 0; i < 3; i++) fn();
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

const expectCode = (fn, code) => () => {
  try {
    fn();
  } catch (e) {
    if (e.code !== code) throw new Error(`expected ${code}, got ${e.name} ${e.code}: ${e.message}`);
    return;
  }
  throw new Error(`expected ${code}, got a result`);
};

/** Runs the case against `kyc` (the Node build's CommonJS module); returns `{table, data}`. */
export function hostileBodies(kyc) {
  const ops = {
    "verify, unsigned (rejected)": (body) => expectCode(() => kyc.verifyOstWebhook(body, OPTIONS), "INVALID_SIGNATURE"),
    "verify, signed (accepted)": (body) => () => kyc.verifyOstWebhook(body, OPTIONS),
    parseQuery: (body) => () => kyc.parseQuery(body),
  };
  const data = [];
  for (const size of [64 * 1024, 1 << 20]) {
    for (const [op, make] of Object.entries(ops)) {
      let benignPerByte = null;
      for (const [shape, pairs] of Object.entries(SHAPES)) {
        const body = fit(pairs(size), size, { signed: op.startsWith("verify, signed") });
        const fn = make(body);
        fn(); // self-check: throws when the answer is not the expected one
        const ms = time(fn);
        const perByte = (ms * 1e6) / size;
        benignPerByte ??= perByte;
        data.push({ size, op, shape, ms, nsPerByte: perByte, ratio: perByte / benignPerByte });
      }
    }
  }
  const label = (size) => (size >= 1 << 20 ? `${size >> 20} MiB` : `${size >> 10} KiB`);
  const lines = [
    "#### Case 7: hostile OST form bodies vs benign bodies of the same size (issue 14)",
    "",
    `> Median of ${RUNS} runs each (Node build). Ratio: time per byte ÷ the benign body's, same size and operation (target ≤ 2×).`,
    "> Target: an unsigned 1 MiB hostile body rejected in < 25 ms.",
    "",
    "| size | operation | body | time | ns/byte | ÷ benign |",
    "|---|---|---|---:|---:|---:|",
  ];
  for (const d of data) {
    const ratio = d.shape.startsWith("benign") ? "—" : `${d.ratio.toFixed(2)}×${d.ratio > 2 ? " **over**" : ""}`;
    lines.push(`| ${label(d.size)} | ${d.op} | ${d.shape} | ${d.ms.toFixed(2)} ms | ${d.nsPerByte.toFixed(2)} | ${ratio} |`);
  }
  const hostile = data.filter((d) => !d.shape.startsWith("benign"));
  const worstRatio = Math.max(...hostile.map((d) => d.ratio));
  const worstReject = Math.max(...hostile.filter((d) => d.size === 1 << 20 && d.op.includes("unsigned")).map((d) => d.ms));
  const unsignedRatio = Math.max(...hostile.filter((d) => d.op.includes("unsigned")).map((d) => d.ratio));
  lines.push(
    "",
    `Worst hostile/benign per-byte ratio: ${worstRatio.toFixed(2)}× overall, ${unsignedRatio.toFixed(2)}× on the unauthenticated path. ` +
      `Slowest unsigned 1 MiB hostile rejection: ${worstReject.toFixed(2)} ms (target < 25 ms).`,
  );
  return { table: lines.join("\n"), data, worstRatio, unsignedRatio, worstReject };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const pkg = process.env.KYC_PKG ? path.resolve(process.env.KYC_PKG) : path.join(root, "pkg");
  const kyc = createRequire(import.meta.url)(path.join(pkg, "node/kyc_wasm.js"));
  console.log(hostileBodies(kyc).table);
}
