// Issue 13: what embedding the wasm bytes costs a fresh Node process. Paired runs, interleaved: the same
// child script imports pkg/node/index.mjs (bytes embedded as hex) or <before>/node/index.mjs (a build that
// reads kyc_wasm_bg.wasm from disk), verifies the seed's OST webhook, and reports import → verified; the
// decoding step alone (require + Buffer.from(hex, "hex") against readFileSync, after one warm-up require so
// that the CommonJS loader's start-up is not counted) is timed the same way.
//   node bench/embed-cold.mjs <before-pkg-dir> [runs]
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const after = path.resolve(HERE, "..", "pkg");
const before = path.resolve(process.argv[2]);
const runs = Number(process.argv[3] ?? 31);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const child = (pkg) => {
  const r = spawnSync(process.execPath, [path.join(HERE, "cold", "kyc.mjs")], { env: { ...process.env, KYC_PKG: pkg }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout).importToVerify;
};
const bytesOnly = (pkg, embedded) => {
  const code = embedded
    ? `require(${JSON.stringify(`${pkg}/node/package.json`)}); const t0 = performance.now(); const b = Buffer.from(require(${JSON.stringify(`${pkg}/node/kyc_wasm_bg.wasm.js`)}), "hex"); console.log(performance.now() - t0, b.length);`
    : `require(${JSON.stringify(`${pkg}/node/package.json`)}); const t0 = performance.now(); const b = require("fs").readFileSync(${JSON.stringify(`${pkg}/node/kyc_wasm_bg.wasm`)}); console.log(performance.now() - t0, b.length);`;
  const r = spawnSync(process.execPath, ["-e", code], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.split(" ")[0]);
};
const s = { after: [], before: [], diff: [], hex: [], file: [] };
for (let i = 0; i < runs; i++) {
  const [a, b] = i % 2 ? [child(after), child(before)] : [child(after), child(before)].reverse();
  s.after.push(a);
  s.before.push(b);
  s.diff.push(a - b);
  s.hex.push(bytesOnly(after, true));
  s.file.push(bytesOnly(before, false));
}
console.log(`| ${runs} paired fresh processes | median |`);
console.log("|---|---:|");
console.log(`| import → verified, bytes embedded (hex in node/kyc_wasm_bg.wasm.js) | ${median(s.after).toFixed(1)} ms |`);
console.log(`| import → verified, bytes read from node/kyc_wasm_bg.wasm | ${median(s.before).toFixed(1)} ms |`);
console.log(`| paired difference (embedded − file) | ${median(s.diff).toFixed(1)} ms |`);
console.log(`| getting the bytes alone: require + Buffer.from(hex) | ${median(s.hex).toFixed(2)} ms |`);
console.log(`| getting the bytes alone: readFileSync | ${median(s.file).toFixed(2)} ms |`);
