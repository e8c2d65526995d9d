// Paired cold start of two builds of the package (import → first verified OST webhook, fresh processes), with the
// node:crypto peer in the same rotation: `node bench/cold-ab.mjs <pkgA> <pkgB> [runs]` (each a pkg/ directory).
// Prints each one's median and the medians of the per-run ratios B/A and each ÷ peer.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const [a, b, n = "21"] = process.argv.slice(2);
const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const run = (file, pkg) => {
  const env = { ...process.env };
  if (pkg) env.KYC_PKG = path.resolve(pkg);
  const child = spawnSync(process.execPath, [path.join(HERE, "cold", file)], { encoding: "utf8", env });
  if (child.status !== 0) throw new Error(`${file} failed: ${child.stderr}`);
  return JSON.parse(child.stdout).importToVerify;
};
const rows = { A: [], B: [], peer: [] };
const jobs = [["A", "kyc.mjs", a], ["B", "kyc.mjs", b], ["peer", "node-crypto.mjs", null]];
for (let i = 0; i < Number(n); i++) {
  for (let j = 0; j < jobs.length; j++) {
    const [k, file, pkg] = jobs[(i + j) % jobs.length];
    rows[k].push(run(file, pkg));
  }
}
const ratio = (x, y) => median(rows[x].map((v, i) => v / rows[y][i]));
console.log(`runs ${n}: A ${median(rows.A).toFixed(1)} ms, B ${median(rows.B).toFixed(1)} ms, peer ${median(rows.peer).toFixed(1)} ms`);
console.log(`paired: B/A ${ratio("B", "A").toFixed(3)}, A/peer ${ratio("A", "peer").toFixed(2)}, B/peer ${ratio("B", "peer").toFixed(2)}`);
