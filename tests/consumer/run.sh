#!/usr/bin/env bash
# Consumer tests: the package as users install it.
#
#   bash tests/consumer/run.sh        (from anywhere; needs a built pkg/: bash scripts/build.sh)
#
# 1. `npm pack` pkg/ into a temp dir and check the tarball's file list.
# 2. A scratch project in tests/consumer/.scratch (gitignored) installs the tarball (offline: no dependencies).
# 3. (a) tsc --noEmit, strict, on check.ts (+ check-browser.ts / check-node.cts) with moduleResolution
#        "bundler" and "node16"; every export of each build must be called in the checks that see it.
#    (b) require("kyc-wasm") and import("kyc-wasm") (and kyc-wasm/web) from Node, in the scratch project.
#    (c) esbuild bundles page.js ("kyc-wasm", browser condition: the wasm is embedded, nothing to copy),
#        web-page.js ("kyc-wasm/web" + init(), whose .wasm is copied beside the bundle) and lite-page.js
#        ("kyc-wasm/lite"),
#        a node:http server serves them on 127.0.0.1, and Debian's Chromium (playwright-core) loads the three
#        pages and checks what they write into the DOM. Screenshots go to test-output/.
# Prints a pass/fail summary; exits non-zero when anything failed.
#
# Fails when a build exports a function or class that the type checks for that build do not call with
# correct types (a call under `// @ts-expect-error` does not count). KYC_CONSUMER_STRICT=0 downgrades that
# to a warning (for work in progress: the API can grow before check*.ts does).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SCRATCH="$HERE/.scratch"
OUT="$ROOT/test-output"
BIN="$ROOT/node_modules/.bin"
STARTED=$SECONDS

results=()
warnings=()

# Runs "$@" as one step: in a subshell with errexit on (so any failing command fails the step), without
# letting a failure stop the other steps.
step() {
  local name="$1"
  shift
  local t0=$SECONDS rc
  printf '\n== %s\n' "$name"
  set +e
  (
    set -euo pipefail
    "$@"
  )
  rc=$?
  set -e
  if [[ $rc -eq 0 ]]; then
    results+=("PASS  $name ($((SECONDS - t0)) s)")
  else
    results+=("FAIL  $name (exit $rc)")
  fi
  return 0
}

failed() { printf '%s\n' "${results[@]}" | grep -q '^FAIL'; }

