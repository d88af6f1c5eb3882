# Retort's two entry points are `make run` (the main job) and `make test`.
SWIFT ?= swift
CPUFLAGS := $(shell scripts/swift-flags)
RELEASE := -c release $(CPUFLAGS)
BIN = $$($(SWIFT) build $(RELEASE) --show-bin-path)

.PHONY: run test test-tools examples deps build bench bench-torch docs lint clean

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

# Retort against PyTorch on the same workloads: bench-torch measures PyTorch (CPU, 2 threads)
# into bench/out/torch.json, then retort-bench prints both side by side with the targets.
# PyTorch lives in its own virtual environment, .venv-bench, pip-installed on first use.
# The default wheel works on the CPU but bundles gigabytes of CUDA libraries; TORCH_INDEX=URL
# installs from another package index (PyTorch's CPU-only one, say), and
# TORCH_PYTHON=/path/to/python uses an interpreter that already has torch and numpy.
BENCH_VENV := .venv-bench
TORCH_PYTHON ?= $(BENCH_VENV)/bin/python
TORCH_INDEX ?=
BENCH_OUT := bench/out
TORCH_PIP_INDEX = $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))

bench-torch: deps
	@if [ "$(TORCH_PYTHON)" = "$(BENCH_VENV)/bin/python" ]; then \
	  scripts/ensure-deps python3-venv; \
	  [ -x $(BENCH_VENV)/bin/python ] || python3 -m venv $(BENCH_VENV); \
	  $(BENCH_VENV)/bin/python -c 'import torch, numpy' 2>/dev/null || \
	    $(BENCH_VENV)/bin/pip install $(TORCH_PIP_INDEX) torch numpy; \
	fi
	@mkdir -p $(BENCH_OUT)
	$(SWIFT) build $(RELEASE) --product retort-bench
	$(BIN)/retort-bench --write-digits-split $(BENCH_OUT)/digits_split.json
	$(TORCH_PYTHON) bench/torch_baseline.py --split $(BENCH_OUT)/digits_split.json \
	  --json $(BENCH_OUT)/torch.json

# `build` first: the start-up row times `retort -e '1'`.
bench: deps build bench-torch
	$(SWIFT) build $(RELEASE) --product retort-bench
	$(BIN)/retort-bench --torch $(BENCH_OUT)/torch.json --json $(BENCH_OUT)/retort.json

docs: build
	$(BIN)/retort docs commands > docs/commands.md

lint:
	$(SWIFT) format lint -r Sources Tests bench

clean:
	rm -rf .build
