// A short run of the fault bench (bench/webhooks.mjs --smoke --only faults): two handler processes behind a
// real Redis and a real PostgreSQL, a sender that retries like OST, and onEvent failing 30 % of the time, the
// store stopped and restarted, a handler process SIGKILLed and restarted. No event answered 200 may be missing
// from onEvent's log, and every event that the sender did not give up on must reach onEvent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");

test("fault runs lose no event (smoke)", { timeout: 240_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kyc-faults-"));
  try {
    const out = path.join(dir, "faults.json");
    const run = spawnSync(process.execPath, [path.join(ROOT, "bench", "webhooks.mjs"), "--smoke", "--only", "faults", "--json", out], {
      encoding: "utf8",
      timeout: 230_000,
    });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const { faults } = JSON.parse(readFileSync(out, "utf8"));
    assert.equal(faults.length, 6);
    for (const f of faults) {
      const what = `${f.run} (${f.stores}): ${JSON.stringify(f)}`;
      assert.equal(f.ackedNotReached, 0, what);
      // Lost only when OST's 7 attempts all failed (0.3^7 per event in the 30 % run), never otherwise.
      assert.ok(f.lost <= f.gaveUp, what);
      assert.ok(f.attempts > f.sent, `${what}: the faults made the sender retry`);
    }
    const failing = faults.filter((f) => f.run.startsWith("onEvent fails"));
    assert.ok(failing.every((f) => f.onEventFailures > 0 && f.statuses["500"] > 0), "onEvent did fail, and was answered 500");
    const storeDown = faults.filter((f) => f.run.includes("stopped"));
    assert.ok(storeDown.every((f) => f.statuses["503"] > 0), "the store outage was seen (503) and outlived");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
