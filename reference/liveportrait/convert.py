"""Official LivePortrait checkpoints (KwaiVGI/LivePortrait layout) -> our folded weight layout.

Reads the five official files from a directory,
  appearance_feature_extractor.pth   AppearanceFeatureExtractor.state_dict()
  motion_extractor.pth               MotionExtractor.state_dict()        ("detector." prefix)
  warping_module.pth                 WarpingNetwork.state_dict()
  spade_generator.pth                SPADEDecoder.state_dict()           (spectral-norm convs)
  stitching_retargeting_module.pth   {"retarget_shoulder", "retarget_mouth", "retarget_eye"}
                                     -> three StitchingRetargetingNetwork state dicts
with torch.load(weights_only=True), maps every tensor to our name (docs/liveportrait.md), folds
  * a BatchNorm after a conv into the conv:   W' = W*s, b' = (b - mean)*s + beta, s = gamma/sqrt(var+1e-5)
  * a BatchNorm on a block input into scale = s, shift = beta - mean*s
  * spectral norm:                            W = weight_orig / (u . (W_orig_mat v))
  * GRN gamma/beta from 1x1x1xC to C,
and refuses a missing, misshaped or unexpected tensor with a message naming file and key.
"""
import json
import pickle
import os

import torch

from .config import LivePortraitConfig
from .model import LivePortrait

BN_EPS = 1e-5
FILES = {"appearance": "appearance_feature_extractor.pth", "motion": "motion_extractor.pth",
         "warping": "warping_module.pth", "decoder": "spade_generator.pth",
         "keypoint_mlps": "stitching_retargeting_module.pth"}
MLP_KEYS = {"stitching": "retarget_shoulder", "lip": "retarget_mouth", "eye": "retarget_eye"}


class ConversionError(ValueError):
    """A checkpoint does not have the layout or the shapes the config asks for."""


class _Source:
    """One official state dict; hands out tensors by key with shape checks and tracks use."""

    def __init__(self, label: str, state: dict):
        self.label = label
        self.state = {k[7:] if k.startswith("module.") else k: v for k, v in state.items()}
        self.used = set()

    def take(self, key: str, shape=None) -> torch.Tensor:
        if key not in self.state:
            raise ConversionError(f"{self.label}: missing tensor '{key}'")
        t = self.state[key]
        if not isinstance(t, torch.Tensor):
            raise ConversionError(f"{self.label}: '{key}' is not a tensor")
        if shape is not None and tuple(t.shape) != tuple(shape):
            raise ConversionError(f"{self.label}: '{key}' has shape {list(t.shape)}, expected {list(shape)}")
        self.used.add(key)
        return t.detach().to(torch.float64)

    def finish(self):
        left = sorted(k for k in self.state if k not in self.used and not k.endswith("num_batches_tracked"))
        if left:
            raise ConversionError(f"{self.label}: {len(left)} unexpected tensor(s), e.g. {left[:4]}")


def _bn(src: _Source, prefix: str, channels: int):
    """(s, shift) of an eval-mode BatchNorm: y = x*s + shift."""
    g = src.take(f"{prefix}.weight", [channels])
    b = src.take(f"{prefix}.bias", [channels])
    mean = src.take(f"{prefix}.running_mean", [channels])
    var = src.take(f"{prefix}.running_var", [channels])
    s = g / torch.sqrt(var + BN_EPS)
    return s, b - mean * s


