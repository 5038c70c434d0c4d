#!/usr/bin/env python3
"""Converts a few-shot talking-heads checkpoint in the layout of vincent-thevenin/Realistic-
Neural-Talking-Head-Models (train.py's `torch.save({... 'E_state_dict', 'G_state_dict' ...})`)
to one PortraitCL safetensors file (docs/fewshot.md).

Every spectral norm is folded as PyTorch applies it in eval mode, in float64:
W = W_orig / σ with σ = u · (W_orig.reshape(Cout, −1) · v) from the stored `weight_u`/`weight_v`.
Names become "embedder.<module path>" / "generator.<module path>". Dropped: the generator's
`psi` (its fine-tuning parameter; this engine is feed-forward: ψ̂ = P·ê) and the discriminator.
Widths are read from the checkpoint; a missing key, a misshaped tensor or any other key is refused.

Usage:
  convert_fewshot.py CHECKPOINT -o fewshot.safetensors
  convert_fewshot.py --random OUT.tar [--seed 1] [--tiny]
      writes a checkpoint in the public layout with trained-like random values (layout.py
      random_weights, each spectral-normed weight scaled by a random factor and given u, v from
      three power iterations, as training leaves them: near, not at, the singular vectors).
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import single_file_converter  # noqa: E402
from fewshot import layout  # noqa: E402

FORMAT = "portraitcl-fewshot-1"
PARTS = {"embedder": "E_state_dict", "generator": "G_state_dict"}
DROPPED = {"generator.psi"}


def _strip(sd):
    return {k[len("module."):] if k.startswith("module.") else k: v for k, v in sd.items()}


def public_tensors(checkpoint):
    """{"embedder.<key>" / "generator.<key>": tensor} from a public-layout checkpoint."""
    if not isinstance(checkpoint, dict) or any(part not in checkpoint for part in PARTS.values()):
        found = sorted(checkpoint)[:8] if isinstance(checkpoint, dict) else type(checkpoint).__name__
        raise SystemExit(f"error: expected a checkpoint with 'E_state_dict' and 'G_state_dict' (train.py's file), found {found}")
    out = {}
    for ours, key in PARTS.items():
        for name, value in _strip(checkpoint[key]).items():
            out[f"{ours}.{name}"] = value
    return out


def read_widths(sd):
    def out(key):
        if key not in sd:
            raise SystemExit(f"error: the checkpoint has no {key}; is this the public few-shot layout?")
        return int(sd[key].shape[0])
    embedder = tuple(out(f"embedder.resDown{i}.conv_r1.weight_orig") for i in range(1, 7))
    down = tuple(out(f"generator.resDown{i}.conv_r1.weight_orig") for i in range(1, 5))
    up = tuple(out(f"generator.resUp{i}.conv_r1.weight_orig") for i in range(1, 5))
    res = 0
    while f"generator.res{res + 1}.conv1.weight_orig" in sd:
        res += 1
    kernel = int(sd["generator.resDown1.conv_r1.weight_orig"].shape[-1])
    return layout.Widths(embedder=embedder, down=down, up=up, res_blocks=res, first_kernel=kernel, image=256)


def convert(checkpoint):
    """Public checkpoint → (our folded float32 tensors, widths). Raises SystemExit on any mismatch."""
    sd = public_tensors(checkpoint)
    w = read_widths(sd)
    used, out = set(DROPPED), {}
    for name, cout, cin, k, spectral in layout.convs(w):
        if spectral:
            keys = [f"{name}.weight_orig", f"{name}.weight_u", f"{name}.weight_v"]
            missing = [key for key in keys if key not in sd]
            if missing:
                raise SystemExit(f"error: missing {missing[0]} (every spectral-normed convolution needs weight_orig, weight_u, weight_v)")
            weight, u, v = (sd[key].double() for key in keys)
            sigma = torch.dot(u, weight.reshape(weight.shape[0], -1) @ v)
            if not torch.isfinite(sigma) or sigma.abs() < 1e-12:
                raise SystemExit(f"error: {name}: spectral norm σ = {float(sigma)} cannot be divided by")
            out[f"{name}.weight"] = (weight / sigma).float()
            used.update(keys)
        else:
            if f"{name}.weight" not in sd:
                raise SystemExit(f"error: missing {name}.weight")
            out[f"{name}.weight"] = sd[f"{name}.weight"].float()
            used.add(f"{name}.weight")
        if f"{name}.bias" not in sd:
            raise SystemExit(f"error: missing {name}.bias")
        out[f"{name}.bias"] = sd[f"{name}.bias"].float()
        used.add(f"{name}.bias")
    for name in layout.tensor_specs(w):
        if name.endswith(".gamma") or name.startswith("generator.in") or name == "generator.p":
            if name not in sd:
                raise SystemExit(f"error: missing {name}")
            out[name] = sd[name].float()
            used.add(name)
    unknown = sorted(k for k in sd if k not in used)
    if unknown:
        raise SystemExit(f"error: unexpected keys (not the public few-shot layout?): {unknown[:5]}")
    try:
        layout.check(out, w)
    except ValueError as e:
        raise SystemExit(f"error: {e}")
    return {k: v.contiguous() for k, v in out.items()}, w


def random_public(w: layout.Widths, seed: int, p_scale: float = 1.0):
    """A public-layout checkpoint (E_state_dict, G_state_dict) with trained-like random values."""
    ours = layout.random_weights(w, seed, p_scale)
    g = torch.Generator().manual_seed(seed + 1000)
    sd = {"embedder": {}, "generator": {}}

    def put(name, value):
        part, key = name.split(".", 1)
        sd[part][key] = value.contiguous()

    for name, cout, cin, k, spectral in layout.convs(w):
        weight = ours[f"{name}.weight"].double()
        if spectral:
            orig = weight * (0.5 + 1.5 * torch.rand(1, generator=g, dtype=torch.float64))
            mat = orig.reshape(cout, -1)
            u = torch.randn(cout, generator=g, dtype=torch.float64)
            for _ in range(3):
                v = torch.nn.functional.normalize(mat.t() @ u, dim=0, eps=1e-12)
                u = torch.nn.functional.normalize(mat @ v, dim=0, eps=1e-12)
            put(f"{name}.weight_orig", orig.float())
            put(f"{name}.weight_u", u.float())
            put(f"{name}.weight_v", v.float())
        else:
            put(f"{name}.weight", weight.float())
        put(f"{name}.bias", ours[f"{name}.bias"])
    for name, value in ours.items():
        if name.endswith(".gamma") or name.startswith("generator.in") or name == "generator.p":
            put(name, value)
    put("generator.psi", torch.rand(w.psi_length, 1, generator=g))
    return {"epoch": 0, "E_state_dict": sd["embedder"], "G_state_dict": sd["generator"]}


def convert_file(checkpoint):
    """`convert` with the widths as the metadata text."""
    tensors, w = convert(checkpoint)
    return tensors, layout.widths_text(w)


def main():
    single_file_converter.main(__doc__, "public-layout checkpoint (model_weights.tar)", "public",
                               lambda tiny, seed: random_public(layout.TINY if tiny else layout.FULL, seed),
                               convert_file, FORMAT)


if __name__ == "__main__":
    main()
