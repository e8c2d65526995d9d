// The issue targets of `make bench`, as one table: `target | measured | met/missed`.
//
// Every bench case that measures something a target names reports it here with `report(...)`; run.mjs prints
// `targetTable()` at the end of the run (and writes it into bench/results/last.md and last.json). Adding a
// target is one `report` call in the case that measures it:
//
//   import { report } from "./targets.mjs";
//   report({ id: "ost-object", target: "OST webhook, parsed object ≥ 1.5× peer", goal: 1.5, op: ">=",
//            measured: 1.62, unit: "×", detail: "qs.parse + Rails encoder + node:crypto, 7 rounds" });
//
// `op` is ">=" (higher is better: speed ratios) or "<=" (lower is better: sizes, cold-start ratios).
// `measured` is a number (or null when the case could not measure it: printed as "not measured", missed).
// Units: "×" (a ratio), "KB" (1024 bytes), "ms".

const rows = [];

/** Records one measured target. Reporting the same `id` twice keeps the last figure. */
export function report({ id, target, goal, op, measured, unit = "×", detail = "" }) {
  if (op !== ">=" && op !== "<=") throw new Error(`targets.mjs: op must be ">=" or "<=", got ${op}`);
  const row = { id, target, goal, op, measured, unit, detail, met: isMet(op, goal, measured) };
  const at = rows.findIndex((r) => r.id === id);
  if (at >= 0) rows[at] = row;
  else rows.push(row);
  return row;
}

function isMet(op, goal, measured) {
  if (typeof measured !== "number" || !Number.isFinite(measured)) return false;
  return op === ">=" ? measured >= goal : measured <= goal;
}

const fmt = (value, unit) => {
  if (typeof value !== "number" || !Number.isFinite(value)) return "not measured";
  if (unit === "×") return `${value.toFixed(2)}×`;
  if (unit === "KB") return `${value.toFixed(1)} KB`;
  if (unit === "ms") return `${value.toFixed(1)} ms`;
  return `${value} ${unit}`;
};

/** The rows reported so far (copies), in report order. */
export const targetRows = () => rows.map((r) => ({ ...r }));

/** The Markdown table: `target | measured | met/missed | how`. */
export function targetTable(title = "Issue targets (this run)") {
  const lines = [`#### ${title}`, "", "| target | measured | met/missed | how |", "|---|---:|---|---|"];
  for (const r of rows) {
    lines.push(`| ${r.target} | ${fmt(r.measured, r.unit)} | ${r.met ? "met" : "**missed**"} | ${r.detail} |`);
  }
  const missed = rows.filter((r) => !r.met).length;
  lines.push("", `${rows.length - missed} met, ${missed} missed.`);
  return lines.join("\n");
}

/** Median of the per-round ratios `a / b` of two implementations of one group (paired: same round). */
export function pairedRatio(rounds, a, b) {
  const ratios = rounds.map((r) => r[a] / r[b]).sort((x, y) => x - y);
  const m = ratios.length >> 1;
  const median = ratios.length % 2 ? ratios[m] : (ratios[m - 1] + ratios[m]) / 2;
  return { median, min: ratios[0], max: ratios[ratios.length - 1] };
}

// `node bench/targets.mjs [bench/results/last.json]` prints the table of the last run again: `make bench` ends
// with it, after the webhook load runs (bench/webhooks.mjs), so that the targets are the last thing printed.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2] ?? fileURLToPath(new URL("./results/last.json", import.meta.url));
  if (!existsSync(file)) {
    console.error(`${file} not found: run node bench/run.mjs first`);
    process.exit(1);
  }
  for (const row of JSON.parse(readFileSync(file, "utf8")).targets ?? []) report(row);
  console.log(targetTable("Issue targets (bench/run.mjs, this run)"));
}
