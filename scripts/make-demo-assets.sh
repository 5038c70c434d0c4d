#!/usr/bin/env bash
# Regenerates assets/astronaut-512.png and assets/driver-demo.mp4 from the public-domain NASA
# astronaut photograph shipped in scikit-image's wheel (skimage/data/astronaut.png), using
# PortraitCL's own Media code (crop + resize, PNG writer, H.264 writer with a test tone).
# Needs pip and network access once; the results are committed, so `make demo` needs neither.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pip download scikit-image --no-deps --only-binary=:all: -d "$work" >/dev/null
python3 - "$work" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/scikit_image-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    open(sys.argv[1] + "/astronaut.png", "wb").write(z.read("skimage/data/astronaut.png"))
PY
mkdir -p assets
PORTRAIT_ASTRONAUT_PNG="$work/astronaut.png" swift test -c release $(bash scripts/cpu-flags.sh) \
  --scratch-path "${SCRATCH_PATH:-.build}" --filter 'MediaTests.DemoAssetsTests'
ls -l assets/astronaut-512.png assets/driver-demo.mp4
