"""Frame-to-frame jitter of the driving-video crop: YuNet's five landmarks vs FaceMesh's 68 points.

Makes a clip from a public-domain photograph (scikit-image's astronaut or matplotlib's Grace
Hopper) moving smoothly: a slow sideways drift, a zoom and a small roll, each a low-frequency sine,
at `--fps`. On every frame it computes LivePortrait's crop two ways:

- `yunet`: today's estimate from YuNet's five landmarks (`FaceFrame.livePortrait`, the formula
  repeated below), YuNet run by `portrait faces --json` (the built binary, `--portrait`);
- `mesh`: the official `parse_rect_from_landmark` rule on FaceMesh's 68-point subset
  (`LivePortraitCrop`), FaceMesh run by MediaPipe 0.10.21 itself (`static_image_mode`, each
  frame on its own, as our pipeline runs it).

Each track is then smoothed as `FaceTrack` does (Gaussian, σ = radius / 2, window cut at the
ends) at radius 0 and at the CLI's default, a fifth of a second of frames. The clip's motion is
smooth by construction (up to the paste's whole-pixel rounding), so what is left in the crop's
second difference is the detector's noise; it is also given for the crop minus the true motion
(the first frame's crop carried along by the known transform). Jitter = mean |c[t+1] − 2c[t] + c[t−1]| over the frames, for the centre (Euclidean) and
the side, in % of the mean side.

    /tmp/mpvenv/bin/python reference/crop_jitter.py --portrait .build/release/portrait --photo astronaut
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

import mediapipe as mp
import numpy as np
import PIL.Image

sys.path.insert(0, os.path.dirname(__file__))
from face_landmark_fixtures import MESH_68  # noqa: E402


def frames(photo, count, fps, side=512):
    """(frame, mapping) pairs of the moving clip; mapping(q) is where the base photograph's point q
    lands in the frame (scale about the photo's corner, roll about its centre, paste offset), and
    mapping.scale the frame's scale."""
    import matplotlib.cbook
    import skimage.data
    base = PIL.Image.fromarray(skimage.data.astronaut()) if photo == "astronaut" else \
        PIL.Image.open(matplotlib.cbook.get_sample_data("grace_hopper.jpg")).convert("RGB")
    for i in range(count):
        t = i / fps
        scale = 0.75 + 0.1 * math.sin(2 * math.pi * 0.25 * t)
        roll = 6 * math.sin(2 * math.pi * 0.2 * t)
        dx, dy = 60 * math.sin(2 * math.pi * 0.15 * t), 20 * math.sin(2 * math.pi * 0.3 * t)
        scaled = base.resize((round(base.width * scale), round(base.height * scale)), PIL.Image.BICUBIC)
        image = scaled.rotate(roll, resample=PIL.Image.BICUBIC)
        canvas = PIL.Image.new("RGB", (side, side), (40, 40, 40))
        offset = (round((side - image.width) / 2 + dx), round((side - image.height) / 2 + dy))
        canvas.paste(image, offset)

        def mapping(q, sx=scaled.width / base.width, sy=scaled.height / base.height, w=scaled.width, h=scaled.height, a=math.radians(roll), o=offset):
            x, y = q[0] * sx - w / 2, q[1] * sy - h / 2
            return np.array([math.cos(a) * x + math.sin(a) * y + w / 2 + o[0], -math.sin(a) * x + math.cos(a) * y + h / 2 + o[1]])
        mapping.scale = scaled.width / base.width
        mapping.inverse = lambda p, sx=scaled.width / base.width, sy=scaled.height / base.height, w=scaled.width, h=scaled.height, a=math.radians(roll), o=offset: \
            np.array([(math.cos(a) * (p[0] - w / 2 - o[0]) - math.sin(a) * (p[1] - h / 2 - o[1]) + w / 2) / sx,
                      (math.sin(a) * (p[0] - w / 2 - o[0]) + math.cos(a) * (p[1] - h / 2 - o[1]) + h / 2) / sy])
        yield np.array(canvas), mapping


def yunet_live_portrait(landmarks):
    """FaceFrame.livePortrait: eyes' midpoint, s = (eye-to-mouth + interocular) / 2, side 2.3·2.41·s."""
    m = np.array(landmarks)
    eyes, mouth = (m[0] + m[1]) / 2, (m[3] + m[4]) / 2
    s = (np.linalg.norm(mouth - eyes) + np.linalg.norm(m[1] - m[0])) / 2
    side = 2.3 * 2.41 * s
    return [eyes[0] + 0.056 * s, eyes[1] + 0.617 * s - 0.125 * side, side]


def smoothed(track, radius):
    """FaceTrack.smoothed."""
    if radius == 0:
        return np.array(track)
    sigma = radius / 2
    weights = [math.exp(-d * d / (2 * sigma * sigma)) for d in range(radius + 1)]
    out = []
    for i in range(len(track)):
        acc, total = np.zeros(3), 0.0
        for j in range(max(0, i - radius), min(len(track) - 1, i + radius) + 1):
            acc += weights[abs(j - i)] * np.array(track[j])
            total += weights[abs(j - i)]
        out.append(acc / total)
    return np.array(out)


def jitter(track):
    """Mean second difference of the centre and of the side, in % of the mean side."""
    t = np.array(track)
    d2 = t[2:] - 2 * t[1:-1] + t[:-2]
    side = t[:, 2].mean()
    return 100 * np.linalg.norm(d2[:, :2], axis=1).mean() / side, 100 * np.abs(d2[:, 2]).mean() / side


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--portrait", required=True)
    parser.add_argument("--photo", choices=["astronaut", "hopper"], default="astronaut")
    parser.add_argument("--frames", type=int, default=96)
    parser.add_argument("--fps", type=float, default=25)
    args = parser.parse_args()
    sys.path.insert(0, "/work/outside/LivePortrait")
    from src.utils.crop import parse_rect_from_landmark
    yunet, mesh, truth = [], [], []
    with tempfile.TemporaryDirectory() as folder, \
            mp.solutions.face_mesh.FaceMesh(static_image_mode=True, refine_landmarks=True, max_num_faces=1) as facemesh:
        anchor = None
        for i, (rgb, mapping) in enumerate(frames(args.photo, args.frames, args.fps)):
            path = os.path.join(folder, f"{i}.png")
            PIL.Image.fromarray(rgb).save(path)
            listed = subprocess.run([args.portrait, "faces", path, "--json", "--device", "cpu"], capture_output=True, text=True)
            found = facemesh.process(rgb)
            if listed.returncode != 0 or found.multi_face_landmarks is None:
                print(f"frame {i}: a face is missing; stopping")
                break
            yunet.append(yunet_live_portrait(json.loads(listed.stdout)["faces"][0]["landmarks"]))
            h, w = rgb.shape[:2]
            points = np.array([[p.x * w, p.y * h] for p in found.multi_face_landmarks[0].landmark], dtype=np.float32)
            centre, size, _ = parse_rect_from_landmark(points[MESH_68], scale=2.3, vx_ratio=0, vy_ratio=-0.125)
            mesh.append([float(centre[0]), float(centre[1]), float(size[0])])
            if anchor is None:  # the first frame's crop centre in the photograph's pixels, and its side per unit scale
                anchor = (mapping.inverse(np.array(mesh[0][:2])), mesh[0][2] / mapping.scale)
            truth.append([*mapping(anchor[0]), anchor[1] * mapping.scale])
    radius = max(1, round(args.fps / 5))
    print(f"{args.photo}, {len(mesh)} frames at {args.fps} fps, 512²; jitter = mean |second difference| in % of the side (centre, side)")
    print(f"  true motion: centre {jitter(truth)[0]:.3f} %, side {jitter(truth)[1]:.3f} %")
    for name, track in (("yunet 5-point", yunet), ("facemesh 68-point", mesh)):
        for r in (0, radius):
            c, s = jitter(smoothed(track, r))
            # The same measure on the crop minus the true motion (the paste's whole-pixel rounding included).
            residual = smoothed(track, r) - np.array(truth)
            residual[:, 2] += np.array(truth)[:, 2].mean()
            rc, rs = jitter(residual)
            print(f"  {name:18s} radius {r}: centre {c:.3f} %, side {s:.3f} %; minus the true motion: centre {rc:.3f} %, side {rs:.3f} %")


if __name__ == "__main__":
    main()
