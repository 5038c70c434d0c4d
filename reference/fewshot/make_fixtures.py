#!/usr/bin/env python3
"""Makes Tests/Fixtures/fewshot: the tiny network's converted weights (a random public-layout
checkpoint put through convert_fewshot.py's conversion, spectral norms folded) and its inputs
and stage outputs from our reference (model.py), in the network's orientation.

Usage: python3 reference/fewshot/make_fixtures.py [--out Tests/Fixtures/fewshot]
"""
import argparse
import os
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import convert_fewshot  # noqa: E402
from fewshot import layout, model  # noqa: E402


# The tiny embedder's vectors are small (~0.03); a larger P gives ψ̂ of order 1, as trained
# weights have, so the identity (and K) visibly steers the image.
P_SCALE = 10.0



def smooth_images(n, size, seed):
    """n smooth random pictures [n, 3, size, size] in [0, 1] (coarse noise upsampled + fine noise)."""
    g = torch.Generator().manual_seed(seed)
    coarse = torch.rand(n, 3, size // 16, size // 16, generator=g)
    fine = torch.rand(n, 3, size, size, generator=g)
    return (0.8 * torch.nn.functional.interpolate(coarse, size=(size, size), mode="bilinear", align_corners=False) + 0.2 * fine).clamp(0, 1)

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="Tests/Fixtures/fewshot")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_grad_enabled(False)
    w = layout.TINY
    weights, read = convert_fewshot.convert(convert_fewshot.random_public(w, seed=7, p_scale=P_SCALE))
    assert read.embedder == w.embedder and read.down == w.down and read.up == w.up
    save_file(weights, os.path.join(args.out, "tiny-weights.safetensors"),
              metadata={"format": convert_fewshot.FORMAT, "widths": layout.widths_text(w)})
    k = 2
    images, landmarks = smooth_images(k, w.image, 21), smooth_images(k, w.image, 22)
    driver = smooth_images(1, w.image, 23)
    stages = {}
    e_hat, psi = model.identity(weights, w, images, landmarks, stages)
    stages["identity.e_hat"], stages["identity.psi"] = e_hat, psi
    stages["image"] = model.generate(weights, w, driver, psi, stages)
    # K = 1 (the first frame alone): the averaging is what changes the identity.
    e_one, psi_one = model.identity(weights, w, images[:1], landmarks[:1])
    tensors = {"input.images": images, "input.landmarks": landmarks, "input.driver": driver,
               "k1.identity.e_hat": e_one, "k1.image": model.generate(weights, w, driver, psi_one)}
    tensors.update(stages)
    mse = float(((tensors["k1.image"] - stages["image"]) ** 2).mean())
    print(f"K=1 vs K={k} image PSNR {10 * torch.log10(torch.tensor(1 / mse)):.1f} dB (the identity matters)")
    tensors = {name: t.float().contiguous() for name, t in tensors.items()}
    save_file(tensors, os.path.join(args.out, "tiny-io.safetensors"), metadata={"k": str(k)})
    for name in sorted(os.listdir(args.out)):
        print(f"{name}: {os.path.getsize(os.path.join(args.out, name)) / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
