#!/usr/bin/env bash
# `portrait live` against a 25 fps MPEG-TS/H.264 stream on UDP loopback (fed by the project's own
# LiveStreamWriter from the test bundle; no ffmpeg program needed), for docs/live.md.
#
#   Benchmarks/live_loopback.sh [SECONDS] [CONFIG] [DEVICE] [CROP] [DRIVER_CLIP]
#
# Defaults: 600 s, tiny, cpu, none (centred crop; `auto` tracks the face in every frame, which
# needs a face: pass a clip such as assets/driver-demo.mp4, streamed in a loop). Writes the JSON
# summary to Benchmarks/results/live-CONFIG-DEVICE-CROP.json and prints it. Needs a release build
# with tests (`swift build -c release --build-tests`).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}; config=${2:-tiny}; device=${3:-cpu}; crop=${4:-none}; clip=${5:-}
mkdir -p Benchmarks/results
stats="$PWD/Benchmarks/results/live-$config-$device-$crop.json"
if [ -n "$clip" ]; then export PORTRAIT_LIVE_BENCH_DRIVER="$PWD/$clip"; fi
echo "load before: $(uptime)"
PORTRAIT_LIVE_BENCH=1 PORTRAIT_LIVE_BENCH_SECONDS="$seconds" PORTRAIT_LIVE_BENCH_CONFIG="$config" \
PORTRAIT_LIVE_BENCH_DEVICE="$device" PORTRAIT_LIVE_BENCH_CROP="$crop" PORTRAIT_LIVE_BENCH_STATS="$stats" \
PORTRAIT_LIVE_BENCH_WARMUP="${WARMUP:-5}" \
  swift test -c release $(bash scripts/cpu-flags.sh) --skip-build --filter LiveLoopbackBenchmark 2>&1 | grep -v '^\s*$' | tail -40
echo "load after: $(uptime)"
