"""Writes the detector-quality picture set for the FaceMesh pipeline (docs/face-landmarks.md).

The same pictures and variants as reference/face_detection_eval.py (non-human pictures from
scikit-image, scipy 1.9 and LFW non-face patches; held-out human pictures: insightface's t1.jpg
and Tom Hanks, the cameraman, 100 LFW faces tiled 20 to a picture; each at 0.5, 0.75, 1, 1.5, 2×
and mirrored), as PNG files in a folder with manifest.json ({file, name, faces}). The Swift test
`FaceMeshQualityTests` reads them when PORTRAIT_FACEMESH_QUALITY=DIR and prints false positives
(non-human pictures with a face), recall and extra boxes, for BlazeFace alone, with FaceMesh's
presence check, and YuNet's boxes with that check.

    python3 reference/face_landmarks_eval.py --packages PKGS --out DIR
    PORTRAIT_FACEMESH_QUALITY=DIR swift test -c release --filter FaceMeshQualityTests
"""
import argparse
import json
import os
import sys

from PIL import ImageOps

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from face_detection_eval import pictures  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--packages", required=True, help="folder with the insightface and scipy 1.9 wheels")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    for name, image, faces in pictures(args.packages):
        for scale in [0.5, 0.75, 1.0, 1.5, 2.0]:
            w, h = int(image.width * scale), int(image.height * scale)
            if min(w, h) < 48 or max(w, h) > 1600:
                continue
            resized = image.resize((w, h))
            for flip in [False, True]:
                file = f"{name}-{scale}{'-flip' if flip else ''}.png"
                (ImageOps.mirror(resized) if flip else resized).save(os.path.join(args.out, file))
                manifest.append({"file": file, "name": name, "faces": faces})
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=0)
    print(f"{len(manifest)} pictures in {args.out}")


if __name__ == "__main__":
    main()
