#!/usr/bin/env python3
"""Makes Tests/Fixtures/fewshot/landmarks-*: 68-point sets and the public implementation's own
drawing of them (vincent-thevenin/Realistic-Neural-Talking-Head-Models,
dataset/video_extraction_conversion.py `generate_cropped_landmarks`, imported from a checkout
given by --public and run with a stand-in face aligner that returns our points).

Its code crops the frame around the points (pad 50), resizes to 256², moves the points into
the crop (rounded to integers) and draws them with matplotlib (white background, lw=2 coloured
polylines per facial part). We store the moved points (`points` [68, 2], x then y) and its
256×256 drawing as PNG. Needs matplotlib < 3.10 (its `tostring_rgb`), OpenCV and numpy.

Usage: python3 reference/fewshot/make_landmark_fixtures.py --public /work/outside/vincent
"""
import argparse
import copy
import math
import os
import sys
import types

import numpy as np
import torch
from safetensors.torch import save_file


def face(seed):
    """A plausible 68-point face (dlib order) in a 640×480 frame, jittered and rotated."""
    rng = np.random.default_rng(seed)
    pts = []
    for i in range(17):                                       # jaw: lower half ellipse
        t = math.pi * (1.05 - 1.1 * i / 16)
        pts.append((100 * math.cos(t), 40 + 110 * abs(math.sin(t)) ** 0.9 * (1 if i not in (0, 16) else 0.3)))
    pts = [(x, y if y > 0 else y) for x, y in pts]
    for side in (-1, 1):                                      # brows
        for i in range(5):
            x = side * (20 + 14 * i) if side > 0 else -(76 - 14 * i)
            pts.append((x, -55 - 8 * math.sin(math.pi * i / 4)))
    for i in range(4):                                        # nose bridge
        pts.append((0, -35 + 15 * i))
    for i in range(5):                                        # nostrils
        pts.append((-20 + 10 * i, 32 - 4 * math.sin(math.pi * i / 4)))
    for cx in (-42, 42):                                      # eyes
        for i in range(6):
            t = math.pi - 2 * math.pi * i / 6
            pts.append((cx + 16 * math.cos(t), -25 - 7 * math.sin(t)))
    for i in range(12):                                       # outer lip
        t = math.pi - 2 * math.pi * i / 12
        pts.append((34 * math.cos(t), 70 - 14 * math.sin(t)))
    for i in range(8):                                        # inner lip
        t = math.pi - 2 * math.pi * i / 8
        pts.append((22 * math.cos(t), 70 - 5 * math.sin(t)))
    pts = np.array(pts, dtype=np.float64)
    angle = rng.uniform(-0.35, 0.35)
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    pts = pts @ rot.T * rng.uniform(0.9, 1.3) + rng.normal(0, 2.0, pts.shape)
    return (pts + np.array([320 + rng.uniform(-40, 40), 230 + rng.uniform(-30, 30)])).astype(np.float32)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--public", required=True)
    parser.add_argument("--out", default="Tests/Fixtures/fewshot")
    args = parser.parse_args()
    sys.modules.setdefault("face_alignment", types.ModuleType("face_alignment"))  # only imported, not used
    sys.path.insert(0, args.public)
    import cv2
    from dataset.video_extraction_conversion import generate_cropped_landmarks
    from webcam_demo.webcam_extraction_conversion import crop_and_reshape_preds

    class Aligner:
        def __init__(self, points):
            self.points = points

        def get_landmarks(self, _image):
            return [copy.deepcopy(self.points)]

    for seed in (1, 2, 3):
        points = face(seed)
        frame = np.full((480, 640, 3), 128, dtype=np.uint8)
        [(_, drawing)] = generate_cropped_landmarks([frame], Aligner(points), pad=50)
        moved = crop_and_reshape_preds(copy.deepcopy(points), pad=50)
        stem = os.path.join(args.out, f"landmarks-{seed}")
        save_file({"points": torch.from_numpy(np.ascontiguousarray(moved, dtype=np.float32))}, stem + ".safetensors")
        cv2.imwrite(stem + ".png", cv2.cvtColor(np.ascontiguousarray(drawing), cv2.COLOR_RGB2BGR))
        print(f"{stem}: {drawing.shape}, points x {moved[:, 0].min():.0f}..{moved[:, 0].max():.0f}")


if __name__ == "__main__":
    main()
