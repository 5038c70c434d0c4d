#!/usr/bin/env python3
"""The whole network, PortraitCL against the PyTorch reference, in one run on one machine.

Runs `portrait profile --json` (seeded random weights, per-avatar pass then --frames timed frames
after a warm-up frame) and `reference/bench_pytorch.py --json` (same config, random weights,
float32, --threads threads) back to back, and prints the per-avatar and per-frame totals and the
per-stage times side by side, with speed-ups (PyTorch time / PortraitCL time).

Usage: python3 Benchmarks/model_vs_pytorch.py [--config megaportraits-512] [--device opencl]
                                              [--frames 3] [--threads 2] [--path frame|avatar|both]
PyTorch is needed only here; weights are random in both (FLOPs and speed do not depend on values).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="megaportraits-512")
    ap.add_argument("--device", default="opencl")
    ap.add_argument("--frames", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--path", default="both", choices=["frame", "avatar", "both"])
    ap.add_argument("--binary", default=os.environ.get("PORTRAIT_BIN", ".build/release/portrait"))
    ap.add_argument("--json", help="also write both reports here")
    args = ap.parse_args()

    print(f"[1/2] portrait profile --config {args.config} --device {args.device} ...", flush=True)
    ours = run_json([args.binary, "profile", "--config", args.config, "--random-weights", "1",
                     "--frames", str(args.frames), "--device", args.device, "--json"])
    print("[2/2] reference/bench_pytorch.py ...", flush=True)
    with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
        subprocess.run([sys.executable, "reference/bench_pytorch.py", "--config", args.config, "--threads", str(args.threads),
                        "--path", args.path, "--json", tmp.name], check=True, capture_output=True, text=True)
        torch_report = json.load(open(tmp.name))

    load = os.getloadavg()[0]
    print(f"\n{args.config}: PortraitCL on {ours['device']}  vs  PyTorch {torch_report['torch']} CPU "
          f"({torch_report['threads']} threads); load average now {load:.1f}")
    torch_total = {p: sum(s["ms"] for s in torch_report["stages"] if s["path"] == p) for p in ("avatar", "frame")}
    our_avatar_ms = ours["avatar_kernel_s"] * 1000
    our_frame_ms = ours["frame_wall_ms"]
    print(f"{'path':10}{'GFLOP':>10}{'PortraitCL ms':>16}{'PyTorch ms':>14}{'speed-up':>10}")
    for path, gf, mine in (("avatar", ours["avatar_gflop"], our_avatar_ms), ("frame", ours["frame_gflop"], our_frame_ms)):
        if args.path in (path, "both"):
            t = torch_total[path]
            print(f"{path:10}{gf:>10.1f}{mine:>16.1f}{t:>14.1f}{t / mine if mine else float('nan'):>9.2f}x")
    print("\n(per avatar: PortraitCL kernel time; per frame: PortraitCL wall time per frame after warm-up;"
          " PyTorch: sum of its per-stage medians)")
    print("\nPortraitCL per-frame stages (ms per frame):")
    for s in ours["frame_stages"]:
        print(f"  {s['name']:28}{s['ms'] / args.frames:>10.1f} ms {s['gflops']:>8.1f} GFLOP/s")
    print("PyTorch per-stage (ms):")
    for s in torch_report["stages"]:
        rate = f"{s['gflops_per_s']:>8.1f} GFLOP/s" if s.get("gflops_per_s") else ""
        print(f"  {s['path'] + '/' + s['stage']:28}{s['ms']:>10.1f} ms {rate}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"portraitcl": ours, "pytorch": torch_report}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
