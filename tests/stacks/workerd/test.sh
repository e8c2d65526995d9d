#!/usr/bin/env bash
# Stack row `workerd`: a Cloudflare Worker using the Fetch handler from "kyc-wasm" and "kyc-wasm/lite" (export
# condition `workerd`: the edge build, its .wasm imported as a WebAssembly.Module), run by `wrangler dev` in
# local mode (workerd from npm, no login) on 127.0.0.1; the client POSTs valid and tampered OST and TOT
# deliveries. Also bundles the Worker with `wrangler deploy --dry-run` and prints the upload size of a Worker
# with only the full or only the lite handler. Usage: test.sh <kyc-wasm.tgz>
ROW=workerd
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
stack_prepare "$1"
cd "$WORK"
# wrangler needs Node >= 22.12: the one from npm (optionalDependencies, one per CPU).
NODE22="$(ls -d "$WORK"/node_modules/node22-linux-*/bin 2>/dev/null | head -n 1)"
[ -x "$NODE22/node" ] || { fail "workerd: no Node 22 from npm in $WORK/node_modules"; exit 1; }
export PATH="$NODE22:$PATH"
# Local only: no fetch of the `Request.cf` placeholder from Cloudflare (no network needed at all).
export CLOUDFLARE_CF_FETCH_ENABLED=false
WRANGLER="$WORK/node_modules/.bin/wrangler"
workerd_version="$("$WORK/node_modules/.bin/workerd" --version | awk '{ print $2 }')"
version="wrangler-$("$WRANGLER" --version | awk '/[0-9]/ { print $NF; exit }')+workerd-$workerd_version"
# Local secrets, as `wrangler dev` reads them.
printf 'OST_WEBHOOK_SECRET="%s"\nTOT_WEBHOOK_SECRET="%s"\n' "$STACK_OST_SECRET" "$STACK_TOT_SECRET" >"$WORK/.dev.vars"
port="$(free_port)"
start_server "$WORK/server.log" "$WRANGLER" dev --ip 127.0.0.1 --port "$port" --log-level info
base="http://127.0.0.1:$port"
WAIT_SECONDS=120 check full "$version" "$base" /ost https://shop.example/ost /tot "$WORK/server.log"
check lite "$version" "$base" /lite/ost https://shop.example/lite/ost /lite/tot "$WORK/server.log"
stop_servers
rm -f "$WORK/.dev.vars"
# Workers refuse code generation from strings at run time; no path of the edge entries may reach it.
if grep -nE 'new Function\(|[^.A-Za-z_]eval\(' node_modules/kyc-wasm/edge/*.js node_modules/kyc-wasm/lite/edge/*.js; then
  fail "workerd $version: the edge entries contain new Function/eval (above)"
else
  say "PASS workerd $version: no new Function or eval in edge/ and lite/edge/"
fi
# What a deploy would upload: a Worker with only the full build's handler, and one with only the lite one.
for variant in full lite; do
  if "$WRANGLER" deploy "src/$variant-only.js" --dry-run --outdir "dist-$variant" >"$WORK/dry-run-$variant.log" 2>&1; then
    size="$(grep -o 'Total Upload: .*' "$WORK/dry-run-$variant.log" | head -n 1)"
    say "PASS workerd $version $variant: wrangler deploy --dry-run bundles the Worker ($size)"
  else
    cat "$WORK/dry-run-$variant.log"
    fail "workerd $version $variant: wrangler deploy --dry-run"
  fi
done
exit "$FAILED"
