#!/usr/bin/env python3
"""Compares this reference network with stage outputs recorded from the official EMOPortraits code.

  check_official.py --weights converted.safetensors --config CFG --stages official-stages.safetensors
  check_official.py --ours portrait-stages.safetensors --stages official-stages.safetensors

`--stages` holds the official run's inputs (`source.image`, `source.mask`, `driver.image`) and its
stage outputs under our stage names (docs/official-parity.md says how they were recorded). The
reference runs end to end from the same inputs; every stage is reported as
  rel = ||ours - official|| / ||official||   and   max = max|ours - official| / max|official|,
plus the final image's PSNR (float vs float). Exit 1 if any stage exceeds --tolerance.
"""
import argparse
import math
import os
import sys

import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Config, MegaPortraits  # noqa: E402


def errors(ours, theirs):
    """(norm-relative, max-relative) difference of two tensors."""
    d = (ours.double() - theirs.double())
    rel = (d.norm() / theirs.double().norm().clamp_min(1e-30)).item()
    mx = (d.abs().max() / theirs.double().abs().max().clamp_min(1e-30)).item()
    return rel, mx


def psnr(a, b):
    mse = ((a.double() - b.double()) ** 2).mean().item()
    return float("inf") if mse == 0 else 10 * math.log10(1.0 / mse)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", help="converted weights for the reference run")
    p.add_argument("--config", help="preset name or config JSON path (with --weights)")
    p.add_argument("--ours", help="compare this stage file (e.g. from `portrait render --stages`) instead of running the reference")
    p.add_argument("--stages", required=True)
    p.add_argument("--tolerance", type=float, default=1e-3, help="largest norm-relative error allowed per stage")
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    official = load_file(a.stages)
    if a.ours:
        ours = load_file(a.ours)
        for name in ("source.image", "source.mask", "driver.image"):
            if name in ours and name in official:
                rel, _ = errors(ours[name], official[name])
                print(f"input {name}: rel {rel:.2e}" + ("" if rel == 0 else "  (the runs were fed different inputs)"))
    else:
        if not (a.weights and a.config):
            p.error("give --weights and --config (run the reference) or --ours FILE")
        cfg = Config.load(a.config)
        net = MegaPortraits(cfg).eval()
        net.load_state_dict(load_file(a.weights), strict=True)
        with torch.no_grad():
            avatar = net.encode_avatar(official["source.image"], official["source.mask"])
            frame = net.render_frame(avatar, official["driver.image"])
        ours = {**avatar, **frame}
    worst = 0.0
    print(f"{'stage':28s} {'shape':22s} {'rel':>10s} {'max':>10s}")
    for name in sorted(official):
        if name in ("source.image", "source.mask", "driver.image"):
            continue
        if name not in ours:
            print(f"{name:28s} (not a stage of the reference)")
            continue
        if ours[name].shape != official[name].shape:
            print(f"{name:28s} shape {list(ours[name].shape)} != official {list(official[name].shape)}")
            worst = float("inf")
            continue
        rel, mx = errors(ours[name], official[name])
        worst = max(worst, rel)
        flag = "" if rel <= a.tolerance else "  <-- exceeds tolerance"
        print(f"{name:28s} {str(list(official[name].shape)):22s} {rel:10.2e} {mx:10.2e}{flag}")
    print(f"image PSNR (float vs float): {psnr(ours['image'], official['image']):.1f} dB")
    return 0 if worst <= a.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
