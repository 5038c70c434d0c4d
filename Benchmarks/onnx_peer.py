#!/usr/bin/env python3
"""The ONNX Runtime peer: the reference network exported with the dynamo exporter, timed in ORT.

Every stage of reference/bench_stages.py (the same modules and inputs that
reference/bench_pytorch.py times) is exported with `torch.onnx.export(..., dynamo=True)` to one
ONNX graph, seeded random weights baked in, and run in an ONNX Runtime CPU session
(`intra_op_num_threads` = --threads, all graph optimisations): median of --repeat runs after
--warmup runs per stage, as the PyTorch anchor does. Each stage's ORT output is checked against
PyTorch's (max |difference| / max |PyTorch|, printed), so the same computation is timed. The whole per-frame or per-avatar path does
not export as one graph: the 4x4 pose algebra calls torch.inverse, which has no ONNX translation
(`aten.linalg_inv_ex`); that part runs on the host between stages, in PyTorch and in the Swift
engine alike (microseconds). A stage that fails to export or run is reported with its error.

It also reports the 3x3 convolutions' effective throughput: direct-convolution FLOPs of every
Conv node with a 3x3(x3) kernel over the time ORT's profiler gives those nodes (in a separate,
profiled session after one warm-up run; per-frame stages, or the avatar's with --path avatar).

Usage: python3 Benchmarks/onnx_peer.py [--config megaportraits-512] [--path frame|avatar|both]
           [--threads 2] [--repeat 3] [--warmup 1] [--onnx-dir DIR] [--json OUT.json]
Needs `pip install onnxruntime onnx onnxscript` (benchmarks only, not a build dependency).
"""
import argparse
import glob
import json
import os
import statistics
import sys
import time
import warnings

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "reference"))
from model import count_flops  # noqa: E402
from bench_stages import seeded_network, stages  # noqa: E402


def slug(text):
    return "".join(ch if ch.isalnum() else "_" for ch in text)


def export_stage(module, inputs, path):
    """Exports one stage with the dynamo exporter (once; reused while the file exists)."""
    if os.path.exists(path):
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(module, inputs, dynamo=True, verbose=False, optimize=True)
    program.save(path, external_data=True)  # weights in a .data file next to the graph


