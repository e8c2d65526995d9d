#!/usr/bin/env bash
# The `kyc-wasm` command line and `kyc-wasm/testing`, from the npm-packed tarball: packs pkg/, installs the
# tarball into a scratch project (tests/cli/.scratch/project, gitignored), then runs tests/cli/*.test.mjs,
# each command in fresh `node` processes.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$ROOT"
SCRATCH="$ROOT/tests/cli/.scratch"
mkdir -p "$SCRATCH/project"
rm -f "$SCRATCH"/kyc-wasm-*.tgz
tgz="$SCRATCH/$(npm pack ./pkg --pack-destination "$SCRATCH" --silent | tail -n 1)"
cd "$SCRATCH/project"
printf '{ "name": "kyc-wasm-cli-scratch", "private": true, "type": "module" }\n' > package.json
rm -rf node_modules/kyc-wasm
npm install --no-save --no-audit --no-fund --no-package-lock --silent "$tgz"
cd "$ROOT"
KYC_CLI_SCRATCH="$SCRATCH/project" KYC_CLI_TGZ="$tgz" node --test "${@:-tests/cli/}"
