#!/usr/bin/env python3
"""End-to-end parity of `portrait render` with LivePortrait against the official pipeline, per mode.

The official side is KwaiVGI/LivePortrait's own `LivePortraitPipeline.execute` (a checkout kept
outside this repository, `--official PATH`; nothing of it is copied here), run on the CPU in
float32 (`flag_use_half_precision=False`) with the official CLI's defaults (`ArgumentConfig`).
Three things are replaced, none of them on the path being compared:
- the face cropper's detectors (InsightFace + the 203-point landmark model are not available):
  without a crop nothing is detected; with a crop the square is given (`SQUARE`) and the official
  `_transform_img` + `INTER_AREA` make the 256² crop and `M_c2o`, as `Cropper.crop_source_image`
  does after finding the face; landmarks are a fixed made-up set (used by no compared mode);
- video I/O: `load_video`/`get_fps` read lossless FFV1 files with OpenCV (the engine reads the
  same files through libavcodec; both give the exact RGB bytes), and nothing is encoded;
- `warp_decode` is wrapped to keep each frame's float image.

The networks are the official classes at the released sizes (`models.yaml`) with seeded random
trained-like weights (fan-in scaled convs and linears, BatchNorm statistics calibrated on the
source, motion heads scaled to trained-like ranges, small MLP deltas), saved in the official
`.pth` layout, loaded by the official `load_model`, and converted for the engine with
`reference/convert.py --liveportrait`. Our side is the `portrait` CLI on the same files, on the
CPU fallback and on OpenCL.

Every mode prints PSNR (dB, peak 1) of ours vs official: float vs float for a first frame
(`-o X.safetensors`), 8-bit vs 8-bit for every written frame (PNG folders vs the official
`parse_output`/`paste_back` bytes).

    python3 reference/liveportrait_modes_parity.py --official /path/to/LivePortrait \\
        --portrait .build/release/portrait --work /tmp/lp-modes [--devices cpu,opencl] [--modes ...]
"""
import argparse
import math
import os
import pickle
import subprocess
import sys
import types

import cv2
import numpy as np
import torch

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODES = ["image", "video", "v2v", "v2v-still", "motion", "pasteback", "edit"]
SQUARE = (420, 60, 400)   # the paste-back mode's crop square (x, y, side) in the 1280×720 source


# ---------------------------------------------------------------- inputs

def astronaut():
    """The bundled 512² portrait, RGB uint8."""
    return cv2.cvtColor(cv2.imread(os.path.join(REPO, "assets/astronaut-512.png")), cv2.COLOR_BGR2RGB)


