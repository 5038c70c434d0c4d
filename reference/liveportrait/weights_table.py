"""Prints docs/weights.md's LivePortrait table: every tensor of our layout at a config (name,
shape), the official file and key(s) it is converted from and the folding, all taken from
convert.py itself (its mapping functions run on a stand-in state dict that records each key read).
Runs of blocks with equal shapes share a row ({a..b}). No torch checkpoint is needed.

  cd reference && python3 -m liveportrait.weights_table [released|tiny|cfg.json]
"""
import re
import sys

import torch

from . import convert
from .config import LivePortraitConfig

class _Recorder(convert._Writer):
    """A _Writer that notes, for each of our tensors, the official key(s) and the folding."""

    def __init__(self, expected):
        super().__init__(expected)
        self.origin, self.file, self.read = {}, "", []

    def note(self, name, keys, fold):
        self.origin[name] = (self.file, keys, fold)

    def put(self, name, tensor):
        if name not in self.origin:   # a direct put: the GRN vectors
            self.note(name, self.read[-1], "reshape [1,1,1,C] → [C]")
        self.read = []
        super().put(name, tensor)

    def plain(self, src, official, ours, bias=True):
        self.note(f"{ours}.weight", f"{official}.weight", "—")
        self.note(f"{ours}.bias", f"{official}.bias", "—")
        super().plain(src, official, ours, bias)

    def conv_bn(self, src, conv, bn, ours):
        self.note(f"{ours}.weight", f"{conv}.weight, {bn}.*", "conv+BN")
        self.note(f"{ours}.bias", f"{conv}.bias, {bn}.*", "conv+BN")
        super().conv_bn(src, conv, bn, ours)

    def affine(self, src, bn, ours):
        self.note(f"{ours}.scale", f"{bn}.*", "BN: s = γ/√(σ²+ε)")
        self.note(f"{ours}.shift", f"{bn}.*", "BN: β − μ·s")
        super().affine(src, bn, ours)

    def spectral(self, src, official, ours, bias=True):
        self.note(f"{ours}.weight", f"{official}.weight_orig, _u, _v", "spectral norm")
        self.note(f"{ours}.bias", f"{official}.bias", "—")
        super().spectral(src, official, ours, bias)


class _StandIn(convert._Source):
    """Hands out ones of the asked shape for any key and tells the recorder what was read."""

    def __init__(self, label, recorder):
        super().__init__(label, {})
        self.recorder = recorder

    def take(self, key, shape=None):
        self.recorder.read.append(key)
        return torch.ones(shape, dtype=torch.float64)

    def finish(self):
        pass


def origins(cfg):
    """[(name, shape, file, official keys, folding)] in our layout's order."""
    w = _Recorder(convert.expected_shapes(cfg))
    parts = (("appearance", convert._appearance), ("motion", convert._motion), ("warping", convert._warping),
             ("decoder", convert._decoder))
    for part, fn in parts:
        w.file = convert.FILES[part]
        fn(w, _StandIn(w.file, w), cfg)
    for ours, key in convert.MLP_KEYS.items():
        w.file = f"{convert.FILES['keypoint_mlps']}[{key}]"
        convert._mlp(w, _StandIn(w.file, w), ours, len(getattr(cfg, ours).hidden_sizes) + 1)
    missing = set(w.expected) - set(w.origin)
    assert not missing, f"unmapped: {sorted(missing)[:4]}"
    return [(n, w.expected[n], *w.origin[n]) for n in w.expected]


def _span(values):
    values = sorted(set(values))
    if len(values) == 1:
        return str(values[0])
    if values == list(range(values[0], values[-1] + 1)):
        return f"{{{values[0]}..{values[-1]}}}"
    return "{" + ",".join(map(str, values)) + "}"


def _collapse(texts):
    """Texts equal up to their integers -> one text with {a..b} (or {a,b,...}) where they differ."""
    pieces = [re.split(r"(\d+)", t) for t in texts]
    out = pieces[0][:]
    for i in range(1, len(out), 2):
        out[i] = _span(int(p[i]) for p in pieces)
    return "".join(out)


def rows(cfg):
    """Table rows: tensors grouped when only block indices differ and shape and folding agree."""
    groups, order = {}, []
    for name, shape, file, keys, fold in origins(cfg):
        # Block indices are the dotted integer segments of our name (pw1, res3d keep their digits).
        key = (re.sub(r"(?<=\.)\d+(?=\.|$)", "#", name), tuple(shape), file, re.sub(r"\d+", "#", keys), fold)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((name, keys))
    out = []
    for key in order:
        names, keys = zip(*groups[key])
        out.append((_collapse(names), list(key[1]), key[2], _collapse(keys), key[4], len(names)))
    return out


def main(argv):
    cfg = LivePortraitConfig.load(argv[1] if len(argv) > 1 else "released")
    table = rows(cfg)
    total = sum(r[5] for r in table)
    values = sum(torch.Size(s).numel() for _, s, *_ in origins(cfg))
    print(f"{total} tensors, {values:,} values at config '{cfg.name}'.\n")
    print("| ours | shape | official file: key(s) | folding |")
    print("|---|---|---|---|")
    for name, shape, file, keys, fold, count in table:
        file = file.replace(".pth", "")
        print(f"| `{name}` | `{shape}` | {file}: `{keys}` | {fold} |")


if __name__ == "__main__":
    main(sys.argv)
