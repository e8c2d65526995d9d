// The README's "Quick start in a new project", Express flavour, as written (tests/cli/quickstart.mjs): a new
// project in a temporary directory, `npm install` of the packed tarball and express, `npx kyc-wasm sandbox`,
// the README's app.mjs and client.mjs, `npx kyc-wasm trigger`; the app must log the verified OST and Token of
// Trust events. The run's terminal output is left in test-output/quickstart/express.txt. (The Next.js flavour
// is the `quickstart` row of tests/stacks/.)

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";

import { ROOT, readmeQuickstart, runQuickstart } from "./quickstart.mjs";

const TGZ = process.env.KYC_CLI_TGZ;

test("the README's quick start names its files and commands", () => {
  const { files, commands } = readmeQuickstart();
  assert.deepEqual(Object.keys(files).sort(), ["app.mjs", "app/webhooks/ost/route.js", "app/webhooks/tot/route.js", "client.mjs"]);
  assert.deepEqual(commands.map((c) => c.split(" ").slice(0, 3).join(" ")), [
    "npm init -y", "npm install kyc-wasm", "npx kyc-wasm sandbox", "set -a &&", "node app.mjs", "npx next build",
    "node client.mjs", "npx kyc-wasm trigger", "npx kyc-wasm trigger",
  ]);
});

test("the README's quick start runs as written in a new Express project", { skip: TGZ ? false : "KYC_CLI_TGZ unset: run with bash tests/cli/run.sh" }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kyc-wasm-quickstart-"));
  try {
    const result = await runQuickstart({ flavor: "express", dir, tgz: TGZ });
    const out = path.join(ROOT, "test-output", "quickstart");
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "express.txt"), `${result.transcript.join("\n")}\n`);
    const failed = result.checks.filter(([ok]) => !ok).map(([, what]) => what);
    assert.deepEqual(failed, [], `${result.transcript.slice(-60).join("\n")}`);
    assert.ok(result.checks.length >= 15, `${result.checks.length} checks`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
