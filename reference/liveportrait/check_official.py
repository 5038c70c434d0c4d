#!/usr/bin/env python3
"""Parity of our LivePortrait reference with the OFFICIAL code (KwaiVGI/LivePortrait checkout).

  python3 reference/liveportrait/check_official.py --official-root /work/official-lp \\
      [--config tiny] [--seed 0] [--fixtures Tests/Fixtures/liveportrait] [--time]

1. builds the official networks at --config (official_build.py), gives them trained-like random
   weights (fan-in scaled convs, random BatchNorm/LayerNorm/GRN affines and biases, BatchNorm
   stats calibrated on the inputs then perturbed, converged spectral-norm vectors), saves them in
   the official .pth layout and loads them back with the official load_model;
2. converts that directory with our converter (reference/convert.py --liveportrait);
3. runs both on the same inputs: assets/astronaut-512.png resized as the source, two driving
   frames made from mirrored, shifted crops of it; made-up eye/lip ratios for retargeting;
4. prints every stage's  rel = ||ours - official|| / ||official||  and  max|diff| / max|official|,
   the final image's PSNR (float images, peak 1), and exits 1 past --tolerance / --min-psnr
   (pose angles in degrees are judged relative to max(|angle|, 97.5), see DEGREE_FLOOR).
--fixtures writes the converted weights, the inputs and the official stages (fixtures.py).
--time times one frame of each side at the released sizes on --threads threads (random weights).
"""
import argparse
import math
import os
import sys
import tempfile
import time

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from liveportrait import LivePortrait, LivePortraitConfig  # noqa: E402
from liveportrait.convert import convert_states, load_official_dir  # noqa: E402
from liveportrait.official_build import (build_official, import_official, load_official_layout,  # noqa: E402
                                         randomize, save_official_layout)
from liveportrait.official_run import run_official  # noqa: E402
from liveportrait.ours_run import run_ours  # noqa: E402

ASTRONAUT = os.path.join(os.path.dirname(os.path.dirname(HERE)), "assets", "astronaut-512.png")


def to_tensor(img: Image.Image) -> torch.Tensor:
    """PIL RGB -> 1 x 3 x H x W float32 in [0, 1] (k/255 values, as prepare_source gives)."""
    return torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1)[None].contiguous()


def make_inputs(size: int):
    """Source: the astronaut resized; drivers: two mirrored crops, the second shifted by 24 px."""
    img = Image.open(ASTRONAUT).convert("RGB")
    source = img.resize((size, size), Image.BILINEAR)
    flipped = img.transpose(Image.FLIP_LEFT_RIGHT)
    frames = [flipped.crop((16, 16, 496, 496)), flipped.crop((40, 0, 520 - 8, 472))]
    drivers = torch.cat([to_tensor(f.resize((size, size), Image.BILINEAR)) for f in frames], dim=0)
    return to_tensor(source), drivers


# Pose angles are 3 * E[bin] - 97.5: a difference of two ~100-degree terms, so float32 rounding of
# the official formula alone is ~1 ulp of 97.5 (7.6e-6 deg). They are judged relative to
# max(|angle|, 97.5 deg), the size of the cancelled terms; the table shows both.
DEGREE_FLOOR = 97.5


def errors(ours: torch.Tensor, ref: torch.Tensor, floor: float = 1e-30):
    d = ours.double() - ref.double()
    rel = (d.norm() / ref.double().norm().clamp_min(floor)).item()
    mx = (d.abs().max() / ref.double().abs().max().clamp_min(1e-30)).item()
    return rel, mx


def psnr(a, b):
    mse = ((a.double() - b.double()) ** 2).mean().item()
    return float("inf") if mse == 0 else 10 * math.log10(1.0 / mse)


def compare(ours: dict, official: dict, tolerance: float):
    """Prints the table; returns (worst rel, list of failing stages)."""
    worst, failing = 0.0, []
    print(f"{'stage':44s} {'shape':>22s} {'rel':>10s} {'max':>10s}")
    for name, ref in official.items():
        if name not in ours:
            print(f"{name:44s} {'(not produced by ours)':>22s}")
            failing.append(name)
            continue
        a = ours[name].reshape(ref.shape) if ours[name].numel() == ref.numel() else ours[name]
        if a.shape != ref.shape:
            print(f"{name:44s} shape {list(a.shape)} vs {list(ref.shape)}")
            failing.append(name)
            continue
        rel, mx = errors(a, ref)
        judged = rel
        note = ""
        if name.endswith((".pitch", ".yaw", ".roll")):
            judged = errors(a, ref, DEGREE_FLOOR)[0]
            note = f"  (vs 97.5 deg: {judged:.1e})"
        worst = max(worst, judged)
        flag = "" if judged <= tolerance else "  <-- over tolerance"
        print(f"{name:44s} {str(list(ref.shape)):>22s} {rel:10.2e} {mx:10.2e}{note}{flag}")
        if judged > tolerance:
            failing.append(name)
    return worst, failing


