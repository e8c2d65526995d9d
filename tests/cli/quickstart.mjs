// The README's "Quick start in a new project", run as written, in a project directory: its code blocks
// (marked `<!-- quickstart: FILE -->`) written to those files, its `$ ` commands run with bash in order, the
// long-running ones (the sandbox, the app) in the background. Two flavours:
//   express  a new project: `npm init`, `npm install kyc-wasm express` (the tarball under test for kyc-wasm,
//            express pinned), app.mjs started with node;
//   next     a project with next/react/react-dom already installed (the stack row's cache) and the tarball;
//            `next build` and `next start` in production, the route handlers under app/webhooks/.
// Substitutions, and only these: the tarball for "kyc-wasm" in `npm install`, a free port for 3000, and
// `--port 0` (port 8081 may be taken) and shorter review times added to the sandbox command; with
// QUICKSTART_AS_WRITTEN=1 (a transcript on a machine where 3000 and 8081 are free) only the tarball. Every command has a time limit; every
// background process runs in its own process group and is ended by its id.
//
// Used by tests/cli/quickstart.test.mjs (express) and tests/stacks/quickstart/test.sh (next):
//   node tests/cli/quickstart.mjs <express|next> <project-dir> <kyc-wasm.tgz> [transcript-file]
// Exits 0 when the app logged the verified events, printing PASS/FAIL lines.

import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "../..");
/** Express as pinned in the stack matrix (tests/stacks/node-frameworks/package.json). */
const EXPRESS = `express@${JSON.parse(readFileSync(path.join(ROOT, "tests/stacks/node-frameworks/package.json"), "utf8")).dependencies.express}`;

