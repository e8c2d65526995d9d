#!/usr/bin/env bash
# Stack row: TypeScript, strict, in a fresh project from the tarball. Every ```ts block of the README (and
# server-bundler.ts: server code as a bundler project sees "kyc-wasm") must compile with moduleResolution
# "node16", "nodenext" and "bundler" (no customConditions), and every README ```ts block must run under Node
# once compiled (node16 output). Every ```js block must type-check (allowJs + checkJs, strict) under the same
# three resolutions, with readme-ambient.d.ts declaring the reader's own objects the fragments use (`app`,
# `db`, `ostWebhook`...); they are not run (most are servers that listen). Browser blocks (importing the
# functions only the browser build has) are checked as a bundler project sees them (see extract.mjs).
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
stack_prepare typescript "$1" || { fail "typescript: install"; stack_exit; }
VERSION="$(stack_pkg_version typescript)"
cd "$WORK"
rm -rf src js js-browser out
read -r n njs nbrowser < <(node extract.mjs "$ROOT/README.md" src js js-browser node_modules/kyc-wasm/index.d.ts)
[[ -n "${nbrowser:-}" ]] || { fail "typescript: extract.mjs failed"; stack_exit; }
cp server-bundler.ts src/
[[ "$n" -gt 0 ]] || { fail "typescript $VERSION: no \`\`\`ts block in README.md"; stack_exit; }
for resolution in node16 nodenext bundler; do
  module="$resolution"
  [[ $resolution == bundler ]] && module=esnext
  cat >"tsconfig.$resolution.json" <<JSON
{
  "compilerOptions": {
    "strict": true,
    "target": "es2022",
    "module": "$module",
    "moduleResolution": "$resolution",
    "lib": ["es2022", "dom"],
    "types": ["node"],
    "skipLibCheck": false,
    "rootDir": "src",
    "outDir": "out/$resolution",
    "noEmit": $([[ $resolution == node16 ]] && echo false || echo true)
  },
  "include": ["src/*.ts"]
}
JSON
  if npx --no-install tsc -p "tsconfig.$resolution.json" --pretty false >"tsc-$resolution.log" 2>&1; then
    pass "typescript $VERSION --strict, moduleResolution $resolution: $n README block(s) + server-bundler.ts compile"
  else
    fail "typescript $VERSION --strict, moduleResolution $resolution: $(head -c 1500 "tsc-$resolution.log")"
  fi
  # The ```js blocks: checkJs, in their own project (the ambient declarations stay out of the ts blocks').
  include='"js/*.mjs", "readme-ambient.d.ts"'
  count=$njs
  if [[ $resolution == bundler ]]; then
    include="$include, \"js-browser/*.mjs\""
    count=$((njs + nbrowser))
  fi
  cat >"tsconfig.js-$resolution.json" <<JSON
{
  "compilerOptions": {
    "strict": true,
    "allowJs": true,
    "checkJs": true,
    "noEmit": true,
    "target": "es2022",
    "module": "$module",
    "moduleResolution": "$resolution",
    "moduleDetection": "force",
    "lib": ["es2022", "dom"],
    "types": ["node"],
    "skipLibCheck": true
  },
  "include": [$include]
}
JSON
  what="$count README js block(s) type-check (not run)"
  [[ $resolution != bundler ]] && what="$what; the $nbrowser browser block(s) under bundler only"
  if npx --no-install tsc -p "tsconfig.js-$resolution.json" --pretty false >"tsc-js-$resolution.log" 2>&1; then
    pass "typescript $VERSION --strict --checkJs, moduleResolution $resolution: $what"
  else
    fail "typescript $VERSION --strict --checkJs, moduleResolution $resolution: $(head -c 3000 "tsc-js-$resolution.log")"
  fi
done
ran=0
for js in out/node16/readme-*.js; do
  [[ -f "$js" ]] || continue
  if timeout 30 node "$js" >"$js.log" 2>&1; then
    ran=$((ran + 1))
  else
    fail "typescript $VERSION: $js (from a README block) failed under node: $(head -c 600 "$js.log")"
  fi
done
[[ $ran -eq $n ]] && pass "typescript $VERSION: the $n README block(s) run under node $(node --version) (node16 output)"
stack_exit
