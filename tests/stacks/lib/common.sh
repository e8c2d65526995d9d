# Shared by the runtime rows' test.sh (nextjs, workerd, deno, bun, node-versions). Source it after setting
# ROW (the row's directory name); then `stack_prepare <tgz>` copies the fixture into .tools/stacks/$ROW and
# installs it, `start_server <log> <cmd...>` runs a server in its own process group under a time limit, and
# `stop_servers` ends those groups (by their ids). Nothing here may hang: servers have a time limit, the
# client (lib/webhook-client.mjs) has request timeouts.
set -euo pipefail
STACKS="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$STACKS/../.." && pwd)"
FIXTURE="$STACKS/$ROW"
WORK="$ROOT/.tools/stacks/$ROW"
CLIENT="$STACKS/lib/webhook-client.mjs"
# A server lives at most this long (seconds); the client's own waits are shorter.
SERVER_TIME_LIMIT="${SERVER_TIME_LIMIT:-600}"
export NEXT_TELEMETRY_DISABLED=1 WRANGLER_SEND_METRICS=false DO_NOT_TRACK=1 DENO_NO_UPDATE_CHECK=1 \
  npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
# The webhook secrets: the client signs with these; a server gets them as OST_WEBHOOK_SECRET/TOT_WEBHOOK_SECRET
# only when started (`server_env`), never at build time.
export STACK_OST_SECRET="ost-stack-secret-$(date +%s)-été" STACK_TOT_SECRET="tot-stack-secret-$RANDOM"
server_env=(OST_WEBHOOK_SECRET="$STACK_OST_SECRET" TOT_WEBHOOK_SECRET="$STACK_TOT_SECRET")
SERVER_PIDS=()
FAILED=0

say() { printf '%s\n' "$*"; }
fail() { say "FAIL $*"; FAILED=1; }

# The fixture's files (not node_modules) into $WORK; `npm install` when package.json changed since the last
# install (node_modules is the cache); then the package under test from the tarball, fresh every run.
stack_prepare() {
  local tgz="$1"
  [ -f "$tgz" ] || { say "FAIL $ROW: no tarball at $tgz"; exit 1; }
  mkdir -p "$WORK"
  (cd "$FIXTURE" && find . -path ./node_modules -prune -o -type f ! -name test.sh -print) | while read -r f; do
    mkdir -p "$WORK/$(dirname "$f")"
    cmp -s "$FIXTURE/$f" "$WORK/$f" || cp "$FIXTURE/$f" "$WORK/$f"
  done
  if ! cmp -s "$FIXTURE/package.json" "$WORK/.installed-package.json" || [ ! -d "$WORK/node_modules" ]; then
    say "== $ROW: npm install (fixture package.json changed or first run)"
    (cd "$WORK" && rm -rf node_modules package-lock.json && timeout 900 npm install --no-audit --no-fund --loglevel=error) >"$WORK/npm-install.log" 2>&1 ||
      { cat "$WORK/npm-install.log"; say "FAIL $ROW: npm install"; exit 1; }
    cp "$FIXTURE/package.json" "$WORK/.installed-package.json"
  fi
  (cd "$WORK" && rm -rf node_modules/kyc-wasm && timeout 300 npm install --no-save --no-audit --no-fund --loglevel=error "$tgz") \
    >"$WORK/npm-install-kyc.log" 2>&1 || { cat "$WORK/npm-install-kyc.log"; say "FAIL $ROW: npm install $tgz"; exit 1; }
}

free_port() {
  node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# start_server <log> <cmd...>: in its own process group (setsid), under `timeout`; records the group's id.
start_server() {
  local log="$1"
  shift
  setsid timeout --kill-after=10 "$SERVER_TIME_LIMIT" "$@" >"$log" 2>&1 &
  SERVER_PIDS+=("$!")
}

stop_servers() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for pid in "${SERVER_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  SERVER_PIDS=()
}
trap stop_servers EXIT

# check <label> <version> <base> <ost-path> <ost-signed-url> <tot-path> <log>: runs the client; on failure
# prints the server's log.
check() {
  local label="$1" version="$2" base="$3" ostpath="$4" signed="$5" totpath="$6" log="$7"
  if ! node "$CLIENT" "${STACK:-$ROW}" "$version" "$label" "$base" "$ostpath" "$signed" "$totpath"; then
    FAILED=1
    say "---- $ROW $label server log (last 60 lines):"
    tail -n 60 "$log" || true
  fi
}
