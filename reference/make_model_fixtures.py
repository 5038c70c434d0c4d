#!/usr/bin/env python3
"""Makes the golden model fixtures in Tests/Fixtures/model from the PyTorch reference.

Writes, for the tiny config (Sources/Avatar/Presets/tiny.json) with fixed seeds:
  tiny-weights.safetensors  every parameter under its weight-format name (docs/weights.md), float32;
                            metadata {"format": "portraitcl-weights-1", "config": <the config JSON>}
  tiny-io.safetensors       the inputs (source.image, source.mask, driver.image) and every named
                            stage output of the per-avatar and per-frame paths (docs/architecture.md,
                            "Stages"), float32; metadata {"config": "tiny", "seed": ...}

Usage: python3 reference/make_model_fixtures.py [--out Tests/Fixtures/model] [--config tiny] [--seed 0]
Needs torch and safetensors; the Swift package never runs this.
"""
import argparse
import json
import os
import sys

import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Config, MegaPortraits, seeded_init  # noqa: E402

WEIGHTS_FORMAT = "portraitcl-weights-1"


def smooth_image(size, seed):
    """A smooth random RGB image in [0, 1]: 6x6 random colours, bicubic-upsampled, plus a soft blob."""
    gen = torch.Generator().manual_seed(seed)
    low = torch.rand(1, 3, 6, 6, generator=gen)
    img = F.interpolate(low, size=(size, size), mode="bicubic", align_corners=False)
    y, x = torch.meshgrid(torch.linspace(-1, 1, size), torch.linspace(-1, 1, size), indexing="ij")
    cx, cy = (torch.rand(2, generator=gen) - 0.5) * 0.4
    blob = torch.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 0.2)
    img = 0.7 * img + 0.3 * blob * torch.rand(3, 1, 1, generator=gen)
    return img.clamp(0, 1).contiguous()


def ellipse_mask(size):
    """Binary face-like mask: an upright ellipse covering the centre (what BiSeNet > 0.6 would give)."""
    y, x = torch.meshgrid(torch.linspace(-1, 1, size), torch.linspace(-1, 1, size), indexing="ij")
    return (((x / 0.7) ** 2 + ((y - 0.1) / 0.85) ** 2) <= 1).float()[None, None].contiguous()


def build(cfg, seed, source, driver):
    net = MegaPortraits(cfg).eval()
    seeded_init(net, seed, calibration_images=torch.cat([source, driver]))
    return net


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="Tests/Fixtures/model")
    parser.add_argument("--config", default="tiny")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(2)
    cfg = Config.load(args.config)
    os.makedirs(args.out, exist_ok=True)
    s = cfg.image_size
    source, driver, mask = smooth_image(s, args.seed + 1), smooth_image(s, args.seed + 2), ellipse_mask(s)
    net = build(cfg, args.seed, source, driver)

    weights = {k: v.detach().float().contiguous() for k, v in net.state_dict().items()}
    wpath = os.path.join(args.out, f"{cfg.name}-weights.safetensors")
    save_file(weights, wpath, metadata={"format": WEIGHTS_FORMAT, "config": json.dumps(cfg.fields)})

    with torch.no_grad():
        avatar = net.encode_avatar(source, mask)
        frame = net.render_frame(avatar, driver)
    io = {"source.image": source, "source.mask": mask, "driver.image": driver}
    io.update(avatar)
    io.update(frame)
    io = {k: v.detach().float().contiguous() for k, v in io.items()}
    iopath = os.path.join(args.out, f"{cfg.name}-io.safetensors")
    save_file(io, iopath, metadata={"config": cfg.name, "seed": str(args.seed)})

    # Self-check: a fresh network loaded from the written file reproduces the outputs exactly.
    fresh = MegaPortraits(cfg).eval()
    fresh.load_state_dict(load_file(wpath), strict=True)
    with torch.no_grad():
        again = fresh.render_frame(fresh.encode_avatar(source, mask), driver)["image"]
    assert torch.equal(again, io["image"]), "reloaded weights do not reproduce the fixture"

    for k, v in io.items():
        print(f"{k:26s} {str(list(v.shape)):22s} mean {v.mean():+.4f} std {v.std():.4f} "
              f"range [{v.min():+.3f}, {v.max():+.3f}]")
    print(f"{wpath}: {len(weights)} tensors, {os.path.getsize(wpath) / 1e6:.2f} MB")
    print(f"{iopath}: {len(io)} tensors, {os.path.getsize(iopath) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
