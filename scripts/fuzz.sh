#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets/) for a bounded time, one after the other, on one core.
#   FUZZ_SECONDS  seconds per target (default 60)
#   FUZZ_TARGETS  space-separated targets to run (default: all, from `cargo fuzz list`)
# New inputs go to fuzz/corpus/<target>/ (minimise with `cargo +nightly fuzz cmin <target>` before
# committing); a crash or timeout leaves its input in fuzz/artifacts/<target>/: fix it, then copy the input
# to fuzz/regressions/<target>/ so that `cargo test` (tests/regressions.rs) replays it forever.
# Not part of `make test`: run it with `make fuzz`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

if ! rustup toolchain list | grep -q '^nightly'; then
  log "rustup toolchain install nightly (libFuzzer instrumentation needs it)"
  rustup toolchain install nightly --profile minimal
fi
if ! command -v cargo-fuzz >/dev/null; then
  log "cargo install cargo-fuzz into .tools (once)"
  cargo install cargo-fuzz --root "$TOOLS"
fi

seconds="${FUZZ_SECONDS:-60}"
read -r -a targets <<<"${FUZZ_TARGETS:-$(cargo +nightly fuzz list | tr '\n' ' ')}"
logs="$ROOT/target/fuzz-logs"
mkdir -p "$logs"

# No sanitizer: the crate is `unsafe_code = "forbid"`, so AddressSanitizer would only slow the search down.
# What we hunt (panics, overflow, unbounded recursion, broken invariants) needs debug assertions, which
# cargo-fuzz keeps on in its optimised build.
log "cargo +nightly fuzz build (no sanitizer, debug assertions on)"
cargo +nightly fuzz build --sanitizer none

failed=()
summary=()
for target in "${targets[@]}"; do
  log "fuzz $target for ${seconds}s"
  mkdir -p "fuzz/corpus/$target"
  status=ok
  # One process (--jobs 1), one core; a unit slower than 10 s counts as a failure (quadratic blow-up).
  if ! cargo +nightly fuzz run --sanitizer none --jobs 1 "$target" -- \
      -max_total_time="$seconds" -timeout=10 -print_final_stats=1 >"$logs/$target.log" 2>&1; then
    status=FAILED
    failed+=("$target")
    grep -E "panicked|ERROR|SUMMARY|Test unit written" "$logs/$target.log" || true
  fi
  runs="$(awk '/stat::number_of_executed_units/ { print $2 }' "$logs/$target.log" | tail -1)"
  speed="$(awk '/stat::average_exec_per_sec/ { print $2 }' "$logs/$target.log" | tail -1)"
  summary+=("$(printf '%-16s %12s executions %8s/s  %s' "$target" "${runs:-?}" "${speed:-?}" "$status")")
done

log "summary (full logs in target/fuzz-logs/)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}; the inputs are in fuzz/artifacts/<target>/ (reproduce with" \
    "cargo +nightly fuzz run --sanitizer none <target> <file>)" >&2
  exit 1
fi