class _Writer:
    """Collects our tensors, checking each against the shapes of our reference model."""

    def __init__(self, expected: dict):
        self.expected, self.out = expected, {}

    def shape(self, name):
        return self.expected[name]

    def put(self, name, tensor):
        if name not in self.expected:
            raise ConversionError(f"internal: no tensor '{name}' in our layout")
        if tuple(tensor.shape) != tuple(self.expected[name]):
            raise ConversionError(f"'{name}': got {list(tensor.shape)}, expected {list(self.expected[name])}")
        self.out[name] = tensor.to(torch.float32).contiguous()

    # kinds of mapping ------------------------------------------------------------------
    def plain(self, src, official, ours, bias=True):
        self.put(f"{ours}.weight", src.take(f"{official}.weight", self.shape(f"{ours}.weight")))
        if bias:
            self.put(f"{ours}.bias", src.take(f"{official}.bias", self.shape(f"{ours}.bias")))

    def conv_bn(self, src, conv, bn, ours):
        w = src.take(f"{conv}.weight", self.shape(f"{ours}.weight"))
        b = src.take(f"{conv}.bias", self.shape(f"{ours}.bias"))
        s, shift = _bn(src, bn, w.shape[0])
        self.put(f"{ours}.weight", w * s.view(-1, *([1] * (w.dim() - 1))))
        self.put(f"{ours}.bias", b * s + shift)

    def affine(self, src, bn, ours):
        s, shift = _bn(src, bn, self.shape(f"{ours}.scale")[0])
        self.put(f"{ours}.scale", s)
        self.put(f"{ours}.shift", shift)

    def spectral(self, src, official, ours, bias=True):
        shape = self.shape(f"{ours}.weight")
        w = src.take(f"{official}.weight_orig", shape)
        u = src.take(f"{official}.weight_u", [shape[0]])
        v = src.take(f"{official}.weight_v", [w[0].numel()])
        sigma = torch.dot(u, w.reshape(shape[0], -1) @ v)
        self.put(f"{ours}.weight", w / sigma)
        if bias:
            self.put(f"{ours}.bias", src.take(f"{official}.bias", self.shape(f"{ours}.bias")))


def _appearance(w: _Writer, src: _Source, cfg: LivePortraitConfig):
    a = cfg.appearance
    w.conv_bn(src, "first.conv", "first.norm", "appearance.stem.conv")
    for i in range(a.num_down_blocks):
        w.conv_bn(src, f"down_blocks.{i}.conv", f"down_blocks.{i}.norm", f"appearance.down.{i}.conv")
    w.plain(src, "second", "appearance.project")
    for i in range(a.num_resblocks):
        o, m = f"resblocks_3d.3dr{i}", f"appearance.res3d.{i}"
        w.affine(src, f"{o}.norm1", f"{m}.norm")
        w.conv_bn(src, f"{o}.conv1", f"{o}.norm2", f"{m}.conv1")
        w.plain(src, f"{o}.conv2", f"{m}.conv2")


def _motion(w: _Writer, src: _Source, cfg: LivePortraitConfig):
    m = cfg.motion
    w.plain(src, "detector.downsample_layers.0.0", "motion.stem")
    w.plain(src, "detector.downsample_layers.0.1", "motion.stem_norm")
    for i in range(3):
        w.plain(src, f"detector.downsample_layers.{i + 1}.0", f"motion.down_norm.{i}")
        w.plain(src, f"detector.downsample_layers.{i + 1}.1", f"motion.down.{i}")
    for s, depth in enumerate(m.depths):
        for b in range(depth):
            o, ours = f"detector.stages.{s}.{b}", f"motion.stages.{s}.{b}"
            for official_name, our_name in (("dwconv", "dwconv"), ("norm", "norm"), ("pwconv1", "pw1"), ("pwconv2", "pw2")):
                w.plain(src, f"{o}.{official_name}", f"{ours}.{our_name}")
            c4 = 4 * m.dims[s]
            w.put(f"{ours}.grn.gamma", src.take(f"{o}.grn.gamma", [1, 1, 1, c4]).view(c4))
            w.put(f"{ours}.grn.beta", src.take(f"{o}.grn.beta", [1, 1, 1, c4]).view(c4))
    w.plain(src, "detector.norm", "motion.head_norm")
    for head in ("kp", "pitch", "yaw", "roll", "t", "exp", "scale"):
        w.plain(src, f"detector.fc_{head}", f"motion.head.{head}")


def _warping(w: _Writer, src: _Source, cfg: LivePortraitConfig):
    d = cfg.warping.dense
    dm, hg = "dense_motion_network", "dense_motion_network.hourglass"
    w.conv_bn(src, f"{dm}.compress", f"{dm}.norm", "warping.dense.compress")
    for i in range(d.num_blocks):
        o = f"{hg}.encoder.down_blocks.{i}"
        w.conv_bn(src, f"{o}.conv", f"{o}.norm", f"warping.dense.hourglass.down.{i}")
        o = f"{hg}.decoder.up_blocks.{i}"
        w.conv_bn(src, f"{o}.conv", f"{o}.norm", f"warping.dense.hourglass.up.{i}")
    w.conv_bn(src, f"{hg}.decoder.conv", f"{hg}.decoder.norm", "warping.dense.hourglass.final")
    w.plain(src, f"{dm}.mask", "warping.dense.mask")
    w.plain(src, f"{dm}.occlusion", "warping.dense.occlusion")
    w.conv_bn(src, "third.conv", "third.norm", "warping.third.conv")
    w.plain(src, "fourth", "warping.fourth")


