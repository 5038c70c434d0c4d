#!/usr/bin/env python3
"""The same-machine PyTorch anchor of the GPU check: our PyTorch references (reference/model for
MegaPortraits, reference/liveportrait for LivePortrait) timed per avatar (per source) and per frame,
float32 eager and float16 (torch.autocast: convolutions and matrix products in fp16, the pose
algebra that has no fp16 kernel, e.g. linalg.inv, in fp32), on CUDA when PyTorch has it,
else on the CPU (a smoke test: says so in the report). Seeded random weights, batch 1, the same
configs (shapes) as `portrait profile`; the weights are also written as our safetensors files so
that the check runs `portrait profile --weights` on exactly these weights.

Usage: gpu-torch-anchor.py --json OUT.json --weights-dir DIR [--device auto|cuda|cpu]
           [--mp-config megaportraits-512] [--lp-config liveportrait] [--frames 3] [--modes fp32,fp16]
Prints one line per measurement; writes the report (and DIR/megaportraits.safetensors,
DIR/liveportrait.safetensors + .json) even when a part fails (its error is recorded).
Run from the bundle (reference/ beside this script) or the repository (reference/ one level up).
"""
import argparse
import json
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
for candidate in (os.path.join(HERE, "reference"), os.path.join(os.path.dirname(HERE), "reference")):
    if os.path.isdir(os.path.join(candidate, "model")):
        sys.path.insert(0, candidate)
        break

# Swift preset names -> the Python presets of reference/liveportrait/config.py.
LP_PRESETS = {"liveportrait": "released", "liveportrait-tiny": "tiny"}


def pick_device(torch, wanted):
    if wanted == "cpu" or (wanted == "auto" and not torch.cuda.is_available()):
        return "cpu", "PyTorch has no CUDA device here: CPU smoke test, not a GPU anchor" if wanted == "auto" else "CPU as asked"
    if not torch.cuda.is_available():
        raise SystemExit("gpu-torch-anchor: --device cuda, but torch.cuda.is_available() is False")
    return "cuda", torch.cuda.get_device_name(0)


def precision(torch, device, dtype):
    """fp32: eager float32 (autocast off); fp16: torch.autocast to float16 on `device`."""
    return torch.autocast(device_type=device, dtype=torch.float16, enabled=dtype == "fp16")


def timed(torch, device, fn, frames):
    """(first_ms, best_ms, mean_ms) of `frames` timed calls after one warm-up (CUDA: synchronised)."""
    def once():
        if device == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        fn()
        if device == "cuda":
            torch.cuda.synchronize()
        return (time.perf_counter() - t0) * 1e3
    first = once()
    times = [once() for _ in range(max(1, frames))]
    return first, min(times), sum(times) / len(times)


BUILT = {}   # model name -> what its first mode built (seeded init can take a while at 512: once per run)


def megaportraits(torch, args, device, dtype):
    if "megaportraits" not in BUILT:
        from bench_stages import seeded_network
        cfg, net, source, driver = seeded_network(args.mp_config, 0, torch.get_num_threads())
        if args.weights_dir:
            from convert import write
            write(net.state_dict(), cfg, os.path.join(args.weights_dir, "megaportraits.safetensors"), "gpu-torch-anchor seeded")
        BUILT["megaportraits"] = (cfg, net, source, driver)
    cfg, net, source, driver = BUILT["megaportraits"]
    net = net.to(device)
    source, driver = source.to(device), driver.to(device)
    with torch.no_grad(), precision(torch, device, dtype):
        avatar_first, avatar_best, _ = timed(torch, device, lambda: net.encode_avatar(source), 1)
        avatar = net.encode_avatar(source)
        _, frame_best, frame_mean = timed(torch, device, lambda: net.render_frame(avatar, driver), args.frames)
    return {"config": cfg.name, "avatar_ms": avatar_best, "avatar_first_ms": avatar_first,
            "frame_ms": frame_mean, "frame_best_ms": frame_best}


def liveportrait(torch, args, device, dtype):
    from liveportrait import LivePortrait, LivePortraitConfig
    from liveportrait.convert import write
    if "liveportrait" not in BUILT:
        cfg = LivePortraitConfig.load(LP_PRESETS.get(args.lp_config, args.lp_config))
        torch.manual_seed(0)
        model = LivePortrait(cfg).eval()
        if args.weights_dir:
            write(model.state_dict(), cfg, os.path.join(args.weights_dir, "liveportrait"))
        BUILT["liveportrait"] = (cfg, model)
    cfg, model = BUILT["liveportrait"]
    model = model.to(device)
    g = torch.Generator().manual_seed(1)
    size = cfg.image_size
    source = torch.rand(1, 3, size, size, generator=g).to(device)
    driver = torch.rand(1, 3, size, size, generator=g).to(device)
    with torch.no_grad(), precision(torch, device, dtype):
        def per_source():
            return model.motion_info(source)["x"], model.appearance_feature(source)
        avatar_first, avatar_best, _ = timed(torch, device, per_source, 1)
        x_s, f_s = per_source()

        def per_frame():
            x_d = model.motion_info(driver)["x"]
            model.warp_decode(f_s, x_s, model.stitch(x_s, x_d))
        _, frame_best, frame_mean = timed(torch, device, per_frame, args.frames)
    return {"config": cfg.name, "avatar_ms": avatar_best, "avatar_first_ms": avatar_first,
            "frame_ms": frame_mean, "frame_best_ms": frame_best}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", required=True)
    ap.add_argument("--weights-dir", help="write the seeded weights here as our safetensors files")
    ap.add_argument("--device", choices=["auto", "cuda", "cpu"], default="auto")
    ap.add_argument("--mp-config", default="megaportraits-512")
    ap.add_argument("--lp-config", default="liveportrait")
    ap.add_argument("--frames", type=int, default=3)
    ap.add_argument("--modes", default="fp32,fp16")
    ap.add_argument("--threads", type=int, default=0, help="CPU threads (0: PyTorch's default)")
    args = ap.parse_args()
    report = {"torch": None, "device": None, "note": None, "results": []}

    def save():
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    try:
        import torch
    except ImportError as e:
        report["note"] = f"PyTorch is not installed here ({e}): no anchor"
        save()
        print(f"gpu-torch-anchor: {report['note']}")
        return 0
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    device, note = pick_device(torch, args.device)
    report.update(torch=torch.__version__, device=device, note=note)
    if args.weights_dir:
        os.makedirs(args.weights_dir, exist_ok=True)
    print(f"gpu-torch-anchor: torch {torch.__version__} on {device} ({note})", flush=True)
    for model, run in (("megaportraits", megaportraits), ("liveportrait", liveportrait)):
        for dtype in [m.strip() for m in args.modes.split(",") if m.strip()]:
            row = {"model": model, "dtype": dtype, "device": device}
            try:
                row.update(run(torch, args, device, dtype))
                print(f"  {model:14s} {dtype}: per avatar {row['avatar_ms']:9.1f} ms, per frame {row['frame_ms']:9.1f} ms", flush=True)
            except Exception as e:  # noqa: BLE001 - a failed mode is recorded, the others still run
                row["error"] = f"{e.__class__.__name__}: {e}"
                print(f"  {model:14s} {dtype}: failed: {row['error']}", flush=True)
                traceback.print_exc(file=sys.stderr)
            report["results"].append(row)
            save()
            if device == "cuda":
                torch.cuda.empty_cache()
    save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
