#!/usr/bin/env bash
# Installs everything the build, the tests and the demo need on a fresh machine. Safe to re-run: each step
# is skipped when its result is already there.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

want="$(wasm_bindgen_version)"
have="$("$TOOLS/bin/wasm-bindgen" --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$want" != "$have" ]; then
  log "cargo install wasm-bindgen-cli $want into .tools (about 5 minutes, once)"
  # Not --locked: one of the CLI's locked dependencies is no longer on the registry.
  cargo install wasm-bindgen-cli --version "$want" --root "$TOOLS" --force
fi

stamp="node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund
fi

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
# The OST API client tests run a Rails-style verifier (tests/ost_server/server.rb) on Debian's Ruby.
command -v ruby >/dev/null || missing+=(ruby)
ruby -e 'require "rack"' 2>/dev/null || missing+=(ruby-rack)
ruby -e 'require "active_support"' 2>/dev/null || missing+=(ruby-activesupport)
ruby -e 'require "webrick"' 2>/dev/null || missing+=(ruby-webrick)
# The webhook store tests (tests/stores/) start a real redis-server and a real PostgreSQL cluster (initdb).
command -v redis-server >/dev/null || missing+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi
