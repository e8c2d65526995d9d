#!/usr/bin/env bash
# Stack row `node-versions`: Node 18 and 22 (from npm) and the Node running the tests (20), each loading the
# tarball under test with require() and with import, serving webhookHandler ("kyc-wasm" and "kyc-wasm/lite")
# and the plain verify functions over node:http on 127.0.0.1; the client POSTs valid and tampered OST and TOT
# deliveries to each. Usage: test.sh <kyc-wasm.tgz>
ROW=node-versions
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
stack_prepare "$1"
cd "$WORK"
nodes=("$(ls -d "$WORK"/node_modules/node18-linux-*/bin | head -n 1)/node" "$(command -v node)"
  "$(ls -d "$WORK"/node_modules/node22-linux-*/bin | head -n 1)/node")
for node in "${nodes[@]}"; do
  [ -x "$node" ] || { fail "node: no binary at $node"; continue; }
  version="$("$node" --version | tr -d v)"
  for kind in cjs mjs; do
    port="$(free_port)"
    log="$WORK/server-$version-$kind.log"
    start_server "$log" env PORT="$port" NODE_ENV=production "${server_env[@]}" "$node" "server.$kind"
    base="http://127.0.0.1:$port"
    STACK=node check "$kind handler" "$version" "$base" /ost https://shop.example/ost /tot "$log"
    STACK=node check "$kind lite" "$version" "$base" /lite/ost https://shop.example/lite/ost /lite/tot "$log"
    STACK=node check "$kind direct" "$version" "$base" /direct/ost https://shop.example/direct/ost /direct/tot "$log"
    stop_servers
  done
done
exit "$FAILED"
