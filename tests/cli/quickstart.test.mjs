// The README's "Quick start in a new project", as written: its app.mjs and client.mjs blocks, and its
// `npx kyc-wasm` commands (with free ports for 3000 and the sandbox), in the scratch project that installed
// the tarball. Each program runs in its own process.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

import { NODE, BIN, ROOT, SCRATCH, listen } from "./setup.mjs";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("### Quick start in a new project"), readme.indexOf("### Fixtures for tests"));
const block = (name) => {
  const m = new RegExp(`<!-- quickstart: ${name.replace(".", "\\.")} -->\\n\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(section);
  assert.ok(m, `README quick start: no ${name} block`);
  return m[1];
};
const commands = [...section.matchAll(/^\$ npx kyc-wasm (.+)$/gm)].map((m) => m[1].split(" "));

/** Spawns a long-running process; `waitFor(regex)` resolves when its stdout matches. */
function start(args, env = {}) {
  const child = spawn(NODE, args, { cwd: SCRATCH, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (c) => (out += c));
  child.stderr.on("data", (c) => (err += c));
  const exited = new Promise((r) => child.on("close", (code) => r(code)));
  return {
    child,
    exited,
    output: () => out,
    async waitFor(regex, ms = 15000) {
      const end = Date.now() + ms;
      while (!regex.test(out)) {
        if (Date.now() > end || child.exitCode !== null) throw new Error(`no ${regex} in the output: ${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return out.match(regex);
    },
  };
}

function run(args, env) {
  return new Promise((resolve) => {
    const p = start(args, env);
    p.exited.then((code) => resolve({ code, stdout: p.output() }));
  });
}

async function freePort() {
  const s = await listen(() => {});
  const port = new URL(s.origin).port;
  await s.close();
  return port;
}

test("the README quick start runs as written: sandbox, app, client, trigger", async () => {
  assert.deepEqual(commands.map((c) => c.slice(0, 2).join(" ")), ["sandbox --webhook-url", "trigger ost", "trigger tot"]);
  writeFileSync(path.join(SCRATCH, "app.mjs"), block("app.mjs"));
  writeFileSync(path.join(SCRATCH, "client.mjs"), block("client.mjs"));
  const port = await freePort();
  const withPort = (args) => args.map((a) => a.replace("127.0.0.1:3000", `127.0.0.1:${port}`));
  const procs = [];
  try {
    const sandbox = start([BIN, ...withPort(commands[0]), "--port", "0", "--json", "--step-ms", "100"]);
    procs.push(sandbox);
    const info = JSON.parse((await sandbox.waitFor(/^\{.*\}\n/))[0]);
    const env = { ...info.env, PORT: port };
    const app = start(["app.mjs"], env);
    procs.push(app);
    await app.waitFor(new RegExp(`listening on http://127\\.0\\.0\\.1:${port}`));

    const client = await run(["client.mjs"], env);
    assert.equal(client.code, 0, client.stdout);
    const userId = /^user (\d+) created\n$/.exec(client.stdout)?.[1];
    assert.ok(userId, client.stdout);
    await app.waitFor(/^OST user_register #\d+$/m);

    for (const args of commands.slice(1)) {
      const r = await run([BIN, ...withPort(args)], env);
      assert.equal(r.code, 0, r.stdout);
    }
    await app.waitFor(/^OST kyc_status_update #\d+$/m);
    await app.waitFor(/^Token of Trust verification\.isCleared: cleared$/m);
    // Without the secret the same trigger is refused by the app (exit 1): the app really verifies.
    const wrong = await run([BIN, ...withPort(commands[1]).filter((a) => a !== "--secret-env" && a !== "OST_WEBHOOK_SECRET"), "--secret", "not-it"], env);
    assert.equal(wrong.code, 1, wrong.stdout);
  } finally {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill("SIGTERM");
    await Promise.all(procs.map((p) => p.exited));
  }
});