def profiled_conv3x3(session, feeds):
    """(FLOPs, ms) of the Conv nodes with 3x3 or 3x3x3 kernels in the last profiled run of `session`
    (ORT's own node events: weight and output shapes from their type-shape records;
    FLOPs = 2 * Cin * k^d * outputs)."""
    session.run(None, feeds)  # the timed run (the caller ran a warm-up)
    trace = session.end_profiling()
    with open(trace) as f:
        events = json.load(f)
    os.remove(trace)
    last_run = max(e["ts"] for e in events if e.get("name") == "model_run")
    flops = ms = 0.0
    for e in events:
        a = e.get("args", {})
        if e.get("cat") != "Node" or e["ts"] < last_run or a.get("op_name") not in ("Conv", "FusedConv"):
            continue
        shapes = [list(t.values())[0] for t in a.get("input_type_shape", [])]
        out = [list(t.values())[0] for t in a.get("output_type_shape", [])]
        if len(shapes) < 2 or not out or len(shapes[1]) < 4 or any(k != 3 for k in shapes[1][2:]):
            continue
        flops += 2 * int(np.prod(shapes[1][1:])) * int(np.prod(out[0]))
        ms += e["dur"] / 1000
    return flops, ms


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="megaportraits-512")
    ap.add_argument("--path", choices=["frame", "avatar", "both"], default="both")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--avatar-repeat", type=int, default=1)
    ap.add_argument("--avatar-warmup", type=int, default=1,
                    help="untimed runs per avatar stage (ORT's first run of a session allocates its arena)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--onnx-dir", help="where the exported graphs go (default /tmp/portraitcl-onnx/CONFIG-seedN)")
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args(argv)
    import onnxruntime as ort

    cfg, net, source, driver = seeded_network(args.config, args.seed, args.threads)
    folder = args.onnx_dir or f"/tmp/portraitcl-onnx/{cfg.name}-seed{args.seed}"
    os.makedirs(folder, exist_ok=True)
    load = os.getloadavg()[0]
    print(f"config {cfg.name}, onnxruntime {ort.__version__} (CPU), torch {torch.__version__} exporter (dynamo), "
          f"{args.threads} threads, load average {load:.1f}", flush=True)
    results, failures, conv = [], [], {"flops": 0.0, "ms": 0.0}
    with torch.no_grad():
        todo = stages(net, source, driver)
    for path, name, module, inputs in todo:
        if args.path != "both" and path != args.path:
            continue
        model_path = os.path.join(folder, f"{path}-{slug(name)}.onnx")
        try:
            t0 = time.perf_counter()
            with torch.no_grad():
                export_stage(module, inputs, model_path)
                with count_flops(net) as flops:
                    expected = module(*inputs)
            export_s = time.perf_counter() - t0
            options = ort.SessionOptions()
            options.intra_op_num_threads = args.threads
            options.inter_op_num_threads = 1
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            session = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
            feeds = {i.name: t.numpy() for i, t in zip(session.get_inputs(), inputs)}
            got = session.run(None, feeds)[0]
            want = (expected[0] if isinstance(expected, tuple) else expected).numpy()
            error = float(np.abs(got - want).max() / max(np.abs(want).max(), 1e-12))
        except Exception as e:  # noqa: BLE001 - reported, the other stages still run
            failures.append({"path": path, "stage": name, "error": f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"})
            print(f"{path:6s} {name:26s} FAILED: {failures[-1]['error']}", flush=True)
            continue
        warmup, repeat = (args.avatar_warmup, args.avatar_repeat) if path == "avatar" else (args.warmup, args.repeat)
        for _ in range(warmup):
            session.run(None, feeds)
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            session.run(None, feeds)
            times.append(time.perf_counter() - t0)
        ms = statistics.median(times) * 1e3
        gflop = flops[0] / 1e9
        rate = gflop / (ms / 1e3) if gflop > 0 else None
        results.append({"path": path, "stage": name, "ms": round(ms, 2), "gflop": round(gflop, 3),
                        "gflops_per_s": round(rate, 1) if rate else None, "runs": len(times),
                        "max_error_vs_torch": error})
        if path == "frame" or args.path == "avatar":
            options.enable_profiling = True
            options.profile_file_prefix = os.path.join(folder, "profile")
            profiled = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
            profiled.run(None, feeds)  # warm-up
            f3, m3 = profiled_conv3x3(profiled, feeds)
            conv["flops"] += f3
            conv["ms"] += m3
        rate_s = f"{rate:7.1f}" if rate else "      -"
        print(f"{path:6s} {name:26s} {ms:10.1f} ms {gflop:9.2f} GFLOP {rate_s} GFLOP/s  (max rel. error vs PyTorch {error:.1e}; export + load {export_s:.1f} s)",
              flush=True)
    for p in ("avatar", "frame"):
        rows = [r for r in results if r["path"] == p]
        if rows:
            ms, gf = sum(r["ms"] for r in rows), sum(r["gflop"] for r in rows)
            print(f"{p:6s} {'TOTAL':26s} {ms:10.1f} ms {gf:9.2f} GFLOP {gf / (ms / 1e3):7.1f} GFLOP/s")
    for leftover in glob.glob(os.path.join(folder, "profile*.json")):
        os.remove(leftover)
    report = {"config": cfg.name, "onnxruntime": ort.__version__, "threads": args.threads, "exporter": "dynamo",
              "load_average_start": load, "load_average_end": os.getloadavg()[0], "stages": results,
              "failures": failures, "conv3x3": {"gflop": conv["flops"] / 1e9, "ms": conv["ms"],
                                                 "scope": "frame" if args.path != "avatar" else "avatar"}}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
    return report


if __name__ == "__main__":
    main()