def ratios():
    """Made-up retargeting inputs: eye (source left, source right, driving), lip (source, driving)."""
    return torch.tensor([[0.31, 0.28, 0.12]]), torch.tensor([[0.05, 0.42]])


def check(args):
    torch.manual_seed(args.seed)
    cfg = LivePortraitConfig.load(args.config)
    ns = import_official(args.official_root)
    source, drivers = make_inputs(cfg.image_size)
    eye_ratio, lip_ratio = ratios()
    nets = build_official(ns, cfg)
    randomize(ns, nets, source, drivers, seed=args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        pth_dir = args.keep_pth or tmp
        save_official_layout(nets, pth_dir)
        loaded = load_official_layout(ns, cfg, pth_dir)
        with torch.no_grad():
            official = run_official(ns, loaded, source, drivers, eye_ratio, lip_ratio)
        weights = convert_states(load_official_dir(pth_dir), cfg)
    model = LivePortrait(cfg).eval()
    model.load_state_dict(weights, strict=True)
    ours = run_ours(model, source, drivers, eye_ratio, lip_ratio)
    official = {k: v for k, v in official.items() if not k.startswith("retarget.") or k.endswith(("delta", "x_d"))}
    multiplier = official.pop("motion_multiplier")
    print(f"config {cfg.name}: {len(weights)} converted tensors, "
          f"{sum(v.numel() for v in weights.values())} values; official motion multiplier "
          f"{multiplier.item():.9f}")
    worst, failing = compare(ours, official, args.tolerance)
    last = drivers.shape[0] - 1
    img_o, img_r = official[f"frame.{last}.image"], ours[f"frame.{last}.image"]
    p = psnr(img_r, img_o)
    print(f"worst stage rel {worst:.2e}; image PSNR {p:.1f} dB (float vs float); "
          f"image range [{img_o.min():.3f}, {img_o.max():.3f}]")
    if args.fixtures:
        from liveportrait.fixtures import write_fixtures
        write_fixtures(args.fixtures, cfg, weights, source, drivers, eye_ratio, lip_ratio, official)
    ok = not failing and p >= args.min_psnr
    print("PASS" if ok else f"FAIL: {failing[:8]} psnr {p:.1f}")
    return 0 if ok else 1


def time_released(args):
    """One frame, released sizes, random weights (no calibration), each side on --threads."""
    cfg = LivePortraitConfig.load("released")
    ns = import_official(args.official_root)
    source, drivers = make_inputs(cfg.image_size)
    nets = build_official(ns, cfg)
    randomize(ns, nets, source, drivers, seed=args.seed, calibrate=False)
    with tempfile.TemporaryDirectory() as tmp:
        save_official_layout(nets, tmp)
        del nets
        loaded = load_official_layout(ns, cfg, tmp)
        weights = convert_states(load_official_dir(tmp), cfg)
    model = LivePortrait(cfg).eval()
    model.load_state_dict(weights, strict=True)
    del weights
    from liveportrait.official_run import make_wrapper
    w = make_wrapper(ns, loaded)
    x = source
    with torch.no_grad():
        info = model.motion_info(x)
        x_s = info["x"]
        x_d = x_s + 0.01 * torch.randn_like(x_s)
        for label, fns in (
                ("official", (lambda: w.get_kp_info(x), lambda: w.extract_feature_3d(x),
                              lambda f: w.warp_decode(f, x_s, x_d))),
                ("ours", (lambda: model.motion_info(x), lambda: model.appearance_feature(x),
                          lambda f: model.warp_decode(f, x_s, x_d)))):
            t0 = time.perf_counter(); fns[0](); t1 = time.perf_counter()
            f = fns[1](); t2 = time.perf_counter()
            out = fns[2](f); t3 = time.perf_counter()
            img = out["out"] if "out" in out else out["image"]
            print(f"{label:9s} motion {t1 - t0:6.2f} s  appearance {t2 - t1:6.2f} s  warp+decode {t3 - t2:6.2f} s  "
                  f"image {list(img.shape)}")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--official-root", default="/work/official-lp", help="checkout of KwaiVGI/LivePortrait")
    p.add_argument("--config", default="tiny")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tolerance", type=float, default=1e-5)
    p.add_argument("--min-psnr", type=float, default=80.0)
    p.add_argument("--fixtures", help="write goldens to this directory")
    p.add_argument("--keep-pth", help="keep the official-layout .pth files in this directory")
    p.add_argument("--time", action="store_true", help="time one frame at the released sizes")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    sys.exit(time_released(args) if args.time else check(args))


if __name__ == "__main__":
    main()
