"""Builds the OFFICIAL LivePortrait networks (a checkout of KwaiVGI/LivePortrait, imported at run
time, never copied) at one of our configs, gives them trained-like random weights, saves them in
the official .pth layout and loads them back with the official loader.

Only imports that inference never uses are stubbed: cv2 (image I/O, crops, paste-back) and rich
(logging), when they are not installed. At a non-released config three widths that the official
classes hard-code are set by construction arguments or by swapping submodules for ones of the
same type: the ConvNeXtV2 depths/dims (the official ConvNeXtV2 class with other arguments), the
SPADE hidden width (each SPADE's mlp_shared/mlp_gamma/mlp_beta rebuilt narrower) and the number of
keypoints; every forward method stays the official one.
"""
import importlib
import math
import os
import sys
import types

import torch
import torch.nn as nn

from .config import LivePortraitConfig


def import_official(root: str):
    """Puts `root` on sys.path and imports the official modules we use; returns a namespace."""
    for name in ("cv2", "rich"):
        try:
            importlib.import_module(name)
        except ImportError:
            sys.modules[name] = types.ModuleType(name)   # inference never touches them
    if root not in sys.path:
        sys.path.insert(0, root)
    ns = types.SimpleNamespace()
    ns.util = importlib.import_module("src.modules.util")
    ns.convnextv2 = importlib.import_module("src.modules.convnextv2")
    ns.motion_extractor = importlib.import_module("src.modules.motion_extractor")
    ns.helper = importlib.import_module("src.utils.helper")
    ns.camera = importlib.import_module("src.utils.camera")
    ns.wrapper = importlib.import_module("src.live_portrait_wrapper")
    ns.spade = importlib.import_module("src.modules.spade_generator")
    return ns


def model_config(cfg: LivePortraitConfig) -> dict:
    """The official models.yaml content for `cfg` (what load_model() reads)."""
    a, w, d, g = cfg.appearance, cfg.warping, cfg.warping.dense, cfg.decoder
    backbone = "convnextv2_tiny" if cfg.motion.dims == [96, 192, 384, 768] and cfg.motion.depths == [3, 3, 9, 3] \
        else "portraitcl_test_backbone"
    return {"model_params": {
        "appearance_feature_extractor_params": dict(
            image_channel=3, block_expansion=a.block_expansion, num_down_blocks=a.num_down_blocks,
            max_features=a.max_features, reshape_channel=a.reshape_channel, reshape_depth=a.reshape_depth,
            num_resblocks=a.num_resblocks),
        "motion_extractor_params": dict(num_kp=cfg.motion.num_kp, backbone=backbone),
        "warping_module_params": dict(
            num_kp=cfg.motion.num_kp, block_expansion=w.block_expansion, max_features=a.max_features,
            num_down_blocks=w.num_down_blocks, reshape_channel=a.reshape_channel, estimate_occlusion_map=True,
            dense_motion_params=dict(block_expansion=d.block_expansion, max_features=d.max_features,
                                     num_blocks=d.num_blocks, reshape_depth=a.reshape_depth, compress=d.compress)),
        "spade_generator_params": dict(upscale=g.upscale, block_expansion=g.block_expansion,
                                       max_features=g.max_features, num_down_blocks=g.num_down_blocks),
        "stitching_retargeting_module_params": {
            "stitching": vars(cfg.stitching).copy(), "lip": vars(cfg.lip).copy(), "eye": vars(cfg.eye).copy()},
    }}


def _register_backbone(ns, cfg: LivePortraitConfig):
    """Lets the official MotionExtractor build the official ConvNeXtV2 class at our depths/dims."""
    def build(**kwargs):
        return ns.convnextv2.ConvNeXtV2(depths=cfg.motion.depths, dims=cfg.motion.dims, **kwargs)
    ns.motion_extractor.model_dict["portraitcl_test_backbone"] = build


def build_decoder(ns, cfg: LivePortraitConfig) -> nn.Module:
    """The official SPADEDecoder; out_channels from cfg; SPADE hidden width set if not 128."""
    g = cfg.decoder
    dec = ns.spade.SPADEDecoder(upscale=g.upscale, max_features=g.max_features, block_expansion=g.block_expansion,
                                out_channels=g.out_channels, num_down_blocks=g.num_down_blocks)
    if g.num_middle_blocks != 6:
        raise ValueError("the official SPADEDecoder has exactly 6 middle blocks")
    if g.spade_hidden != 128:
        for m in dec.modules():
            if isinstance(m, ns.util.SPADE):
                label, norm = m.mlp_shared[0].in_channels, m.mlp_gamma.out_channels
                m.mlp_shared = nn.Sequential(nn.Conv2d(label, g.spade_hidden, 3, padding=1), nn.ReLU())
                m.mlp_gamma = nn.Conv2d(g.spade_hidden, norm, 3, padding=1)
                m.mlp_beta = nn.Conv2d(g.spade_hidden, norm, 3, padding=1)
    return dec


