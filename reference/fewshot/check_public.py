#!/usr/bin/env python3
"""Runs the public implementation (vincent-thevenin/Realistic-Neural-Talking-Head-Models, a
checkout given by --public; its code is imported from there, never copied) and our reference
(model.py, on the converted weights) on the same random public-layout checkpoint and inputs,
compares every stage, and writes the inputs and the public stages for the engine's check
(Tests/FewShotTests/PublicParityTests.swift, FEWSHOT_PUBLIC_IO).

  python3 reference/convert_fewshot.py --random /tmp/fs/full.tar
  python3 reference/convert_fewshot.py /tmp/fs/full.tar -o /tmp/fs/full.safetensors
  python3 reference/fewshot/check_public.py --public /work/outside/vincent \\
      --checkpoint /tmp/fs/full.tar --weights /tmp/fs/full.safetensors --out /tmp/fs/full-io.safetensors [--k 3]

The public code needs tqdm (imported by its model.py). Inputs: K source images and landmark
images and one driver landmark image, smooth random fields in [0, 1], already in the
network's orientation (H ↔ W, as its trainer feeds them).
"""
import argparse
import math
import os
import sys
import time

import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from fewshot import layout, model  # noqa: E402


def smooth_images(n, size, seed):
    g = torch.Generator().manual_seed(seed)
    coarse = torch.rand(n, 3, size // 16, size // 16, generator=g)
    fine = torch.rand(n, 3, size, size, generator=g)
    return (0.8 * F.interpolate(coarse, size=(size, size), mode="bilinear", align_corners=False) + 0.2 * fine).clamp(0, 1)


def stage_error(a, b):
    a, b = a.double(), b.double()
    return float((a - b).abs().max() / b.abs().max().clamp_min(1e-12))


def psnr(a, b):
    mse = float(((a.double() - b.double()) ** 2).mean())
    return math.inf if mse == 0 else 10 * math.log10(1 / mse)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--public", required=True, help="checkout of vincent-thevenin/Realistic-Neural-Talking-Head-Models")
    parser.add_argument("--checkpoint", required=True, help="public-layout checkpoint (convert_fewshot.py --random)")
    parser.add_argument("--weights", required=True, help="its conversion (convert_fewshot.py CHECKPOINT -o ...)")
    parser.add_argument("--out", help="write inputs + public stages here")
    parser.add_argument("--k", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, args.public)
    from network.model import Embedder, Generator  # the public implementation's own modules

    torch.set_grad_enabled(False)
    checkpoint = torch.load(args.checkpoint, map_location="cpu", weights_only=True)
    E, G = Embedder(256), Generator(256)
    E.load_state_dict(checkpoint["E_state_dict"])
    G.load_state_dict(checkpoint["G_state_dict"])
    E.eval(), G.eval()

    public = {}

    def hook(name):
        def record(_module, _inputs, output):
            public[name] = output.detach().clone()
        return record

    for i in range(1, 7):
        getattr(E, f"resDown{i}").register_forward_hook(hook(f"embedder.down{i}"))
    E.self_att.register_forward_hook(hook("embedder.attention"))
    for i in range(1, 5):
        getattr(G, f"in{i}").register_forward_hook(hook(f"generator.down{i}"))
        getattr(G, f"resUp{i}").register_forward_hook(hook(f"generator.up{i}"))
    for i in range(1, 6):
        getattr(G, f"res{i}").register_forward_hook(hook(f"generator.res{i}"))
    G.self_att_Down.register_forward_hook(hook("generator.attention_down"))
    G.self_att_Up.register_forward_hook(hook("generator.attention_up"))

    images, landmarks = smooth_images(args.k, 256, 11), smooth_images(args.k, 256, 12)
    driver = smooth_images(1, 256, 13)
    start = time.perf_counter()
    vectors = E(images, landmarks)                      # [K, 512, 1]
    e_hat = vectors.mean(dim=0, keepdim=True)           # [1, 512, 1], as embedder_inference.py
    embed_seconds = time.perf_counter() - start
    start = time.perf_counter()
    image = G(driver, e_hat)
    generate_seconds = time.perf_counter() - start
    public["embedder.vectors"] = vectors.reshape(args.k, -1)
    public["identity.e_hat"] = e_hat.reshape(1, -1)
    public["identity.psi"] = (G.p @ e_hat[0]).reshape(1, -1)
    public["image"] = image
    print(f"public PyTorch CPU: embedder {embed_seconds:.2f} s for K={args.k}, generator {generate_seconds:.2f} s per frame")

    weights = load_file(args.weights)
    ours = {}
    w = layout.FULL
    e_ours, psi_ours = model.identity(weights, w, images, landmarks, ours)
    ours["identity.e_hat"], ours["identity.psi"] = e_ours, psi_ours
    ours["image"] = model.generate(weights, w, driver, psi_ours, ours)
    worst = 0.0
    for name in public:
        error = stage_error(ours[name], public[name])
        worst = max(worst, error)
        print(f"  reference vs public {name:28s} {list(public[name].shape)}  max rel {error:.2e}")
    print(f"reference vs public: worst stage {worst:.2e}, image PSNR {psnr(ours['image'], public['image']):.1f} dB")
    if args.out:
        tensors = {"input.images": images, "input.landmarks": landmarks, "input.driver": driver}
        tensors.update({f"public.{k}": v.float().contiguous() for k, v in public.items()})
        save_file(tensors, args.out, metadata={"k": str(args.k)})
        print(f"{args.out}: inputs and {len(public)} public stages")


if __name__ == "__main__":
    main()
