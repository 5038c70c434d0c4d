"""Runs the official inference functions (LivePortraitWrapper methods, camera.py, helper.py) on a
source image and driving frames and records every stage under our stage names.

The per-frame motion composition lives inside LivePortraitPipeline.execute(), which cannot be
called without the face cropper and video I/O; `official_frame` restates its lines for the
image-source / driving-video branch (relative motion, region 'all', expression-friendly,
stitching, optional eye/lip retargeting) using the official wrapper functions for every step
that is a function (get_kp_info, transform_keypoint, get_rotation_matrix, calc_motion_multiplier,
stitching, retarget_eye/lip, warp_decode).
"""
import types

import torch


class _Recorder:
    """Forward hooks that copy module inputs/outputs into a dict under given names."""

    def __init__(self):
        self.values, self.handles = {}, []

    def output(self, module, name, pick=None):
        def hook(_m, _inp, out):
            v = pick(out) if pick else out
            self.values[name] = {k: t.clone() for k, t in v.items()} if isinstance(v, dict) else v.clone()
        self.handles.append(module.register_forward_hook(hook))

    def input(self, module, name):
        def hook(_m, inp):
            self.values[name] = inp[0].clone()
        self.handles.append(module.register_forward_pre_hook(hook))

    def close(self):
        for h in self.handles:
            h.remove()


def make_wrapper(ns, nets: dict):
    """An official LivePortraitWrapper on CPU, float32, without reading configs or checkpoints."""
    w = ns.wrapper.LivePortraitWrapper.__new__(ns.wrapper.LivePortraitWrapper)
    w.inference_cfg = types.SimpleNamespace(flag_use_half_precision=False, device_id=0)
    w.device, w.compile = "cpu", False
    w.appearance_feature_extractor, w.motion_extractor = nets["appearance"], nets["motion"]
    w.warping_module, w.spade_generator = nets["warping"], nets["decoder"]
    w.stitching_retargeting_module = {"stitching": nets["stitching"], "lip": nets["lip"], "eye": nets["eye"]}
    return w


def official_motion(ns, w, image: torch.Tensor, prefix: str, rec: _Recorder) -> dict:
    """get_kp_info + rotation + transform_keypoint; records raw head outputs and refined info."""
    r = _Recorder()
    r.output(w.motion_extractor, "raw")
    r.output(w.motion_extractor.detector.norm, "pooled")
    info = w.get_kp_info(image)
    r.close()
    rec.values[f"{prefix}.pooled"] = r.values["pooled"]
    for k, v in r.values["raw"].items():
        rec.values[f"{prefix}.raw.{k}"] = v
    info["R"] = ns.camera.get_rotation_matrix(info["pitch"], info["yaw"], info["roll"])
    info["x"] = w.transform_keypoint(info)
    for k in ("pitch", "yaw", "roll", "kp", "exp", "t", "scale", "R", "x"):
        rec.values[f"{prefix}.{k}"] = info[k].clone()
    return info


def official_warp_decode(w, f_s, x_s, x_d, prefix: str, rec: _Recorder):
    """warp_decode with hooks inside the warping module and the decoder."""
    wm, dm, dec = w.warping_module, w.warping_module.dense_motion_network, w.spade_generator
    r = _Recorder()
    r.output(dm.norm, "compressed", pick=torch.relu)
    r.input(dm.hourglass, "hourglass_in")
    r.output(dm.hourglass, "prediction")
    r.output(dm, "dense")
    r.input(wm.third, "warped_flat")
    r.output(wm, "warp", pick=lambda d: {"out": d["out"]})
    names = [f"G_middle_{i}" for i in range(6)] + ["up_0", "up_1"]
    for i, n in enumerate(names):
        r.output(getattr(dec, n), f"block{i}")
    out = w.warp_decode(f_s, x_s, x_d)
    r.close()
    v = r.values
    p = f"{prefix}.warping"
    rec.values[f"{p}.dense.compressed"] = v["compressed"]
    rec.values[f"{p}.dense.hourglass_in"] = v["hourglass_in"]
    rec.values[f"{p}.dense.prediction"] = v["prediction"]
    rec.values[f"{p}.dense.mask"] = v["dense"]["mask"]
    rec.values[f"{p}.dense.deformation"] = v["dense"]["deformation"]
    rec.values[f"{p}.dense.occlusion"] = v["dense"]["occlusion_map"]
    rec.values[f"{p}.warped_3d"] = v["warped_flat"].view(f_s.shape[0], f_s.shape[1], f_s.shape[2], *v["warped_flat"].shape[2:])
    rec.values[f"{p}.warp_out"] = v["warp"]["out"]
    for i in range(len(names)):
        rec.values[f"{prefix}.decoder.block{i}"] = v[f"block{i}"]
    rec.values[f"{prefix}.image"] = out["out"].clone()


