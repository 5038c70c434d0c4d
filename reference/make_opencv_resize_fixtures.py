"""Goldens for the engine's OpenCV resize (Sources/Media/OpenCVResize.swift).

Runs `cv2.resize` (opencv-python 4.10, the version LivePortrait pins) on seeded random uint8
pictures, three channels, at sizes that reach every path OpenCV takes: INTER_LINEAR shrinking,
enlarging, mixed and the exact 2x shrink it hands to INTER_AREA; INTER_AREA with 2x, 3x and
mixed integer factors, non-integer shrinks and enlargements; and `cv2.warpAffine` (INTER_LINEAR,
black border) with scaling, rotated and edge-crossing matrices (the matrix is stored as float32 and
used at that precision). Each case stores its input and
cv2's output as float32 byte values (0..255) in one safetensors file.

    pip install opencv-python-headless==4.10.0.84 safetensors numpy
    python3 reference/make_opencv_resize_fixtures.py --out Tests/Fixtures/opencv/resize.safetensors
"""
import argparse

import cv2
import numpy as np
from safetensors.numpy import save_file

# (source width, source height, destination width, destination height)
CASES = [
    (64, 64, 32, 32),    # exact 2x: linear becomes area
    (91, 91, 32, 32),    # non-integer shrink (725 -> 256 class)
    (80, 45, 32, 32),    # 16:9 squashed to a square (1280x720 -> 256 class)
    (96, 96, 32, 32),    # integer 3x
    (64, 32, 32, 32),    # factors 2 and 1
    (23, 19, 32, 32),    # enlarge
    (50, 20, 32, 32),    # shrink x, enlarge y
    (77, 53, 31, 29),    # odd everything
    (33, 7, 5, 40),      # extreme aspect change
    (1, 5, 7, 3),        # one column
]

# cv2.warpAffine(INTER_LINEAR, black border): (source w, h, 2x3 forward matrix, destination w, h)
WARPS = [
    (80, 60, [[512 / 50, 0, -10 * 512 / 50], [0, 512 / 50, -5 * 512 / 50]], 64, 64),  # a square crop, scaled up
    (40, 40, [[1.7, 0, 3.3], [0, 1.7, -2.1]], 50, 50),                             # reaching past the edges
    (50, 50, [[0.9, 0.3, -4], [-0.3, 0.9, 7]], 48, 48),                            # rotated, as LivePortrait's crops
    (61, 47, [[0.45, 0.02, 1.5], [-0.02, 0.45, 2.25]], 31, 23),                    # shrinking
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = np.random.default_rng(20261204)
    tensors = {}
    for sw, sh, dw, dh in CASES:
        source = rng.integers(0, 256, (sh, sw, 3), dtype=np.uint8)
        name = f"{sw}x{sh}-{dw}x{dh}"
        tensors[f"{name}.input"] = source.astype(np.float32)
        for flag, label in ((cv2.INTER_LINEAR, "linear"), (cv2.INTER_AREA, "area")):
            tensors[f"{name}.{label}"] = cv2.resize(source, (dw, dh), interpolation=flag).astype(np.float32)
    for index, (sw, sh, matrix, dw, dh) in enumerate(WARPS):
        source = rng.integers(0, 256, (sh, sw, 3), dtype=np.uint8)
        matrix = np.array(matrix, dtype=np.float64)
        tensors[f"warp{index}.input"] = source.astype(np.float32)
        tensors[f"warp{index}.matrix"] = matrix.astype(np.float32)
        tensors[f"warp{index}.output"] = cv2.warpAffine(source, matrix.astype(np.float32).astype(np.float64), (dw, dh),
                                                         flags=cv2.INTER_LINEAR).astype(np.float32)
    save_file(tensors, args.out, metadata={"opencv": cv2.__version__})
    print(f"wrote {len(tensors)} tensors with OpenCV {cv2.__version__} to {args.out}")


if __name__ == "__main__":
    main()