def _decoder(w: _Writer, src: _Source, cfg: LivePortraitConfig):
    g = cfg.decoder
    w.plain(src, "fc", "decoder.fc")
    names = [f"G_middle_{i}" for i in range(g.num_middle_blocks)] + ["up_0", "up_1"]
    for i, o in enumerate(names):
        m = f"decoder.blocks.{i}"
        norms = [("norm_0", "norm0"), ("norm_1", "norm1")]
        if f"{m}.conv_s.weight" in w.expected:
            norms.append(("norm_s", "norm_s"))
            w.spectral(src, f"{o}.conv_s", f"{m}.conv_s", bias=False)
        for official_norm, our_norm in norms:
            w.plain(src, f"{o}.{official_norm}.mlp_shared.0", f"{m}.{our_norm}.shared")
            w.plain(src, f"{o}.{official_norm}.mlp_gamma", f"{m}.{our_norm}.gamma")
            w.plain(src, f"{o}.{official_norm}.mlp_beta", f"{m}.{our_norm}.beta")
        w.spectral(src, f"{o}.conv_0", f"{m}.conv0")
        w.spectral(src, f"{o}.conv_1", f"{m}.conv1")
    w.plain(src, "conv_img.0" if g.upscale > 1 else "conv_img", "decoder.to_image")


def _mlp(w: _Writer, src: _Source, ours: str, layers: int):
    for i in range(layers):
        w.plain(src, f"mlp.{2 * i}", f"{ours}.layers.{i}")


def expected_shapes(cfg: LivePortraitConfig) -> dict:
    """Every tensor name of our layout and its shape for `cfg`."""
    return {k: tuple(v.shape) for k, v in LivePortrait(cfg).state_dict().items()}


def convert_states(states: dict, cfg: LivePortraitConfig) -> dict:
    """states: {"appearance", "motion", "warping", "decoder": state dict,
    "keypoint_mlps": {"retarget_shoulder", "retarget_mouth", "retarget_eye"}} -> our tensors."""
    w = _Writer(expected_shapes(cfg))
    for part, fn in (("appearance", _appearance), ("motion", _motion), ("warping", _warping), ("decoder", _decoder)):
        if part not in states:
            raise ConversionError(f"missing {FILES[part]}")
        src = _Source(FILES[part], states[part])
        fn(w, src, cfg)
        src.finish()
    mlps = states.get("keypoint_mlps")
    if mlps is None:
        raise ConversionError(f"missing {FILES['keypoint_mlps']}")
    for ours, key in MLP_KEYS.items():
        if key not in mlps:
            raise ConversionError(f"{FILES['keypoint_mlps']}: no '{key}' state dict")
        src = _Source(f"{FILES['keypoint_mlps']}[{key}]", mlps[key])
        _mlp(w, src, ours, len(getattr(cfg, ours).hidden_sizes) + 1)
        src.finish()
    missing = sorted(set(w.expected) - set(w.out))
    if missing:
        raise ConversionError(f"internal: {len(missing)} of our tensors unmapped, e.g. {missing[:4]}")
    return w.out


def load_official_dir(directory: str) -> dict:
    """The five official .pth files of `directory` (torch.load(weights_only=True))."""
    states = {}
    for part, name in FILES.items():
        path = os.path.join(directory, name)
        if not os.path.exists(path):
            raise ConversionError(f"missing {path}")
        state = torch.load(path, map_location="cpu", weights_only=True)
        if part != "keypoint_mlps" and isinstance(state, dict) and "state_dict" in state:
            state = state["state_dict"]
        states[part] = state
    return states


def write(weights: dict, cfg: LivePortraitConfig, out: str, dtype=torch.float32, extra=None):
    """OUT.safetensors (metadata: format, config JSON) and OUT.json (the config); `extra` adds
    top-level config entries the shapes do not depend on (e.g. `neutral_expression`)."""
    from safetensors.torch import save_file
    config_json = cfg.to_json()
    if extra:
        config_json = json.dumps({**json.loads(config_json), **extra}, indent=2, sort_keys=True)
    meta = {"format": "portraitcl-liveportrait-1", "config": config_json}
    save_file({k: v.to(dtype) for k, v in sorted(weights.items())}, f"{out}.safetensors", metadata=meta)
    with open(f"{out}.json", "w") as f:
        f.write(config_json + "\n")


