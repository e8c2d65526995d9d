#!/usr/bin/env bash
# Stack row: esbuild, with no option beyond --bundle (and --minify, as for production), in a project whose
# package.json says "type": "module" and then "type": "commonjs"; esbuild's default output format for a browser
# bundle (iife) and --format=esm. No loader option, no file copied: the wasm bytes are in the bundle.
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
stack_prepare esbuild "$1" || { fail "esbuild: install"; stack_exit; }
VERSION="$(stack_pkg_version esbuild)"
cd "$WORK"
mkdir -p src && cp "$STACKS/page/main.js" src/main.js
for type in module commonjs; do
  node -e 'const f="package.json",p=require("./"+f);p.type=process.argv[1];require("fs").writeFileSync(f,JSON.stringify(p,null,2))' "$type"
  for format in iife esm; do
    out="dist-$type-$format"
    rm -rf "$out" && mkdir -p "$out"
    flags=(--bundle --minify --outfile="$out/main.js" --log-level=warning)
    [[ $format == esm ]] && flags+=(--format=esm)
    if ! npx --no-install esbuild src/main.js "${flags[@]}" 2>"$out/warnings.txt"; then
      fail "esbuild $VERSION (\"type\": \"$type\", $format): build failed: $(head -c 400 "$out/warnings.txt")"
      continue
    fi
    if [[ -s "$out/warnings.txt" ]]; then
      fail "esbuild $VERSION (\"type\": \"$type\", $format): warnings: $(head -c 400 "$out/warnings.txt")"
    fi
    script='<script src="./main.js"></script>'
    [[ $format == esm ]] && script='<script type="module" src="./main.js"></script>'
    sed "s|<!--SCRIPT-->|$script|" "$STACKS/page/index.html" >"$out/index.html"
    node "$CHECKER" --label "esbuild $VERSION (\"type\": \"$type\", $format output)" --dir "$out" || STACK_FAILED=1
  done
done
# Issue 16: pages' builds have no server-secret function; a service worker that verifies webhooks imports them
# from "kyc-wasm/server" (browser condition: the server build, embedded). Bundled the same way (esbuild's
# default browser platform, iife), registered by a page, checked in Chromium against node:crypto signatures.
out=dist-sw
rm -rf "$out" && mkdir -p "$out"
cp "$STACKS/esbuild/sw/sw.js" src/sw.js
if npx --no-install esbuild src/sw.js --bundle --minify --outfile="$out/sw.js" --log-level=warning 2>"$out/warnings.txt"; then
  [[ -s "$out/warnings.txt" ]] && fail "esbuild $VERSION (service worker): warnings: $(head -c 400 "$out/warnings.txt")"
  cp "$STACKS/esbuild/sw/index.html" "$out/index.html"
  node "$STACKS/esbuild/sw/check.mjs" --label "esbuild $VERSION (service worker, kyc-wasm/server)" --dir "$WORK/$out" || STACK_FAILED=1
else
  fail "esbuild $VERSION (service worker): build failed: $(head -c 400 "$out/warnings.txt")"
fi
stack_exit
