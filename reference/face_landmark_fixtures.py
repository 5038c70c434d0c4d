"""Fixtures for the landmark-based framings and ratios (Tests/Fixtures/face/landmark-framing.json).

Runs MediaPipe itself (`pip install mediapipe==0.10.21` in a separate environment; reference only,
never a dependency): the short-range face detector with EMOPortraits' settings and FaceMesh with
iris refinement (478 points), on test pictures made from public-domain photographs (scikit-image's
astronaut, matplotlib's Grace Hopper) scaled, rolled, flipped and placed on canvases. For each it
records what the official code computes from those MediaPipe outputs:

- `emo_crop`: the official EMOPortraits crop (centre x, centre y, side, in whole pixels) by running
  the official `crop_image` and `remove_overflow` (notebooks/infer.py of the official checkout,
  `--emo`) on the detector's relative box, the box widened exactly as `forward` does;
- `lp_rect`: LivePortrait's source crop rectangle (centre x, centre y, side, roll angle) by running
  the official `parse_rect_from_landmark` (src/utils/crop.py of `--liveportrait`, crop_cfg
  scale 2.3, vx_ratio 0, vy_ratio -0.125) on the 68-point subset of the FaceMesh points
  (Sources/Face/MeshLandmarks68.swift's table, repeated below);
- `eye_ratio`, `lip_ratio`: the official `calc_eye_close_ratio` / `calc_lip_close_ratio`
  (src/utils/retargeting_utils.py) on a 203-point array holding, at the indices those functions
  read, the FaceMesh points of the same places (Sources/Face/RetargetingRatios.swift).

    /tmp/mpvenv/bin/python reference/face_landmark_fixtures.py --emo /work/outside/emo \
        --liveportrait /work/outside/LivePortrait --out Tests/Fixtures/face/landmark-framing.json
"""
import argparse
import ast
import importlib.util
import json
import os
import sys
import types

import mediapipe as mp
import numpy as np
import PIL.Image

# dlib's 68 points (0-based) as FaceMesh indices: jaw 0-16, brows 17-26, nose 27-35, eyes 36-47
# (image-left eye first), outer lips 48-59, inner lips 60-67.
MESH_68 = [127, 234, 93, 132, 58, 136, 150, 176, 152, 400, 379, 365, 288, 361, 323, 454, 356,
           70, 63, 105, 66, 107, 336, 296, 334, 293, 300,
           168, 197, 5, 4, 75, 97, 2, 326, 305,
           33, 160, 158, 133, 153, 144, 362, 385, 387, 263, 373, 380,
           61, 39, 37, 0, 267, 269, 291, 405, 314, 17, 84, 181,
           78, 82, 13, 312, 308, 317, 14, 87]

# The 203-point indices LivePortrait's ratios read, and the FaceMesh point at the same place:
# image-left eye corners 0/12 and lid middles 6/18, image-right eye 24/36 and 30/42, outer mouth
# corners 48/66, inner lip middles 90/102.
MESH_FOR_203 = {0: 33, 6: 159, 12: 133, 18: 145, 24: 362, 30: 386, 36: 263, 42: 374,
                48: 61, 66: 291, 90: 13, 102: 14}


