#!/usr/bin/env bash
# Builds pkg/, the npm package: four release wasm builds (full and lite, each for Node and for browsers),
# wasm-bindgen for the nodejs and web targets, wasm-opt, the .wasm bytes embedded in the JavaScript of the
# Node and bundler builds (scripts/embed-wasm.cjs), then the hand-written files from pkg-template/.
#
# Layout (the same under lite/):
#   node/     CommonJS glue with the bytes embedded, lib/ as CommonJS, index.js / index.mjs / index.d.ts
#   browser/  the `browser` (bundler) entry: ES module glue with the bytes embedded, instantiated
#             synchronously at import; lib/; index.js. Relative imports only: a page can load it by URL.
#   web/      kyc-wasm/web: the ES module glue with a separate kyc_wasm_bg.wasm and its `init()`; lib/; index.js
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
# (which loads the installed package instead of pkg/). The provider side and its S3 store (bucket.mjs); no demo app.
cp sandbox/providers.mjs sandbox/ost.mjs sandbox/tot.mjs sandbox/deliver.mjs sandbox/http.mjs sandbox/scenario.mjs sandbox/bucket.mjs \
  sandbox/tot-embed.js sandbox/tot-verify.html "$STAGE/sandbox/"
# ---- end kyc-wasm CLI
# One crate, six builds (five cargo builds). Full: the Node build (feature `node`, wasm-bindgen target nodejs), the browser build
# (feature `browser`, target web) and the edge build (feature `client`, target web: the server API with ES-module
# glue that takes a precompiled `WebAssembly.Module`, for Cloudflare Workers, Vercel Edge and Next.js edge
# routes, which cannot compile wasm from bytes at run time). Server-only code never reaches pkg/web. Lite
# (`kyc-wasm/lite`, without the default feature `full`): signing, verification, gates and events only, for
# webhook handlers, edge workers and pages that need nothing else. Lite's edge build is its browser build
# (without `full`, the `browser` feature adds nothing, and `node` only adds Node's native HMAC path, which
# edge runtimes cannot use): the same wasm, so cargo reuses it. Builds for target web use the size-tuned
# `release-web` profile (pages and edge workers download or deploy the module; size is what counts there).
# Issue 16: the builds that pages load (pkg/web, pkg/browser and their lite twins) are built without the
# `server` feature, so no function that takes a server secret (OST/TOT signing and verification, raw HMACs,
# request builders, the OST client, the webhook handlers' core) and none of its code is in them. The Node and
# edge builds have it (`node` implies `server`). Lite's edge build is therefore a build of its own now
# (`server` without `full`). pkg/server, the `browser`/default condition of `kyc-wasm/server` (service
# workers and other non-page contexts that bundle with the browser condition), reuses the edge wasm.
# Issue 16, session 3: the edge build has `client` (the OST client, presignedUrlRequest, buildVerifyPersonBody)
# instead of `node`, whose only addition is the native node:crypto HMAC and text paths, dead code in edge
# runtimes (no `require`): the same exports, −11.6 KB gzip with the client's float formatting gone.
for build in node,node-fast:nodejs:full:node browser:web:full:web client:web:full:edge \
  node,node-fast:nodejs:lite:lite/node browser:web:lite:lite/web server:web:lite:lite/edge; do
  IFS=: read -r feature target variant dir <<<"$build"
  out="$STAGE/$dir"
  flags=(--features "$feature")
  if [ "$variant" = lite ]; then flags=(--no-default-features --features "$feature"); fi
  profile=release
  if [ "$target" = web ]; then profile=release-web; fi
  log "cargo build --profile $profile --target wasm32-unknown-unknown ${flags[*]} (pkg/$dir)"
  cargo build --profile "$profile" --target wasm32-unknown-unknown --lib "${flags[@]}"
  wasm="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile/kyc_wasm.wasm"
  wasm-bindgen "$wasm" --out-dir "$out" --target "$target" --out-name kyc_wasm
  # issue 16: a parsed OST body crosses into wasm once; with `node-fast` (the Node builds), options read in the glue
  node scripts/ost-plain-body.cjs "$out"
  node scripts/tot-options.cjs "$out" # issue 16: verifyTotWebhook options holding only `now` read in the glue
  # The builds pages load: wasm-opt for size, to a fixed point (issue 16, session 3: page wasm −0.6 KB gzip
  # against -O3; typical page calls as fast). The Node and edge builds keep -O3.
  opt=(-O3)
  if [ "$feature" = browser ]; then opt=(-Oz --converge); fi
  wasm-opt "${opt[@]}" \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/kyc_wasm_bg.wasm" -o "$out/kyc_wasm_bg.wasm"
done
# The lite entries are laid out like the full ones.
for dir in browser node web edge; do cp -R "pkg-template/$dir/." "$STAGE/lite/$dir/"; done

# Embedded bytes: the Node glue reads its .wasm file (renamed with a content hash) and falls back to them when
# the file is not beside it (bundles: Turbopack and webpack do not follow the file), and browser/ is web/'s glue
# instantiating them synchronously. Issue 16 (cold start): the full Node glue instantiates on first use
# (--lazy); node/index.js serves the webhook path from lite/node's module (node-esm-wrapper.cjs --cold below).
for prefix in "" lite/; do
  lazy=(); if [ -z "$prefix" ]; then lazy=(--lazy); fi
  node scripts/embed-wasm.cjs node "$STAGE/${prefix}node" "${lazy[@]}"
  node scripts/embed-wasm.cjs browser "$STAGE/${prefix}web" "$STAGE/${prefix}browser"
