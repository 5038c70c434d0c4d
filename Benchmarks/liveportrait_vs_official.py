#!/usr/bin/env python3
"""LivePortrait speed: PortraitCL against the official KwaiVGI/LivePortrait code, same weights, alternating rounds.

  python3 Benchmarks/liveportrait_vs_official.py [--official-root /work/outside/LivePortrait]
          [--rounds 3] [--frames 3] [--device opencl] [--max-load 1.5] [--work /tmp/lp-vs-official]

Setup (once, cached in --work): builds the official networks at the released sizes from the
official `models.yaml` with the official classes, gives them PyTorch's default random init (seeded;
speed does not depend on the values), saves them in the official `.pth` layout, and converts those
files with `reference/convert.py --liveportrait` — so both sides run the same weights and shapes.
The official checkout is only imported, in a child process, from outside this repository.

Each round runs ours (`portrait profile --model liveportrait --json`) and the official code (a
child process: the official `LivePortraitWrapper` on CPU, float32, no torch.compile) one after
the other, alternating which goes first, after waiting until the 1-minute load average is below
--max-load (at most --max-wait seconds; the load at the start of every run is printed with it).

  per frame  = one driving 256² frame to the 512² image, mean of --frames after one warm-up frame:
               official get_kp_info + rotation + the default relative-motion keypoint equation +
               stitching + warp_decode; ours `clip.render` (the same steps);
  per source = one source 256² picture, warm (after one warm-up source): official get_kp_info +
               rotation + transform_keypoint + extract_feature_3d; ours `makeSource` + `startClip`.

Prints every run, then per-frame and per-source medians, spreads (min–max) and the official ÷ ours
ratio per round and its median. Needs PyTorch, safetensors, numpy, PyYAML, scipy and OpenCV (the
official wrapper imports them) and a built `portrait` (--binary, default .build/release/portrait).
"""
import argparse
import json
import os
import subprocess
import sys
import time

from alternating_rounds import print_summary, run_rounds

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PTH_FILES = ("appearance_feature_extractor.pth", "motion_extractor.pth", "warping_module.pth", "spade_generator.pth")


def import_official(root):
    """Puts the official checkout on sys.path (its code uses `from src.… import`)."""
    if not os.path.isfile(os.path.join(root, "src", "live_portrait_wrapper.py")):
        sys.exit(f"liveportrait_vs_official: {root} is not a LivePortrait checkout (no src/live_portrait_wrapper.py); "
                 "give --official-root")
    sys.path.insert(0, root)


def make_weights(root, out_dir, seed):
    """Child process: the official networks at the released sizes, seeded default init, saved as official .pth files."""
    import_official(root)
    import torch
    import yaml
    from src.modules.appearance_feature_extractor import AppearanceFeatureExtractor
    from src.modules.motion_extractor import MotionExtractor
    from src.modules.spade_generator import SPADEDecoder
    from src.modules.stitching_retargeting_network import StitchingRetargetingNetwork
    from src.modules.warping_network import WarpingNetwork
    torch.manual_seed(seed)
    params = yaml.safe_load(open(os.path.join(root, "src", "config", "models.yaml")))["model_params"]
    base, retarget = os.path.join(out_dir, "base_models"), os.path.join(out_dir, "retargeting_models")
    os.makedirs(base, exist_ok=True)
    os.makedirs(retarget, exist_ok=True)
    nets = {"appearance_feature_extractor": AppearanceFeatureExtractor, "motion_extractor": MotionExtractor,
            "warping_module": WarpingNetwork, "spade_generator": SPADEDecoder}
    for name, cls in nets.items():
        torch.save(cls(**params[f"{name}_params"]).state_dict(), os.path.join(base, f"{name}.pth"))
    mlp = params["stitching_retargeting_module_params"]
    torch.save({"retarget_shoulder": StitchingRetargetingNetwork(**mlp["stitching"]).state_dict(),
                "retarget_mouth": StitchingRetargetingNetwork(**mlp["lip"]).state_dict(),
                "retarget_eye": StitchingRetargetingNetwork(**mlp["eye"]).state_dict()},
               os.path.join(retarget, "stitching_retargeting_module.pth"))


