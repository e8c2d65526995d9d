#!/usr/bin/env bash
# Stack row `deno`: Deno (from npm) imports "npm:kyc-wasm" and "npm:kyc-wasm/lite" from a local node_modules
# ("nodeModulesDir": "manual") holding the tarball under test, and serves the Fetch handler with Deno.serve
# on 127.0.0.1; the client POSTs valid and tampered OST and TOT deliveries. Usage: test.sh <kyc-wasm.tgz>
ROW=deno
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
stack_prepare "$1"
cd "$WORK"
DENO="$WORK/node_modules/.bin/deno"
version="$("$DENO" --version | awk 'NR == 1 { print $2 }')"
port="$(free_port)"
start_server "$WORK/server.log" env PORT="$port" "${server_env[@]}" \
  "$DENO" run --allow-net=127.0.0.1 --allow-env --allow-read server.ts
base="http://127.0.0.1:$port"
check full "$version" "$base" /ost https://shop.example/ost /tot "$WORK/server.log"
check lite "$version" "$base" /lite/ost https://shop.example/lite/ost /lite/tot "$WORK/server.log"
stop_servers
# The recipe type-checks against the package's types, as Deno's own checker sees them.
if "$DENO" check server.ts >"$WORK/check.log" 2>&1; then
  say "PASS deno $version types: deno check server.ts"
else
  cat "$WORK/check.log"
  fail "deno $version types: deno check server.ts"
fi
exit "$FAILED"
