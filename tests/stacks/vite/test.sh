#!/usr/bin/env bash
# Stack row: Vite with no vite.config: `vite build` (production) then `vite preview` serves dist/, checked in
# Chromium. (inputs.json is written into dist/ before the preview server starts.)
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
stack_prepare vite "$1" || { fail "vite: install"; stack_exit; }
VERSION="$(stack_pkg_version vite)"
cd "$WORK"
mkdir -p src && cp "$STACKS/page/main.js" src/main.js
rm -rf dist
if ! npx --no-install vite build >build.log 2>&1; then
  fail "vite $VERSION: build failed: $(tail -c 600 build.log)"
  stack_exit
fi
cat build.log
node "$CHECKER" --write-inputs --dir dist
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
timeout 300 npx --no-install vite preview --host 127.0.0.1 --port "$PORT" --strictPort >preview.log 2>&1 &
PREVIEW=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null && break
  sleep 0.2
done
node "$CHECKER" --label "vite $VERSION (vite build + vite preview)" --dir dist --url "http://127.0.0.1:$PORT" || STACK_FAILED=1
kill "$PREVIEW" 2>/dev/null
wait "$PREVIEW" 2>/dev/null
stack_exit
