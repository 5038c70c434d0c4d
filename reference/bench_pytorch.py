#!/usr/bin/env python3
"""The PyTorch CPU speed anchor: per-avatar and per-frame stage times of a config.

Seeded random weights (reference/model/init.py), batch 1, float32, torch.no_grad, N threads
(default 2). Each stage (reference/bench_stages.py, shared with the ONNX Runtime peer) is timed on
its own inputs: median of --repeat runs after --warmup runs.
FLOPs are analytic (2 x MACs of every conv and linear, reference/model/flops.py); grid samples,
norms and element-wise ops count 0 FLOPs, so their GFLOP/s column is blank.

Usage: python3 reference/bench_pytorch.py [--config megaportraits-512] [--path frame|avatar|both]
                                          [--repeat 3] [--warmup 1] [--avatar-repeat 1]
                                          [--avatar-warmup 0] [--threads 2] [--conv3x3] [--json OUT.json]
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import count_flops  # noqa: E402
from model.flops import module_flops  # noqa: E402
from bench_stages import seeded_network, stages  # noqa: E402


def time_conv3x3(net, calls):
    """{'gflop', 'ms'} of the 3x3(x3) convolutions run by `calls` [(module, inputs)], each call
    run once after a warm-up, each convolution timed by forward pre/post hooks (host clock)."""
    convs = [m for m in net.modules() if isinstance(m, (nn.Conv2d, nn.Conv3d)) and all(k == 3 for k in m.kernel_size)]
    total = {"flops": 0, "s": 0.0}
    started = {}

    def pre(m, _):
        started[m] = time.perf_counter()

    def post(m, _, out):
        total["s"] += time.perf_counter() - started.pop(m)
        total["flops"] += module_flops(m, out)

    for module, inputs in calls:
        module(*inputs)
    hooks = [h for m in convs for h in (m.register_forward_pre_hook(pre), m.register_forward_hook(post))]
    try:
        for module, inputs in calls:
            module(*inputs)
    finally:
        for h in hooks:
            h.remove()
    return {"gflop": total["flops"] / 1e9, "ms": total["s"] * 1e3}


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
    parser.add_argument("--conv3x3", action="store_true",
                        help="also time every 3x3(x3) convolution of the per-frame stages (the per-avatar ones "
                             "with --path avatar) once (forward hooks) and report their direct-convolution GFLOP/s")
    args = parser.parse_args()
    cfg, net, source, driver = seeded_network(args.config, args.seed, args.threads)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"config {cfg.name}, torch {torch.__version__}, {args.threads} threads, float32, batch 1, "
          f"load average {load:.1f} on {os.cpu_count()} CPUs (others' work slows every stage)")
    print("building stage inputs (one full pass) ...", flush=True)
    results = []
    with torch.no_grad():
        todo = stages(net, source, driver)
        for path, name, module, inputs in todo:
            if args.path != "both" and path != args.path:
                continue
            fn = lambda: module(*inputs)  # noqa: E731
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
    conv3x3 = None
    if args.conv3x3:
        with torch.no_grad():
            scope = "avatar" if args.path == "avatar" else "frame"
            conv3x3 = time_conv3x3(net, [(m, i) for p, _, m, i in todo if p == scope])
            conv3x3["scope"] = scope
        print(f"3x3 convolutions: {conv3x3['gflop']:.1f} GFLOP in {conv3x3['ms']:.1f} ms = "
              f"{conv3x3['gflop'] / conv3x3['ms'] * 1e3:.1f} GFLOP/s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"config": cfg.name, "torch": torch.__version__, "threads": args.threads, "conv3x3": conv3x3,
                       "machine": platform.processor() or platform.machine(),
                       "load_average_start": load, "load_average_end": os.getloadavg()[0], "stages": results}, f, indent=2)


if __name__ == "__main__":
    main()
