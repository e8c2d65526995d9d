#!/usr/bin/env bash
# Every test of the project, in order of speed. `make test` runs this after setup and build.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy (native and wasm32), -D warnings"
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --all-targets --features node,node-fast -- -D warnings
# The Chromium tests (tests/browser.rs) cover the server API too, under the browser runtime: browser + server.
cargo clippy --target wasm32-unknown-unknown --all-targets --features browser,server -- -D warnings
# The build pages load (pkg/web, pkg/browser): no `server` feature, no secret-taking export (issue 16).
cargo clippy --target wasm32-unknown-unknown --lib --features browser -- -D warnings
# The edge build (pkg/edge): the OST client without the Node-only native paths (issue 16, size pass 3).
cargo clippy --target wasm32-unknown-unknown --lib --features client -- -D warnings
# The kyc-wasm/lite builds: the same crate without the default feature `full`.
cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features node -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features browser -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features server -- -D warnings

log "cargo doc, -D warnings"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet

log "cargo test (native: unit tests, shared vectors, doctests)"
cargo test

log "wasm-bindgen-test in Node"
cargo test --target wasm32-unknown-unknown --features node --test node

log "wasm-bindgen-test in headless Chromium"
CHROMEDRIVER="$(command -v chromedriver)" cargo test --target wasm32-unknown-unknown --features browser,server --test browser

log "node --test against pkg/"
node --test tests/js/

log "webhook stores and two handler processes: real redis-server and PostgreSQL on 127.0.0.1"
node --test tests/stores/

log "command line (npx kyc-wasm) and kyc-wasm/testing, from the npm-packed tarball"
bash tests/cli/run.sh

log "consumer tests: npm pack, tsc, require/import, esbuild + Chromium"
bash tests/consumer/run.sh

log "Token of Trust flow in headless Chromium"
node --test tests/tot_browser/

log "uploads: pre-signed PUT/POST against s3rver and s3s-fs, from Node and headless Chromium"
bash tests/upload/run.sh

log "demo end to end"
node --test tests/e2e/

log "stack matrix: kyc-wasm from its tarball in Vite, webpack, Rollup, esbuild, plain pages, TypeScript, ... (tests/stacks/)"
bash tests/stacks/run.sh

log "size budget"
node scripts/size.mjs --check
