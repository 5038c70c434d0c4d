#!/usr/bin/env python3
"""Runs the official libfacedetection C++ on committed images and writes what it finds to
Tests/Fixtures/face/libfacedetection.json, for Tests/FaceTests/OfficialDetectorTests.

Build the harness outside the repository against a checkout of ShiqiYu/libfacedetection
(commit acf7b25, the one the weights come from):

    g++ -O2 -mavx2 -mfma -D_ENABLE_AVX2 -I$LFD/src -I. detect_raw.cpp \
        $LFD/src/facedetectcnn.cpp $LFD/src/facedetectcnn-model.cpp $LFD/src/facedetectcnn-data.cpp -o lfd
    (with a facedetection_export.h that defines FACEDETECTION_EXPORT as nothing)

Usage: python3 reference/libfacedetection/make_face_fixture.py /path/to/lfd
The harness prints one line per face of `objectdetect_cnn` (every face scoring >= 0.2 after
NMS, best first): score, x, y, w, h and 10 landmark coordinates, truncated to int as the library does.
"""
import json
import os
import subprocess
import sys
import tempfile

from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMAGES = ["assets/astronaut-512.png", "Tests/Fixtures/face/astronaut-200x150.png", "Tests/Fixtures/face/astronaut-96.png"]


def main():
    binary = sys.argv[1]
    out = {"source": "ShiqiYu/libfacedetection@acf7b25 objectdetect_cnn (score >= 0.2, NMS 0.45)", "images": {}}
    for name in IMAGES:
        image = Image.open(os.path.join(ROOT, name)).convert("RGB")
        with tempfile.NamedTemporaryFile(suffix=".rgb") as raw:
            raw.write(image.tobytes())
            raw.flush()
            text = subprocess.run([binary, raw.name, str(image.width), str(image.height)],
                                  capture_output=True, text=True, check=True).stdout
        faces = []
        for line in text.splitlines():
            v = line.split()
            faces.append({"score": float(v[0]), "box": [int(x) for x in v[1:5]],
                          "landmarks": [[int(v[5 + 2 * i]), int(v[6 + 2 * i])] for i in range(5)]})
        out["images"][name] = faces
        print(name, faces)
    with open(os.path.join(ROOT, "Tests/Fixtures/face/libfacedetection.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
