#!/usr/bin/env bash
# Stack row `nextjs`: a create-next-app project (App Router, TypeScript, moduleResolution bundler, Turbopack,
# its next.config.ts and tsconfig.json unchanged) whose route handlers use the Fetch handler from "kyc-wasm"
# and "kyc-wasm/lite" with `runtime = "nodejs"` and `runtime = "edge"`. `next build` runs with the webhook
# secrets ABSENT (they are read at request time); `next start` on 127.0.0.1 gets them; the client POSTs valid
# and tampered OST and TOT deliveries to every route. A second `next start` without secrets must answer
# 500 MISSING_SECRET, never 2xx. Usage: test.sh <kyc-wasm.tgz>
ROW=nextjs
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
stack_prepare "$1"
cd "$WORK"
NEXT="$WORK/node_modules/.bin/next"
version="$(node -p 'require("next/package.json").version')"
rm -rf .next
if env -u OST_WEBHOOK_SECRET -u TOT_WEBHOOK_SECRET NODE_ENV=production timeout 900 "$NEXT" build >"$WORK/build.log" 2>&1; then
  say "PASS nextjs $version build: next build (Turbopack) with no webhook secret in the environment"
else
  cat "$WORK/build.log"
  fail "nextjs $version build: next build"
  exit 1
fi
port="$(free_port)"
start_server "$WORK/server.log" env NODE_ENV=production "${server_env[@]}" "$NEXT" start -H 127.0.0.1 -p "$port"
base="http://127.0.0.1:$port"
for runtime in nodejs edge; do
  WAIT_SECONDS=90 check "$runtime" "$version" "$base" "/$runtime/ost" "https://shop.example/$runtime/ost" "/$runtime/tot" "$WORK/server.log"
  check "$runtime lite" "$version" "$base" "/$runtime/lite/ost" "https://shop.example/$runtime/lite/ost" "/$runtime/lite/tot" "$WORK/server.log"
done
stop_servers
# Without secrets at run time: 500 MISSING_SECRET on every runtime, never a 2xx.
port="$(free_port)"
start_server "$WORK/server-nosecret.log" env -u OST_WEBHOOK_SECRET -u TOT_WEBHOOK_SECRET NODE_ENV=production \
  "$NEXT" start -H 127.0.0.1 -p "$port"
if node --input-type=module -e '
  import { totDelivery, waitForServer } from "'"$CLIENT"'";
  const [base, version] = process.argv.slice(1);
  await waitForServer(base + "/", 90);
  let failed = 0;
  for (const path of ["/nodejs/tot", "/edge/tot", "/edge/lite/tot"]) {
    const d = totDelivery();
    const res = await fetch(base + path, { method: "POST", body: d.body, headers: d.headers, signal: AbortSignal.timeout(15000) });
    const json = await res.json().catch(() => ({}));
    const ok = res.status === 500 && json?.error?.code === "MISSING_SECRET";
    console.log(`${ok ? "PASS" : "FAIL"} nextjs ${version} ${path}: no secret at run time -> ${ok ? "500 MISSING_SECRET" : `expected 500 MISSING_SECRET, got ${res.status} ${JSON.stringify(json)}`}`);
    failed ||= !ok;
  }
  process.exit(failed ? 1 : 0);
' "$base" "$version"; then :; else
  FAILED=1
  tail -n 40 "$WORK/server-nosecret.log"
fi
stop_servers
exit "$FAILED"
