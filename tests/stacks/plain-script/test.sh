#!/usr/bin/env bash
# Stack row: plain <script type="module"> pages, no bundler and no build step: the project's own directory
# (with node_modules/kyc-wasm from the tarball) is served as it is by a static server, and three pages run the
# matrix checks: the self-contained entry by URL (the README's snippet), an import map for "kyc-wasm", and
# kyc-wasm/web with `await init()` (which fetches the separate .wasm).
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
stack_prepare plain-script "$1" || { fail "plain-script: install"; stack_exit; }
VERSION="kyc-wasm $(stack_pkg_version kyc-wasm)"
cd "$WORK"
cp "$STACKS/page/main.js" main.js
sed 's|from "kyc-wasm";|from "./node_modules/kyc-wasm/browser/index.js";|' main.js >self.js
{
  echo 'import init from "./node_modules/kyc-wasm/web/index.js";'
  echo 'await init();'
  sed 's|from "kyc-wasm";|from "./node_modules/kyc-wasm/web/index.js";|' main.js
} >web.js
grep -q 'browser/index.js' self.js && grep -q 'web/index.js' web.js || { fail "plain-script: page sources"; stack_exit; }
node "$CHECKER" --label "plain <script type=module>, $VERSION browser/index.js by URL (no bundler)" --dir . --page self.html || STACK_FAILED=1
node "$CHECKER" --label "plain <script type=module>, import map for \"kyc-wasm\" (no bundler)" --dir . --page importmap.html || STACK_FAILED=1
node "$CHECKER" --label "plain <script type=module>, kyc-wasm/web + await init() (no bundler)" --dir . --page web.html || STACK_FAILED=1
stack_exit
