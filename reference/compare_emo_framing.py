"""The fitted YuNet framing (`FaceFrame.emoPortraits`) against the official EMOPortraits crop.

Reads Tests/Fixtures/face/landmark-framing.json (the official crops, from
face_landmark_fixtures.py (a harness kept outside the repository)) and the pictures that script wrote with `--save-pictures`,
runs `portrait faces --json --detector yunet` on each, applies the fitted rule (repeated below) and prints
each picture's centre error (in % of the official side) and side ratio. The exact rule
(`EMOPortraitsCrop`, used with the default MediaPipe detector) reproduces the official crop to
the pixel from MediaPipe's box (LandmarkFramingTests).

    python3 reference/compare_emo_framing.py --portrait .build/release/portrait --pictures DIR
"""
import argparse
import json
import math
import os
import subprocess


def fitted(landmarks):
    """FaceFrame.emoPortraits: s = (eye-to-mouth + interocular) / 2, side 2.41·2.28·s, centre (eyes.x + 0.056·s, eyes.y + 0.762·s)."""
    (lx, ly), (rx, ry), _, (ax, ay), (bx, by) = landmarks
    ex, ey, mx, my = (lx + rx) / 2, (ly + ry) / 2, (ax + bx) / 2, (ay + by) / 2
    s = (math.hypot(mx - ex, my - ey) + math.hypot(rx - lx, ry - ly)) / 2
    box = 2.41
    return ex + 0.056 * s, ey + (0.617 + box * (0.2 - 0.08) / 2) * s, box * 2.28 * s


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--portrait", required=True)
    parser.add_argument("--pictures", required=True)
    parser.add_argument("--fixture", default="Tests/Fixtures/face/landmark-framing.json")
    parser.add_argument("--yunet-flag", default="--detector yunet", help="the option that selects YuNet ('' for a build whose default is YuNet)")
    args = parser.parse_args()
    centres, sides = [], []
    for entry in json.load(open(args.fixture))["entries"]:
        path = os.path.join(args.pictures, entry["image"] + ".png")
        listed = subprocess.run([args.portrait, "faces", path, "--json", "--device", "cpu", *args.yunet_flag.split()], capture_output=True, text=True)
        if listed.returncode != 0:
            print(f"{entry['image']}: YuNet finds no face")
            continue
        cx, cy, side = fitted(json.loads(listed.stdout)["faces"][0]["landmarks"])
        ox, oy, oside = entry["emo_crop"]
        centre, ratio = 100 * math.hypot(cx - ox, cy - oy) / oside, side / oside
        centres.append(centre); sides.append(ratio)
        print(f"{entry['image']:34s} official {ox:.0f},{oy:.0f} side {oside:.0f}; fitted {cx:.1f},{cy:.1f} side {side:.1f}: centre {centre:.1f} %, side ratio {ratio:.3f}")
    print(f"fitted YuNet rule on {len(centres)} pictures: centre error {min(centres):.1f}–{max(centres):.1f} % of the side (mean {sum(centres) / len(centres):.1f}), "
          f"side ratio {min(sides):.2f}–{max(sides):.2f} (mean {sum(sides) / len(sides):.2f}); the exact rule: 0 px on all")


if __name__ == "__main__":
    main()
