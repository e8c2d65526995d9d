#!/usr/bin/env bash
# Builds pkg/, the npm package: one release wasm, wasm-bindgen for the nodejs and web targets, wasm-opt,
# then the hand-written files from pkg-template/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

rm -rf pkg
mkdir -p pkg
cp -R pkg-template/. pkg/
cp README.md pkg/README.md
# One crate, two builds: the Node build (feature `node`, wasm-bindgen target nodejs) and the browser build
# (feature `browser`, target web). Server-only code never reaches pkg/web.
for build in node:nodejs browser:web; do
  feature="${build%%:*}" target="${build##*:}"
  out="pkg/${target/nodejs/node}"
  log "cargo build --release --target wasm32-unknown-unknown --features $feature"
  cargo build --release --target wasm32-unknown-unknown --lib --features "$feature"
  wasm="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/kyc_wasm.wasm"
  wasm-bindgen "$wasm" --out-dir "$out" --target "$target" --out-name kyc_wasm
  wasm-opt -O3 \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/kyc_wasm_bg.wasm" -o "$out/kyc_wasm_bg.wasm"
done

# ESM entry for Node: the CommonJS build re-exported by name, so `import { toQuery } from "kyc-wasm"` works.
node scripts/node-esm-wrapper.cjs pkg/node
log "pkg/ built"
ls -l pkg/node pkg/web pkg/browser
