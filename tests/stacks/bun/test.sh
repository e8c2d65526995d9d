#!/usr/bin/env bash
# Stack row `bun`: Bun (from npm) imports "kyc-wasm" and "kyc-wasm/lite" (ESM) from the tarball under test and
# serves the Fetch handler with Bun.serve on 127.0.0.1; the client POSTs valid and tampered OST and TOT
# deliveries. Usage: test.sh <kyc-wasm.tgz>
ROW=bun
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
stack_prepare "$1"
cd "$WORK"
BUN="$WORK/node_modules/.bin/bun"
version="$("$BUN" --version)"
port="$(free_port)"
start_server "$WORK/server.log" env PORT="$port" "${server_env[@]}" "$BUN" run server.ts
base="http://127.0.0.1:$port"
check full "$version" "$base" /ost https://shop.example/ost /tot "$WORK/server.log"
check lite "$version" "$base" /lite/ost https://shop.example/lite/ost /lite/tot "$WORK/server.log"
stop_servers
exit "$FAILED"
