#!/usr/bin/env python3
"""Converts the face-parsing BiSeNet checkpoint (zllrunning/face-parsing.PyTorch `79999_iter.pth`,
as loaded by EMOPortraits' FaceParsing) to one PortraitCL safetensors file (docs/face-parsing.md).

Names are mapped to ours and every BatchNorm (eps 1e-5, eval statistics) is folded into the
convolution before it, in float64: w' = w·s, b' = β − μ·s with s = γ / sqrt(σ² + eps). The
auxiliary heads (conv_out16, conv_out32: training-only outputs) and num_batches_tracked are
dropped. A missing key, a shape that does not fit the widths read from the checkpoint, or any
other key is refused.

Usage:
  convert_face_parsing.py 79999_iter.pth -o face-parsing.safetensors
  convert_face_parsing.py --random OUT.pth [--seed 1] [--tiny]
      writes a checkpoint in the official key layout with trained-like random values: our
      procedural weights (layout.py) unfolded through random BatchNorm affines and running
      statistics, so that converting it gives back those weights (up to float rounding).
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import single_file_converter  # noqa: E402
from face_parsing import layout  # noqa: E402

BN_EPS = 1e-5
FORMAT = "portraitcl-face-parsing-1"
IGNORED_PREFIXES = ("conv_out16.", "conv_out32.")


def official_names(w: layout.Widths):
    """{our conv name: (official conv weight key, official BatchNorm prefix or None)}."""
    names = {"resnet.conv1": ("cp.resnet.conv1.weight", "cp.resnet.bn1")}
    for name, _, _ in layout.tensor_specs(w):
        if name.startswith("resnet.layer"):
            block = "cp." + name.rsplit(".", 1)[0]
            last = name.rsplit(".", 1)[1]
            if last == "downsample":
                names[name] = (f"{block}.downsample.0.weight", f"{block}.downsample.1")
            else:
                names[name] = (f"{block}.{last}.weight", f"{block}.bn{last[-1]}")
    for arm in ("arm16", "arm32"):
        names[f"context.{arm}.conv"] = (f"cp.{arm}.conv.conv.weight", f"cp.{arm}.conv.bn")
        names[f"context.{arm}.attention"] = (f"cp.{arm}.conv_atten.weight", f"cp.{arm}.bn_atten")
    for ours, theirs in (("head32", "conv_head32"), ("head16", "conv_head16"), ("global", "conv_avg")):
        names[f"context.{ours}"] = (f"cp.{theirs}.conv.weight", f"cp.{theirs}.bn")
    names["fusion.block"] = ("ffm.convblk.conv.weight", "ffm.convblk.bn")
    names["fusion.attention1"] = ("ffm.conv1.weight", None)
    names["fusion.attention2"] = ("ffm.conv2.weight", None)
    names["output.conv"] = ("conv_out.conv.conv.weight", "conv_out.conv.bn")
    names["output.classifier"] = ("conv_out.conv_out.weight", None)
    return names


def official_widths(sd):
    def out(key):
        if key not in sd:
            raise SystemExit(f"error: the checkpoint has no {key}; is this BiSeNet's 79999_iter.pth?")
        return int(sd[key].shape[0])
    return layout.Widths(stem=out("cp.resnet.conv1.weight"),
                         stages=tuple(out(f"cp.resnet.layer{i}.0.conv1.weight") for i in range(1, 5)),
                         context=out("cp.arm16.conv.conv.weight"), fusion=out("ffm.convblk.conv.weight"),
                         head=out("conv_out.conv.conv.weight"), classes=out("conv_out.conv_out.weight"))


def convert(sd):
    """Official state dict → our folded tensors (float32). Raises SystemExit on any mismatch."""
    sd = {k[len("module."):] if k.startswith("module.") else k: v for k, v in sd.items()}
    w = official_widths(sd)
    used, out = set(), {}
    for ours, (conv_key, bn) in official_names(w).items():
        if conv_key not in sd:
            raise SystemExit(f"error: missing {conv_key}")
        weight = sd[conv_key].double()
        used.add(conv_key)
        if bn is None:
            out[f"{ours}.weight"] = weight.float()
            continue
        parts = {}
        for p in ("weight", "bias", "running_mean", "running_var"):
            key = f"{bn}.{p}"
            if key not in sd:
                raise SystemExit(f"error: missing {key}")
            if tuple(sd[key].shape) != (weight.shape[0],):
                raise SystemExit(f"error: {key} has shape {list(sd[key].shape)}, expected [{weight.shape[0]}]")
            parts[p] = sd[key].double()
            used.add(key)
        used.add(f"{bn}.num_batches_tracked")
        scale = parts["weight"] / torch.sqrt(parts["running_var"] + BN_EPS)
        out[f"{ours}.weight"] = (weight * scale.view(-1, 1, 1, 1)).float()
        out[f"{ours}.bias"] = (parts["bias"] - parts["running_mean"] * scale).float()
    unknown = sorted(k for k in sd if k not in used and not k.startswith(IGNORED_PREFIXES))
    if unknown:
        raise SystemExit(f"error: unexpected keys (not BiSeNet's layout?): {unknown[:5]}")
    try:
        layout.check(out, w)
    except ValueError as e:
        raise SystemExit(f"error: {e}")
    return {k: v.contiguous() for k, v in out.items()}, w


def random_official(w: layout.Widths, seed: int):
    """An official-layout state dict whose conversion is layout.procedural_weights(w, seed)."""
    ours = {k: v.double() for k, v in layout.procedural_weights(w, seed).items()}
    g = torch.Generator().manual_seed(seed + 1000)

    def u(n, lo, hi):
        return torch.rand(n, generator=g, dtype=torch.float64) * (hi - lo) + lo

    sd = {}
    for name, (conv_key, bn) in official_names(w).items():
        weight = ours[f"{name}.weight"]
        if bn is None:
            sd[conv_key] = weight.float()
            continue
        n = weight.shape[0]
        gamma, mean, var = u(n, 0.5, 1.5), u(n, -0.5, 0.5), u(n, 0.25, 2.0)
        scale = gamma / torch.sqrt(var + BN_EPS)
        sd[conv_key] = (weight / scale.view(-1, 1, 1, 1)).float()
        sd[f"{bn}.weight"], sd[f"{bn}.running_mean"], sd[f"{bn}.running_var"] = gamma.float(), mean.float(), var.float()
        sd[f"{bn}.bias"] = (ours[f"{name}.bias"] + mean * scale).float()
        sd[f"{bn}.num_batches_tracked"] = torch.tensor(80000)
    # The auxiliary heads (ignored by the mask) exist in the released file: random, same layout.
    for head in ("conv_out16", "conv_out32"):
        mid = w.context // 2
        sd[f"{head}.conv.conv.weight"] = (torch.randn(mid, w.context, 3, 3, generator=g) * 0.05)
        for p, v in (("weight", u(mid, 0.5, 1.5)), ("bias", u(mid, -0.2, 0.2)), ("running_mean", u(mid, -0.5, 0.5)),
                     ("running_var", u(mid, 0.25, 2.0))):
            sd[f"{head}.conv.bn.{p}"] = v.float()
        sd[f"{head}.conv.bn.num_batches_tracked"] = torch.tensor(80000)
        sd[f"{head}.conv_out.weight"] = torch.randn(w.classes, mid, 1, 1, generator=g) * 0.1
    return sd


def convert_file(checkpoint):
    """`convert` with the widths as the metadata text."""
    tensors, w = convert(checkpoint)
    return tensors, f"{w.stem},{','.join(map(str, w.stages))},{w.context},{w.fusion},{w.head},{w.classes}"


def main():
    single_file_converter.main(__doc__, "official 79999_iter.pth", "official",
                               lambda tiny, seed: random_official(layout.TINY if tiny else layout.OFFICIAL, seed),
                               convert_file, FORMAT)


if __name__ == "__main__":
    main()
