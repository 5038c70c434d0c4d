# PortraitCL — the two set-up commands are `make demo` and `make test`; both install what is missing.
SHELL := /bin/bash
SWIFT      ?= swift
CONFIG     ?= release
# CPU code generation for the pure-Swift CPU path by architecture (SIMD addProduct is 40x slower
# without AVX2/FMA on x86_64): haswell on x86_64, generic on aarch64 (scripts/cpu-flags.sh;
# override with CPU_FLAGS=... or PORTRAIT_TARGET_CPU=neoverse-v2).
CPU_FLAGS  ?= $(shell bash scripts/cpu-flags.sh)
BUILD_ARGS  = -c $(CONFIG) $(CPU_FLAGS)
BIN         = .build/$(CONFIG)/portrait
# PoCL's kernel cache at a stable path, so later runs on the same machine start warm.
export POCL_CACHE_DIR ?= $(HOME)/.cache/pocl-portraitcl

.PHONY: all deps build test demo bench fixtures clean gpu-lint gpu-bundle gpu-glibc-check

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build $(BUILD_ARGS) --product portrait

test: deps
	$(SWIFT) build $(BUILD_ARGS) --product portrait
	$(SWIFT) test $(BUILD_ARGS) 2>&1 | tee .build/test.log; exit $${PIPESTATUS[0]}

demo: build
	bash scripts/demo.sh $(BIN)

bench: build
	$(BIN) profile --ops --device opencl

fixtures:
	python3 reference/make_op_fixtures.py --out Tests/Fixtures/ops

clean:
	rm -rf .build

# Every kernel under Oclgrind (--check-api --data-races, 256-item groups, 16 KiB local memory),
# CPU and GPU variant tables, small cases (scripts/gpu-lint.sh; `make test` runs its --quick subset).
gpu-lint: build
	bash scripts/gpu-lint.sh $(BIN)

# The self-contained GPU bundle with the GPU check (glibc 2.31 sysroot, static Swift and libstdc++).
gpu-bundle: deps
	bash scripts/gpu-check.sh gpu-bundle

# The glibc check of a built bundle: nothing in it needs glibc > 2.31 or an outside libstdc++.
gpu-glibc-check:
	bash scripts/gpu-glibc-check.sh gpu-bundle 2.31
