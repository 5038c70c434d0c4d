#!/usr/bin/env python3
"""The PyTorch CPU speed anchor: per-avatar and per-frame stage times of a config.

Seeded random weights (reference/model/init.py), batch 1, float32, torch.no_grad, N threads
(default 2). Each stage is timed on its own inputs: median of --repeat runs after --warmup runs.
FLOPs are analytic (2 x MACs of every conv and linear, reference/model/flops.py); grid samples,
norms and element-wise ops count 0 FLOPs, so their GFLOP/s column is blank.

Usage: python3 reference/bench_pytorch.py [--config megaportraits-512] [--path frame|avatar|both]
                                          [--repeat 3] [--warmup 1] [--avatar-repeat 1]
                                          [--avatar-warmup 0] [--threads 2] [--json OUT.json]
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Config, MegaPortraits, count_flops, seeded_init  # noqa: E402
from model.network import crop_matrix, pose_matrix, resize, rigid_grid  # noqa: E402


def stages(net, source, driver):
    """[(path, name, fn)]; each fn runs one stage from cached inputs."""
    c = net.cfg
    with torch.no_grad():
        avatar = net.encode_avatar(source)
        frame = net.render_frame(avatar, driver)

    def motion_pose(img):
        return lambda: pose_matrix(net.pose(resize(img, c.pose_input_size)), c.pose_angle_min, c.pose_angle_max)

    def motion_expr(img, theta):
        def run():
            grid = F.affine_grid(crop_matrix(theta, c.expression_zoom),
                                 [1, 3, c.expression_crop_size, c.expression_crop_size], align_corners=True)
            return net.expression(F.grid_sample(img, grid, align_corners=False))
        return run

    def sample_pair(volume, first, second):
        return lambda: net.sample(net.sample(volume, first), second)

    rigid_s = rigid_grid(torch.inverse(avatar["source.theta"]), c.volume_depth, c.volume_size)
    rigid_d = rigid_grid(frame["driver.theta"], c.volume_depth, c.volume_size)
    return [
        ("avatar", "pose", motion_pose(avatar["source.masked"])),
        ("avatar", "expression", motion_expr(avatar["source.masked"], avatar["source.theta"])),
        ("avatar", "identity e_s", lambda: net.identity(avatar["source.masked"])),
        ("avatar", "appearance 2d", lambda: net.appearance.features(avatar["source.masked"])),
        ("avatar", "appearance 3d", lambda: net.appearance.volume(avatar["appearance.features"])),
        ("avatar", "embedding + warp_source", lambda: net.warp_source(net.embedding(avatar["source.z"], avatar["es"]))),
        ("avatar", "2x grid_sample 3d", sample_pair(avatar["volume.source"], rigid_s, avatar["warp.source.grid"])),
        ("avatar", "g3d", lambda: net.g3d(avatar["volume.source.warped"])),
        ("frame", "pose", motion_pose(driver)),
        ("frame", "expression", motion_expr(driver, frame["driver.theta"])),
        ("frame", "embedding + warp_driver", lambda: net.warp_driver(net.embedding(frame["driver.z"], avatar["es"]))),
        ("frame", "2x grid_sample 3d", sample_pair(avatar["volume.canonical"], frame["warp.driver.grid"], rigid_d)),
        ("frame", "projection + g2d", lambda: net.g2d.decode(net.g2d.project(frame["volume.driven"]))),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="megaportraits-512")
    parser.add_argument("--path", choices=["frame", "avatar", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per per-frame stage")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs per per-frame stage")
    parser.add_argument("--avatar-repeat", type=int, default=1)
    parser.add_argument("--avatar-warmup", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    cfg = Config.load(args.config)
    gen = torch.Generator().manual_seed(args.seed)
    s = cfg.image_size
    source, driver = torch.rand(1, 3, s, s, generator=gen), torch.rand(1, 3, s, s, generator=gen)
    net = MegaPortraits(cfg).eval()
    seeded_init(net, args.seed, calibration_images=torch.cat([source, driver]))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"config {cfg.name}, torch {torch.__version__}, {args.threads} threads, float32, batch 1, "
          f"load average {load:.1f} on {os.cpu_count()} CPUs (others' work slows every stage)")
    print("building stage inputs (one full pass) ...", flush=True)
    results = []
    with torch.no_grad():
        todo = stages(net, source, driver)
        for path, name, fn in todo:
            if args.path != "both" and path != args.path:
                continue
            warmup, repeat = (args.avatar_warmup, args.avatar_repeat) if path == "avatar" else (args.warmup, args.repeat)
            with count_flops(net) as flops:
                t0 = time.perf_counter()
                fn()
                first = time.perf_counter() - t0
            times = [first] if warmup == 0 else []
            for _ in range(max(warmup - 1, 0)):
                fn()
            while len(times) < repeat:
                t0 = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t0)
            ms = statistics.median(times) * 1e3
            gflop = flops[0] / 1e9
            rate = gflop / (ms / 1e3) if gflop > 0 else None
            results.append({"path": path, "stage": name, "ms": round(ms, 2), "gflop": round(gflop, 3),
                            "gflops_per_s": round(rate, 1) if rate else None, "runs": len(times)})
            rate_s = f"{rate:7.1f}" if rate else "      -"
            print(f"{path:6s} {name:26s} {ms:10.1f} ms {gflop:9.2f} GFLOP {rate_s} GFLOP/s", flush=True)
    for path in ("avatar", "frame"):
        rows = [r for r in results if r["path"] == path]
        if rows:
            ms, gf = sum(r["ms"] for r in rows), sum(r["gflop"] for r in rows)
            print(f"{path:6s} {'TOTAL':26s} {ms:10.1f} ms {gf:9.2f} GFLOP {gf / (ms / 1e3):7.1f} GFLOP/s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"config": cfg.name, "torch": torch.__version__, "threads": args.threads,
                       "machine": platform.processor() or platform.machine(),
                       "load_average_start": load, "load_average_end": os.getloadavg()[0], "stages": results}, f, indent=2)


if __name__ == "__main__":
    main()