def build_official(ns, cfg: LivePortraitConfig) -> dict:
    """Fresh official modules (eval mode): appearance, motion, warping, decoder, stitching, lip, eye."""
    _register_backbone(ns, cfg)
    p = model_config(cfg)["model_params"]
    h = ns.helper
    nets = {
        "appearance": h.AppearanceFeatureExtractor(**p["appearance_feature_extractor_params"]),
        "motion": h.MotionExtractor(**p["motion_extractor_params"]),
        "warping": h.WarpingNetwork(**p["warping_module_params"]),
        "decoder": build_decoder(ns, cfg),
    }
    s = p["stitching_retargeting_module_params"]
    for name in ("stitching", "lip", "eye"):
        nets[name] = h.StitchingRetargetingNetwork(**s[name])
    return {k: v.eval() for k, v in nets.items()}


# ---------------------------------------------------------------------------------------------
# Trained-like random weights
# ---------------------------------------------------------------------------------------------
def _fan_in_init(module: nn.Module, gen: torch.Generator, gain: float = 1.0, bias_std: float = 0.05):
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, (nn.Conv2d, nn.Conv3d, nn.Linear)):
                w = m.weight_orig if hasattr(m, "weight_orig") else m.weight
                fan_in = w[0].numel()
                w.copy_(torch.randn(w.shape, generator=gen) * gain / math.sqrt(fan_in))
                if m.bias is not None:
                    m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * bias_std)
            elif isinstance(m, (nn.BatchNorm2d, nn.BatchNorm3d)):
                m.weight.copy_(0.7 + 0.6 * torch.rand(m.weight.shape, generator=gen))
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
            elif isinstance(m, nn.LayerNorm) or type(m).__name__ == "LayerNorm":
                m.weight.copy_(1 + 0.2 * torch.randn(m.weight.shape, generator=gen))
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
            elif type(m).__name__ == "GRN":
                m.gamma.copy_(torch.randn(m.gamma.shape, generator=gen) * 0.2)
                m.beta.copy_(torch.randn(m.beta.shape, generator=gen) * 0.1)


def _motion_heads(detector: nn.Module, gen: torch.Generator):
    """Head scales so that the outputs look like a trained model's: kp ~ 0.3, exp ~ 0.03,
    |t| ~ 0.05, scale ~ 1, pose logits ~ 1.5 (angles of a few tens of degrees)."""
    spec = {"fc_kp": (0.3, 0.2), "fc_exp": (0.03, 0.01), "fc_t": (0.05, 0.02), "fc_scale": (0.05, None),
            "fc_pitch": (1.5, 0.5), "fc_yaw": (1.5, 0.5), "fc_roll": (1.5, 0.5)}
    with torch.no_grad():
        for name, (out_std, bias_std) in spec.items():
            fc = getattr(detector, name)
            fc.weight.copy_(torch.randn(fc.weight.shape, generator=gen) * out_std / math.sqrt(fc.in_features))
            fc.bias.copy_(torch.full_like(fc.bias, 1.0) if bias_std is None
                          else torch.randn(fc.bias.shape, generator=gen) * bias_std)


def _calibrate_batchnorm(module: nn.Module, run, gen: torch.Generator):
    """Running stats := the statistics of `run()` (train-mode pass, cumulative average), then
    perturbed by a few per cent, as a trained network's stats are close to but not exactly the
    statistics of any one batch."""
    bns = [m for m in module.modules() if isinstance(m, (nn.BatchNorm2d, nn.BatchNorm3d))]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
        m.train()
    with torch.no_grad():
        run()
        for m in bns:
            m.running_mean.add_(0.05 * m.running_var.sqrt() * torch.randn(m.running_mean.shape, generator=gen))
            m.running_var.mul_(1 + 0.1 * (torch.rand(m.running_var.shape, generator=gen) - 0.5))
            m.momentum = 0.1
            m.eval()