done
# The browser entries' glue is minified (esbuild: export names kept): a page without a bundler loads these
# files as they are, and the glue's JSDoc is in kyc_wasm.d.ts already. 8.5 -> 5.8 KB gzip (issue 16).
for prefix in "" lite/; do
  esbuild "$STAGE/${prefix}browser/kyc_wasm.js" --minify --format=esm --log-level=warning \
    --outfile="$STAGE/${prefix}browser/kyc_wasm.js" --allow-overwrite
done
# kyc-wasm/server under the browser condition: the edge build's wasm and glue, embedded like browser/.
node scripts/embed-wasm.cjs browser "$STAGE/edge" "$STAGE/server"

# pkg-template/lib/*.js (webhook handlers, stores, KycError, uploadFile, the Token of Trust embed): hand-written
# ES modules over "./kyc_wasm.js", installed beside every build's glue that has the exports they call; CommonJS
# (by esbuild) in the Node builds, as wasm-bindgen's glue is. Issue 16: pages' builds (web, browser and their
# lite twins) get neither the webhook handlers nor the stores and their recorder (they need the server core);
# upload.js (uploadFile's I/O) goes with the `full` feature's upload exports (not lite), and tot-embed.js (the
# embed's DOM, events and fetch) only into the full page builds, whose wasm has the embed's decisions.
lib_wanted() { # <dir> <file>: whether build <dir> gets pkg-template/lib/<file>
  case "$2" in
    errors.js | errors.d.ts) return 0 ;;
    upload.js | upload.d.ts) [[ "$1" != lite/* ]] ;;
    tot-embed.js | tot-embed.d.ts) [ "$1" = web ] || [ "$1" = browser ] ;;
    *) case "$1" in web | browser | lite/web | lite/browser) return 1 ;; esac ;;
  esac
}
for dir in node web browser edge server lite/node lite/web lite/browser lite/edge; do
  for src in pkg-template/lib/*.js pkg-template/lib/*.d.ts; do
    lib_wanted "$dir" "$(basename "$src")" || continue
    if [[ "$dir" == *node && "$src" == *.js ]]; then
      esbuild "$src" --format=cjs --platform=neutral --log-level=warning --outfile="$STAGE/$dir/$(basename "$src")"
    else
      cp "$src" "$STAGE/$dir/"
    fi
  done
done

# Entries: the wasm API plus lib/, CommonJS and ESM for Node (scripts/node-esm-wrapper.cjs re-exports the
# CommonJS entry by name, so `import { toQuery } from "kyc-wasm"` works).
node scripts/node-esm-wrapper.cjs "$STAGE/node" --cold ../lite/node/kyc_wasm.js # issue 16: webhooks from lite's module
node scripts/node-esm-wrapper.cjs "$STAGE/lite/node"
# kyc-wasm/web (and kyc-wasm/lite/web): the glue with its init() as default, plus lib/, by relative imports.
node scripts/web-entry.cjs "$STAGE/web"
node scripts/web-entry.cjs "$STAGE/lite/web"
# The browser entries (the `browser` condition of kyc-wasm and kyc-wasm/lite): the same, without init().
node scripts/web-entry.cjs "$STAGE/browser" --no-default --header "Instantiated at import (embedded bytes)."
node scripts/web-entry.cjs "$STAGE/lite/browser" --no-default --header "Instantiated at import (embedded bytes)."
node scripts/web-entry.cjs "$STAGE/server" --no-default --header "kyc-wasm/server for the browser condition: the server API, instantiated at import (embedded bytes)."
# In the browser entries the lib modules are minified like the glue (a page without a bundler loads them as
# they are; export names kept, read by web-entry.cjs above before minifying; their declarations are the .d.ts
# files): upload.js and tot-embed.js 6.2 -> 3.2 KB gzip (issue 16). errors.js keeps its names: `KycError.name`.
for dir in browser lite/browser; do
  for src in "$STAGE/$dir"/*.js; do
    names=()
    case "$(basename "$src")" in
      kyc_wasm.js | kyc_wasm_bg.wasm.js | index.js) continue ;;
      errors.js) names=(--keep-names) ;;
    esac
    esbuild "$src" --minify "${names[@]}" --format=esm --log-level=warning --outfile="$src" --allow-overwrite
  done
done
# Edge entries: the glue initialised synchronously from the .wasm imported as a module (scripts/edge-entry.mjs).
node scripts/edge-entry.mjs "$STAGE/edge"
node scripts/edge-entry.mjs "$STAGE/lite/edge"
# The edge entries' glue and lib modules minified like the browser entries' (issue 16, session 3: −13 KB gzip
# for kyc-wasm's edge entry): Workers and edge routes deploy them, and their bundlers may not minify. Export
# names are kept (esbuild never renames exports); errors.js keeps its names (`KycError.name`). After
# edge-entry.mjs, which reads the export names from the unminified files.
for dir in edge lite/edge; do
  for src in "$STAGE/$dir"/*.js; do
    names=()
    case "$(basename "$src")" in
      index.js) continue ;;
      errors.js) names=(--keep-names) ;;
    esac
    esbuild "$src" --minify "${names[@]}" --format=esm --log-level=warning --outfile="$src" --allow-overwrite
  done
done
rm -rf pkg
mv "$STAGE" pkg
log "pkg/ built"
ls -l pkg/node pkg/web pkg/browser pkg/edge pkg/server pkg/lite/node pkg/lite/web pkg/lite/browser pkg/lite/edge