summary() {
  printf '\n== consumer test summary (%d s)\n' "$((SECONDS - STARTED))"
  printf '  %s\n' "${results[@]}"
  if [[ ${#warnings[@]} -gt 0 ]]; then printf '  WARN  %s\n' "${warnings[@]}"; fi
  if failed; then
    printf 'consumer tests: FAILED\n'
    exit 1
  fi
  printf 'consumer tests: all passed\n'
}

# --- preconditions -------------------------------------------------------------------------------------
preconditions() {
  [[ -f "$ROOT/pkg/package.json" && -f "$ROOT/pkg/node/kyc_wasm.js" && -f "$ROOT/pkg/web/kyc_wasm_bg.wasm" ]] || {
    echo "pkg/ is not built: run bash scripts/build.sh"
    return 1
  }
  for tool in tsc esbuild; do
    [[ -x "$BIN/$tool" ]] || { echo "missing $BIN/$tool: run npm install in $ROOT"; return 1; }
  done
  for dir in playwright-core @types/node; do
    [[ -d "$ROOT/node_modules/$dir" ]] || { echo "missing $dir in $ROOT/node_modules: run npm install in $ROOT"; return 1; }
  done
  [[ -x "${CHROMIUM:-/usr/bin/chromium}" ]] || { echo "missing ${CHROMIUM:-/usr/bin/chromium}"; return 1; }
  echo "node $(node --version), npm $(npm --version), tsc $("$BIN/tsc" --version), esbuild $("$BIN/esbuild" --version)"
}
step "preconditions (built pkg/, tsc, esbuild, playwright-core, @types/node, chromium)" preconditions
if failed; then summary; fi

# --- 1. npm pack ---------------------------------------------------------------------------------------
PACK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/kyc-wasm-pack.XXXXXX")"
trap 'rm -rf "$PACK_DIR"' EXIT

pack() {
  (cd "$ROOT/pkg" && npm pack --json --ignore-scripts --pack-destination "$PACK_DIR") >"$PACK_DIR/pack.json"
  node - "$PACK_DIR/pack.json" <<'EOF'
const [info] = JSON.parse(require("node:fs").readFileSync(process.argv[2], "utf8"));
const files = info.files.map((f) => f.path).sort();
console.log(`${info.filename}: ${info.entryCount} files, ${info.size} bytes packed, ${info.unpackedSize} unpacked`);
for (const f of files) console.log(`  ${f}`);
const required = [
  "package.json", "README.md",
  "index.d.ts", "lite/index.d.ts",
  "node/kyc_wasm.js", "node/kyc_wasm_full.js", "node/kyc_wasm.d.ts", "node/kyc_wasm_bg.wasm.js", "node/index.js", "node/index.mjs", "node/index.d.ts", "node/package.json",
  "web/kyc_wasm.js", "web/kyc_wasm.d.ts", "web/kyc_wasm_bg.wasm", "web/index.js", "web/index.d.ts", "web/package.json",
  "browser/kyc_wasm.js", "browser/kyc_wasm_bg.wasm.js", "browser/index.js", "browser/index.d.ts", "browser/package.json",
  "lite/node/kyc_wasm.js", "lite/node/kyc_wasm.d.ts", "lite/node/kyc_wasm_bg.wasm.js", "lite/node/index.js", "lite/node/index.mjs", "lite/node/package.json",
  "lite/web/kyc_wasm.js", "lite/web/kyc_wasm.d.ts", "lite/web/kyc_wasm_bg.wasm", "lite/web/index.js", "lite/web/package.json",
  "lite/browser/kyc_wasm.js", "lite/browser/kyc_wasm_bg.wasm.js", "lite/browser/index.js", "lite/browser/index.d.ts", "lite/browser/package.json",
  "server/kyc_wasm.js", "server/kyc_wasm_bg.wasm.js", "server/index.js", "server/index.d.ts", "server/package.json",
  "bin/kyc-wasm.mjs", "testing/index.mjs", "testing/index.d.mts",
];
// The bundler entries carry their bytes in JavaScript: no .wasm file beside them. The Node builds carry them in
// JavaScript too (for bundles) and read the .wasm beside the glue, named by its content hash, when it is there
// (issue 16, cold start): exactly one such file in node/ and lite/node/.
const deadWasm = files.filter((f) => /^(lite\/)?(node|browser)\/.*\.wasm$|^server\/.*\.wasm$/.test(f) && !/^(lite\/)?node\/kyc_wasm_bg\.[0-9a-f]{16}\.wasm$/.test(f));
if (deadWasm.length) throw new Error(`the tarball holds .wasm files nothing reads: ${deadWasm.join(", ")}`);
for (const dir of ["node/", "lite/node/"]) {
  const read = files.filter((f) => f.startsWith(dir) && !f.slice(dir.length).includes("/") && f.endsWith(".wasm"));
  if (read.length !== 1) throw new Error(`${dir} should hold one kyc_wasm_bg.<hash>.wasm, holds ${read.join(", ") || "none"}`);
}
const missing = required.filter((f) => !files.includes(f));
// The command line (bin/, cli/, sandbox/) and kyc-wasm/testing (issue 17).
const cliFile = /^(bin\/kyc-wasm\.mjs|cli\/[a-z-]+\.mjs|sandbox\/[a-z-]+\.(mjs|js|html)|testing\/[a-z]+\.(mjs|d\.mts))$/;
const stray = files.filter((f) => !/^(package\.json|README\.md|LICENSE[^/]*|(lite\/)?index\.d\.ts|(lite\/)?(node|web|browser|edge)\/.+|server\/.+)$/.test(f) && !cliFile.test(f));
if (missing.length) throw new Error(`the tarball lacks ${missing.join(", ")}`);
if (stray.length) throw new Error(`the tarball holds unexpected files: ${stray.join(", ")}`);
if (info.bundled?.length) throw new Error("bundled dependencies");
require("node:fs").writeFileSync(process.argv[2] + ".name", info.filename);
EOF
}
step "npm pack pkg/ (file list)" pack
if failed; then summary; fi
TARBALL="$PACK_DIR/$(cat "$PACK_DIR/pack.json.name")"

# --- 2. scratch project --------------------------------------------------------------------------------
scratch() {
  rm -rf "$SCRATCH"
  mkdir -p "$SCRATCH"
  cat >"$SCRATCH/package.json" <<'EOF'
{ "name": "kyc-wasm-consumer", "version": "0.0.0", "private": true, "type": "module" }
EOF
  cp "$HERE"/{check.ts,check-browser.ts,check-node.cts,check-lite.ts,check-lite-node.cts,tsconfig.bundler.json,tsconfig.node16.json} "$SCRATCH/"
  cp "$HERE"/{fixtures.js,node-require.cjs,node-import.mjs,page.js,web-page.js,lite-page.js,server-page.js,page.html,web.html,lite.html,server.html} "$SCRATCH/"
  # --offline: the package has no dependencies, so installing the tarball needs no registry.
  (cd "$SCRATCH" && npm install --no-audit --no-fund --ignore-scripts --offline "$TARBALL")
  [[ -f "$SCRATCH/node_modules/kyc-wasm/package.json" && ! -L "$SCRATCH/node_modules/kyc-wasm" ]]
  node -e 'const p = require(process.argv[1]); if (p.name !== "kyc-wasm") throw new Error(p.name); console.log(`installed ${p.name}@${p.version}`)' \
    "$SCRATCH/node_modules/kyc-wasm/package.json"
}
step "scratch project: npm install <tarball>" scratch
if failed; then summary; fi

# --- 3a. types ------------------------------------------------------------------------------------------
step "tsc --noEmit, strict, moduleResolution bundler (check.ts, check-browser.ts, check-lite.ts)" \
  bash -c 'cd "$1" && "$2/tsc" -p tsconfig.bundler.json --pretty false' _ "$SCRATCH" "$BIN"
step "tsc --noEmit, strict, moduleResolution node16 (check.ts, check-node.cts, check-lite.ts, check-lite-node.cts)" \
  bash -c 'cd "$1" && "$2/tsc" -p tsconfig.node16.json --pretty false' _ "$SCRATCH" "$BIN"

exports_covered() {
  # Every function and class each build exports must be called, with correct types, in the checks that see
  # that build: the Node build (node/kyc_wasm.d.ts + what require("kyc-wasm") gives: node/index.js) in check.ts
  # or check-node.cts, the browser build (web/kyc_wasm.d.ts + web/kyc_wasm.js + the lib modules beside it,
  # KycError's class among them) in check.ts or check-browser.ts. Whole-line comments
  # and the line under each `// @ts-expect-error` (a deliberately wrong call) do not count.
  local rc=0
  node - "$SCRATCH" "${KYC_CONSUMER_STRICT:-1}" <<'EOF' >"$SCRATCH/exports.txt" || rc=$?
const fs = require("node:fs");
const path = require("node:path");
const [dir, strict] = process.argv.slice(2);
const pkg = path.join(dir, "node_modules", "kyc-wasm");
const read = (f) => fs.readFileSync(path.join(pkg, f), "utf8");
const declared = (text) => [...text.matchAll(/^export (?:declare )?(?:function|class) (\w+)/gm)].map((m) => m[1]);
// What a browser-style entry (web/index.js) re-exports from the lib modules by name (Node-only ones are left out).
const entryLibNames = (build) => [...read(`${build}/index.js`).matchAll(/^export \{ ([^}]+) \} from "\.\/(?!kyc_wasm)/gm)].flatMap((m) => m[1].split(",").map((n) => n.trim()));
// What the type checks really call: drop whole-line comments and each line right under @ts-expect-error.
const calls = (files) => {
  const kept = [];
  for (const f of files) {
    let skipNext = false;
    for (const line of fs.readFileSync(path.join(dir, f), "utf8").split("\n")) {
      if (/^\s*\/\//.test(line)) {
        if (line.includes("@ts-expect-error")) skipNext = true;
        continue;
      }
      if (skipNext) {
        skipNext = false;
        continue;
      }
      kept.push(line);
    }
  }
  return kept.join("\n");
};
const builds = {
  node: {
    names: new Set([...declared(read("node/kyc_wasm.d.ts")), ...Object.keys(require(path.join(pkg, "node", "index.js")))]),
    sources: calls(["check.ts", "check-node.cts"]),
  },
  web: {
    names: new Set([...declared(read("web/kyc_wasm.d.ts")), ...declared(read("web/kyc_wasm.js")), ...entryLibNames("web")]),
    sources: calls(["check.ts", "check-browser.ts"]),
  },
};
builds["lite node"] = {
  names: new Set([...declared(read("lite/node/kyc_wasm.d.ts")), ...Object.keys(require(path.join(pkg, "lite", "node", "index.js")))]),
  sources: calls(["check-lite.ts", "check-lite-node.cts"]),
};
builds["lite web"] = {
  names: new Set([...declared(read("lite/web/kyc_wasm.d.ts")), ...declared(read("lite/web/kyc_wasm.js")), ...entryLibNames("lite/web")]),
  sources: calls(["check-lite.ts"]),
};
builds.web.names.delete("initSync"); // the web loader, imported in check-browser.ts
// Hidden `__` exports (e.g. __webhookDelivery) serve the package's own JavaScript and have no types.
for (const b of Object.values(builds)) for (const n of [...b.names]) if (n.startsWith("__")) b.names.delete(n);
builds["lite web"].names.delete("initSync");
const pageCore = ["toQuery", "parseQuery", "reasonValue", "reasonIsPositive", "isKycError"];
const serverCore = ["signOstRequest", "verifyOstWebhook", "signOstWebhook", "totWebhookSignature", "verifyTotWebhook"];
// Pages' builds (web, lite web) have no server-secret function since issue 16: their core is the page core.
const coreOf = (build) => (build.endsWith("web") ? pageCore : [...pageCore, ...serverCore]);
let missingAll = [];
let failCore = false;
// Names starting with "__" are hidden helpers of the package's own JavaScript (__webhookDelivery), not API.
for (const { names } of Object.values(builds)) for (const n of [...names]) if (n.startsWith("__")) names.delete(n);
for (const [build, { names, sources }] of Object.entries(builds)) {
  const missing = [...names].filter((n) => !new RegExp(`\\b${n}\\(`).test(sources)).sort();
  const missingCore = coreOf(build).filter((n) => !names.has(n) || missing.includes(n));
  console.log(`${build} exports (${names.size}): ${[...names].sort().join(" ")}`);
  console.log(`${build}: not called in the type checks: ${missing.join(" ") || "(none)"}`);
  if (missingCore.length) {
    console.log(`FAIL ${build}: core API missing or unchecked: ${missingCore.join(" ")}`);
    failCore = true;
  }
  missingAll = missingAll.concat(missing.map((n) => `${n} (${build})`));
}
if (failCore) process.exit(1);
if (missingAll.length && strict !== "0") {
  console.log(`FAIL not called in check*.ts: ${missingAll.join(" ")} (KYC_CONSUMER_STRICT=0 makes this a warning)`);
  process.exit(1);
}
if (missingAll.length) console.log(`WARN ${missingAll.join(" ")}`);
EOF
  cat "$SCRATCH/exports.txt"
  return "$rc"
}
step "every export is called in the type checks" exports_covered
if [[ -f "$SCRATCH/exports.txt" ]] && grep -q '^WARN' "$SCRATCH/exports.txt"; then
  warnings+=("exports not called in check*.ts: $(grep '^WARN' "$SCRATCH/exports.txt" | cut -c6-) (KYC_CONSUMER_STRICT=0 downgraded this from a failure)")
fi

# --- 3b. Node -------------------------------------------------------------------------------------------
step 'node: require("kyc-wasm")' bash -c 'cd "$1" && node node-require.cjs' _ "$SCRATCH"
step 'node: import "kyc-wasm" and "kyc-wasm/web"' bash -c 'cd "$1" && node node-import.mjs' _ "$SCRATCH"

# --- 3c. esbuild + Chromium -----------------------------------------------------------------------------
bundle() {
  cd "$SCRATCH"
  rm -rf dist
  # "kyc-wasm" and "kyc-wasm/lite" (browser condition) carry their wasm bytes: nothing to copy, no import.meta.
  "$BIN/esbuild" page.js lite-page.js server-page.js --bundle --format=esm --platform=browser --target=es2022 \
    --outdir=dist --log-level=warning
  ! grep -q 'import.meta' dist/page.js dist/lite-page.js dist/server-page.js
  # Pages' builds carry no server-secret function (issue 16); kyc-wasm/server (the service-worker case) does.
  ! grep -q 'function verifyTotWebhook(' dist/page.js dist/lite-page.js
  grep -q 'function verifyTotWebhook(' dist/server-page.js
  # kyc-wasm/web is the explicit-init entry: init() fetches `new URL("kyc_wasm_bg.wasm", import.meta.url)`,
  # which esbuild leaves as it is, so that file is copied beside the bundle (or init() given a URL or bytes).
  "$BIN/esbuild" web-page.js --bundle --format=esm --platform=browser --target=es2022 \
    --outdir=dist --log-level=warning
  grep -q 'new URL("kyc_wasm_bg.wasm", import.meta.url)' dist/web-page.js
  cp node_modules/kyc-wasm/web/kyc_wasm_bg.wasm dist/
  cp page.html web.html dist/
  mkdir -p dist/lite
  mv dist/lite-page.js dist/lite/
  cp lite.html dist/lite/
  mkdir -p dist/server
  mv dist/server-page.js dist/server/
  cp server.html dist/server/
  ls -l dist dist/lite dist/server
}
step "esbuild: bundle page.js, lite-page.js (embedded wasm) and web-page.js (esm, browser, es2022; kyc-wasm/web's .wasm copied)" bundle
if [[ -f "$SCRATCH/dist/page.js" && -f "$SCRATCH/dist/kyc_wasm_bg.wasm" ]]; then
  step "chromium: the pages run the page functions without the server API; the kyc-wasm/server page verifies webhooks" \
    node "$HERE/browser.mjs" "$SCRATCH/dist" "$SCRATCH/fixtures.js" "$OUT"
else
  results+=("FAIL  chromium: skipped, the bundle step failed")
fi

summary
