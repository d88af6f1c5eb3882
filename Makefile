# Retort's two entry points are `make run` (the main job) and `make test`.
SWIFT ?= swift
CPUFLAGS := $(shell scripts/swift-flags)
RELEASE := -c release $(CPUFLAGS)
BIN = $$($(SWIFT) build $(RELEASE) --show-bin-path)

.PHONY: run test test-tools examples deps build bench docs lint clean

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
	$(MAKE) --no-print-directory examples

# Every example runs as a notebook: executed, written as .ipynb with its outputs, and
# checked by the official nbformat validator.
EXAMPLES := quickstart temperature dark-knowledge sweep features fashion-mnist
examples: build test-tools
	@scripts/ensure-deps dataset-fashion-mnist
	@mkdir -p .build/examples
	@for name in $(EXAMPLES); do \
	  echo "== examples/$$name.rt"; \
	  start=$$(date +%s); \
	  $(BIN)/retort run examples/$$name.rt --notebook .build/examples/$$name.ipynb \
	    > .build/examples/$$name.log 2>&1 || { cat .build/examples/$$name.log; exit 1; }; \
	  tail -n 4 .build/examples/$$name.log; \
	  echo "   ($$(( $$(date +%s) - start )) s)"; \
	done
	.venv-test/bin/python Tests/RetortNotebookTests/validate_notebook.py \
	  $(foreach name,$(EXAMPLES),.build/examples/$(name).ipynb)

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
