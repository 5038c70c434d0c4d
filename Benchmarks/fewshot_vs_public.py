#!/usr/bin/env python3
"""Few-shot talking heads speed: PortraitCL against the public PyTorch code it converts from
(vincent-thevenin/Realistic-Neural-Talking-Head-Models), same weights, alternating rounds.

  python3 Benchmarks/fewshot_vs_public.py [--public-root /work/outside/vincent]
          [--rounds 3] [--frames 2] [--device opencl] [--max-load 1.5] [--work /tmp/fewshot-vs-public]

Setup (once, cached in --work): a public-layout checkpoint with trained-like random values
(`reference/convert_fewshot.py --random`, 256², the released widths) and its conversion — so both
sides run the same weights and shapes. The public checkout is only imported, in a child process,
from outside this repository (its model.py needs tqdm).

Each round runs ours (`portrait profile --model fewshot --json`) and the public code (a child
process: its own `Embedder(256)` and `Generator(256)` on CPU, float32) one after the other,
alternating which goes first, after waiting until the 1-minute load average is below --max-load
(at most --max-wait seconds; the load at the start of every run is printed with it).

  per frame  = one driver landmark image to the 256² face, mean of --frames after one warm-up
               frame: public `G(landmarks, e_hat)` (which also projects ψ = P·ê every frame);
               ours `clip.render` (the landmark image drawn from 68 points, then the generator);
  per source = one source picture and its landmark image (K = 1), warm: public `E(x, y)`;
               ours `makeSource` + `startClip` (embedder, ψ̂ = P·ê once, AdaIN slices resident).

Prints every run, then per-frame and per-source medians, spreads (min–max) and the public ÷ ours
ratio per round and its median, and ours per stage. Needs PyTorch, safetensors and tqdm, and a
built `portrait` (--binary, default .build/release/portrait).
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from alternating_rounds import print_summary, run_rounds  # noqa: E402


def time_public(root, checkpoint, frames, threads):
    """Child process: seconds per source (K = 1) and per frame of the public modules, as JSON on stdout."""
    if not os.path.isfile(os.path.join(root, "network", "model.py")):
        sys.exit(f"fewshot_vs_public: {root} is no checkout of the public code (no network/model.py); give --public-root")
    sys.path.insert(0, root)
    import torch
    from network.model import Embedder, Generator  # the public implementation's own modules
    if threads:
        torch.set_num_threads(threads)
    torch.set_grad_enabled(False)
    state = torch.load(checkpoint, map_location="cpu", weights_only=True)
    E, G = Embedder(256), Generator(256)
    E.load_state_dict(state["E_state_dict"])
    G.load_state_dict(state["G_state_dict"])
    E.eval(), G.eval()
    g = torch.Generator().manual_seed(1)
    pictures = [torch.rand(1, 3, 256, 256, generator=g) for _ in range(frames + 4)]
    E(pictures[0], pictures[1])                        # warm-up
    t0 = time.perf_counter()
    e_hat = E(pictures[2], pictures[3]).mean(dim=0, keepdim=True)
    per_source = time.perf_counter() - t0
    G(pictures[0], e_hat)                              # warm-up
    t0 = time.perf_counter()
    for p in pictures[4:]:
        G(p, e_hat)
    per_frame = (time.perf_counter() - t0) / frames
    print(json.dumps({"per_source_s": per_source, "per_frame_s": per_frame, "torch": torch.__version__,
                      "threads": torch.get_num_threads()}))


def run_ours(args, work):
    cmd = [args.binary, "profile", "--model", "fewshot", "--weights", os.path.join(work, "fewshot.safetensors"),
           "--frames", str(args.frames), "--device", args.device, "--json"]
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    return {"per_frame_s": out["frame_wall_ms"] / 1000, "per_source_s": out.get("source_warm_wall_s", out["avatar_wall_s"]),
            "device": out["device"], "stages": {s["name"]: s["ms"] / args.frames for s in out["frame_stages"]},
            "kernels": {k["name"]: k["ms"] / args.frames for k in out["frame_kernels"][:6]}}


def run_public(args, work):
    cmd = [sys.executable, os.path.abspath(__file__), "--public-worker", os.path.join(work, "public.tar"),
           "--public-root", args.public_root, "--frames", str(args.frames), "--threads", str(args.threads)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=args.public_root).stdout
    return json.loads(out.strip().splitlines()[-1])


def setup(work):
    checkpoint, weights = os.path.join(work, "public.tar"), os.path.join(work, "fewshot.safetensors")
    converter = os.path.join(REPO, "reference", "convert_fewshot.py")
    if not os.path.isfile(checkpoint):
        print(f"setup: public-layout random checkpoint -> {checkpoint}", flush=True)
        subprocess.run([sys.executable, converter, "--random", checkpoint], check=True)
    if not os.path.isfile(weights):
        print("setup: reference/convert_fewshot.py", flush=True)
        subprocess.run([sys.executable, converter, checkpoint, "-o", weights], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--public-root", default="/work/outside/vincent", help="a vincent-thevenin/Realistic-Neural-Talking-Head-Models checkout")
    ap.add_argument("--work", default="/tmp/fewshot-vs-public", help="cache folder for the weights (outside the repository)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--frames", type=int, default=2, help="timed frames per run (after one warm-up frame)")
    ap.add_argument("--device", default="opencl", help="our device (opencl = PoCL on a CPU-only machine; cpu = the Swift fallback)")
    ap.add_argument("--threads", type=int, default=0, help="PyTorch threads (0: PyTorch's default, one per core)")
    ap.add_argument("--max-load", type=float, default=1.5, help="wait before each run until the 1-minute load is below this")
    ap.add_argument("--max-wait", type=float, default=120, help="longest wait for a quiet machine per run, seconds")
    ap.add_argument("--binary", default=os.environ.get("PORTRAIT_BIN", os.path.join(REPO, ".build", "release", "portrait")))
    ap.add_argument("--public-worker", metavar="CHECKPOINT", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.public_worker:
        return time_public(args.public_root, args.public_worker, args.frames, args.threads)
    if args.rounds < 1 or args.frames < 1:
        ap.error("--rounds and --frames must be at least 1")
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"fewshot_vs_public: no portrait binary at {args.binary} (run `make build` or give --binary)")
    started = time.time()
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    setup(work)
    print("setup: first-use kernel builds (one untimed run of ours)", flush=True)
    run_ours(args, work)

    rows = run_rounds(args.rounds, lambda: run_ours(args, work), lambda: run_public(args, work), "public",
                      args.max_load, args.max_wait)
    ours, public = rows[0]["ours"], rows[0]["public"]
    print_summary(rows, "public", f"ours: portrait on {ours['device']}; public: Embedder/Generator(256), PyTorch {public['torch']} CPU float32, "
                  f"{public['threads']} threads; {args.frames} frames per run, {args.rounds} rounds",
                  [("stages", "stage"), ("kernels", "kernel (top 6)")])
    print(f"took {(time.time() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
