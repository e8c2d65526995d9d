#!/usr/bin/env bash
# The upload tests (issue 4): node --test tests/upload/ against s3rver and s3s-fs on 127.0.0.1, from Node and
# from headless Chromium. Installs s3s-fs (the s3s crate's S3 server, which enforces POST policies) into
# .tools/bin first when it is not there: about 4 minutes of cargo build, once per machine.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$ROOT"

S3S_FS_VERSION=0.14.1
if [ -z "${S3S_FS:-}" ] && [ "$("$TOOLS/bin/s3s-fs" --version 2>/dev/null || true)" != "s3s-fs $S3S_FS_VERSION" ]; then
  log "cargo install s3s-fs $S3S_FS_VERSION into .tools (POST-policy-enforcing S3 server for the upload tests; once)"
  cargo install s3s-fs --version "$S3S_FS_VERSION" --features binary --locked --root "$TOOLS"
fi

node --test tests/upload/