def time_official(root, pth_dir, frames, threads, half=False):
    """Child process: seconds per source and per frame of the official wrapper (CPU; float32, or the
    official default float16 autocast with `half`), as JSON on stdout."""
    import_official(root)
    import torch
    from src.config.inference_config import InferenceConfig
    from src.live_portrait_wrapper import LivePortraitWrapper
    from src.utils.camera import get_rotation_matrix
    if threads:
        torch.set_num_threads(threads)
    base = os.path.join(pth_dir, "base_models")
    cfg = InferenceConfig(flag_force_cpu=True, flag_use_half_precision=half, flag_do_torch_compile=False,
                          checkpoint_F=os.path.join(base, "appearance_feature_extractor.pth"),
                          checkpoint_M=os.path.join(base, "motion_extractor.pth"),
                          checkpoint_W=os.path.join(base, "warping_module.pth"),
                          checkpoint_G=os.path.join(base, "spade_generator.pth"),
                          checkpoint_S=os.path.join(pth_dir, "retargeting_models", "stitching_retargeting_module.pth"))
    w = LivePortraitWrapper(inference_cfg=cfg)
    g = torch.Generator().manual_seed(1)
    images = [torch.rand(1, 3, 256, 256, generator=g) for _ in range(frames + 3)]

    def source(img):
        info = w.get_kp_info(img)
        rotation = get_rotation_matrix(info["pitch"], info["yaw"], info["roll"])
        return info, rotation, w.transform_keypoint(info), w.extract_feature_3d(img)

    def frame(src, first, img):
        # live_portrait_pipeline.execute, default branch: relative motion, stitching, no retargeting.
        s_info, s_rot, x_s, f_s = src
        d0_info, d0_rot = first
        d_info = w.get_kp_info(img)
        d_rot = get_rotation_matrix(d_info["pitch"], d_info["yaw"], d_info["roll"])
        rot = (d_rot @ d0_rot.permute(0, 2, 1)) @ s_rot
        delta = s_info["exp"] + (d_info["exp"] - d0_info["exp"])
        scale = s_info["scale"] * (d_info["scale"] / d0_info["scale"])
        t = s_info["t"] + (d_info["t"] - d0_info["t"])
        t[..., 2].fill_(0)
        x_d = scale * (s_info["kp"] @ rot + delta) + t[:, None]
        x_d = w.stitching(x_s, x_d)
        return w.warp_decode(f_s, x_s, x_d)["out"]

    with torch.no_grad():
        source(images[0])                       # warm-up
        t0 = time.perf_counter()
        src = source(images[1])
        per_source = time.perf_counter() - t0
        d0 = w.get_kp_info(images[2])
        first = (d0, get_rotation_matrix(d0["pitch"], d0["yaw"], d0["roll"]))
        frame(src, first, images[2])            # warm-up
        t0 = time.perf_counter()
        for img in images[3:]:
            frame(src, first, img)
        per_frame = (time.perf_counter() - t0) / frames
    print(json.dumps({"per_source_s": per_source, "per_frame_s": per_frame, "torch": torch.__version__,
                      "threads": torch.get_num_threads()}))


def run_ours(args, work):
    cmd = [args.binary, "profile", "--model", "liveportrait", "--config", os.path.join(work, "lp.json"),
           "--weights", os.path.join(work, "lp.safetensors"), "--frames", str(args.frames), "--device", args.device, "--json"]
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    source = out.get("source_warm_wall_s", out["avatar_wall_s"])
    return {"per_frame_s": out["frame_wall_ms"] / 1000, "per_source_s": source, "device": out["device"],
            "stages": {s["name"]: s["ms"] / args.frames for s in out["frame_stages"]}}


