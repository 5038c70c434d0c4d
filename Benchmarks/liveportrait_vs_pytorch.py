#!/usr/bin/env python3
"""LivePortrait per frame and per source: PortraitCL against the PyTorch reference, same weights, one run.

Runs `portrait profile --json` on a LivePortrait config and weights file (the converter's output,
or --random-weights), then times `reference/liveportrait` (whose every stage matches the official
code to ~1e-5 at the released sizes, docs/liveportrait.md §8) on the same weights file: per source
motion + appearance, per frame motion + warping + decoder (the stitching MLP is negligible), float32
on --threads CPU threads. Prints both and the ratio (PyTorch time / ours).

Usage: python3 Benchmarks/liveportrait_vs_pytorch.py --config lp.json --weights lp.safetensors
                                                     [--device opencl] [--frames 2] [--threads 2]
PyTorch and safetensors are needed only here.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "reference"))


def time_reference(config, weights, frames, threads):
    """Seconds per source (motion + appearance, after a warm-up) and per frame (motion + warp + decode), best of `frames`."""
    import torch
    from safetensors.torch import load_file
    from liveportrait import LivePortrait, LivePortraitConfig
    torch.set_num_threads(threads)
    cfg = LivePortraitConfig.load(config)
    model = LivePortrait(cfg).eval()
    model.load_state_dict(load_file(weights), strict=True)
    g = torch.Generator().manual_seed(1)
    size = cfg.image_size
    source = torch.rand(1, 3, size, size, generator=g)
    drivers = [torch.rand(1, 3, size, size, generator=g) for _ in range(frames + 1)]
    with torch.no_grad():
        model.motion_info(drivers[0])           # warm-up, as ours is timed on a second source
        model.appearance_feature(drivers[0])
        t0 = time.perf_counter()
        x_s = model.motion_info(source)["x"]
        f_s = model.appearance_feature(source)
        per_source = time.perf_counter() - t0
        times = []
        for i, d in enumerate(drivers):
            t0 = time.perf_counter()
            x_d = model.motion_info(d)["x"]
            model.warp_decode(f_s, x_s, model.stitch(x_s, x_d))
            if i > 0:   # the first frame warms up, as `portrait profile` does
                times.append(time.perf_counter() - t0)
    return per_source, min(times), sum(times) / len(times), torch.__version__


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="liveportrait", help="LivePortrait config (preset name or the converter's JSON)")
    ap.add_argument("--weights", required=True, help="converted weights (reference/convert.py --liveportrait)")
    ap.add_argument("--device", default="opencl")
    ap.add_argument("--frames", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--binary", default=os.environ.get("PORTRAIT_BIN", ".build/release/portrait"))
    args = ap.parse_args()

    print(f"[1/2] portrait profile --config {args.config} --device {args.device} ...", flush=True)
    out = subprocess.run([args.binary, "profile", "--model", "liveportrait", "--config", args.config, "--weights", args.weights,
                          "--frames", str(args.frames), "--device", args.device, "--json"],
                         check=True, capture_output=True, text=True).stdout
    ours = json.loads(out)
    print(f"[2/2] reference/liveportrait (PyTorch, {args.threads} threads) ...", flush=True)
    per_source, best, mean, version = time_reference(args.config, args.weights, args.frames, args.threads)
    our_frame = ours["frame_wall_ms"] / 1000
    our_source = ours.get("source_warm_wall_s", ours["avatar_wall_s"])   # a second source, kernels built
    print(f"\n{ours['config']}: PortraitCL on {ours['device']} vs PyTorch {version} CPU ({args.threads} threads); "
          f"load average now {os.getloadavg()[0]:.1f}")
    print(f"{'path':12} {'GFLOP':>8} {'PortraitCL s':>13} {'PyTorch s':>10} {'PyTorch / ours':>15}")
    print(f"{'per frame':12} {ours['frame_gflop']:8.1f} {our_frame:13.2f} {mean:10.2f} {mean / our_frame:14.2f}x"
          f"   (PyTorch best {best:.2f} s)")
    print(f"{'per source':12} {ours['avatar_gflop']:8.1f} {our_source:13.2f} {per_source:10.2f} {per_source / our_source:14.2f}x"
          f"   (ours: a second source, warm; the first {ours['avatar_wall_s']:.2f} s incl. first-use kernel builds)")
    print("\nper-frame stages (ours, per frame):")
    for s in ours["frame_stages"]:
        print(f"  {s['name']:24} {s['ms'] / args.frames:10.1f} ms  {s['gflops']:7.1f} GFLOP/s")


if __name__ == "__main__":
    main()
