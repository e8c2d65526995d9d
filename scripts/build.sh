#!/usr/bin/env bash
# Builds pkg/, the npm package: four release wasm builds (full and lite, each for Node and for browsers),
# wasm-bindgen for the nodejs and web targets, wasm-opt, then the hand-written files from pkg-template/.
# Everything is built in a staging directory that replaces pkg/ at the end, so a reader of pkg/ (a test
# running meanwhile) never sees a half-built package.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

STAGE="${CARGO_TARGET_DIR:-target}/pkg-staging"
rm -rf "$STAGE"
mkdir -p "$STAGE"
cp -R pkg-template/. "$STAGE/"
# pkg-template/lib/ is not a directory of the package: its files are installed into every build below.
rm -rf "$STAGE/lib"
cp README.md "$STAGE/README.md"
# ---- kyc-wasm CLI (issue 17): the provider sandbox of `npx kyc-wasm sandbox`, beside pkg-template/sandbox/kyc.mjs
# (which loads the installed package instead of pkg/). Only the provider side: no demo app, no S3 store.
cp sandbox/providers.mjs sandbox/ost.mjs sandbox/tot.mjs sandbox/deliver.mjs sandbox/http.mjs sandbox/scenario.mjs \
  sandbox/tot-embed.js sandbox/tot-verify.html "$STAGE/sandbox/"
# ---- end kyc-wasm CLI
# One crate, four builds. Full: the Node build (feature `node`, wasm-bindgen target nodejs) and the browser
# build (feature `browser`, target web). Server-only code never reaches pkg/web. Lite (`kyc-wasm/lite`,
# without the default feature `full`): signing, verification, gates and events only, for webhook handlers,
# edge workers and pages that need nothing else. Browser builds use the size-tuned `release-web` profile.
for build in node:nodejs:full browser:web:full node:nodejs:lite browser:web:lite; do
  IFS=: read -r feature target variant <<<"$build"
  out="$STAGE/${target/nodejs/node}"
  flags=(--features "$feature")
  if [ "$variant" = lite ]; then
    out="$STAGE/lite/${target/nodejs/node}"
    flags=(--no-default-features --features "$feature")
  fi
  profile=release
  if [ "$target" = web ]; then profile=release-web; fi
  log "cargo build --profile $profile --target wasm32-unknown-unknown ${flags[*]}"
  cargo build --profile "$profile" --target wasm32-unknown-unknown --lib "${flags[@]}"
  wasm="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile/kyc_wasm.wasm"
  wasm-bindgen "$wasm" --out-dir "$out" --target "$target" --out-name kyc_wasm
  wasm-opt -O3 \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/kyc_wasm_bg.wasm" -o "$out/kyc_wasm_bg.wasm"
done
# The lite entries are laid out like the full ones: lite/browser/index.js awaits lite/web's init().
for dir in browser node web; do cp -R "pkg-template/$dir/." "$STAGE/lite/$dir/"; done

# pkg-template/lib/*.js (webhook handlers, stores, KycError): hand-written ES modules over "./kyc_wasm.js",
# installed beside every build's glue; CommonJS (by esbuild) in the Node builds, as wasm-bindgen's glue is.
for dir in node web lite/node lite/web; do
  for src in pkg-template/lib/*.js; do
    if [[ "$dir" == *node ]]; then
      esbuild "$src" --format=cjs --platform=neutral --log-level=warning --outfile="$STAGE/$dir/$(basename "$src")"
    else
      cp "$src" "$STAGE/$dir/"
    fi
  done
  cp pkg-template/lib/*.d.ts "$STAGE/$dir/"
done

# Entries: the wasm API plus lib/, CommonJS and ESM for Node (scripts/node-esm-wrapper.cjs re-exports the
# CommonJS entry by name, so `import { toQuery } from "kyc-wasm"` works).
node scripts/node-esm-wrapper.cjs "$STAGE/node"
node scripts/node-esm-wrapper.cjs "$STAGE/lite/node"
rm -rf pkg
mv "$STAGE" pkg
log "pkg/ built"
ls -l pkg/node pkg/web pkg/browser pkg/lite/node pkg/lite/web
