// Seeds fuzz/corpus/<target>/ from the known-answer vectors in tests/vectors/*.json, in each target's input
// format (fuzz/src/lib.rs). Run it, then minimise with `cargo +nightly fuzz cmin <target>`:
//   node fuzz/seed_corpus.mjs
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const fuzz = dirname(fileURLToPath(import.meta.url));
const vectors = join(fuzz, "..", "tests", "vectors");
const cases = (name) => JSON.parse(readFileSync(join(vectors, `${name}.json`), "utf8")).cases;

const NUL = Buffer.from([0]);
const seeds = new Map();
function add(target, data) {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, "utf8");
  if (!seeds.has(target)) seeds.set(target, new Map());
  seeds.get(target).set(createHash("sha1").update(bytes).digest("hex"), bytes);
}
const join0 = (...parts) => Buffer.concat(parts.flatMap((p, i) => (i ? [NUL, Buffer.from(p)] : [Buffer.from(p)])));

for (const c of cases("to_query")) {
  add("query_parse", c.query);
  if (c.input && typeof c.input === "object" && !Array.isArray(c.input)) {
    add("query_roundtrip", JSON.stringify(c.input));
  }
}
for (const c of cases("ost_signing")) {
  add("query_parse", c.string_to_sign.slice(c.string_to_sign.indexOf("?") + 1));
  add("query_roundtrip", JSON.stringify(c.params));
}
for (const c of cases("ost_webhooks")) {
  add("query_parse", c.body);
  add("query_roundtrip", JSON.stringify(c.params));
  add("ost_webhook", join0(c.secret, c.url, c.body));
  // The same event as middleware leaves it: JSON of the parsed parameters, signature included.
  add("ost_webhook", join0(c.secret, c.url, JSON.stringify({ ...c.params, signature: c.signature })));
}
for (const c of cases("tot_signatures")) {
  const body = Buffer.from(c.body_hex, "hex");
  // Keep the corpus small: libFuzzer's default max_len is 4096, and large bodies add nothing new.
  if (body.length <= 4096) add("tot_webhook", join0(c.secret, c.signature, body));
  if (body.length <= 4096 && body[0] === 0x7b) add("reasons", body);
}
for (const c of cases("reasons")) {
  if (!c.missing) add("reasons", JSON.stringify(c.input));
}

// verifyPerson responses (seed 004 steps 5-7) and the app server's pass-through of them: no vector file has
// these yet, so one of each shape the seed describes.
const MET = "WorkflowService:conditionsMet";
const NEXT = "WorkflowService:nextStepIsInteractive";
const CONT = { params: { url: "https://app.tokenoftrust.com/c/1", disableClose: false } };
const gates = (g) => ({ code: MET, details: { conditionResult: { gates: g } } });
const contents = [
  gates({ isCleared: true }),
  gates({ isNotRequired: { value: true } }),
  gates({ isSubmitted: "true", isCleared: false }),
  { ...gates({ isUpdateRequested: { status: "fullMatch" } }), continuation: CONT },
  gates({ isUpdateRequested: true }),
  gates({ isCleared: "notApplicable", isSubmitted: "noMatch" }),
  { code: NEXT, continuation: CONT },
  { code: NEXT, continuation: { params: { url: "" } } },
  { type: "error", message: "Invalid API key", code: "UNAUTHORIZED" },
  { code: "WorkflowService:somethingElse" },
  { verificationRequired: false },
  { verificationRequired: true, continuation: CONT },
  { verificationRequired: true, error: { code: "HTTP_ERROR", message: "Token of Trust answered HTTP 503", status: 503 } },
  { verificationRequired: false, verificationMessageCode: "isCleared", code: MET },
];
for (const content of contents) {
  add("decisions", JSON.stringify(content));
  add("decisions", JSON.stringify({ content, metadata: { status: 200 } }));
}
add("decisions", JSON.stringify({ metadata: { status: 503 } }));
add("decisions", JSON.stringify({ content: contents[0], metadata: { status: 500 } }));
add("decisions", JSON.stringify({
  appDomain: "example.com", totApiKey: "pk_test", appUserid: "u-1", guest: false,
  appDataConsentRequested: ["govtId.givenName", "tot.location"],
  person: { givenName: "Ada", familyName: { current: "Lovelace" }, dateOfBirth: "1815-12-10",
    location: { countryCode: "GB" }, email: "ada@example.com" },
}));

for (const [target, files] of seeds) {
  const dir = join(fuzz, "corpus", target);
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
  console.log(`${target}: ${files.size} seeds`);
}
