// `kyc-wasm`: the command line of the package. Node 18+, no dependencies beyond the package itself.

import { readFileSync } from "node:fs";

import { UsageError, helpText, parseArgs } from "./args.mjs";
import { version } from "./http.mjs";
import * as replay from "./replay.mjs";
import * as sandbox from "./sandbox.mjs";
import * as sign from "./sign.mjs";
import * as trigger from "./trigger.mjs";

const COMMANDS = { sign: sign.signCommand, verify: sign.verifyCommand, trigger: trigger.command, replay: replay.command, sandbox: sandbox.command };

function mainHelp() {
  const rows = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(9)}${c.summary}`);
  return [
    "Usage: kyc-wasm <command> [options]",
    "",
    "OST KYC and Token of Trust webhooks from the command line: sign and verify bodies, send signed fixture",
    "events to your endpoint, and replay recorded deliveries.",
    "",
    "Commands:",
    ...rows,
    "",
    'Run "kyc-wasm <command> --help" for the options of a command.',
    "Exit codes: 0 ok, 1 verification failed (or the endpoint did not answer as expected), 2 usage error.",
    "",
  ].join("\n");
}

/** Reads all of stdin as bytes. */
async function readStdin(stdin) {
  const chunks = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * Runs `kyc-wasm` with `argv` (without `node` and the script); resolves to the exit code. `io` replaces
 * process.stdin/stdout/stderr (tests).
 */
export async function main(argv, io = {}) {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const stdin = io.stdin ?? process.stdin;
  const write = (stream, text) => stream.write(text.endsWith("\n") ? text : `${text}\n`);
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    if (topic && Object.hasOwn(COMMANDS, topic)) write(stdout, helpText(topic, COMMANDS[topic]));
    else write(name === undefined ? stderr : stdout, mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    write(stdout, version());
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : null;
  const jsonWanted = rest.includes("--json");
  if (!command) {
    const message = `unknown command "${name}"; one of: ${Object.keys(COMMANDS).join(", ")}`;
    if (jsonWanted) write(stdout, JSON.stringify({ ok: false, error: { code: "USAGE", message } }));
    write(stderr, `kyc-wasm: ${message}\nRun "kyc-wasm --help" for usage.`);
    return 2;
  }
  let json = jsonWanted;
  try {
    const { options, positionals } = parseArgs(rest, command);
    json = options.json === true;
    if (options.help) {
      write(stdout, helpText(name, command));
      return 0;
    }
    const ctx = {
      options,
      positionals,
      json,
      out: (text) => write(stdout, text),
      /** A value to pipe (a body, a signature): no newline is added unless stdout is a terminal. */
      outValue: (text) => stdout.write(stdout.isTTY ? `${text}\n` : text),
      err: (text) => write(stderr, text),
      emit: (value) => write(stdout, JSON.stringify(value, null, 2)),
      /** The bytes of `file`, or of stdin for "-" or no file (unless stdin is a terminal). */
      async readBody(file) {
        if (file === undefined || file === "-") {
          if (file === undefined && stdin.isTTY) throw new UsageError("give a body: a file path, or pipe it into stdin");
          return readStdin(stdin);
        }
        try {
          return readFileSync(file);
        } catch (e) {
          throw new UsageError(`cannot read ${file}: ${e.code ?? e.message}`);
        }
      },
    };
    return await command.run(ctx);
  } catch (e) {
    if (!(e instanceof UsageError)) {
      const message = e?.message ?? String(e);
      if (json) write(stdout, JSON.stringify({ ok: false, error: { code: e?.code ?? "INTERNAL", message } }));
      write(stderr, `kyc-wasm ${name}: ${message}`);
      return 1;
    }
    if (json) write(stdout, JSON.stringify({ ok: false, error: { code: "USAGE", message: e.message } }));
    write(stderr, `kyc-wasm ${name}: ${e.message}\nRun "kyc-wasm ${name} --help" for usage.`);
    return 2;
  }
}
