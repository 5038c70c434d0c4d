"""Goldens for LivePortrait's official input preparation (Tests/MediaTests/LivePortraitFramingTests).

Imports the official code's own functions from a LivePortrait checkout kept outside this
repository (KwaiVGI/LivePortrait; `--official PATH`): `resize_to_limit` (src/utils/io.py) and the
cropper's `_transform_img` (src/utils/crop.py), and calls `cv2.resize` as its pipeline does:
- no crop (`flag_do_crop=False`): `resize_to_limit(img, 1280, 2)` then `cv2.resize(img, (256, 256))`;
- a crop square (x, y, side): `_transform_img(img, M, 512)` with the square-to-512 similarity `M`
  (float32, as the cropper's matrices are), then `cv2.resize(crop, (256, 256), INTER_AREA)`.
- paste-back: `prepare_paste_back(mask_template, M_c2o, dsize)` and `paste_back(render, M_c2o, img,
  mask)` of a 512² render into a small picture through a crop square (one crossing an edge), with
  the official `mask_template.png` read from the checkout (the engine draws its own mask; this
  checks that its drawing and its blend give the official bytes).
The pictures are a deterministic pattern both this script and the Swift test draw (`pattern`), so
only the results are stored (float16 byte values, exact).

    pip install opencv-python-headless==4.10.0.84 safetensors numpy imageio scipy rich torch
    python3 reference/make_liveportrait_input_fixtures.py --official /path/to/LivePortrait \\
        --out Tests/Fixtures/opencv/liveportrait-inputs.safetensors
"""
import argparse
import sys

import cv2
import numpy as np
from safetensors.numpy import save_file

# (width, height, crop square x, y, side): the crop reaches past an edge in two cases.
PICTURES = [(512, 512, 96, 60, 300), (725, 725, -40, 100, 420), (1280, 720, 700, 200, 600), (1500, 1000, 1100, -50, 500)]


def pattern(width, height):
    """Smooth ramps plus hashed noise, uint8 RGB; the Swift test draws the same bytes."""
    y, x = np.mgrid[0:height, 0:width].astype(np.int64)
    channels = []
    for c in range(3):
        noise = ((x * 73856093) ^ (y * 19349663) ^ (c * 83492791)) & 63
        channels.append(((x + 2 * y + 85 * c) // 3 + noise) & 255)
    return np.stack(channels, axis=-1).astype(np.uint8)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--official", required=True, help="LivePortrait checkout (outside this repository)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    sys.path.insert(0, args.official)
    from src.utils.crop import _transform_img
    from src.utils.io import resize_to_limit
    from src.utils.crop import paste_back, prepare_paste_back

    tensors = {}
    for width, height, cx, cy, side in PICTURES:
        img = pattern(width, height)
        name = f"{width}x{height}"
        whole = resize_to_limit(img, 1280, 2)
        tensors[f"{name}.whole"] = cv2.resize(whole, (256, 256)).astype(np.float16)
        scale = np.float32(512) / np.float32(side)
        matrix = np.array([[scale, 0, -cx * scale], [0, scale, -cy * scale], [0, 0, 1]], dtype=np.float32)
        crop = _transform_img(img, matrix, dsize=512)
        tensors[f"{name}.crop"] = cv2.resize(crop, (256, 256), interpolation=cv2.INTER_AREA).astype(np.float16)
        tensors[f"{name}.square"] = np.array([cx, cy, side], dtype=np.float16)
    mask_template = cv2.imread(f"{args.official}/src/utils/resources/mask_template.png", cv2.IMREAD_COLOR)
    render = pattern(512, 512)[::-1].copy()
    for index, (cx, cy, side) in enumerate([(20, 10, 50), (60, -10, 45)]):
        picture = pattern(96, 80)
        scale = np.float32(side) / np.float32(512)
        m_c2o = np.array([[scale, 0, cx], [0, scale, cy], [0, 0, 1]], dtype=np.float32)
        mask = prepare_paste_back(mask_template, m_c2o, dsize=(96, 80))
        tensors[f"paste{index}.output"] = paste_back(render, m_c2o, picture, mask).astype(np.float16)
        tensors[f"paste{index}.square"] = np.array([cx, cy, side], dtype=np.float16)
    save_file(tensors, args.out, metadata={"opencv": cv2.__version__, "liveportrait": "KwaiVGI/LivePortrait@1986663"})
    print(f"wrote {len(tensors)} tensors to {args.out}")


if __name__ == "__main__":
    main()
