#!/usr/bin/env bash
# Stack-matrix row "node-frameworks": Express, Fastify, Koa (with and without koa-bodyparser), Hono and an AWS
# Lambda recipe around webhookHandler / webhookFetchHandler, from the packed tarball given as $1.
# The fixture is copied into .tools/stacks/node-frameworks/ (node_modules kept between runs, re-installed
# when package.json changes); the tarball is installed fresh each run. Prints one PASS/FAIL line per stack.
set -euo pipefail
TGZ="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
WORK="$ROOT/.tools/stacks/node-frameworks"
mkdir -p "$WORK"
cp "$HERE/check.mjs" "$WORK/check.mjs"
if ! cmp -s "$HERE/package.json" "$WORK/package.json" || [ ! -d "$WORK/node_modules/express" ]; then
  cp "$HERE/package.json" "$WORK/package.json"
  rm -rf "$WORK/node_modules" "$WORK/package-lock.json"
  (cd "$WORK" && timeout 600 npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
(cd "$WORK" && timeout 300 npm install --no-save --no-audit --no-fund --loglevel=error "$TGZ" >/dev/null)
cd "$WORK"
NODE_ENV=production timeout 180 node check.mjs