def run_official(args, work):
    cmd = [sys.executable, os.path.abspath(__file__), "--official-worker", os.path.join(work, "pth"),
           "--official-root", args.official_root, "--frames", str(args.frames), "--threads", str(args.threads)]
    if args.official_half:
        cmd.append("--official-half")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=args.official_root).stdout
    return json.loads(out.strip().splitlines()[-1])


def setup(args, work):
    pth = os.path.join(work, "pth")
    if not all(os.path.isfile(os.path.join(pth, "base_models", f)) for f in PTH_FILES):
        print(f"setup: official-layout random weights -> {pth}", flush=True)
        subprocess.run([sys.executable, os.path.abspath(__file__), "--make-weights", pth,
                        "--official-root", args.official_root], check=True, cwd=args.official_root)
    if not os.path.isfile(os.path.join(work, "lp.safetensors")):
        print("setup: reference/convert.py --liveportrait", flush=True)
        flat = os.path.join(work, "flat")   # the converter reads the five files from one folder
        os.makedirs(flat, exist_ok=True)
        for sub in ("base_models", "retargeting_models"):
            for f in os.listdir(os.path.join(pth, sub)):
                dst = os.path.join(flat, f)
                if not os.path.exists(dst):
                    os.symlink(os.path.join(pth, sub, f), dst)
        subprocess.run([sys.executable, os.path.join(REPO, "reference", "convert.py"), "--liveportrait", flat,
                        "--config", "liveportrait", "--out", os.path.join(work, "lp")], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--official-root", default="/work/outside/LivePortrait", help="a KwaiVGI/LivePortrait checkout")
    ap.add_argument("--work", default="/tmp/lp-vs-official", help="cache folder for the weights (outside the repository)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--frames", type=int, default=3, help="timed frames per run (after one warm-up frame)")
    ap.add_argument("--device", default="opencl", help="our device (opencl = PoCL on a CPU-only machine; cpu = the Swift fallback)")
    ap.add_argument("--threads", type=int, default=0, help="PyTorch threads (0: PyTorch's default, one per core)")
    ap.add_argument("--max-load", type=float, default=1.5, help="wait before each run until the 1-minute load is below this")
    ap.add_argument("--max-wait", type=float, default=120, help="longest wait for a quiet machine per run, seconds")
    ap.add_argument("--binary", default=os.environ.get("PORTRAIT_BIN", os.path.join(REPO, ".build", "release", "portrait")))
    ap.add_argument("--official-half", action="store_true",
                    help="run the official code with its default flag_use_half_precision (float16 autocast; on a CPU "
                         "that is slower than float32); default float32, as ours")
    ap.add_argument("--make-weights", metavar="DIR", help=argparse.SUPPRESS)
    ap.add_argument("--official-worker", metavar="DIR", help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.make_weights:
        return make_weights(args.official_root, args.make_weights, args.seed)
    if args.official_worker:
        return time_official(args.official_root, args.official_worker, args.frames, args.threads, args.official_half)
    if args.rounds < 1 or args.frames < 1:
        ap.error("--rounds and --frames must be at least 1")
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"liveportrait_vs_official: no portrait binary at {args.binary} (run `make build` or give --binary)")
    started = time.time()
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    setup(args, work)
    print("setup: first-use kernel builds (one untimed run of ours)", flush=True)
    run_ours(args, work)

    rows = run_rounds(args.rounds, lambda: run_ours(args, work), lambda: run_official(args, work), "official",
                      args.max_load, args.max_wait)
    precision = "float16 autocast (its default)" if args.official_half else "float32"
    ours, official = rows[0]["ours"], rows[0]["official"]
    print_summary(rows, "official", f"ours: portrait on {ours['device']}; official: LivePortrait wrapper, PyTorch {official['torch']} "
                  f"CPU {precision}, {official['threads']} threads; {args.frames} frames per run, {args.rounds} rounds",
                  [("stages", "stage")])
    print(f"took {(time.time() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
