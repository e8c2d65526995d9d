# The front door. Every target installs what it needs first (scripts/setup.sh is idempotent).
SHELL := /bin/bash

.PHONY: all setup build test demo clean

all: build

setup:
	bash scripts/setup.sh

build: setup
	bash scripts/build.sh

test: build
	bash scripts/test.sh

demo: build
	node www/serve.mjs

clean:
	rm -rf pkg target tests/consumer/.scratch test-output
