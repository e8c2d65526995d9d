#!/usr/bin/env bash
# Builds pkg/, the npm package: one release wasm, wasm-bindgen for the nodejs and web targets, wasm-opt,
# then the hand-written files from pkg-template/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

log "cargo build --release --target wasm32-unknown-unknown"
cargo build --release --target wasm32-unknown-unknown --lib
wasm="target/wasm32-unknown-unknown/release/kyc_wasm.wasm"

rm -rf pkg
mkdir -p pkg
cp -R pkg-template/. pkg/
cp README.md pkg/README.md
for target in nodejs web; do
  out="pkg/${target/nodejs/node}"
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