class _ArrayOnlyUnpickler(pickle.Unpickler):
    """Unpickles numpy arrays and plain containers only; any other global is refused."""
    ALLOWED = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
               ("numpy", "float32"), ("numpy", "float64"), ("numpy", "int64"),
               ("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.multiarray", "scalar"),
               ("numpy._core.multiarray", "scalar"), ("builtins", "tuple"), ("builtins", "list"), ("builtins", "dict")}

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise ConversionError(f"refusing to unpickle {module}.{name}: only numpy arrays and plain containers are read")
        return super().find_class(module, name)


def load_lip_array(path: str, num_kp: int):
    """The official neutral expression (`src/utils/resources/lip_array.pkl`, shape [1, K, 3]) as a
    flat list of K*3 floats, read with a restricted unpickler."""
    import numpy as np
    with open(path, "rb") as f:
        array = np.asarray(_ArrayOnlyUnpickler(f).load(), dtype=np.float64)
    if array.size != num_kp * 3:
        raise ConversionError(f"{path}: the neutral expression has {array.size} values; the config's {num_kp} keypoints need {num_kp * 3}")
    if not np.isfinite(array).all():
        raise ConversionError(f"{path}: the neutral expression has non-finite values")
    return [float(v) for v in array.reshape(-1)]



def angles_from_rotation(rotation):
    """(pitch, yaw, roll) in degrees of an official rotation matrix (`get_rotation_matrix`:
    (Rz · Ry · Rx) transposed), for |yaw| < 90 degrees."""
    import math
    r = [[float(rotation[i][j]) for j in range(3)] for i in range(3)]
    yaw = math.asin(max(-1.0, min(1.0, -r[0][2])))
    pitch = math.atan2(r[1][2], r[2][2])
    roll = math.atan2(r[0][1], r[0][0])
    return [math.degrees(a) for a in (pitch, yaw, roll)]


def convert_motion_template(path: str, config: LivePortraitConfig, out: str):
    """An official motion template (`X.pkl` from `make_motion_template`) -> OUT (a PortraitCL
    `.motion` JSON file, docs/liveportrait.md). Read with the array-only unpickler; the rotation
    matrices become angles."""
    import numpy as np
    with open(path, "rb") as f:
        template = _ArrayOnlyUnpickler(f).load()
    if not isinstance(template, dict) or "motion" not in template:
        raise ConversionError(f"{path}: not a LivePortrait motion template (no 'motion' list)")
    k = config.motion.num_kp
    frames = []
    for index, item in enumerate(template["motion"]):
        try:
            kp = np.asarray(item["kp"], dtype=np.float64).reshape(-1)
            exp = np.asarray(item["exp"], dtype=np.float64).reshape(-1)
            t = np.asarray(item["t"], dtype=np.float64).reshape(-1)
            scale = float(np.asarray(item["scale"], dtype=np.float64).reshape(-1)[0])
            rotation = np.asarray(item["R"], dtype=np.float64).reshape(3, 3)
        except (KeyError, ValueError, TypeError) as e:
            raise ConversionError(f"{path}: frame {index} lacks kp/exp/t/scale/R ({e})")
        if kp.size != 3 * k or exp.size != 3 * k or t.size != 3:
            raise ConversionError(f"{path}: frame {index} has {kp.size // 3} keypoints; config '{config.name}' has {k}")
        pitch, yaw, roll = angles_from_rotation(rotation)
        values = [*kp, *exp, *t, scale, pitch, yaw, roll]
        if not all(np.isfinite(values)):
            raise ConversionError(f"{path}: frame {index} has non-finite values")
        frames.append({"canonical": kp.tolist(), "expression": exp.tolist(), "translation": t.tolist(), "scale": scale,
                       "pitch": pitch, "yaw": yaw, "roll": roll})
    if not frames:
        raise ConversionError(f"{path}: the template holds no frames")
    track = {"format": "portraitcl-motion-1", "config": config.name, "keypoints": k, "weights_fingerprint": None,
             "frames_per_second": float(template.get("output_fps", 25)), "origin": f"official template {os.path.basename(path)}",
             "frames": frames}
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(track, f, sort_keys=True)
    os.replace(tmp, out)
    return len(frames)
