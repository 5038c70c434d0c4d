#!/usr/bin/env bash
# Builds the self-contained GPU bundle (scripts/make-gpu-bundle.sh: static Swift, its own shared
# libraries, compute-only) with the GPU check inside (check.sh, gpu-report.py), packs it as
# OUT_DIR.tgz and prints the one command that runs the check on a machine with an NVIDIA, AMD or
# Intel GPU (and its OpenCL driver): devices, compare --ops with every kernel variant, tune (skipped
# while the subcommand does not exist), profile --ops and the full-model profile, within 8 minutes,
# JSON + summary.md under one folder. Build on the GPU machine's architecture (x86_64 or aarch64).
# Usage: scripts/gpu-check.sh [OUT_DIR]        (default gpu-bundle)
#   SKIP_BUILD=1     reuse the last static build (.build-static)
#   RUN_HERE=DIR     then run the check here too (PoCL on a CPU-only machine: the end-to-end test)
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=${1:-gpu-bundle}
bash scripts/make-gpu-bundle.sh "$bundle" >/dev/null
cp scripts/gpu-check-run.sh "$bundle/check.sh"
cp scripts/gpu-report.py "$bundle/gpu-report.py"
chmod +x "$bundle/check.sh"
tar czf "$bundle.tgz" "$bundle"
echo "bundle: $bundle/ ($(du -sh "$bundle" | cut -f1)), packed as $bundle.tgz ($(du -h "$bundle.tgz" | cut -f1)), $(uname -m)"
echo
echo "On the GPU machine (copy $bundle.tgz there first):"
echo "  tar xzf $bundle.tgz && bash $bundle/check.sh gpu-check"
echo "With this project's device tool (the packed bundle travels as a carried path; unpacked it is over the 64 MiB carry limit):"
echo "  run(command: \"tar xzf $bundle.tgz && bash $bundle/check.sh \$OUT/gpu-check\", carry: [\"$bundle.tgz\"], timeout_s: 540)"
if [[ -n ${RUN_HERE:-} ]]; then
  echo
  echo "running the check here into $RUN_HERE:"
  bash "$bundle/check.sh" "$RUN_HERE"
fi
