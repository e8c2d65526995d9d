// Case 5, cold start: fresh `node` processes that import a verifier and verify the seed's OST webhook.
// Each child reports the time from just before its dynamic import to the verified result
// (performance.now() deltas), and the parent measures the whole process's wall time. Libraries are
// interleaved run by run. `node bench/cold.mjs [runs]` runs it alone.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const LIBS = [
  ["kyc-wasm", "kyc.mjs"],
  ["kyc-wasm/lite", "kyc-lite.mjs"],
  ["JS Rails encoder + node:crypto", "node-crypto.mjs"],
  ["JS Rails encoder + @noble/hashes", "noble.mjs"],
  ["JS Rails encoder + hash-wasm", "hash-wasm.mjs"],
];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

function runOnce(file) {
  const t0 = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [path.join(HERE, "cold", file)], { encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (child.status !== 0) throw new Error(`${file} failed: ${child.stderr}`);
  return { ...JSON.parse(child.stdout), wall };
}

export async function coldStart(runs = 25) {
  const samples = Object.fromEntries(LIBS.map(([name]) => [name, []]));
  const empty = [];
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < LIBS.length; j++) {
      const [name, file] = LIBS[(i + j) % LIBS.length];
      samples[name].push(runOnce(file));
    }
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ["-e", ""]);
    empty.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const data = {};
  const lines = [
    `#### Case 5: cold start, ${runs} fresh processes per library (import → first verified OST webhook)`,
    "",
    "| library | import → verified (median) | p10–p90 | whole process wall time (median) |",
    "|---|---:|---:|---:|",
  ];
  for (const [name] of LIBS) {
    const s = samples[name].map((x) => x.importToVerify);
    const w = samples[name].map((x) => x.wall);
    data[name] = { median: median(s), p10: pct(s, 0.1), p90: pct(s, 0.9), wallMedian: median(w), runs, samples: s };
    lines.push(`| ${name} | **${median(s).toFixed(1)} ms** | ${pct(s, 0.1).toFixed(1)}–${pct(s, 0.9).toFixed(1)} ms | ${median(w).toFixed(1)} ms |`);
  }
  data.emptyNodeWall = median(empty);
  // Runs are interleaved (run i of every library back to back), so run i's times form a pair.
  const pairs = samples["kyc-wasm"].map((x, i) => x.importToVerify / samples["JS Rails encoder + node:crypto"][i].importToVerify);
  data.ratioToNodeCrypto = { median: median(pairs), p10: pct(pairs, 0.1), p90: pct(pairs, 0.9) };
  lines.push(`| (empty \`node -e ""\`, for reference) | — | — | ${median(empty).toFixed(1)} ms |`);
  return { data, table: lines.join("\n") };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log((await coldStart(Number(process.argv[2] ?? 25))).table);
}
