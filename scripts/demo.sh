#!/usr/bin/env bash
# The main job on the embedded default: renders the bundled public-domain portrait with the
# megaportraits-512 graph and seeded random weights, then shows the CPU/OpenCL agreement and
# the profile. Usage: scripts/demo.sh [path/to/portrait]   (make demo calls it)
# Environment: DEMO_CONFIG (default megaportraits-512; `tiny` for a 10-second tour),
#              DEMO_FRAMES (default 4), PORTRAIT_DEVICE (default opencl), DEMO_OUT (default out/).
set -euo pipefail
bin=${1:-.build/release/portrait}
config=${DEMO_CONFIG:-megaportraits-512}
frames=${DEMO_FRAMES:-4}
out=${DEMO_OUT:-out}
model=(--config "$config" --random-weights 2024)
mkdir -p "$out"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "Devices"
"$bin" devices

say "Render: assets/astronaut-512.png driven by assets/driver-demo.mp4 ($config, $frames frames)"
cat <<'NOTE'
Note: no checkpoint is bundled, so the network runs with seeded RANDOM weights. An untrained
network does not make a face: the video shows texture, not a person. The point of the demo is the
whole pipeline, its speed and its CPU/GPU agreement. See README "Using trained weights".
NOTE
"$bin" render --source assets/astronaut-512.png --driver assets/driver-demo.mp4 --frames "$frames" \
  --side-by-side "${model[@]}" -o "$out/demo.mp4"

say "Compare: CPU fallback vs OpenCL, stage by stage (1 frame)"
"$bin" compare --source assets/astronaut-512.png --driver assets/driver-demo.mp4 --frames 1 \
  --a cpu --b "${PORTRAIT_DEVICE:-opencl}" --heatmap "$out/demo-error.png" "${model[@]}"

say "Profile: per stage and per kernel"
"$bin" profile --frames 2 --trace "$out/demo-trace.json" "${model[@]}"

say "Done"
echo "video: $out/demo.mp4   error heat map: $out/demo-error.png   trace: $out/demo-trace.json (open in ui.perfetto.dev)"
