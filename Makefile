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

.PHONY: all deps build lib ctest ctest-run python pytest pytest-run browser-test browser-test-run studio-screenshots test demo bench fixtures clean gpu-lint gpu-bundle gpu-glibc-check

all: build

deps:
	@bash scripts/install-deps.sh

LIB         = .build/$(CONFIG)/libportraitcl.so
CTEST       = .build/test_portraitcl

build: deps
	$(SWIFT) build $(BUILD_ARGS) --product portrait
	$(SWIFT) build $(BUILD_ARGS) --product portraitcl

# libportraitcl.so: the C API of include/portraitcl.h (docs/library.md).
lib: deps
	$(SWIFT) build $(BUILD_ARGS) --product portraitcl

# The C test program against the built library, run end to end.
ctest: lib
	$(MAKE) ctest-run

ctest-run:
	$(CC) -std=c11 -Wall -Wextra -Werror -Iinclude tests/c/test_portraitcl.c -L.build/$(CONFIG) -lportraitcl \
	    -Wl,-rpath,$(abspath .build/$(CONFIG)) -lm -o $(CTEST)
	$(CTEST)

# The Python package (ctypes over the library) installed with the library inside it.
python: build
	mkdir -p python/portraitcl/lib && cp $(LIB) python/portraitcl/lib/
	python3 -m pip install --no-build-isolation ./python

# The Python tests (package and ComfyUI nodes) against this checkout's library and CLI.
pytest: build
	$(MAKE) pytest-run

pytest-run:
	python3 -m pytest -q -p no:cacheprovider python/tests integrations/comfyui/tests

# The studio (`portrait serve`) in headless Chromium driven by Selenium, the whole flow at tiny
# size (tests/browser/test_studio.py; `make studio-screenshots` refreshes docs/studio/*.png).
browser-test: build
	$(MAKE) browser-test-run

browser-test-run:
	python3 tests/browser/test_studio.py --bin $(BIN)

studio-screenshots: build
	python3 tests/browser/test_studio.py --bin $(BIN) --screenshots docs/studio

# One build serves every test: the modules compiled for testing once (`swift test -c release`
# would otherwise recompile everything a plain release build had just compiled), the C, Python
# and browser tests run on its binary and library, then the Swift tests without a rebuild.
test: deps
	$(SWIFT) build $(BUILD_ARGS) --build-tests -Xswiftc -enable-testing
	$(MAKE) ctest-run pytest-run browser-test-run
	$(SWIFT) test $(BUILD_ARGS) --skip-build 2>&1 | tee .build/test.log; exit $${PIPESTATUS[0]}

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
