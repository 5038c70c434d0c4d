"""The official LivePortrait source-crop matrix on the landmark fixture's points.

For every entry of Tests/Fixtures/face/landmark-framing.json (FaceMesh points from MediaPipe
0.10.21), takes the 68-point subset (`MESH_68`, as `MeshLandmarks68`) as float32 and runs the
official `_estimate_similar_transform_from_pts` (src/utils/crop.py of the LivePortrait checkout
given by `--liveportrait`, imported at run time, not copied) with the source-crop settings
(`crop_cfg`: dsize 512, scale 2.3, vx_ratio 0, vy_ratio -0.125, flag_do_rot True). Writes the 2×3
original → crop matrix (`M_INV`, float32) per entry to
Tests/Fixtures/face/liveportrait-rotated-crop.json; `LivePortraitRotationTests` compares ours.

    /tmp/mpvenv/bin/python reference/liveportrait_rotation_fixtures.py --liveportrait /work/outside/LivePortrait
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from face_landmark_fixtures import MESH_68  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "Fixtures", "face")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--liveportrait", required=True, help="the official LivePortrait checkout")
    args = parser.parse_args()
    sys.path.insert(0, args.liveportrait)
    from src.utils.crop import _estimate_similar_transform_from_pts
    entries = json.load(open(os.path.join(FIXTURES, "landmark-framing.json")))["entries"]
    out = []
    for e in entries:
        pts68 = np.array(e["points"], dtype=np.float32)[MESH_68]
        m_o2c, _ = _estimate_similar_transform_from_pts(pts68, dsize=512, scale=2.3, vx_ratio=0, vy_ratio=-0.125, flag_do_rot=True)
        out.append({"image": e["image"], "m_o2c": [[float(v) for v in row] for row in m_o2c]})
    doc = {"method": "reference/liveportrait_rotation_fixtures.py: official _estimate_similar_transform_from_pts(pts68 float32, dsize=512, "
                     "scale=2.3, vx_ratio=0, vy_ratio=-0.125, flag_do_rot=True) on landmark-framing.json's points",
           "entries": out}
    with open(os.path.join(FIXTURES, "liveportrait-rotated-crop.json"), "w") as f:
        json.dump(doc, f, indent=1)
    print(f"wrote {len(out)} matrices")


if __name__ == "__main__":
    main()
