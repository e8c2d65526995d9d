#!/usr/bin/env bash
# Stack row: esbuild, with no option beyond --bundle (and --minify, as for production), in a project whose
# package.json says "type": "module" and then "type": "commonjs"; esbuild's default output format for a browser
# bundle (iife) and --format=esm. No loader option, no file copied: the wasm bytes are in the bundle.
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
stack_prepare esbuild "$1" || { fail "esbuild: install"; stack_exit; }
VERSION="$(stack_pkg_version esbuild)"
cd "$WORK"
mkdir -p src && cp "$STACKS/page/main.js" src/main.js
for type in module commonjs; do
  node -e 'const f="package.json",p=require("./"+f);p.type=process.argv[1];require("fs").writeFileSync(f,JSON.stringify(p,null,2))' "$type"
  for format in iife esm; do
    out="dist-$type-$format"
    rm -rf "$out" && mkdir -p "$out"
    flags=(--bundle --minify --outfile="$out/main.js" --log-level=warning)
    [[ $format == esm ]] && flags+=(--format=esm)
    if ! npx --no-install esbuild src/main.js "${flags[@]}" 2>"$out/warnings.txt"; then
      fail "esbuild $VERSION (\"type\": \"$type\", $format): build failed: $(head -c 400 "$out/warnings.txt")"
      continue
    fi
    if [[ -s "$out/warnings.txt" ]]; then
      fail "esbuild $VERSION (\"type\": \"$type\", $format): warnings: $(head -c 400 "$out/warnings.txt")"
    fi
    script='<script src="./main.js"></script>'
    [[ $format == esm ]] && script='<script type="module" src="./main.js"></script>'
    sed "s|<!--SCRIPT-->|$script|" "$STACKS/page/index.html" >"$out/index.html"
    node "$CHECKER" --label "esbuild $VERSION (\"type\": \"$type\", $format output)" --dir "$out" || STACK_FAILED=1
  done
done
stack_exit
