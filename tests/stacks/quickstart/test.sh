#!/usr/bin/env bash
# Stack row `quickstart`: the README's "Quick start in a new project", Next.js flavour, as written
# (tests/cli/quickstart.mjs): its route handlers app/webhooks/{ost,tot}/route.js and client.mjs taken from
# README.md, `npx kyc-wasm sandbox … --dotenv .env`, `npx next build && npx next start` (production),
# `node client.mjs` and `npx kyc-wasm trigger`; the app must log the verified OST and Token of Trust events
# from the sandbox and from trigger. next/react/react-dom (pinned as in the nextjs row) are cached in
# .tools/stacks/quickstart/node_modules; the app's files are written afresh each run. (The Express flavour,
# in a new temporary project, is tests/cli/quickstart.test.mjs.) The transcript: test-output/quickstart/nextjs.txt.
# Usage: test.sh <kyc-wasm.tgz>
ROW=quickstart
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
stack_prepare "$1"
cd "$WORK"
rm -rf app .next .env client.mjs
version="$(node -p 'require("next/package.json").version')"
if timeout --kill-after=10 900 node "$ROOT/tests/cli/quickstart.mjs" next "$WORK" "$1" "$ROOT/test-output/quickstart/nextjs.txt" >"$WORK/quickstart.log" 2>&1; then
  grep '^PASS ' "$WORK/quickstart.log" | sed "s/^PASS quickstart next:/PASS quickstart nextjs $version:/"
else
  tail -n 80 "$WORK/quickstart.log"
  fail "quickstart nextjs $version: the README's quick start (see test-output/quickstart/nextjs.txt)"
fi
exit "$FAILED"
