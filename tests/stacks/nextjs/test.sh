#!/usr/bin/env bash
# Stack row `nextjs`: two create-next-app 16.4.3 projects (`--api --ts`: App Router, TypeScript with
# moduleResolution bundler, Turbopack; their next.config.ts and tsconfig.json exactly as generated) sharing one
# node_modules, built with `next build <dir>` in production and served by `next start <dir>` on 127.0.0.1:
#   default/   the generated defaults (Cache Components on, which forbids the `runtime` segment option): route
#              handlers without `runtime`, i.e. Node.js;
#   runtimes/  `--no-cache-components`: the same handlers with `runtime = "nodejs"` and with `runtime = "edge"`.
# Each uses the Fetch handler from "kyc-wasm" and "kyc-wasm/lite". `next build` runs with the webhook secrets
# ABSENT (read at request time); `next start` gets them; the client POSTs valid and tampered OST and TOT
# deliveries to every route. A `next start` without secrets must answer 500 MISSING_SECRET, never 2xx.
# Usage: test.sh <kyc-wasm.tgz>
ROW=nextjs
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
stack_prepare "$1"
cd "$WORK"
NEXT="$WORK/node_modules/.bin/next"
version="$(node -p 'require("next/package.json").version')"

# build <app>: `next build` without secrets; a FAIL line and the log when it fails.
build() {
  rm -rf "$1/.next"
  if env -u OST_WEBHOOK_SECRET -u TOT_WEBHOOK_SECRET NODE_ENV=production timeout 900 "$NEXT" build "$1" >"$WORK/build-$1.log" 2>&1; then
    say "PASS nextjs $version $1: next build (Turbopack) with no webhook secret in the environment"
  else
    tail -n 60 "$WORK/build-$1.log"
    fail "nextjs $version $1: next build"
    return 1
  fi
}

# The generated defaults: Node.js route handlers.
if build default; then
  port="$(free_port)"
  start_server "$WORK/server-default.log" env NODE_ENV=production "${server_env[@]}" "$NEXT" start default -H 127.0.0.1 -p "$port"
  base="http://127.0.0.1:$port"
  WAIT_SECONDS=90 check "default" "$version" "$base" /webhooks/ost https://shop.example/webhooks/ost /webhooks/tot "$WORK/server-default.log"
  check "default lite" "$version" "$base" /webhooks/lite/ost https://shop.example/webhooks/lite/ost /webhooks/lite/tot "$WORK/server-default.log"
  stop_servers
fi

# Both runtimes, chosen per route.
if build runtimes; then
  port="$(free_port)"
  start_server "$WORK/server-runtimes.log" env NODE_ENV=production "${server_env[@]}" "$NEXT" start runtimes -H 127.0.0.1 -p "$port"
  base="http://127.0.0.1:$port"
  for runtime in nodejs edge; do
    WAIT_SECONDS=90 check "$runtime" "$version" "$base" "/$runtime/ost" "https://shop.example/$runtime/ost" "/$runtime/tot" "$WORK/server-runtimes.log"
    check "$runtime lite" "$version" "$base" "/$runtime/lite/ost" "https://shop.example/$runtime/lite/ost" "/$runtime/lite/tot" "$WORK/server-runtimes.log"
  done
  stop_servers

  # Without secrets at run time: 500 MISSING_SECRET on every runtime, never a 2xx.
  port="$(free_port)"
  start_server "$WORK/server-nosecret.log" env -u OST_WEBHOOK_SECRET -u TOT_WEBHOOK_SECRET NODE_ENV=production \
    "$NEXT" start runtimes -H 127.0.0.1 -p "$port"
  base="http://127.0.0.1:$port"
  if ! node --input-type=module -e '
    import { totDelivery, waitForServer } from "'"$CLIENT"'";
    const [base, version] = process.argv.slice(1);
    await waitForServer(base + "/", 90).catch((e) => {
      console.log(`FAIL nextjs ${version} runtimes: ${e.message}`);
      process.exit(1);
    });
    let failed = false;
    for (const path of ["/nodejs/tot", "/edge/tot", "/edge/lite/tot"]) {
      const d = totDelivery();
      let got;
      try {
        const res = await fetch(base + path, { method: "POST", body: d.body, headers: d.headers, signal: AbortSignal.timeout(15000) });
        const json = await res.json().catch(() => ({}));
        got = res.status === 500 && json?.error?.code === "MISSING_SECRET" ? null : `${res.status} ${JSON.stringify(json).slice(0, 200)}`;
      } catch (e) {
        got = e.message;
      }
      console.log(got === null
        ? `PASS nextjs ${version} runtimes ${path}: no secret at run time -> 500 MISSING_SECRET`
        : `FAIL nextjs ${version} runtimes ${path}: no secret at run time: expected 500 MISSING_SECRET, got ${got}`);
      failed ||= got !== null;
    }
    process.exit(failed ? 1 : 0);
  ' "$base" "$version"; then
    FAILED=1
    tail -n 40 "$WORK/server-nosecret.log"
  fi
  stop_servers
fi
exit "$FAILED"
