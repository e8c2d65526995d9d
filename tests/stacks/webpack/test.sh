#!/usr/bin/env bash
# Stack row: webpack 5 with no configuration file: `webpack --mode production` bundles src/index.js into
# dist/main.js (webpack's zero-config defaults), served by a static server and checked in Chromium.
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
stack_prepare webpack "$1" || { fail "webpack: install"; stack_exit; }
VERSION="$(stack_pkg_version webpack)"
cd "$WORK"
mkdir -p src && cp "$STACKS/page/main.js" src/index.js
rm -rf dist
if ! npx --no-install webpack --mode production >build.log 2>&1; then
  fail "webpack $VERSION (production): build failed: $(tail -c 600 build.log)"
  stack_exit
fi
# webpack's performance hints (assets over 244 KiB) are advice about the module's size, which the separate .wasm
# asset of earlier versions triggered as well: reported, not failed. Any other warning fails the row.
grep -E "^WARNING in (asset size limit|entrypoint size limit|webpack performance)" build.log | sed 's/^/note: /'
if grep -E "^WARNING|ERROR" build.log | grep -vqE "^WARNING in (asset size limit|entrypoint size limit|webpack performance)"; then
  fail "webpack $VERSION (production): $(grep -E -A3 '^WARNING|ERROR' build.log | head -c 600)"
fi
ls dist
sed 's|<!--SCRIPT-->|<script src="./main.js"></script>|' "$STACKS/page/index.html" >dist/index.html
node "$CHECKER" --label "webpack $VERSION (production, no config)" --dir dist || STACK_FAILED=1
stack_exit
