// The command line parser of `kyc-wasm`: `--name value`, `--name=value`, boolean flags, repeated options,
// positionals, `--` ends the options. Errors are `UsageError`s (exit code 2).

export class UsageError extends Error {}

/**
 * Parses `argv` against `spec.options` (`{name: {type: "string" | "number" | "boolean" | "list"}}`): returns
 * `{options, positionals}`. `--help`/`-h` and `--json` are always known.
 */
export function parseArgs(argv, spec) {
  const known = { help: { type: "boolean" }, json: { type: "boolean" }, ...spec.options };
  const options = {};
  const positionals = [];
  let rest = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (rest || arg === "-" || !arg.startsWith("-")) {
      positionals.push(arg);
      continue;
    }
    if (arg === "--") {
      rest = true;
      continue;
    }
    if (arg === "-h") {
      options.help = true;
      continue;
    }
    if (!arg.startsWith("--")) throw new UsageError(`unknown option ${arg}`);
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const def = Object.hasOwn(known, name) ? known[name] : null;
    if (!def) throw new UsageError(`unknown option --${name}`);
    if (def.type === "boolean") {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      options[name] = true;
      continue;
    }
    let value;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[++i];
    }
    if (def.type === "number") {
      if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
      value = Number(value);
      if (def.min !== undefined && value < def.min) throw new UsageError(`--${name} must be at least ${def.min}`);
    }
    if (def.type === "list") (options[name] ??= []).push(value);
    else {
      if (Object.hasOwn(options, name)) throw new UsageError(`--${name} is given twice`);
      options[name] = value;
    }
  }
  return { options, positionals };
}

/** `--now`: Unix seconds, or an ISO 8601 date. */
export function parseTime(text, name = "now") {
  if (/^\d{1,12}$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`--${name} must be Unix seconds or an ISO 8601 date, got "${text}"`);
  return Math.floor(ms / 1000);
}

/** The secrets of `--secret` (repeatable) and `--secret-env NAME` (read from the environment). */
export function secretsOf(options, { required = true, single = false } = {}) {
  const list = [...(options.secret ?? [])];
  for (const name of options["secret-env"] ?? []) {
    const v = process.env[name];
    if (v === undefined || v === "") throw new UsageError(`--secret-env ${name}: the environment variable ${name} is unset or empty`);
    list.push(v);
  }
  if (list.some((s) => s === "")) throw new UsageError("--secret must not be empty");
  if (required && list.length === 0) throw new UsageError("--secret (or --secret-env NAME) is required");
  if (single && list.length > 1) throw new UsageError("give one secret to sign with");
  return list;
}

export const SECRET_OPTIONS = {
  secret: { type: "list", value: "S", help: "the webhook secret (repeat it to accept several, while rotating)" },
  "secret-env": { type: "list", value: "NAME", help: "read the secret from the environment variable NAME (keeps it out of `ps`)" },
};

/** The help text of a command from its spec. */
export function helpText(name, spec) {
  const lines = [`Usage: kyc-wasm ${name} ${spec.usage}`, "", spec.summary, ""];
  if (spec.details) lines.push(spec.details.trim(), "");
  lines.push("Options:");
  const all = { ...spec.options, json: { type: "boolean", help: "print one JSON document instead of text" }, help: { type: "boolean", help: "show this help" } };
  const rows = Object.entries(all).map(([n, d]) => [`--${n}${d.type === "boolean" ? "" : ` ${d.value ?? "VALUE"}`}`, d.help ?? ""]);
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  for (const [l, h] of rows) lines.push(`  ${l.padEnd(width)}${h}`);
  lines.push("", "Exit codes: 0 ok, 1 verification failed (or the endpoint did not answer as expected), 2 usage error.");
  if (spec.examples) lines.push("", "Examples:", ...spec.examples.map((e) => `  ${e}`));
  return lines.join("\n") + "\n";
}
