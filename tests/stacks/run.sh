#!/usr/bin/env bash
# The stack matrix (issue 13): kyc-wasm as users install it, in the stacks they deploy, in production mode.
#
#   bash tests/stacks/run.sh [row ...]      (needs a built pkg/: bash scripts/build.sh)
#
# Packs pkg/ once (`npm pack`), then runs every row directory tests/stacks/<row>/ (or only the rows named) as
# `bash tests/stacks/<row>/test.sh <abs-path-to-kyc-wasm.tgz>`. Each row copies its fixture project into
# .tools/stacks/<row>/ (node_modules cached there between runs, reinstalled when the fixture's package.json
# changes; exact pinned versions, from the npm registry), installs the tarball, builds, checks, and prints
# `PASS <stack> <version> ...` or `FAIL <stack> ...` lines. This script prints every row's lines again as one
# summary and exits non-zero if any row failed (or printed no PASS line). STACKS_ROW_TIMEOUT (seconds, default
# 900) bounds each row, so that a hung tool cannot hang `make test`.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STARTED=$SECONDS

if [[ ! -f "$ROOT/pkg/package.json" ]]; then
  echo "pkg/ is not built: run bash scripts/build.sh"
  exit 1
fi

PACK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/kyc-wasm-stacks.XXXXXX")"
trap 'rm -rf "$PACK_DIR"' EXIT
(cd "$ROOT/pkg" && npm pack --silent --ignore-scripts --pack-destination "$PACK_DIR" >/dev/null) || {
  echo "FAIL npm pack pkg/"
  exit 1
}
TGZ="$(ls "$PACK_DIR"/kyc-wasm-*.tgz)"
echo "packed $TGZ ($(stat -c %s "$TGZ") bytes); node $(node --version), npm $(npm --version)"

rows=("$@")
if [[ ${#rows[@]} -eq 0 ]]; then
  for dir in "$HERE"/*/; do
    [[ -f "$dir/test.sh" ]] && rows+=("$(basename "$dir")")
  done
fi

summary=()
failed=0
for row in "${rows[@]}"; do
  if [[ ! -f "$HERE/$row/test.sh" ]]; then
    summary+=("FAIL $row (no tests/stacks/$row/test.sh)")
    failed=1
    continue
  fi
  printf '\n== stack row: %s\n' "$row"
  t0=$SECONDS
  log="$PACK_DIR/$row.log"
  timeout --kill-after=10 "${STACKS_ROW_TIMEOUT:-900}" bash "$HERE/$row/test.sh" "$TGZ" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  lines="$(grep -E '^(PASS|FAIL) ' "$log" || true)"
  if [[ $rc -ne 0 ]] || ! grep -q '^PASS ' <<<"$lines" || grep -q '^FAIL ' <<<"$lines"; then
    failed=1
    [[ $rc -eq 124 || $rc -eq 137 ]] && lines+=$'\n'"FAIL $row: timed out after ${STACKS_ROW_TIMEOUT:-900} s"
    grep -q '^FAIL ' <<<"$lines" || lines+=$'\n'"FAIL $row (exit $rc)"
  fi
  while IFS= read -r line; do [[ -n "$line" ]] && summary+=("$line"); done <<<"$lines"
  summary+=("     ($row: $((SECONDS - t0)) s)")
done

printf '\n== stack matrix summary (%d s)\n' "$((SECONDS - STARTED))"
printf '%s\n' "${summary[@]}"
if [[ $failed -ne 0 ]]; then
  echo "stack matrix: FAILED"
  exit 1
fi
echo "stack matrix: all passed"
