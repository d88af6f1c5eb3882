# Retort's two entry points are `make run` (the main job) and `make test`.
SWIFT ?= swift
CPUFLAGS := $(shell scripts/swift-flags)
RELEASE := -c release $(CPUFLAGS)
BIN = $$($(SWIFT) build $(RELEASE) --show-bin-path)

.PHONY: run test deps build bench bench-torch docs lint clean

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

# Retort against PyTorch on the same workloads: bench-torch measures PyTorch (CPU, 2 threads)
# into bench/out/torch.json, then retort-bench prints both side by side with the targets.
# PyTorch lives in its own virtual environment, .venv-bench, pip-installed on first use.
# The default PyPI wheel works on the CPU but bundles gigabytes of CUDA libraries;
# TORCH_INDEX=https://download.pytorch.org/whl/cpu fetches the CPU-only wheel instead, and
# TORCH_PYTHON=/path/to/python uses an interpreter that already has torch and numpy.
BENCH_VENV := .venv-bench
TORCH_PYTHON ?= $(BENCH_VENV)/bin/python
TORCH_INDEX ?=
BENCH_OUT := bench/out
TORCH_PIP_INDEX = $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX) \
  --extra-index-url https://pypi.org/simple)

bench-torch:
	@if [ "$(TORCH_PYTHON)" = "$(BENCH_VENV)/bin/python" ]; then \
	  scripts/ensure-deps python3-venv; \
	  [ -x $(BENCH_VENV)/bin/python ] || python3 -m venv $(BENCH_VENV); \
	  $(BENCH_VENV)/bin/python -c 'import torch, numpy' 2>/dev/null || \
	    $(BENCH_VENV)/bin/pip install $(TORCH_PIP_INDEX) torch numpy; \
	fi
	@mkdir -p $(BENCH_OUT)
	$(TORCH_PYTHON) bench/torch_baseline.py --json $(BENCH_OUT)/torch.json

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
