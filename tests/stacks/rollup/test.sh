#!/usr/bin/env bash
# Stack row: Rollup 4 with @rollup/plugin-node-resolve (defaults), ES output, production (no watch, no dev
# server), served by a static server and checked in Chromium.
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
stack_prepare rollup "$1" || { fail "rollup: install"; stack_exit; }
VERSION="$(stack_pkg_version rollup)"
RESOLVE="$(stack_pkg_version @rollup/plugin-node-resolve)"
cd "$WORK"
mkdir -p src && cp "$STACKS/page/main.js" src/main.js
rm -rf dist
if ! npx --no-install rollup -c rollup.config.mjs >build.log 2>&1; then
  fail "rollup $VERSION: build failed: $(tail -c 600 build.log)"
  stack_exit
fi
if grep -q "(!)" build.log; then fail "rollup $VERSION: warnings: $(grep -A3 '(!)' build.log | head -c 600)"; fi
sed 's|<!--SCRIPT-->|<script type="module" src="./main.js"></script>|' "$STACKS/page/index.html" >dist/index.html
node "$CHECKER" --label "rollup $VERSION + @rollup/plugin-node-resolve $RESOLVE" --dir dist || STACK_FAILED=1
stack_exit
