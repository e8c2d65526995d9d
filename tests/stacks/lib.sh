# Shared by the rows of the stack matrix (source it from tests/stacks/<row>/test.sh; see tests/stacks/run.sh).
#   stack_prepare <row> <tgz>  copies tests/stacks/<row>/ into $WORK=.tools/stacks/<row>/ (node_modules kept
#                              between runs, reinstalled from the registry when package.json changed), then
#                              installs the kyc-wasm tarball there without saving it.
#   pass/fail <text>           one summary line: "PASS <text>" / "FAIL <text>"; fail makes stack_exit non-zero.
#   stack_pkg_version <name>   the version installed in $WORK.
STACKS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$STACKS/../.." && pwd)"
CHECKER="$STACKS/browser-check.mjs"
STACK_FAILED=0

pass() { echo "PASS $*"; }
fail() {
  echo "FAIL $*"
  STACK_FAILED=1
}
stack_exit() { exit "$STACK_FAILED"; }

stack_prepare() {
  local row="$1" tgz="$2"
  FIXTURE="$STACKS/$row"
  WORK="$ROOT/.tools/stacks/$row"
  mkdir -p "$WORK"
  # Fresh copies of the fixture's files (not node_modules, nor what earlier builds wrote).
  find "$WORK" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name package-lock.json -exec rm -rf {} +
  (cd "$FIXTURE" && tar --exclude=node_modules -cf - .) | (cd "$WORK" && tar -xf -)
  local stamp="$WORK/node_modules/.kyc-fixture-package.json"
  if ! cmp -s "$FIXTURE/package.json" "$stamp"; then
    echo "npm install in $WORK (package.json changed or first run)"
    rm -rf "$WORK/node_modules" "$WORK/package-lock.json"
    (cd "$WORK" && npm install --no-audit --no-fund --loglevel=error) || return 1
    cp "$FIXTURE/package.json" "$stamp"
  fi
  (cd "$WORK" && npm install --no-save --no-audit --no-fund --loglevel=error "$tgz") || return 1
  [[ -f "$WORK/node_modules/kyc-wasm/package.json" ]]
}

stack_pkg_version() { node -p "require('$WORK/node_modules/$1/package.json').version"; }
