"""Runs our reference on given inputs and records every stage under the names the goldens use."""
import torch

from .model import LivePortrait
from .motion import MotionOptions, compose_driving, expression_friendly, finish_driving


def _motion(model: LivePortrait, image, prefix, out) -> dict:
    info = model.motion_info(image)
    for k, v in info.items():
        out[f"{prefix}.{'pooled' if k == 'raw.pooled' else k}"] = v
    return info


def run_ours(model: LivePortrait, source, drivers, eye_ratio, lip_ratio) -> dict:
    """Every stage of our reference under the goldens' names."""
    out = {}
    with torch.no_grad():
        s = _motion(model, source, "source", out)
        app = model.appearance(source)
        out["source.feature_2d"], out["source.feature_3d"] = app["feature_2d"], app["feature_3d"]
        f_s, x_s = app["feature_3d"], s["x"]
        d = [_motion(model, drivers[i:i + 1], f"driver.{i}", out) for i in range(drivers.shape[0])]
        opt = MotionOptions()
        first = compose_driving(s, d[0], d[0], opt)
        for i, di in enumerate(d):
            composed = compose_driving(s, di, d[0], opt)
            expressed = expression_friendly(composed, first, x_s)
            out[f"frame.{i}.x_d_composed"] = composed
            out[f"frame.{i}.x_d_expression"] = expressed
            out[f"frame.{i}.x_d"] = finish_driving(model, x_s, expressed, opt)
        out["retarget.eye_delta"] = model.retarget_eye(x_s, eye_ratio)
        out["retarget.lip_delta"] = model.retarget_lip(x_s, lip_ratio)
        rt = MotionOptions(eye_retargeting=True, lip_retargeting=True)
        last = len(d) - 1
        out["retarget.x_d"] = finish_driving(model, x_s, out[f"frame.{last}.x_d_expression"], rt, eye_ratio, lip_ratio)
        stages = model.warp_decode(f_s, x_s, out[f"frame.{last}.x_d"])
        for k, v in stages.items():
            out[f"frame.{last}.{k}"] = v
    return out
