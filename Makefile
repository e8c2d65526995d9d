# The front door. Every target installs what it needs first (scripts/setup.sh is idempotent).
SHELL := /bin/bash

.PHONY: all setup build test demo clean bench fuzz test-upload

all: build

setup:
	bash scripts/setup.sh

build: setup
	bash scripts/build.sh

test: build
	bash scripts/test.sh

# Only the upload tests (s3rver + s3s-fs on 127.0.0.1, Node and headless Chromium); part of `make test` too.
test-upload: build
	bash tests/upload/run.sh

# The whole integration on 127.0.0.1: S3 store, OST + Token of Trust sandbox, demo app on http://127.0.0.1:8080/
# (DEMO_PORT / SANDBOX_PORT override the ports). Runs until Ctrl-C.
demo: build
	node sandbox/start.mjs

# Benchmarks against node:crypto, @noble/hashes, hash-wasm and qs (not part of `make test`: timings are noisy),
# then the webhook endpoints under load and faults (handler processes, redis-server, PostgreSQL on 127.0.0.1).
bench: build
	node bench/run.mjs
	node bench/webhooks.mjs
	node bench/targets.mjs

# cargo-fuzz, every target for FUZZ_SECONDS (default 60) each, on nightly (not part of `make test`).
fuzz:
	bash scripts/fuzz.sh

clean:
	rm -rf pkg target tests/consumer/.scratch test-output