def _spectral_vectors(decoder: nn.Module, iterations: int = 30):
    """weight_u / weight_v of every spectral-norm conv := converged power-iteration vectors."""
    with torch.no_grad():
        for m in decoder.modules():
            if hasattr(m, "weight_orig"):
                w = m.weight_orig.reshape(m.weight_orig.shape[0], -1)
                v = torch.nn.functional.normalize(torch.ones(w.shape[1]), dim=0)
                for _ in range(iterations):
                    u = torch.nn.functional.normalize(w @ v, dim=0)
                    v = torch.nn.functional.normalize(w.t() @ u, dim=0)
                m.weight_u.copy_(u)
                m.weight_v.copy_(v)


def randomize(ns, nets: dict, source: torch.Tensor, drivers: torch.Tensor, seed: int = 0, calibrate: bool = True):
    """Trained-like random weights for all official modules; BatchNorm stats calibrated on the
    source and driver images (and their keypoints) when `calibrate`."""
    gen = torch.Generator().manual_seed(seed)
    for name in ("appearance", "motion", "warping"):
        _fan_in_init(nets[name], gen, gain=1.0)
    _motion_heads(nets["motion"].detector, gen)
    _fan_in_init(nets["decoder"], gen, gain=1.0)
    with torch.no_grad():
        for m in nets["decoder"].modules():        # SPADE modulation: gamma, beta ~ 0.3
            if isinstance(m, ns.util.SPADE):
                m.mlp_gamma.weight.mul_(0.3)
                m.mlp_beta.weight.mul_(0.3)
        to_image = nets["decoder"].conv_img[0] if isinstance(nets["decoder"].conv_img, nn.Sequential) \
            else nets["decoder"].conv_img
        to_image.weight.mul_(0.5)                  # pre-sigmoid logits of about +-2
    _spectral_vectors(nets["decoder"])
    for name in ("stitching", "lip", "eye"):
        _fan_in_init(nets[name], gen, gain=1.0, bias_std=0.02)
        last = nets[name].mlp[-1]
        with torch.no_grad():                     # deltas of a few 1e-2, as trained
            last.weight.mul_(0.03)
            last.bias.mul_(0.3)
    if not calibrate:
        return
    images = torch.cat([source, drivers], dim=0)
    _calibrate_batchnorm(nets["appearance"], lambda: nets["appearance"](images), gen)
    with torch.no_grad():
        out = nets["motion"](images)
        n, k = images.shape[0], out["kp"].shape[1] // 3
        kp = out["kp"].view(n, k, 3)
        f = nets["appearance"](source).expand(drivers.shape[0], -1, -1, -1, -1)
    _calibrate_batchnorm(nets["warping"], lambda: nets["warping"](f, kp_driving=kp[1:], kp_source=kp[:1].expand_as(kp[1:])), gen)


def save_official_layout(nets: dict, directory: str):
    """The five files exactly as the released checkpoints are laid out (state dicts)."""
    os.makedirs(directory, exist_ok=True)
    for name, file in (("appearance", "appearance_feature_extractor.pth"), ("motion", "motion_extractor.pth"),
                       ("warping", "warping_module.pth"), ("decoder", "spade_generator.pth")):
        torch.save(nets[name].state_dict(), os.path.join(directory, file))
    torch.save({"retarget_shoulder": nets["stitching"].state_dict(), "retarget_mouth": nets["lip"].state_dict(),
                "retarget_eye": nets["eye"].state_dict()}, os.path.join(directory, "stitching_retargeting_module.pth"))


def load_official_layout(ns, cfg: LivePortraitConfig, directory: str) -> dict:
    """Loads the files with the official helper.load_model (the decoder, when its SPADE width is
    not the released one, is built by build_decoder and loaded with load_state_dict(strict))."""
    _register_backbone(ns, cfg)
    mc = model_config(cfg)
    lm = ns.helper.load_model
    nets = {"appearance": lm(os.path.join(directory, "appearance_feature_extractor.pth"), mc, "cpu", "appearance_feature_extractor"),
            "motion": lm(os.path.join(directory, "motion_extractor.pth"), mc, "cpu", "motion_extractor"),
            "warping": lm(os.path.join(directory, "warping_module.pth"), mc, "cpu", "warping_module")}
    if cfg.decoder.spade_hidden == 128 and cfg.decoder.out_channels == 64:
        nets["decoder"] = lm(os.path.join(directory, "spade_generator.pth"), mc, "cpu", "spade_generator")
    else:
        dec = build_decoder(ns, cfg)
        dec.load_state_dict(torch.load(os.path.join(directory, "spade_generator.pth"), weights_only=True))
        nets["decoder"] = dec.eval()
    nets.update(lm(os.path.join(directory, "stitching_retargeting_module.pth"), mc, "cpu", "stitching_retargeting_module"))
    return nets
