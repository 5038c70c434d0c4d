"""Measures the official EMOPortraits face crop next to YuNet's landmarks, for Tests/Fixtures/face.

The official inference (notebooks/infer.py) frames faces from a MediaPipe face box; PortraitCL
estimates that box from YuNet's five landmarks (Sources/Face/FaceFrame.swift). This script runs
MediaPipe's face detector (`pip install mediapipe==0.10.21`; reference only, never a dependency)
with the official settings and formula on each image, runs `portrait faces --json` on the same
image, and writes both, so the calibration and its test can be redone.

    python3 reference/face_crop_calibration.py --portrait .build/release/portrait \
        --out Tests/Fixtures/face/framing-calibration.json IMAGE...
"""
import argparse
import json
import subprocess

import mediapipe as mp
import numpy as np
import PIL.Image


def official_crop(image):
    """The official (centre x, centre y, side) for `image`, or None without a face."""
    with mp.solutions.face_detection.FaceDetection(min_detection_confidence=0.5) as detector:
        found = detector.process(np.array(image))
    if found.detections is None:
        return None, None
    r = found.detections[0].location_data.relative_bounding_box
    w, h = image.size
    face = [w * r.xmin, h * r.ymin * 0.9, w * (r.xmin + r.width), min(h * (r.ymin + r.height * 1.2), h - 1)]
    centre = [(face[2] + face[0]) // 2, (face[3] + face[1]) // 2]
    side = face[2] - face[0] + face[3] - face[1]
    return [float(centre[0]), float(centre[1]), float(side)], [w * r.xmin, h * r.ymin, w * r.width, h * r.height]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--portrait", required=True, help="the built portrait binary")
    parser.add_argument("--out", required=True)
    parser.add_argument("images", nargs="+")
    args = parser.parse_args()
    entries = []
    for path in args.images:
        image = PIL.Image.open(path).convert("RGB")
        crop, box = official_crop(image)
        if crop is None:
            print(f"{path}: MediaPipe finds no face; skipped")
            continue
        listed = subprocess.run([args.portrait, "faces", path, "--json", "--device", "cpu"], capture_output=True, text=True)
        if listed.returncode != 0:
            print(f"{path}: YuNet finds no face; skipped")
            continue
        face = json.loads(listed.stdout)["faces"][0]
        entries.append({"image": path.split("/")[-1], "size": list(image.size), "official_crop": crop,
                        "mediapipe_box": box, "yunet_landmarks": face["landmarks"], "yunet_box": face["box"]})
    with open(args.out, "w") as f:
        json.dump({"method": "reference/face_crop_calibration.py, mediapipe 0.10.21 FaceDetection(min_detection_confidence=0.5)",
                   "entries": entries}, f, indent=1)
    print(f"wrote {len(entries)} entries to {args.out}")


if __name__ == "__main__":
    main()