def official_frame(ns, w, x_s_info, x_s, R_s, d_info, d0_info, state: dict, eye_ratio=None, lip_ratio=None):
    """One frame of LivePortraitPipeline.execute() (image source, driving video, relative,
    region 'all', expression-friendly, driving_multiplier 1). `state` carries x_d_0_new and
    the motion multiplier from frame 0. Returns (composed, after expression-friendly, final)."""
    x_c_s = x_s_info["kp"]
    R_d_i, R_d_0 = d_info["R"], d0_info["R"]
    R_new = (R_d_i @ R_d_0.permute(0, 2, 1)) @ R_s
    delta_new = x_s_info["exp"] + (d_info["exp"] - d0_info["exp"])
    scale_new = x_s_info["scale"] * (d_info["scale"] / d0_info["scale"])
    t_new = x_s_info["t"] + (d_info["t"] - d0_info["t"])
    t_new[..., 2].fill_(0)
    x_d_i_new = scale_new * (x_c_s @ R_new + delta_new) + t_new
    composed = x_d_i_new.clone()
    if "x_d_0_new" not in state:
        state["x_d_0_new"] = x_d_i_new
        state["motion_multiplier"] = ns.helper.calc_motion_multiplier(x_s, x_d_i_new)
    x_d_i_new = (x_d_i_new - state["x_d_0_new"]) * state["motion_multiplier"] + x_s
    expressed = x_d_i_new.clone()
    if eye_ratio is None and lip_ratio is None:
        x_d_i_new = w.stitching(x_s, x_d_i_new)
    else:
        eyes_delta = w.retarget_eye(x_s, eye_ratio) if eye_ratio is not None else None
        lip_delta = w.retarget_lip(x_s, lip_ratio) if lip_ratio is not None else None
        x_d_i_new = x_s + (eyes_delta if eyes_delta is not None else 0) + (lip_delta if lip_delta is not None else 0)
        x_d_i_new = w.stitching(x_s, x_d_i_new)
    x_d_i_new = x_s + (x_d_i_new - x_s) * 1.0
    return composed, expressed, x_d_i_new


def run_official(ns, nets: dict, source, drivers, eye_ratio, lip_ratio) -> dict:
    """All stages of the official code: source info and features, each driving frame's info,
    each frame's driving keypoints, the retargeting deltas, and warp+decode of the last frame."""
    w = make_wrapper(ns, nets)
    rec = _Recorder()
    s_info = official_motion(ns, w, source, "source", rec)
    r = _Recorder()
    r.output(w.appearance_feature_extractor.second, "feature_2d")
    f_s = w.extract_feature_3d(source)
    r.close()
    rec.values["source.feature_2d"] = r.values["feature_2d"]
    rec.values["source.feature_3d"] = f_s.clone()
    x_s, R_s = s_info["x"], s_info["R"]
    d_infos = [official_motion(ns, w, drivers[i:i + 1], f"driver.{i}", rec) for i in range(drivers.shape[0])]
    state = {}
    for i, d in enumerate(d_infos):
        composed, expressed, x_d = official_frame(ns, w, s_info, x_s, R_s, d, d_infos[0], state)
        rec.values[f"frame.{i}.x_d_composed"] = composed
        rec.values[f"frame.{i}.x_d_expression"] = expressed
        rec.values[f"frame.{i}.x_d"] = x_d
    rec.values["motion_multiplier"] = torch.tensor([float(state["motion_multiplier"])], dtype=torch.float64)
    rec.values["retarget.eye_ratio"], rec.values["retarget.lip_ratio"] = eye_ratio, lip_ratio
    rec.values["retarget.eye_delta"] = w.retarget_eye(x_s, eye_ratio)
    rec.values["retarget.lip_delta"] = w.retarget_lip(x_s, lip_ratio)
    last = len(d_infos) - 1
    _, _, x_rt = official_frame(ns, w, s_info, x_s, R_s, d_infos[last], d_infos[0], state, eye_ratio, lip_ratio)
    rec.values["retarget.x_d"] = x_rt
    official_warp_decode(w, f_s, x_s, rec.values[f"frame.{last}.x_d"], f"frame.{last}", rec)
    return rec.values
