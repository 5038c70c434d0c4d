#!/usr/bin/env python3
"""Per-op throughput of PortraitCL against PyTorch CPU, measured in the same run.

Runs `portrait profile --ops --json` on the chosen device (the engine's own event timings after
a warm-up), then times the same ops at the same shapes and parameters with PyTorch
(torch.nn.functional, float32, --threads threads, median of --repeat calls after a warm-up), and
prints both with the ratio (PyTorch time / PortraitCL time: above 1 means PortraitCL is faster).

Usage: python3 Benchmarks/ops_vs_pytorch.py [--device opencl] [--only conv3d,grid_sample]
                                            [--threads 2] [--repeat 5] [--json OUT.json]
PyTorch is needed only here (pip install torch); it is not a build or test dependency.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import torch
import torch.nn.functional as F


def parse(value):
    """Parameters arrive as text, exactly as `portrait op` takes them."""
    v = value.strip()
    if v.lower() in ("true", "false"):
        return v.lower() == "true"
    parts = [p.strip() for p in v.strip("()[]").split(",")]
    try:
        nums = [int(p) for p in parts]
        return nums[0] if len(nums) == 1 else nums
    except ValueError:
        pass
    try:
        return float(v)
    except ValueError:
        return v


def identity_grid(d, h, w):
    zs, ys, xs = torch.meshgrid(torch.linspace(-1, 1, d), torch.linspace(-1, 1, h), torch.linspace(-1, 1, w), indexing="ij")
    return torch.stack([xs, ys, zs], dim=-1)


def torch_call(op, t, p):
    """The PyTorch function for catalog op `op` with tensors t and parsed params p."""
    g = lambda k, d=None: p.get(k, d)
    if op in ("relu", "sigmoid", "tanh"):
        return lambda: getattr(F, op)(t["input"])
    if op == "leaky_relu":
        return lambda: F.leaky_relu(t["input"], g("negative_slope", 0.01))
    if op == "add":
        return lambda: torch.add(t["input"], t["other"], alpha=g("alpha", 1))
    if op == "mul":
        return lambda: t["input"] * g("other", 1.0)
    if op in ("conv2d", "conv3d"):
        fn = getattr(F, op)
        return lambda: fn(t["input"], t["weight"], t.get("bias"), stride=g("stride", 1), padding=g("padding", 0))
    if op == "linear":
        return lambda: F.linear(t["input"], t["weight"], t.get("bias"))
    if op == "matmul":
        return lambda: torch.matmul(t["input"], t["other"])
    if op == "group_norm":
        return lambda: F.group_norm(t["input"], g("num_groups", 32), t.get("weight"), t.get("bias"), g("eps", 1e-5))
    if op == "adaptive_group_norm":
        def agn():
            x = F.group_norm(t["input"], g("num_groups", 32), eps=g("eps", 1e-5))
            shape = list(t["gamma"].shape) + [1] * (x.dim() - 2)
            return x * t["gamma"].view(shape) + t["beta"].view(shape)
        return agn
    if op == "batch_norm":
        var = t["running_var"].abs() + 0.1
        return lambda: F.batch_norm(t["input"], t["running_mean"], var, t.get("weight"), t.get("bias"), False, 0.0, g("eps", 1e-5))
    if op in ("avg_pool2d", "avg_pool3d"):
        fn = getattr(F, op)
        return lambda: fn(t["input"], g("kernel_size"), g("stride"))
    if op == "max_pool2d":
        return lambda: F.max_pool2d(t["input"], g("kernel_size"), g("stride"), g("padding", 0))
    if op == "adaptive_avg_pool2d":
        return lambda: F.adaptive_avg_pool2d(t["input"], g("output_size"))
    if op == "interpolate":
        kw = {"mode": g("mode", "nearest")}
        if "size" in p:
            kw["size"] = g("size")
        else:
            kw["scale_factor"] = g("scale_factor")
        if kw["mode"] != "nearest":
            kw["align_corners"] = g("align_corners", False)
        return lambda: F.interpolate(t["input"], **kw)
    if op == "grid_sample":
        return lambda: F.grid_sample(t["input"], t["grid"], mode=g("mode", "bilinear"),
                                     padding_mode=g("padding_mode", "zeros"), align_corners=g("align_corners", False))
    if op == "affine_grid":
        return lambda: F.affine_grid(t["theta"], g("size"), align_corners=g("align_corners", False))
    if op == "deformation_grid":
        n, _, d, h, w = t["input"].shape
        ident = identity_grid(d, h, w)
        return lambda: ident + t["input"].permute(0, 2, 3, 4, 1)
    return None


def time_torch(fn, repeat):
    with torch.no_grad():
        fn()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="opencl")
    ap.add_argument("--only")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--binary", default=os.environ.get("PORTRAIT_BIN", ".build/release/portrait"))
    ap.add_argument("--json", help="also write the rows here")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    cmd = [args.binary, "profile", "--ops", "--json", "--device", args.device, "--repeat", str(args.repeat)]
    if args.only:
        cmd += ["--only", args.only]
    report = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    print(f"PortraitCL on {report['device']}  vs  PyTorch {torch.__version__} CPU, {args.threads} threads")
    print(f"{'op':<20}{'case':<36}{'ours ms':>10}{'GFLOP/s':>9}{'torch ms':>10}{'GFLOP/s':>9}{'speed-up':>10}")
    rows = []
    for case in report["cases"]:
        params = {k: parse(v) for k, v in case["params"].items()}
        gen = torch.Generator().manual_seed(0)
        tensors = {k: torch.rand(*s, generator=gen) * 2 - 1 for k, s in case["shapes"].items()}
        fn = torch_call(case["op"], tensors, params)
        torch_ms = time_torch(fn, args.repeat) if fn else float("nan")
        gf = case["flops"] / 1e6
        ratio = torch_ms / case["ms"] if case["ms"] > 0 else float("nan")
        rows.append({**case, "torch_ms": torch_ms, "speedup": ratio})
        print(f"{case['op']:<20}{case['case']:<36}{case['ms']:>10.3f}{gf / case['ms'] if case['ms'] else 0:>9.1f}"
              f"{torch_ms:>10.3f}{gf / torch_ms if torch_ms else 0:>9.1f}{ratio:>9.2f}x")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"device": report["device"], "torch": torch.__version__, "threads": args.threads, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