/** The quick start of README.md: `{files: {name: code}, commands: [line], text}`. */
export function readmeQuickstart(readme = readFileSync(path.join(ROOT, "README.md"), "utf8")) {
  const start = readme.indexOf("### Quick start in a new project");
  const end = readme.indexOf("\n### ", start + 10);
  if (start === -1 || end === -1) throw new Error("README.md: no \"### Quick start in a new project\" section");
  const text = readme.slice(start, end);
  const files = {};
  for (const m of text.matchAll(/<!-- quickstart: (\S+) -->\n```js\n([\s\S]*?)^```$/gm)) files[m[1]] = m[2];
  const commands = [];
  for (const block of text.matchAll(/^```console\n([\s\S]*?)^```$/gm)) {
    for (const line of block[1].split("\n")) if (line.startsWith("$ ")) commands.push(line.slice(2));
  }
  return { text, files, commands };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the quick start. `log(line)` gets the transcript as it goes. Resolves to `{ok, checks: [[ok, text]],
 * transcript}`; never hangs (each step has a time limit) and leaves no process behind.
 */
export async function runQuickstart({ flavor, dir, tgz, log = () => {}, stepMs = 100, asWritten = false }) {
  const { files, commands, text } = readmeQuickstart();
  const transcript = [];
  const say = (line) => {
    transcript.push(line);
    log(line);
  };
  const checks = [];
  const check = (ok, what) => {
    checks.push([Boolean(ok), what]);
    if (!ok) throw new Error(what);
  };
  // asWritten: the README's ports (3000, the sandbox's 8081) and timings, for a transcript.
  const port = asWritten ? 3000 : await freePort();
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
  delete env.PORT;
  for (const name of Object.keys(env)) if (/^(OST|TOT)_/.test(name)) delete env[name];
  const background = [];
  let envLine = null; // `set -a && . ./.env && set +a`, once the README has said to run it

  const adapt = (cmd) => cmd.replaceAll("127.0.0.1:3000", `127.0.0.1:${port}`).replace(/ -p 3000\b/g, ` -p ${port}`);
  const bash = (cmd) => (envLine ? `${envLine} && ${cmd}` : cmd);

  /** Runs a command to its end (time limit `ms`); resolves to {code, out}. */
  function run(cmd, ms = 120_000) {
    say(`$ ${cmd}`);
    return new Promise((resolve) => {
      const child = spawn("bash", ["-c", bash(cmd)], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
      let out = "";
      const add = (c) => (out += c);
      child.stdout.on("data", add);
      child.stderr.on("data", add);
      const timer = setTimeout(() => {
        out += `\n(killed after ${ms} ms)`;
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }, ms);
      child.on("close", (code) => {
        clearTimeout(timer);
        for (const line of out.replace(/\n$/, "").split("\n")) if (line) say(line);
        resolve({ code, out });
      });
    });
  }

  /** Starts a long-running command in its own process group; `waitFor(regex, ms)` polls its output. */
  function start(cmd, name, extraEnv = {}) {
    say(`$ ${cmd}    # (${name}, kept running)`);
    const child = spawn("bash", ["-c", `exec ${bash(cmd)}`.replace(/^exec (set -a .*? && set \+a) && /, "$1 && exec ")], {
      cwd: dir, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"], detached: true,
    });
    const p = { name, child, out: "", closed: false };
    child.stdout.on("data", (c) => (p.out += c));
    child.stderr.on("data", (c) => (p.out += c));
    child.on("close", () => (p.closed = true));
    p.waitFor = async (regex, ms = 20_000) => {
      const end = Date.now() + ms;
      for (;;) {
        const m = regex.exec(p.out);
        if (m) return m;
        if (p.closed || Date.now() > end) throw new Error(`${name}: no ${regex} within ${ms} ms${p.closed ? " (it exited)" : ""}:\n${p.out.slice(-3000)}`);
        await sleep(50);
      }
    };
    background.push(p);
    return p;
  }

  const write = (name, code) => {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), code);
    say(`(wrote ${name}: the README's block, ${code.split("\n").length - 1} lines)`);
  };

  let app = null;
  let sandbox = null;
  try {
    const wanted = flavor === "express" ? ["app.mjs", "client.mjs"] : ["app/webhooks/ost/route.js", "app/webhooks/tot/route.js", "client.mjs"];
    for (const name of wanted) check(files[name] !== undefined, `README quick start has a ${name} block`);
    if (flavor === "next") check(text.includes("npm install kyc-wasm next react react-dom"), "README quick start says how to install Next.js");
    for (const cmd of commands) {
      if (/^npm (init|pkg)/.test(cmd)) {
        if (flavor !== "express") continue;
        const r = await run(cmd, 60_000);
        check(r.code === 0, `${cmd}: exit ${r.code}`);
      } else if (/^npm install /.test(cmd)) {
        if (flavor !== "express") continue;
        // The package under test is the tarball; express as pinned in the stack matrix.
        const argv = cmd.split(" ").slice(2).map((a) => (a === "kyc-wasm" ? tgz : a === "express" ? EXPRESS : a));
        check(argv.includes(tgz) && argv.includes(EXPRESS), `${cmd}: installs kyc-wasm and express`);
        say(`# (kyc-wasm is not on the registry yet: its npm pack tarball stands in for it; express pinned)`);
        const r = await run(`npm install --no-audit --no-fund ${argv.join(" ")}`, 180_000);
        check(r.code === 0, `npm install: exit ${r.code}`);
        if (flavor === "express") write("app.mjs", files["app.mjs"]);
      } else if (/^npx kyc-wasm sandbox /.test(cmd)) {
        if (flavor === "next") {
          write("app/webhooks/ost/route.js", files["app/webhooks/ost/route.js"]);
          write("app/webhooks/tot/route.js", files["app/webhooks/tot/route.js"]);
        }
        sandbox = start(asWritten ? cmd : `${adapt(cmd)} --port 0 --step-ms ${stepMs} --review-ms ${stepMs * 3}`, "the sandbox");
        await sandbox.waitFor(/Ctrl-C stops the sandbox\.\n/, 30_000);
        for (const line of sandbox.out.trimEnd().split("\n")) say(line);
        sandbox.shown = sandbox.out.length;
      } else if (/^set -a /.test(cmd)) {
        say(`$ ${cmd}`);
        envLine = cmd;
      } else if (cmd === "node app.mjs") {
        if (flavor !== "express") continue;
        app = start(cmd, "the app", { PORT: String(port) });
        await app.waitFor(new RegExp(`listening on http://127\\.0\\.0\\.1:${port}`));
      } else if (/^npx next /.test(cmd)) {
        if (flavor !== "next") continue;
        const [build, serve] = adapt(cmd).split(" && ");
        const r = await run(build, 600_000);
        check(r.code === 0, `${build}: exit ${r.code}`);
        app = start(serve, "the app");
        await app.waitFor(/Ready in|ready/i, 60_000);
      } else if (cmd === "node client.mjs") {
        write("client.mjs", files["client.mjs"]);
        const r = await run(cmd, 60_000);
        check(r.code === 0, `node client.mjs: exit ${r.code}`);
      } else if (/^npx kyc-wasm trigger /.test(cmd)) {
        const r = await run(adapt(cmd), 60_000);
        check(r.code === 0, `${cmd}: exit ${r.code}`);
      } else {
        throw new Error(`the README's quick start has a command this test does not know: ${cmd}`);
      }
    }
    check(app !== null && sandbox !== null, "the sandbox and the app were started");
    // What the app must have logged: the sandbox's own deliveries (user_register, kyc_submit, the review up to
    // approval and whitelisting; Token of Trust's isSubmitted then isCleared), and one event per trigger.
    const count = (regex) => (app.out.match(regex) ?? []).length;
    const expect = [
      [/^verified OST user_register #\d+/gm, 1],
      [/^verified OST kyc_submit #\d+/gm, 1],
      [/^verified OST kyc_status_update #\d+/gm, 6], // 5 review steps + the trigger
      [/^verified Token of Trust verification\.isSubmitted: submitted/gm, 1],
      [/^verified Token of Trust verification\.isCleared: cleared/gm, 2], // the sandbox's + the trigger's
    ];
    if (flavor === "express") expect.push([/^verified OST kyc_status_update #\d+ kyc_status=approved/gm, 1]);
    const end = Date.now() + 30_000;
    while (expect.some(([re, n]) => count(re) < n) && Date.now() < end) await sleep(100);
    for (const [re, n] of expect) check(count(re) >= n, `the app logged ${re.source} ${count(re)} time(s), expected ${n}+`);
    // The app really verifies: a trigger with another secret, and a tampered one, are refused (exit codes 1 and 0).
    const ostTrigger = adapt(commands.find((c) => /^npx kyc-wasm trigger ost /.test(c)));
    const wrong = await run(`${ostTrigger.replace("--secret-env OST_WEBHOOK_SECRET", "--secret not-the-secret")}`, 60_000);
    check(wrong.code === 1 && /\b401\b/.test(wrong.out), `trigger with a wrong secret: exit ${wrong.code} (expected 1, a 401 answer)`);
    const tampered = await run(`${ostTrigger} --tamper`, 60_000);
    check(tampered.code === 0, `trigger --tamper: exit ${tampered.code} (expected 0: the app refused it)`);
    say("");
    say(`# the app's output (${flavor === "express" ? "node app.mjs" : "next start"}):`);
    for (const line of app.out.trimEnd().split("\n")) say(line);
    say("");
    say("# the sandbox's log since it started:");
    for (const line of sandbox.out.slice(sandbox.shown).trimEnd().split("\n")) say(line);
    return { ok: true, checks, transcript, port };
  } catch (e) {
    if (!checks.some(([ok]) => !ok)) checks.push([false, e.message]);
    for (const p of background) say(`---- ${p.name} output:\n${p.out.slice(-4000)}`);
    return { ok: false, checks, transcript, port };
  } finally {
    for (const p of background) {
      if (p.closed) continue;
      try {
        process.kill(-p.child.pid, "SIGTERM");
      } catch {}
    }
    const end = Date.now() + 5000;
    while (background.some((p) => !p.closed) && Date.now() < end) await sleep(50);
    for (const p of background) {
      if (p.closed) continue;
      try {
        process.kill(-p.child.pid, "SIGKILL");
      } catch {}
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [flavor, dir, tgz, transcriptFile] = process.argv.slice(2);
  if (!["express", "next"].includes(flavor) || !dir || !tgz) {
    console.error("usage: node tests/cli/quickstart.mjs <express|next> <project-dir> <kyc-wasm.tgz> [transcript-file]");
    process.exit(2);
  }
  const result = await runQuickstart({
    flavor,
    dir: path.resolve(dir),
    tgz: path.resolve(tgz),
    log: process.env.QUICKSTART_VERBOSE ? (l) => console.log(`  | ${l}`) : undefined,
    asWritten: process.env.QUICKSTART_AS_WRITTEN === "1",
  });
  if (transcriptFile) {
    mkdirSync(path.dirname(transcriptFile), { recursive: true });
    writeFileSync(transcriptFile, `${result.transcript.join("\n")}\n`);
  }
  const failed = result.checks.filter(([ok]) => !ok);
  if (failed.length) {
    console.log(result.transcript.slice(-80).join("\n"));
    for (const [, what] of failed) console.log(`FAIL quickstart ${flavor}: ${what}`);
    process.exit(1);
  }
  console.log(`PASS quickstart ${flavor}: the README's quick start as written (${result.checks.length} checks): verified OST and Token of Trust events from the sandbox and from trigger`);
}