def load_emo_crop(emo_dir):
    """The official `crop_image` and `remove_overflow` methods, compiled from infer.py's source."""
    path = os.path.join(emo_dir, "notebooks", "infer.py")
    tree = ast.parse(open(path).read())
    methods = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in ("crop_image", "remove_overflow"):
            node.decorator_list = []
            methods[node.name] = node
    recorded = {}

    class Slicer:
        """Stands for one picture tensor [C, H, W]: records the slice crop_image cuts."""
        def __init__(self, w, h):
            self.shape = (3, h, w)

        def __getitem__(self, key):
            if isinstance(key, tuple) and len(key) == 3:
                recorded["rows"], recorded["cols"] = key[1], key[2]
            return self

    class Stub:
        def __getitem__(self, key):
            return self

        def clip(self, *a):
            return self

    fake_torch = types.SimpleNamespace(zeros=lambda *a: Stub(), cat=lambda xs: Stub())
    fake_f = types.SimpleNamespace(interpolate=lambda *a, **k: Stub())
    namespace = {"np": np, "torch": fake_torch, "F": fake_f}
    module = ast.Module(body=[methods["remove_overflow"], methods["crop_image"]], type_ignores=[])
    exec(compile(module, path, "exec"), namespace)

    class Owner:
        args = types.SimpleNamespace(image_size=512)
        fixed_bounding_box = False
        center = None
        remove_overflow = staticmethod(namespace["remove_overflow"])
        crop_image = namespace["crop_image"]

    def crop(face, w, h):
        recorded.clear()
        Owner().crop_image([Slicer(w, h)], [face])
        rows, cols = recorded["rows"], recorded["cols"]
        return [float((cols.start + cols.stop) // 2), float((rows.start + rows.stop) // 2), float(cols.stop - cols.start)], \
            [int(v) for v in (cols.start, rows.start, cols.stop - cols.start, rows.stop - rows.start)]
    return crop


def load_liveportrait(lp_dir):
    """The official crop and ratio functions, imported from the checkout."""
    sys.path.insert(0, lp_dir)
    from src.utils.crop import parse_rect_from_landmark
    from src.utils.retargeting_utils import calc_eye_close_ratio, calc_lip_close_ratio
    return parse_rect_from_landmark, calc_eye_close_ratio, calc_lip_close_ratio


def pictures():
    """(name, RGB uint8 array): the photographs scaled, rolled, flipped and placed on canvases."""
    import matplotlib.cbook
    import skimage.data
    bases = {"astronaut": PIL.Image.fromarray(skimage.data.astronaut()),
             "hopper": PIL.Image.open(matplotlib.cbook.get_sample_data("grace_hopper.jpg")).convert("RGB")}
    plans = [("astronaut", 1.0, 0, False, (512, 512), (0, 0)),
             ("astronaut", 0.8, 12, False, (640, 480), (120, 10)),
             ("astronaut", 1.3, -15, True, (900, 900), (150, 60)),
             ("astronaut", 0.6, 0, False, (1280, 720), (700, 150)),
             ("hopper", 1.0, 0, False, (512, 600), (0, 0)),
             ("hopper", 0.7, -10, False, (720, 720), (200, 120)),
             ("hopper", 1.2, 20, True, (1024, 1024), (150, 100)),
             ("hopper", 0.5, 5, False, (640, 640), (380, 300)),
             ("hopper", 0.9, 0, True, (900, 1200), (200, 500)),
             ("astronaut", 1.0, 25, False, (700, 700), (90, 90)),
             ("hopper", 0.6, 0, False, (640, 480), (400, 120)),
             ("astronaut", 1.0, 0, False, (560, 420), (-40, 10))]
    for base, scale, degrees, flip, (cw, ch), (ox, oy) in plans:
        image = bases[base]
        if flip:
            image = image.transpose(PIL.Image.FLIP_LEFT_RIGHT)
        image = image.resize((round(image.width * scale), round(image.height * scale)), PIL.Image.BICUBIC)
        if degrees:
            image = image.rotate(degrees, resample=PIL.Image.BICUBIC, expand=False)
        canvas = PIL.Image.new("RGB", (cw, ch), (40, 40, 40))
        canvas.paste(image, (ox, oy))
        name = f"{base}-s{scale}-r{degrees}{'-flip' if flip else ''}-{cw}x{ch}"
        yield name, np.array(canvas)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--emo", required=True, help="the official EMOPortraits checkout")
    parser.add_argument("--liveportrait", required=True, help="the official LivePortrait checkout")
    parser.add_argument("--out", required=True)
    parser.add_argument("--save-pictures", help="also write each picture as NAME.png into this folder")
    args = parser.parse_args()
    emo_crop = load_emo_crop(args.emo)
    parse_rect, eye_ratio, lip_ratio = load_liveportrait(args.liveportrait)
    entries = []
    for name, rgb in pictures():
        h, w = rgb.shape[:2]
        with mp.solutions.face_detection.FaceDetection(min_detection_confidence=0.5) as detector:
            found = detector.process(rgb)
        with mp.solutions.face_mesh.FaceMesh(static_image_mode=True, refine_landmarks=True, max_num_faces=1) as mesh:
            meshed = mesh.process(rgb)
        if found.detections is None or meshed.multi_face_landmarks is None:
            print(f"{name}: MediaPipe finds no face; skipped")
            continue
        r = found.detections[0].location_data.relative_bounding_box
        # notebooks/infer.py, forward(): the face box handed to crop_image.
        face = np.array([w * r.xmin, h * r.ymin * 0.9, w * (r.xmin + r.width), min(h * (r.ymin + r.height * 1.2), h - 1)])
        crop, cut = emo_crop(face, w, h)
        points = np.array([[p.x * w, p.y * h] for p in meshed.multi_face_landmarks[0].landmark], dtype=np.float64)
        points = np.round(points, 3)
        pts68 = points[MESH_68].astype(np.float32)
        center, size, angle = parse_rect(pts68, scale=2.3, vx_ratio=0, vy_ratio=-0.125, use_lip=True)
        lmk203 = np.zeros((203, 2), dtype=np.float32)
        for i, m in MESH_FOR_203.items():
            lmk203[i] = points[m]
        entries.append({
            "image": name, "size": [w, h],
            "mediapipe_box": [r.xmin, r.ymin, r.width, r.height],
            "emo_crop": crop, "emo_cut": cut,
            "lp_rect": [float(center[0]), float(center[1]), float(size[0]), float(angle)],
            "eye_ratio": [float(v) for v in eye_ratio(lmk203[None])[0]],
            "lip_ratio": float(lip_ratio(lmk203[None])[0][0]),
            "points": [[float(x), float(y)] for x, y in points],
        })
        if args.save_pictures:
            PIL.Image.fromarray(rgb).save(os.path.join(args.save_pictures, name + ".png"))
        print(f"{name}: emo {crop}, lp {entries[-1]['lp_rect']}, eyes {entries[-1]['eye_ratio']}, lip {entries[-1]['lip_ratio']:.3f}")
    with open(args.out, "w") as f:
        json.dump({"method": "reference/face_landmark_fixtures.py: mediapipe 0.10.21 FaceDetection(min_detection_confidence=0.5), "
                             "FaceMesh(static_image_mode=True, refine_landmarks=True); official EMOPortraits crop_image/remove_overflow, "
                             "LivePortrait parse_rect_from_landmark (scale 2.3, vy_ratio -0.125), calc_eye_close_ratio, calc_lip_close_ratio",
                   "entries": entries}, f, separators=(",", ":"))
    print(f"wrote {len(entries)} entries to {args.out}")


if __name__ == "__main__":
    main()
