# Retort's two entry points are `make run` (the main job) and `make test`.
SWIFT ?= swift
CPUFLAGS := $(shell scripts/swift-flags)
RELEASE := -c release $(CPUFLAGS)
BIN = $$($(SWIFT) build $(RELEASE) --show-bin-path)

.PHONY: run test test-tools deps build bench docs lint clean

deps:
	@scripts/ensure-deps

build: deps
	$(SWIFT) build $(RELEASE) --product retort

# The main job: a teacher and a student on the bundled digits, distilled and compared.
run: build
	$(BIN)/retort run examples/quickstart.rt

# The whole suite, optimised (numeric Swift in a debug build is tens of times slower).
test: deps test-tools
	$(SWIFT) build $(RELEASE) --product retort
	RETORT_NBFORMAT_PYTHON=$(CURDIR)/.venv-test/bin/python \
	  $(SWIFT) test $(RELEASE) -Xswiftc -enable-testing

# Test tooling: tmux for the terminal test, nbformat (in a virtual environment) to validate
# the notebooks Retort writes. Neither is needed to run Retort.
test-tools:
	@scripts/ensure-deps tmux
	@[ -x .venv-test/bin/python ] || python3 -m venv .venv-test
	@.venv-test/bin/python -c "import nbformat" 2>/dev/null \
	  || .venv-test/bin/python -m pip install --quiet nbformat

bench: deps
	$(SWIFT) build $(RELEASE) --product retort-bench
	$(BIN)/retort-bench

docs: build
	$(BIN)/retort docs commands > docs/commands.md

lint:
	$(SWIFT) format lint -r Sources Tests bench

clean:
	rm -rf .build
