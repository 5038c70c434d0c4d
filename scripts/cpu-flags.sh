#!/usr/bin/env bash
# Prints the swift build flags that pick the CPU code generation for this machine's architecture
# (the pure-Swift CPU path only vectorises well with a target CPU set). The Makefile and every
# build script take their flags from here; docs/performance.md ("CPU flags") explains the choice.
#   x86_64:         -target-cpu haswell (AVX2 + FMA; every x86 machine this project targets has them)
#   aarch64/arm64:  no -target-cpu: generic ARMv8-A already has NEON and FMA, and a named core
#                   (neoverse-v2 for GH200, cortex-a78 for Jetson Orin) would not run on older ones
#   anything else:  no flags
# PORTRAIT_TARGET_CPU=NAME overrides the choice (e.g. neoverse-v2; "generic" or "" for none).
# Usage: swift build -c release $(bash scripts/cpu-flags.sh) ...
set -euo pipefail
arch=${PORTRAIT_ARCH:-$(uname -m)}
if [[ -n ${PORTRAIT_TARGET_CPU+set} ]]; then
  cpu=$PORTRAIT_TARGET_CPU
else
  case "$arch" in
    x86_64|amd64) cpu=haswell ;;
    *) cpu= ;;
  esac
fi
[[ -z $cpu || $cpu == generic ]] || echo "-Xswiftc -target-cpu -Xswiftc $cpu"
