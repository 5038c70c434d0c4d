"""LivePortrait (ours): the five networks plus the wrapper-level functions (motion info with pose
in degrees, keypoint transform, stitching, retargeting, warp + decode)."""
import torch
import torch.nn as nn

from .config import LivePortraitConfig
from .geometry import bins_to_degrees, rotation_matrix, transform_keypoints
from .networks import AppearanceExtractor, KeypointMLPs, MotionExtractor, SPADEDecoder, WarpingModule


class LivePortrait(nn.Module):
    """All LivePortrait weights under the prefixes appearance., motion., warping., decoder.,
    stitching., lip., eye. (docs/liveportrait.md lists every tensor)."""

    def __init__(self, cfg: LivePortraitConfig):
        super().__init__()
        self.cfg = cfg
        self.appearance = AppearanceExtractor(cfg)
        self.motion = MotionExtractor(cfg)
        self.warping = WarpingModule(cfg)
        self.decoder = SPADEDecoder(cfg)
        mlps = KeypointMLPs(cfg)
        self.stitching, self.lip, self.eye = mlps.stitching, mlps.lip, mlps.eye

    # --- per image -----------------------------------------------------------------------
    def motion_info(self, image: torch.Tensor) -> dict:
        """Raw head outputs plus pitch/yaw/roll in degrees (N x 1), kp/exp as N x K x 3, R and
        the transformed keypoints x (Eqn. 2)."""
        raw = self.motion(image)
        n, k = image.shape[0], self.cfg.motion.num_kp
        info = {f"raw.{key}": v for key, v in raw.items()}
        for key in ("pitch", "yaw", "roll"):
            info[key] = bins_to_degrees(raw[key])[:, None]
        info["kp"] = raw["kp"].view(n, k, 3)
        info["exp"] = raw["exp"].view(n, k, 3)
        info["t"], info["scale"] = raw["t"], raw["scale"]
        info["R"] = rotation_matrix(info["pitch"], info["yaw"], info["roll"])
        info["x"] = transform_keypoints(info["kp"], info["R"], info["exp"], info["scale"], info["t"])
        return info

    def appearance_feature(self, image: torch.Tensor) -> torch.Tensor:
        """The source feature volume f_s."""
        return self.appearance(image)["feature_3d"]

    # --- keypoint MLPs -------------------------------------------------------------------
    def stitch(self, x_s: torch.Tensor, x_d: torch.Tensor) -> torch.Tensor:
        """x_d + stitching delta: 3K expression offsets plus (tx, ty) on every keypoint."""
        n, k, _ = x_s.shape
        delta = self.stitching(torch.cat([x_s.reshape(n, -1), x_d.reshape(n, -1)], dim=1))
        out = x_d + delta[:, :3 * k].view(n, k, 3)
        shift = torch.cat([delta[:, 3 * k:3 * k + 2], torch.zeros_like(delta[:, :1])], dim=1)
        return out + shift[:, None, :]

    def retarget_eye(self, x_s: torch.Tensor, ratio: torch.Tensor) -> torch.Tensor:
        """Eye delta N x K x 3 from x_s and (source left, source right, driving) eye ratios."""
        n, k, _ = x_s.shape
        return self.eye(torch.cat([x_s.reshape(n, -1), ratio], dim=1)).view(n, k, 3)

    def retarget_lip(self, x_s: torch.Tensor, ratio: torch.Tensor) -> torch.Tensor:
        """Lip delta N x K x 3 from x_s and (source, driving) lip ratios."""
        n, k, _ = x_s.shape
        return self.lip(torch.cat([x_s.reshape(n, -1), ratio], dim=1)).view(n, k, 3)

    # --- per frame -----------------------------------------------------------------------
    def warp_decode(self, f_s: torch.Tensor, x_s: torch.Tensor, x_d: torch.Tensor) -> dict:
        """Warping module then SPADE decoder; named stages (warping.*, decoder.*, image)."""
        stages = {f"warping.{k}": v for k, v in self.warping(f_s, x_s, x_d).items()}
        dec = self.decoder(stages["warping.warp_out"])
        stages.update({f"decoder.{k}": v for k, v in dec.items()})
        stages["image"] = dec["image"]
        return stages
