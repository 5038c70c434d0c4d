#!/usr/bin/env bash
# The watermark's full robustness table, its visibility before/after perceptual shaping, detection
# on pasted-back pictures and the embedding cost (docs/disclosure.md), then the frame times the
# cost is compared with. PORTRAIT_WATERMARK_DIFF=docs/disclosure-difference.png redraws the
# figure. Takes several minutes on 2 cores.
#   bash Benchmarks/watermark_robustness.sh [--skip-frame-times]
set -euo pipefail
cd "$(dirname "$0")/.."
read -ra FLAGS <<< "-c release $(bash scripts/cpu-flags.sh)"
PORTRAIT_WATERMARK_BENCH=1 swift test "${FLAGS[@]}" --filter 'WatermarkBenchmark|VisibilityBenchmark' 2>&1 \
  | grep -E '^(\||$|[a-z]+ clip|embed |pasted-back)' || true
if [[ "${1:-}" != "--skip-frame-times" ]]; then
  swift build "${FLAGS[@]}" --product portrait >/dev/null
  for config in tiny megaportraits-512; do
    for device in cpu opencl; do
      [[ $config == megaportraits-512 && $device == cpu ]] && continue   # minutes per frame on the Swift fallback
      echo "frame time, $config on $device:"
      .build/release/portrait profile --config "$config" --random-weights 1 --device "$device" --frames 2 2>/dev/null | grep '^per frame'
    done
  done
fi
