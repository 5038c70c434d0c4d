"""Per-frame motion of the official pipeline (image source, driving video): the driving keypoints
x_d,i from the source's and the driving frames' motion info, with the official defaults
(relative motion to the first driving frame, animation region 'all', 'expression-friendly',
stitching on, no retargeting) and the documented options. docs/liveportrait.md has the formulas.
"""
from dataclasses import dataclass
from typing import Optional

import numpy as np
import torch

# Keypoint indices the official pipeline treats as lip / eye keypoints (21-keypoint models).
LIP_KP = [6, 12, 14, 17, 19, 20]
EYE_KP = [11, 13, 15, 16, 18]
# Expression entries copied from the driver in absolute (non-relative) mode.
ABSOLUTE_EXP_KP = [1, 2, 6, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]


@dataclass
class MotionOptions:
    """The official pipeline's switches (argument_config.py defaults)."""
    relative: bool = True                      # flag_relative_motion
    region: str = "all"                        # animation_region: all | exp | pose | lip | eyes
    expression_friendly: bool = True           # driving_option == "expression-friendly"
    stitching: bool = True                     # flag_stitching
    eye_retargeting: bool = False              # flag_eye_retargeting
    lip_retargeting: bool = False              # flag_lip_retargeting
    driving_multiplier: float = 1.0


def eye_close_ratio(lmk: np.ndarray) -> np.ndarray:
    """N x 203 x 2 landmarks -> N x 2 (left, right) eye-open ratios |p6-p18|/|p0-p12| etc."""
    def ratio(a, b, c, d):
        return np.linalg.norm(lmk[:, a] - lmk[:, b], axis=1) / (np.linalg.norm(lmk[:, c] - lmk[:, d], axis=1) + 1e-6)
    return np.stack([ratio(6, 18, 0, 12), ratio(30, 42, 24, 36)], axis=1)


def lip_close_ratio(lmk: np.ndarray) -> np.ndarray:
    """N x 203 x 2 landmarks -> N x 1 lip-open ratio |p90-p102|/|p48-p66|."""
    return (np.linalg.norm(lmk[:, 90] - lmk[:, 102], axis=1) /
            (np.linalg.norm(lmk[:, 48] - lmk[:, 66], axis=1) + 1e-6))[:, None]


def hull_volume(points: torch.Tensor) -> float:
    """Volume of the 3-D convex hull of K x 3 points (scipy's Qhull, as the official code)."""
    from scipy.spatial import ConvexHull
    return float(ConvexHull(points.detach().double().cpu().numpy()).volume)


def compose_driving(src: dict, drv: dict, first: dict, opt: MotionOptions) -> torch.Tensor:
    """x_d,i before stitching/retargeting. Each info dict has kp, exp (N x K x 3), R (N x 3 x 3),
    scale (N x 1), t (N x 3); `first` is the first driving frame's info."""
    R_s, exp_s, scale_s, t_s = src["R"], src["exp"], src["scale"], src["t"]
    moves_pose = opt.region in ("all", "pose")
    if opt.relative:
        R = (drv["R"] @ first["R"].transpose(1, 2)) @ R_s if moves_pose else R_s
        rel_exp = exp_s + (drv["exp"] - first["exp"])
        if opt.region in ("all", "exp"):
            exp = rel_exp
        else:
            exp = exp_s.clone()
            index = LIP_KP if opt.region == "lip" else EYE_KP if opt.region == "eyes" else []
            exp[:, index] = rel_exp[:, index]
        scale = scale_s * (drv["scale"] / first["scale"]) if opt.region == "all" else scale_s
        t = t_s + (drv["t"] - first["t"]) if moves_pose else t_s
    else:
        R = drv["R"] if moves_pose else R_s
        exp = exp_s.clone()
        if opt.region in ("all", "exp"):
            exp[:, ABSOLUTE_EXP_KP] = drv["exp"][:, ABSOLUTE_EXP_KP]
            exp[:, 3:5, 1] = drv["exp"][:, 3:5, 1]
            exp[:, 5, 2] = drv["exp"][:, 5, 2]
            exp[:, 8, 2] = drv["exp"][:, 8, 2]
            exp[:, 9, 1:] = drv["exp"][:, 9, 1:]
        elif opt.region in ("lip", "eyes"):
            index = LIP_KP if opt.region == "lip" else EYE_KP
            exp[:, index] = drv["exp"][:, index]
        scale = scale_s
        t = drv["t"] if moves_pose else t_s
    t = torch.cat([t[:, :2], torch.zeros_like(t[:, 2:])], dim=1)      # tz := 0
    return scale[..., None] * (src["kp"] @ R + exp) + t[:, None, :]


def expression_friendly(x_d: torch.Tensor, x_d_first: torch.Tensor, x_s: torch.Tensor) -> torch.Tensor:
    """(x_d - x_d,0) * sqrt(hull(x_s)) / sqrt(hull(x_d,0)) + x_s  (batch of 1, as the official).

    For an image source x_d,0 equals x_s up to rounding, so the multiplier is 1 to ~1e-7."""
    multiplier = np.sqrt(hull_volume(x_s[0])) / np.sqrt(hull_volume(x_d_first[0]))
    return (x_d - x_d_first) * float(multiplier) + x_s


def finish_driving(model, x_s: torch.Tensor, x_d: torch.Tensor, opt: MotionOptions,
                   eye_ratio: Optional[torch.Tensor] = None, lip_ratio: Optional[torch.Tensor] = None,
                   lip_delta_before: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Stitching / retargeting (Algorithm 1) and the driving multiplier, after compose_driving.

    eye_ratio: N x 3 = (source left, source right, driving) eye-open ratios; lip_ratio: N x 2 =
    (source, driving); lip_delta_before: the optional 'normalize lip' delta (flag_normalize_lip)."""
    if not opt.eye_retargeting and not opt.lip_retargeting:
        if opt.stitching:
            x_d = model.stitch(x_s, x_d)
        if lip_delta_before is not None:
            x_d = x_d + lip_delta_before
    else:
        eye = model.retarget_eye(x_s, eye_ratio) if opt.eye_retargeting and eye_ratio is not None else 0
        lip = model.retarget_lip(x_s, lip_ratio) if opt.lip_retargeting and lip_ratio is not None else 0
        x_d = (x_s if opt.relative else x_d) + eye + lip
        if opt.stitching:
            x_d = model.stitch(x_s, x_d)
    return x_s + (x_d - x_s) * opt.driving_multiplier
