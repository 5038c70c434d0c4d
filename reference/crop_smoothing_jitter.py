"""Frame-to-frame jitter of the driving-video crop that `portrait plan` computes (MegaPortraits),
smoothed by the detector's box (`--crop-smoothing-by box`) or by the FaceMesh landmarks
(`--crop-smoothing-by landmarks`, the default).

The clip is `crop_jitter.py`'s: a public-domain photograph (scikit-image's astronaut or
matplotlib's Grace Hopper) moving smoothly (drift, zoom, ±6° roll) at `--fps`, 512², written
losslessly (FFV1) with OpenCV. Each variant runs the built `portrait plan` on it and reads the
whole-pixel crops it plans (what the render cuts). Jitter = mean |c[t+1] − 2c[t] + c[t−1]| of the
crop's centre (Euclidean) and side, in % of the mean side, also for the crop minus the true motion
(the first frame's crop carried along by the clip's known transform). `--upscale K` enlarges the
frames K times so that the crops' whole-pixel rounding weighs K times less.

    /tmp/mpvenv/bin/python reference/crop_smoothing_jitter.py --portrait .build/release/portrait --photo astronaut
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from crop_jitter import frames, jitter  # noqa: E402


def plan(portrait, clip, folder, extra):
    """The planned crops as (centre x, centre y, side) rows, and the frames' detectors."""
    out = os.path.join(folder, "plan.json")
    run = subprocess.run([portrait, "plan", "--driver", clip, "-o", out, "--device", "cpu"] + extra, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"portrait plan {' '.join(extra)} failed: {run.stderr}")
    planned = json.load(open(out))
    crops = np.array([[x + s / 2, y + s / 2, s] for x, y, s in planned["crops"]], dtype=float)
    return crops, planned.get("cropDetectors")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--portrait", required=True)
    parser.add_argument("--photo", choices=["astronaut", "hopper"], default="astronaut")
    parser.add_argument("--frames", type=int, default=96)
    parser.add_argument("--fps", type=float, default=25)
    parser.add_argument("--upscale", type=int, default=1, help="enlarge every frame this many times (bicubic), so that whole-pixel rounding weighs less")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        clip = os.path.join(folder, "clip.mkv")
        side = 512 * args.upscale
        writer = cv2.VideoWriter(clip, cv2.VideoWriter_fourcc(*"FFV1"), args.fps, (side, side))
        mappings = []
        for rgb, mapping in frames(args.photo, args.frames, args.fps):
            writer.write(cv2.resize(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), (side, side), interpolation=cv2.INTER_CUBIC))
            mappings.append(mapping)
        writer.release()
        variants = [("MediaPipe, official crop per frame (--crop-smoothing 0)", ["--crop-smoothing", "0"]),
                    ("MediaPipe, smoothed by the box (--crop-smoothing-by box)", ["--crop-smoothing-by", "box"]),
                    ("MediaPipe, smoothed by the landmarks (default)", []),
                    ("YuNet, fitted rule, smoothed (--detector yunet)", ["--detector", "yunet"])]
        results = [(name, *plan(args.portrait, clip, folder, extra)) for name, extra in variants]
    # The true motion: the first frame's official crop centre in the photograph, carried along.
    first = results[0][1][0]
    k = args.upscale
    anchor = (mappings[0].inverse(first[:2] / k), first[2] / k / mappings[0].scale)
    truth = np.array([[*(m(anchor[0]) * k), anchor[1] * m.scale * k] for m in mappings])
    print(f"{args.photo}, {len(truth)} frames at {args.fps} fps, {512 * k}²; jitter = mean |second difference| in % of the side (centre, side)")
    print(f"  true motion: centre {jitter(truth)[0]:.3f} %, side {jitter(truth)[1]:.3f} %")
    for name, crops, detectors in results:
        c, s = jitter(crops)
        residual = crops - truth
        residual[:, 2] += truth[:, 2].mean()
        rc, rs = jitter(residual)
        found = {d: (detectors or []).count(d) for d in set(detectors or [])}
        print(f"  {name:58s} centre {c:.3f} %, side {s:.3f} %; minus the true motion: centre {rc:.3f} %, side {rs:.3f} %; "
              f"mean side {crops[:, 2].mean():.1f} px; detectors {found}")


if __name__ == "__main__":
    main()
