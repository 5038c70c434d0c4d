#!/usr/bin/env bash
# Builds the self-contained GPU bundle (scripts/make-gpu-bundle.sh: static Swift and libstdc++,
# glibc 2.31, the host's libraries first, compute-only) with the GPU check inside (check.sh,
# gpu-report.py, torch/: the PyTorch anchor and our references), packs it as
# OUT_DIR.tgz and prints the one command that runs the check on a machine with an NVIDIA, AMD or
# Intel GPU (and its OpenCL driver): devices, compare --ops with every kernel variant, tune (skipped
# while the subcommand does not exist), profile --ops and the full-model profile, within 8 minutes,
# JSON + summary.md under one folder. x86_64 only (the glibc 2.31 sysroot is amd64).
# Usage: scripts/gpu-check.sh [OUT_DIR]        (default gpu-bundle; relative to the current folder)
#   SKIP_BUILD=1     reuse the last static build (.build-static)
#   RUN_HERE=DIR     then run the check here too (PoCL on a CPU-only machine: the end-to-end test)
set -euo pipefail
bundle=${1:-gpu-bundle}
[[ $bundle == /* ]] || bundle="$PWD/$bundle"   # relative to the caller's folder; absolute kept as is
bundle=${bundle%/}
run_here=${RUN_HERE:-}
[[ -z $run_here || $run_here == /* ]] || run_here="$PWD/$run_here"
cd "$(dirname "$0")/.."
bash scripts/make-gpu-bundle.sh "$bundle" >/dev/null
cp scripts/gpu-check-run.sh "$bundle/check.sh"
cp scripts/gpu-report.py "$bundle/gpu-report.py"
chmod +x "$bundle/check.sh"
# The PyTorch anchor: the script, our references and the presets they read (torch/ is a small
# copy of the repository's layout, so reference/model/config.py finds Sources/Avatar/Presets).
mkdir -p "$bundle/torch/Sources/Avatar"
cp scripts/gpu-torch-anchor.py "$bundle/torch/anchor.py"
tar cf - --exclude=__pycache__ --exclude='*.pyc' reference | tar xf - -C "$bundle/torch"
cp -r Sources/Avatar/Presets "$bundle/torch/Sources/Avatar/"
name=$(basename "$bundle")
tar czf "$bundle.tgz" -C "$(dirname "$bundle")" "$name"     # members start at NAME/, never at /
echo "bundle: $bundle/ ($(du -sh "$bundle" | cut -f1)), packed as $bundle.tgz ($(du -h "$bundle.tgz" | cut -f1)), $(uname -m); $(tail -1 "$bundle/glibc-check.txt")"
echo
echo "On the GPU machine (copy $bundle.tgz there first):"
echo "  tar xzf $name.tgz && bash $name/check.sh gpu-check"
echo "With this project's device tool (the packed bundle travels as a carried path; unpacked it is over the 64 MiB carry limit):"
echo "  run(command: \"tar xzf $name.tgz && bash $name/check.sh \$OUT/gpu-check\", carry: [\"$name.tgz\"], timeout_s: 540)"
if [[ -n $run_here ]]; then
  echo
  echo "running the check here into $run_here:"
  bash "$bundle/check.sh" "$run_here"
fi
