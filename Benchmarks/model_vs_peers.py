#!/usr/bin/env python3
"""The whole network on every engine, in one run on one machine: PortraitCL (OpenCL, and the
pure-Swift CPU fallback), the PyTorch reference and ONNX Runtime (the reference exported with the
dynamo exporter), same config, seeded random weights (speed does not depend on values).

Runs, per round (--rounds; ratios are computed within a round):
  ours       `portrait profile --json` on --device (default opencl): per-avatar pass, one warm-up
             frame, --frames timed frames; per frame = wall time per frame, per avatar = kernel time
  ours cpu   the same with --device cpu (skip with --no-cpu); per avatar = host time of its ops
  pytorch    reference/bench_pytorch.py --json --conv3x3: per-stage medians, summed per path
  ort        Benchmarks/onnx_peer.py --json: the same stages as ONNX graphs in ONNX Runtime
and prints per-frame and per-avatar times, the ratios (peer time / ours) and the effective
throughput of the per-frame path's 3x3 convolutions (direct-convolution FLOPs / time) against
the device's measured fp32 peak (`portrait profile` times an FMA loop).

Usage: python3 Benchmarks/model_vs_peers.py [--config megaportraits-512] [--device opencl]
           [--frames 3] [--threads 2] [--path frame|avatar|both] [--peers pytorch,ort]
           [--no-cpu] [--no-stages] [--rounds 1] [--json OUT.json]
Needs PyTorch, and for the ORT peer `pip install onnxruntime onnx onnxscript` (benchmarks only).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def run_script(cmd):
    """Runs a peer script that writes its report with --json; returns the report."""
    with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
        subprocess.run([sys.executable] + cmd + ["--json", tmp.name], check=True, capture_output=True, text=True)
        return json.load(open(tmp.name))


def conv3x3_ours(report):
    """(GFLOP, ms) of the 3x3 convolution kernels of the timed frames (all frames together):
    the tile kernels `conv_k3*` and the Winograd kernels `conv3x3_*` (F(4x4, 3x3)) and
    `conv3x3x3_*` (F(2x2x2, 3x3x3)); their costs carry the direct-convolution FLOPs. The shared
    padding copy of the direct kernels (`conv_pad_input`) is not included."""
    rows = [k for k in report["frame_kernels"] if k["name"].startswith(("conv_k3", "conv3x3_", "conv3x3x3_"))]
    ms = sum(k["ms"] for k in rows)
    return sum(k["gflops"] * k["ms"] / 1e3 for k in rows), ms


def ours(args, device):
    report = run_json([args.binary, "profile", "--config", args.config, "--random-weights", "1",
                       "--frames", str(args.frames), "--device", device, "--json"])
    row = {"engine": f"PortraitCL {device}", "device": report["device"], "frame_ms": report["frame_wall_ms"],
           "avatar_ms": report["avatar_kernel_s"] * 1000, "report": report}
    if device != "cpu":
        gflop, ms = conv3x3_ours(report)
        row["conv3x3"] = {"gflop": gflop / args.frames, "ms": ms / args.frames}
        row["peak"] = report.get("peak_gflops_measured")
    return row


def peer(name, report):
    totals = {p: sum(s["ms"] for s in report["stages"] if s["path"] == p) for p in ("avatar", "frame")}
    return {"engine": name, "frame_ms": totals["frame"] or None, "avatar_ms": totals["avatar"] or None,
            "conv3x3": report.get("conv3x3"), "report": report}


def one_round(args, number):
    rows = []
    steps = [("ours", lambda: ours(args, args.device))]
    if not args.no_cpu:
        steps.append(("ours cpu", lambda: ours(args, "cpu")))
    common = ["--config", args.config, "--threads", str(args.threads), "--path", args.path]
    if "pytorch" in args.peers:
        steps.append(("pytorch", lambda: peer("PyTorch", run_script([os.path.join(ROOT, "reference", "bench_pytorch.py"),
                                                                      "--conv3x3"] + common))))
    if "ort" in args.peers:
        steps.append(("ort", lambda: peer("ONNX Runtime", run_script([os.path.join(HERE, "onnx_peer.py")] + common))))
    for i, (label, step) in enumerate(steps):
        before = os.getloadavg()[0]
        print(f"[round {number}, {i + 1}/{len(steps)}] {label} ... load average {before:.1f}", flush=True)
        row = step()
        row["load"] = [before, os.getloadavg()[0]]
        rows.append(row)
    return rows


def print_round(args, rows, number):
    base = rows[0]
    load = os.getloadavg()
    print(f"\nround {number}: {args.config} — ours on {base['device']}; load average now "
          f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min)")
    paths = [p for p in ("frame", "avatar") if args.path in (p, "both")]
    header = f"{'engine':26}" + "".join(f"{p + ' ms':>13}{'÷ ours':>8}" for p in paths) + f"{'load':>12}"
    print(header)
    for r in rows:
        line = f"{r['engine']:26}"
        for p in paths:
            t, mine = r[f"{p}_ms"], base[f"{p}_ms"]
            line += f"{t:>13.1f}{t / mine:>7.2f}x" if t and mine else f"{'-':>13}{'':>8}"
        print(line + f"{r['load'][0]:>7.1f}→{r['load'][1]:.1f}")
    peak = base.get("peak")
    print("\n3x3 convolutions of the per-frame path (direct-convolution FLOPs / time, per frame):")
    for r in rows:
        c = r.get("conv3x3")
        if c and c.get("ms"):
            rate = c["gflop"] / c["ms"] * 1e3
            share = f"  {100 * rate / peak:5.1f} % of the measured peak {peak:.0f}" if peak else ""
            print(f"  {r['engine']:24}{c['gflop']:9.1f} GFLOP {c['ms']:9.1f} ms {rate:8.1f} GFLOP/s{share}")
    if args.stages:
        for r in rows:
            rep = r["report"]
            print(f"\n{r['engine']} stages (ms; ours: per frame / once per avatar, peers: stage medians):")
            if "frame_stages" in rep:
                for key, scale in (("frame_stages", args.frames), ("avatar_stages", 1)):
                    for s in rep[key]:
                        print(f"  {s['name']:30}{s['ms'] / scale:>10.1f} {s['gflops']:>8.1f} GFLOP/s")
            else:
                for s in rep["stages"]:
                    rate = f"{s['gflops_per_s']:>8.1f} GFLOP/s" if s.get("gflops_per_s") else ""
                    print(f"  {s['path'] + '/' + s['stage']:30}{s['ms']:>10.1f} {rate}")
    for r in rows:
        for f in r["report"].get("failures", []):
            print(f"  {r['engine']}: {f['path']}/{f['stage']} failed: {f['error']}")


def main(argv=None, default_peers="pytorch,ort"):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="megaportraits-512")
    ap.add_argument("--device", default="opencl")
    ap.add_argument("--frames", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--path", default="both", choices=["frame", "avatar", "both"])
    ap.add_argument("--peers", default=default_peers, help="comma-separated: pytorch, ort")
    ap.add_argument("--no-cpu", action="store_true", help="skip the pure-Swift CPU fallback")
    ap.add_argument("--stages", action=argparse.BooleanOptionalAction, default=True, help="print per-stage times")
    ap.add_argument("--rounds", type=int, default=1, help="repeat everything; ratios are per round")
    ap.add_argument("--binary", default=os.environ.get("PORTRAIT_BIN", os.path.join(ROOT, ".build/release/portrait")))
    ap.add_argument("--json", help="also write every report here")
    args = ap.parse_args(argv)
    args.peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    rounds = []
    for n in range(1, args.rounds + 1):
        rows = one_round(args, n)
        print_round(args, rows, n)
        rounds.append(rows)
    print("\n(per frame: PortraitCL wall time per frame after a warm-up frame; per avatar: PortraitCL kernel time;"
          " peers: sum of their per-stage medians, reference/bench_stages.py)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"config": args.config, "rounds": rounds}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