def shifted(img, dx, dy, angle, size):
    """`img` rotated by `angle`° about its centre, shifted and resampled to size² (a driver pose)."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    m[:, 2] += (dx, dy)
    out = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT)
    return cv2.resize(out, (size, size), interpolation=cv2.INTER_AREA) if size != w else out


def write_png(path, rgb):
    if not os.path.exists(path):   # kept: a second run in the same folder reads the same files
        cv2.imwrite(path, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))


def write_ffv1(path, frames, fps=25):
    if os.path.exists(path):
        return
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"FFV1"), fps, (w, h))
    assert writer.isOpened(), path
    for f in frames:
        writer.write(cv2.cvtColor(f, cv2.COLOR_RGB2BGR))
    writer.release()


def read_video(path, n_frames=-1):
    cap, frames = cv2.VideoCapture(path), []
    while n_frames < 0 or len(frames) < n_frames:
        ok, f = cap.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(f, cv2.COLOR_BGR2RGB))
    return frames


def make_inputs(work):
    a = astronaut()
    paths = {}
    paths["s512"] = os.path.join(work, "source-512.png"); write_png(paths["s512"], a)
    paths["s725"] = os.path.join(work, "source-725.png"); write_png(paths["s725"], cv2.resize(a, (725, 725), interpolation=cv2.INTER_CUBIC))
    wide = np.full((720, 1280, 3), 118, np.uint8)
    wide[60:460, 420:820] = cv2.resize(a, (400, 400), interpolation=cv2.INTER_AREA)
    paths["s1280"] = os.path.join(work, "source-1280x720.png"); write_png(paths["s1280"], wide)
    paths["d512"] = os.path.join(work, "driver-512.png"); write_png(paths["d512"], shifted(a[:, ::-1].copy(), 12, -8, 7, 512))
    paths["dclip"] = os.path.join(work, "driver-clip.avi")
    write_ffv1(paths["dclip"], [shifted(a, 6 * i, -4 * i, -5 * i, 512) for i in range(4)])
    paths["sclip"] = os.path.join(work, "source-clip.avi")
    write_ffv1(paths["sclip"], [shifted(a, -3 * i, 2 * i, 2 * i, 512) for i in range(3)])
    return paths


# ---------------------------------------------------------------- the official side

def import_official(root):
    """The official modules, with `tyro` (CLI parsing only) stubbed and the cropper replaced."""
    sys.path.insert(0, root)
    tyro = types.ModuleType("tyro")
    tyro.conf = types.SimpleNamespace(arg=lambda **k: None)
    sys.modules.setdefault("tyro", tyro)
    from src.utils.crop import _transform_img

    landmarks = (np.random.default_rng(7).random((203, 2)) * 256).astype(np.float32)

    class Cropper:
        """The official cropper without its detectors: the crop square is given (`SQUARE`)."""
        def __init__(self, crop_cfg=None, **kwargs):
            self.crop_cfg = crop_cfg

        def calc_lmk_from_cropped_image(self, img, **kwargs):
            return landmarks

        def calc_lmks_from_cropped_video(self, frames, **kwargs):
            return [landmarks for _ in frames]

        def crop_source_image(self, img, crop_cfg):
            x, y, side = SQUARE
            scale = np.float32(512) / np.float32(side)
            m_o2c = np.array([[scale, 0, -x * scale], [0, scale, -y * scale], [0, 0, 1]], dtype=np.float32)
            crop = _transform_img(img, m_o2c, dsize=512)
            return {"img_crop_256x256": cv2.resize(crop, (256, 256), interpolation=cv2.INTER_AREA),
                    "M_c2o": np.linalg.inv(m_o2c).astype(np.float32), "lmk_crop": landmarks}

    cropper_module = types.ModuleType("src.utils.cropper")   # the real one imports InsightFace/onnxruntime
    cropper_module.Cropper = Cropper
    sys.modules["src.utils.cropper"] = cropper_module
    import src.live_portrait_pipeline as pipeline
    pipeline.Cropper = Cropper
    pipeline.load_video = read_video
    pipeline.get_fps = lambda path, default_fps=25: 25
    pipeline.has_audio_stream = lambda path: False
    pipeline.images2video = lambda *a, **k: None
    pipeline.is_square_video = lambda path: (lambda f: f[0].shape[0] == f[0].shape[1])(read_video(path, 1))
    return pipeline


def trained_like(module, seed):
    """Seeded trained-like random weights in place (see the module doc)."""
    g = torch.Generator().manual_seed(seed)
    for m in module.modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Conv3d, torch.nn.Linear)):
            fan_in = m.weight[0].numel()
            m.weight.data = (torch.rand(m.weight.shape, generator=g) * 2 - 1) * math.sqrt(3 / fan_in)
            if m.bias is not None:
                m.bias.data = (torch.rand(m.bias.shape, generator=g) * 2 - 1) * 0.05
        elif isinstance(m, (torch.nn.BatchNorm2d, torch.nn.BatchNorm3d, torch.nn.LayerNorm)) and m.weight is not None:
            m.weight.data = 1 + (torch.rand(m.weight.shape, generator=g) * 2 - 1) * 0.2
            m.bias.data = (torch.rand(m.bias.shape, generator=g) * 2 - 1) * 0.1
        if hasattr(m, "gamma") and hasattr(m, "beta") and isinstance(m.gamma, torch.nn.Parameter):  # GRN
            m.gamma.data = (torch.rand(m.gamma.shape, generator=g) * 2 - 1) * 0.2
            m.beta.data = (torch.rand(m.beta.shape, generator=g) * 2 - 1) * 0.1


def calibrate(module, run):
    """BatchNorm running statistics from one train-mode pass (`run`), then eval mode."""
    for m in module.modules():
        if isinstance(m, (torch.nn.BatchNorm2d, torch.nn.BatchNorm3d)):
            m.reset_running_stats()
            m.momentum = None
    module.train()
    with torch.no_grad():
        run()
    module.eval()


def make_weights(official_root, work, source_rgb, seed=0):
    """The official networks with trained-like weights, saved as the official `.pth` files."""
    import yaml
    from src.utils.helper import concat_feat  # noqa: F401 (the official package must import)
    from src.modules.appearance_feature_extractor import AppearanceFeatureExtractor
    from src.modules.motion_extractor import MotionExtractor
    from src.modules.warping_network import WarpingNetwork
    from src.modules.spade_generator import SPADEDecoder
    from src.modules.stitching_retargeting_network import StitchingRetargetingNetwork

    params = yaml.safe_load(open(os.path.join(official_root, "src/config/models.yaml")))["model_params"]
    torch.manual_seed(seed)
    f = AppearanceFeatureExtractor(**params["appearance_feature_extractor_params"])
    m = MotionExtractor(**params["motion_extractor_params"])
    w = WarpingNetwork(**params["warping_module_params"])
    gnet = SPADEDecoder(**params["spade_generator_params"])
    for i, net in enumerate([f, m, w, gnet]):
        trained_like(net, seed * 10 + i)
    gen = torch.Generator().manual_seed(seed + 99)

    def head(linear, w_scale, b_std, b_mean=0.0):
        linear.weight.data *= w_scale
        linear.bias.data = b_mean + torch.randn(linear.bias.shape, generator=gen) * b_std

    head(m.detector.fc_kp, 0.05, 0.3)
    head(m.detector.fc_exp, 0.02, 0.02)
    head(m.detector.fc_t, 0.02, 0.03)
    head(m.detector.fc_scale, 0.01, 0.05, 1.5)
    for fc in (m.detector.fc_pitch, m.detector.fc_yaw, m.detector.fc_roll):
        head(fc, 0.5, 0.5)
    x = torch.from_numpy(cv2.resize(source_rgb, (256, 256))).permute(2, 0, 1)[None].float() / 255
    m.eval()
    with torch.no_grad():
        info = m(x)
    calibrate(f, lambda: f(x))
    with torch.no_grad():
        fs = f(x)
        x_s = info["scale"][..., None] * (info["kp"] + info["exp"]).reshape(1, -1, 3)
    calibrate(w, lambda: w(fs, kp_source=x_s, kp_driving=x_s))
    with torch.no_grad():
        warped = w(fs, kp_source=x_s, kp_driving=x_s)["out"]
    calibrate(gnet, lambda: gnet(feature=warped))
    stitching = {}
    for key, name in (("stitching", "retarget_shoulder"), ("lip", "retarget_mouth"), ("eye", "retarget_eye")):
        mlp = StitchingRetargetingNetwork(**params["stitching_retargeting_module_params"][key])
        trained_like(mlp, seed * 10 + len(stitching) + 5)
        last = [mm for mm in mlp.modules() if isinstance(mm, torch.nn.Linear)][-1]
        last.weight.data *= 0.05
        last.bias.data *= 0.1
        stitching[name] = {"module." + k: v for k, v in mlp.state_dict().items()}
    folder = os.path.join(work, "pth")   # the five files side by side, as convert.py --liveportrait reads them
    os.makedirs(folder, exist_ok=True)
    for net, name in ((f, "appearance_feature_extractor"), (m, "motion_extractor"), (w, "warping_module"), (gnet, "spade_generator")):
        torch.save(net.state_dict(), os.path.join(folder, name + ".pth"))
    torch.save(stitching, os.path.join(folder, "stitching_retargeting_module.pth"))


def official_pipeline(pipeline, work, **overrides):
    """`LivePortraitPipeline` as the official `inference.py` builds it, with our `.pth` files."""
    from src.config.argument_config import ArgumentConfig
    from src.config.inference_config import InferenceConfig
    from src.config.crop_config import CropConfig
    args = ArgumentConfig(flag_use_half_precision=False, flag_force_cpu=True, **overrides)

    def partial(cls, kwargs):
        return cls(**{k: v for k, v in kwargs.items() if hasattr(cls, k)})
    inf = partial(InferenceConfig, args.__dict__)
    folder = os.path.join(work, "pth")
    inf.checkpoint_F = os.path.join(folder, "appearance_feature_extractor.pth")
    inf.checkpoint_M = os.path.join(folder, "motion_extractor.pth")
    inf.checkpoint_W = os.path.join(folder, "warping_module.pth")
    inf.checkpoint_G = os.path.join(folder, "spade_generator.pth")
    inf.checkpoint_S = os.path.join(folder, "stitching_retargeting_module.pth")
    p = pipeline.LivePortraitPipeline(inference_cfg=inf, crop_cfg=partial(CropConfig, args.__dict__))
    return p, args


def run_official(pipeline, work, source, driving, **overrides):
    """Float frames (`warp_decode`), 8-bit frames as written (`paste_back` when it pastes); kept
    in WORK/official-*.npz, so that a second run reuses them."""
    key = os.path.join(work, "official-" + "-".join(os.path.basename(x) for x in (source, driving))
                       + "".join(f"-{k}{v}" for k, v in sorted(overrides.items())) + ".npz")
    if os.path.exists(key):
        saved = np.load(key)
        n = len([k for k in saved.files if k.startswith("f")])
        return [saved[f"f{i}"] for i in range(n)], [saved[f"u{i}"] for i in range(n)]
    floats, u8 = _run_official(pipeline, work, source, driving, **overrides)
    np.savez(key, **{f"f{i}": f for i, f in enumerate(floats)}, **{f"u{i}": u for i, u in enumerate(u8)})
    return floats, u8


def _run_official(pipeline, work, source, driving, **overrides):
    p, args = official_pipeline(pipeline, work, **overrides)
    floats, pasted = [], []
    wrapper = p.live_portrait_wrapper
    original = wrapper.warp_decode

    def keep(*a, **k):
        out = original(*a, **k)
        floats.append(out["out"].detach().clone())
        return out
    wrapper.warp_decode = keep
    paste_back = pipeline.paste_back

    def keep_paste(*a, **k):
        out = paste_back(*a, **k)
        pasted.append(out)
        return out
    pipeline.paste_back = keep_paste
    args.source, args.driving, args.output_dir = source, driving, os.path.join(work, "official-out")
    torch.set_num_threads(2)
    with torch.no_grad():
        p.execute(args)
    pipeline.paste_back = paste_back
    u8 = pasted if pasted else [wrapper.parse_output(f)[0] for f in floats]
    return [f[0].numpy() for f in floats], u8


EDIT = {"smile": 0.8, "blink": -5, "aaa": 30, "pitch": 5, "yaw": -8, "roll": 3, "eyebrow": 6, "wink": 4, "pupil_x": 5, "pupil_y": -3,
        "eee": 4, "woo": 3}


def alp_calc_fe(alp_root):
    """ComfyUI-AdvancedLivePortrait's own `calc_fe` (its `nodes.py`, read from a checkout outside
    this repository and compiled alone: the rest of that file needs ComfyUI)."""
    import ast
    tree = ast.parse(open(os.path.join(alp_root, "nodes.py")).read())
    fn = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "calc_fe")
    scope = {"torch": torch}
    exec(compile(ast.Module(body=[fn], type_ignores=[]), "alp-nodes.py", "exec"), scope)
    return scope["calc_fe"]


def run_official_edit(pipeline, work, alp_root, source, edit, alp_equation=False):
    """An expression edit of the source (no crop), with ALP's offsets (`calc_fe`, its sign of yaw)
    and the official wrapper functions: `x = s·(kp·R' + δ + Δ) + (tx, ty, 0)` (the engine's
    documented equation), or ALP's own `s·((kp + δ + Δ)·R') + t` with `alp_equation`; then the
    official stitching and `warp_decode`. Returns the float image."""
    from src.utils.camera import get_rotation_matrix
    p, _ = official_pipeline(pipeline, work)
    wr = p.live_portrait_wrapper
    img = cv2.resize(pipeline.resize_to_limit(cv2.cvtColor(cv2.imread(source), cv2.COLOR_BGR2RGB), 1280, 2), (256, 256))
    with torch.no_grad():
        i_s = wr.prepare_source(img)
        info = wr.get_kp_info(i_s)
        f_s = wr.extract_feature_3d(i_s)
        x_s = wr.transform_keypoint(info)
        delta = torch.zeros_like(info["exp"])
        r = alp_calc_fe(alp_root)(None, delta, edit["blink"], edit["eyebrow"], edit["wink"], edit["pupil_x"], edit["pupil_y"], edit["aaa"],
                                  edit["eee"], edit["woo"], edit["smile"], edit["pitch"], -edit["yaw"], edit["roll"])
        rot = get_rotation_matrix(info["pitch"] + r[0], info["yaw"] + r[1], info["roll"] + r[2])
        if alp_equation:
            x_d = info["scale"] * ((info["kp"] + info["exp"] + delta) @ rot) + info["t"]
        else:
            t = info["t"].clone()
            t[..., 2] = 0
            x_d = info["scale"][..., None] * (info["kp"] @ rot + info["exp"] + delta) + t[:, None, :]
        x_d = wr.stitching(x_s, x_d)
        return wr.warp_decode(f_s, x_s, x_d)["out"][0].numpy()


# ---------------------------------------------------------------- our side

def run_ours(binary, work, device, extra, name):
    """`portrait render` with the converted weights into a PNG folder; returns (the first frame's
    float image from `--stages` (`frame.image`), or None for a source video, which takes no
    `--stages`; the 8-bit frames)."""
    model = ["--config", os.path.join(work, "lp.json"), "--weights", os.path.join(work, "lp.safetensors"), "--no-watermark", "--device", device]
    out_dir = os.path.join(work, f"ours-{name}-{device}") + "/"
    stages = os.path.join(work, f"ours-{name}-{device}-stages.safetensors")
    video_source = extra[extra.index("--source") + 1].endswith(".avi")
    subprocess.run(["rm", "-rf", out_dir])
    r = subprocess.run([binary, "render", *extra, *model, "-o", out_dir] + ([] if video_source else ["--stages", stages]), capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"portrait render failed ({name}, {device}):\n{r.stderr}")
    frames = [cv2.cvtColor(cv2.imread(os.path.join(out_dir, n)), cv2.COLOR_BGR2RGB) for n in sorted(os.listdir(out_dir)) if n.endswith(".png")]
    first = None
    if not video_source:
        from safetensors.numpy import load_file
        first = load_file(stages)["frame.image"][0]
    return first, frames


def psnr(a, b, peak=1.0):
    mse = float(np.mean((np.asarray(a, np.float64) - np.asarray(b, np.float64)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(peak * peak / mse)


# ---------------------------------------------------------------- modes

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--official", required=True, help="LivePortrait checkout (outside this repository)")
    parser.add_argument("--portrait", default=os.path.join(REPO, ".build/release/portrait"))
    parser.add_argument("--work", required=True, help="scratch folder (weights, inputs, outputs)")
    parser.add_argument("--devices", default="cpu,opencl")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--alp", help="ComfyUI-AdvancedLivePortrait checkout (outside this repository), for --modes edit")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    paths = make_inputs(args.work)
    pipeline = import_official(args.official)
    if not os.path.exists(os.path.join(args.work, "lp.safetensors")):
        if not os.path.exists(os.path.join(args.work, "pth", "stitching_retargeting_module.pth")):
            make_weights(args.official, args.work, astronaut(), args.seed)
        subprocess.run([sys.executable, os.path.join(REPO, "reference/convert.py"), "--liveportrait", os.path.join(args.work, "pth"),
                        "--config", "liveportrait", "--lip-array", os.path.join(args.official, "src/utils/resources/lip_array.pkl"),
                        "--out", os.path.join(args.work, "lp")], check=True)
    devices = args.devices.split(",")
    none = ["--crop", "none"]
    # mode -> list of (input label, official (source, driving, overrides), our render arguments)
    cases = {
        "image": [(f"{k} + picture", (paths[s], paths["d512"], {"flag_do_crop": False}), ["--source", paths[s], "--driver", paths["d512"], *none])
                  for k, s in (("512²", "s512"), ("725²", "s725"), ("1280×720", "s1280"))],
        "video": [("512² + 4-frame clip", (paths["s512"], paths["dclip"], {"flag_do_crop": False}), ["--source", paths["s512"], "--driver", paths["dclip"], *none])],
        "v2v": [("3-frame 512² clip + 4-frame clip", (paths["sclip"], paths["dclip"], {"flag_do_crop": False}),
                 ["--source", paths["sclip"], "--driver", paths["dclip"], *none])],
        "v2v-still": [("3-frame 512² clip + picture", (paths["sclip"], paths["d512"], {"flag_do_crop": False}),
                       ["--source", paths["sclip"], "--driver", paths["d512"], *none])],
        "motion": [("512² + official .pkl (4 frames)", (paths["s512"], "PKL", {"flag_do_crop": False}), ["--source", paths["s512"], "--driver", "MOTION", *none])],
        "pasteback": [(f"1280×720, square {SQUARE}", (paths["s1280"], paths["d512"], {}),
                       ["--source", paths["s1280"], "--driver", paths["d512"], "--source-crop", ",".join(map(str, SQUARE)), "--driver-crop", "none"])],
    }
    rows = []
    for mode in args.modes.split(","):
        if mode == "edit":
            edit = ",".join(f"{k}={v}" for k, v in EDIT.items())
            ours = {device: run_ours(args.portrait, args.work, device, ["--source", paths["s512"], "--edit", edit, *none], mode) for device in devices}
            for equation, label in ((False, "ALP offsets, official keypoint equation"), (True, "ALP's own equation")):
                official = run_official_edit(pipeline, args.work, args.alp, paths["s512"], EDIT, alp_equation=equation)
                u8 = [np.clip(official.transpose(1, 2, 0) * 255, 0, 255).astype(np.uint8)]
                row = [mode, f"512², --edit {edit} vs {label}"]
                for device in devices:
                    first, frames = ours[device]
                    row.append((psnr(first, official), min(psnr(a, b, 255.0) for a, b in zip(frames, u8)), len(frames)))
                rows.append(row)
                print(mode, label, row[2:], flush=True)
            continue
        for label, (src, drv, overrides), ours_args in cases[mode]:
            if drv == "PKL":
                # The official template of the whole driving clip: written by the official run on a
                # copy of it (a video-to-video run cuts the template to the source's length).
                clip = os.path.join(args.work, "driver-motion.avi")
                subprocess.run(["cp", paths["dclip"], clip], check=True)
                drv = os.path.splitext(clip)[0] + ".pkl"
                if not os.path.exists(drv):
                    _run_official(pipeline, args.work, paths["s512"], clip, flag_do_crop=False)
                motion = os.path.join(args.work, "driver-clip.motion")
                subprocess.run([sys.executable, os.path.join(REPO, "reference/convert.py"), "--liveportrait-motion", drv,
                                "--config", os.path.join(args.work, "lp.json"), "--out", motion], check=True)
                ours_args = [motion if a == "MOTION" else a for a in ours_args]
            floats, u8 = run_official(pipeline, args.work, src, drv, **overrides)
            row = [mode, label]
            for device in devices:
                first, frames = run_ours(args.portrait, args.work, device, ours_args, mode)
                float_db = psnr(first, floats[0]) if first is not None else None
                if len(frames) != len(u8):
                    row.append(f"{device}: {len(frames)} frames, official {len(u8)}")
                    continue
                u8_db = min(psnr(a, b, 255.0) for a, b in zip(frames, u8))
                row.append((float_db, u8_db, len(frames)))
                print(f"  {mode} {label} {device}: float {float_db} dB, 8-bit worst frame {u8_db:.1f} dB ({len(frames)} frames)", flush=True)
            rows.append(row)
            print(mode, label, row[2:], flush=True)
    print("\n| mode | input | " + " | ".join(f"{d}: float first frame / 8-bit worst frame (frames)" for d in devices) + " |")
    for row in rows:
        cells = []
        for c in row[2:]:
            if isinstance(c, str):
                cells.append(c)
            else:
                f, u, n = c
                cells.append(("—" if f is None else f"{f:.1f} dB") + f" / {u:.1f} dB ({n})")
        print(f"| {row[0]} | {row[1]} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
