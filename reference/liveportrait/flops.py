"""FLOPs per network per frame (2 x multiply-accumulates of conv / linear / matmul, counted by
torch.utils.flop_counter on the meta device, so nothing is computed), plus analytic counts of the
grid samples. Usage: python3 reference/liveportrait/flops.py [released|tiny]"""
import os
import sys

import torch
from torch.utils.flop_counter import FlopCounterMode

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from liveportrait import LivePortrait, LivePortraitConfig  # noqa: E402


def count(fn) -> int:
    with FlopCounterMode(display=False) as counter:
        fn()
    return counter.get_total_flops()


def grid_sample_flops(cfg: LivePortraitConfig) -> dict:
    """Trilinear sample = 8 taps x (1 mul + 1 add) per output value, ignoring weight maths."""
    a = cfg.appearance
    s = cfg.feature_size
    voxels = a.reshape_depth * s * s
    k = cfg.motion.num_kp + 1
    return {"sparse deform (K+1 x compress ch)": 16 * k * cfg.warping.dense.compress * voxels,
            "feature warp (C ch)": 16 * a.reshape_channel * voxels}


def main():
    cfg = LivePortraitConfig.load(sys.argv[1] if len(sys.argv) > 1 else "released")
    torch.set_default_device("meta")
    model = LivePortrait(cfg).eval()
    s = cfg.image_size
    img = torch.empty(1, 3, s, s)
    k = cfg.motion.num_kp
    f = torch.empty(1, cfg.appearance.reshape_channel, cfg.appearance.reshape_depth, cfg.feature_size, cfg.feature_size)
    kp = torch.empty(1, k, 3)
    w = torch.empty(1, cfg.warp_channels, cfg.feature_size, cfg.feature_size)
    with torch.no_grad():
        rows = {
            "appearance F (once per source)": count(lambda: model.appearance(img)),
            "motion M (per frame; +1 for the source)": count(lambda: model.motion(img)),
            "warping W (dense motion + warp)": count(lambda: model.warping(f, kp, kp)),
            "  of which dense-motion hourglass": count(lambda: model.warping.dense.hourglass(
                torch.empty(1, (k + 1) * (cfg.warping.dense.compress + 1), cfg.appearance.reshape_depth,
                            cfg.feature_size, cfg.feature_size))),
            "  of which mask conv 7x7x7": count(lambda: model.warping.dense.mask(torch.empty(
                1, model.warping.dense.hourglass.out_channels, cfg.appearance.reshape_depth, cfg.feature_size,
                cfg.feature_size))),
            "decoder G (SPADE)": count(lambda: model.decoder(w)),
            "stitching MLP": count(lambda: model.stitching(torch.empty(1, cfg.stitching.input_size))),
        }
    print(f"config {cfg.name}, input {s}x{s}, output {2 * s if cfg.decoder.upscale > 1 else s}^2")
    for name, n in rows.items():
        print(f"  {name:42s} {n / 1e9:9.2f} GFLOP")
    per_frame = rows["motion M (per frame; +1 for the source)"] + rows["warping W (dense motion + warp)"] + \
        rows["decoder G (SPADE)"] + rows["stitching MLP"]
    print(f"  {'per driving frame (M + W + G + S)':42s} {per_frame / 1e9:9.2f} GFLOP")
    for name, n in grid_sample_flops(cfg).items():
        print(f"  grid sample, {name:29s} {n / 1e9:9.3f} GFLOP (analytic)")


if __name__ == "__main__":
    main()
