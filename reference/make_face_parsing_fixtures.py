#!/usr/bin/env python3
"""Writes the tiny face-parsing fixture (Tests/Fixtures/face-parsing/tiny-*.safetensors) from our
PyTorch reference (reference/face_parsing): narrow BiSeNet widths (layout.TINY, procedural seed 2),
a 40×48 image parsed at an internal size of 64 (the released wrapper uses 512; the size is a
parameter of FaceParser so the test stays small).

  tiny-weights.safetensors   our-layout weights (as convert_face_parsing.py writes them)
  tiny-io.safetensors        image, logits (N×19×40×48, before argmax), mask (default labels),
                             mask_custom (labels in metadata "custom_labels")

Usage: python3 reference/make_face_parsing_fixtures.py [--out Tests/Fixtures/face-parsing]
"""
import argparse
import os
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from face_parsing import bisenet, layout  # noqa: E402

SEED, SIZE, CUSTOM = 2, 64, (3, 12, 16)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="Tests/Fixtures/face-parsing")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    weights = layout.procedural_weights(layout.TINY, SEED)
    w = layout.TINY
    widths = f"{w.stem},{','.join(map(str, w.stages))},{w.context},{w.fusion},{w.head},{w.classes}"
    save_file(weights, os.path.join(args.out, "tiny-weights.safetensors"),
              metadata={"format": "portraitcl-face-parsing-1", "widths": widths, "procedural_seed": str(SEED)})
    image = torch.rand(1, 3, 40, 48, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        logits = bisenet.parse(weights, image, SIZE)
        io = {"image": image, "logits": logits,
              "mask": bisenet.mask(weights, image, size=SIZE),
              "mask_custom": bisenet.mask(weights, image, CUSTOM, size=SIZE)}
    save_file({k: v.contiguous() for k, v in io.items()}, os.path.join(args.out, "tiny-io.safetensors"),
              metadata={"size": str(SIZE), "custom_labels": ",".join(map(str, CUSTOM))})
    print("classes:", torch.bincount(logits.argmax(1).flatten(), minlength=19).tolist())
    print("mask mean", io["mask"].mean().item(), "custom", io["mask_custom"].mean().item())


if __name__ == "__main__":
    main()
