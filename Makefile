# Retort's two entry points are `make run` (the main job) and `make test`.
SWIFT ?= swift
CPUFLAGS := $(shell scripts/swift-flags)
RELEASE := -c release $(CPUFLAGS)
BIN = $$($(SWIFT) build $(RELEASE) --show-bin-path)

.PHONY: run test deps build bench docs lint clean

deps:
	@scripts/ensure-deps

build: deps
	$(SWIFT) build $(RELEASE) --product retort

# The main job: a teacher and a student on the bundled digits, distilled and compared.
run: build
	$(BIN)/retort run examples/quickstart.rt

# The whole suite, optimised (numeric Swift in a debug build is tens of times slower).
test: deps
	@scripts/ensure-deps tmux python3-venv
	$(SWIFT) build $(RELEASE) --product retort
	$(SWIFT) test $(RELEASE) -Xswiftc -enable-testing

bench: deps
	$(SWIFT) build $(RELEASE) --product retort-bench
	$(BIN)/retort-bench

docs: build
	$(BIN)/retort docs commands > docs/commands.md

lint:
	$(SWIFT) format lint -r Sources Tests bench

clean:
	rm -rf .build
