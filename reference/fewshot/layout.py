"""Tensor names and shapes of the converted few-shot talking-heads network (docs/fewshot.md).

Names are the public implementation's module paths (vincent-thevenin/Realistic-Neural-Talking-
Head-Models, network/model.py) under "embedder." / "generator.", with spectral norm folded
(`weight_orig`, `weight_u`, `weight_v` → `weight`). Widths generalise its hard-coded channels so
that a narrow network (TINY) exercises the same code in tests.
"""
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Widths:
    embedder: tuple = (64, 128, 256, 512, 512, 512)  # resDown1..6 outputs; attention after resDown3
    down: tuple = (64, 128, 256, 512)                 # generator resDown1..4; attention after resDown3
    up: tuple = (256, 128, 64, 32)                    # resUp1..4 outputs; attention after resUp2
    res_blocks: int = 5                               # res1..res5 at down[-1] channels
    first_kernel: int = 9                             # generator resDown1 right-branch kernel
    image: int = 256                                  # input side (≥ 64: six halvings in the embedder)

    @property
    def embedding(self):
        return self.embedder[-1]

    def up_pairs(self):
        ins = (self.down[-1],) + tuple(self.up[:-1])
        return list(zip(ins, self.up))

    def psi_slices(self):
        """[(block name, [(mean start, std start, channels), ...])] in psi order, and psi's length."""
        out, at = [], 0
        c = self.down[-1]
        for i in range(self.res_blocks):
            out.append((f"res{i + 1}", [(at, at + c, c), (at + 2 * c, at + 3 * c, c)]))
            at += 4 * c
        for i, (cin, cout) in enumerate(self.up_pairs()):
            out.append((f"resUp{i + 1}", [(at, at + cin, cin), (at + 2 * cin, at + 2 * cin + cout, cout)]))
            at += 2 * (cin + cout)
        c = self.up[-1]
        out.append(("last", [(at, at + c, c)]))
        at += 2 * c
        return out, at

    @property
    def psi_length(self):
        return self.psi_slices()[1]


FULL = Widths()
TINY = Widths(embedder=(8, 8, 16, 16, 16, 16), down=(8, 8, 16, 16), up=(16, 8, 8, 8), res_blocks=2, first_kernel=9, image=64)


def convs(w: Widths):
    """[(name, cout, cin, k, spectral)] for every convolution, canonical order."""
    out = []

    def down(prefix, cin, cout, k=3):
        out.extend([(f"{prefix}.conv_l1", cout, cin, 1, True), (f"{prefix}.conv_r1", cout, cin, k, True),
                    (f"{prefix}.conv_r2", cout, cout, k, True)])

    def attention(prefix, c):
        out.extend([(f"{prefix}.conv_f", c // 8, c, 1, True), (f"{prefix}.conv_g", c // 8, c, 1, True),
                    (f"{prefix}.conv_h", c, c, 1, True)])

    cin = 6
    for i, c in enumerate(w.embedder):
        down(f"embedder.resDown{i + 1}", cin, c)
        if i == 2:
            attention("embedder.self_att", c)
        cin = c
    cin = 3
    for i, c in enumerate(w.down):
        down(f"generator.resDown{i + 1}", cin, c, w.first_kernel if i == 0 else 3)
        if i == 2:
            attention("generator.self_att_Down", c)
        cin = c
    for i in range(w.res_blocks):
        c = w.down[-1]
        out.extend([(f"generator.res{i + 1}.conv1", c, c, 3, True), (f"generator.res{i + 1}.conv2", c, c, 3, True)])
    for i, (a, b) in enumerate(w.up_pairs()):
        out.extend([(f"generator.resUp{i + 1}.conv_l1", b, a, 1, True), (f"generator.resUp{i + 1}.conv_r1", b, a, 3, True),
                    (f"generator.resUp{i + 1}.conv_r2", b, b, 3, True)])
        if i == 1:
            attention("generator.self_att_Up", b)
    out.append(("generator.conv2d", 3, w.up[-1], 3, False))
    return out


def tensor_specs(w: Widths):
    """{name: shape} of every converted tensor."""
    specs = {}
    for name, cout, cin, k, _ in convs(w):
        specs[f"{name}.weight"] = (cout, cin, k, k)
        specs[f"{name}.bias"] = (cout,)
    for prefix in ("embedder.self_att", "generator.self_att_Down", "generator.self_att_Up"):
        specs[f"{prefix}.gamma"] = (1,)
    for i, c in enumerate(w.down):
        specs[f"generator.in{i + 1}.weight"] = (c,)
        specs[f"generator.in{i + 1}.bias"] = (c,)
    specs["generator.p"] = (w.psi_length, w.embedding)
    return specs


def check(tensors, w: Widths):
    """Raises ValueError for a missing, misshaped or unexpected tensor."""
    specs = tensor_specs(w)
    for name, shape in specs.items():
        if name not in tensors:
            raise ValueError(f"missing {name} {list(shape)}")
        if tuple(tensors[name].shape) != tuple(shape):
            raise ValueError(f"{name} has shape {list(tensors[name].shape)}, expected {list(shape)}")
    extra = sorted(set(tensors) - set(specs))
    if extra:
        raise ValueError(f"unexpected tensors: {extra[:5]}")


def widths_text(w: Widths):
    """The converter's `widths` metadata: embedder;down;up;res_blocks;first_kernel (commas inside)."""
    return ";".join([",".join(map(str, w.embedder)), ",".join(map(str, w.down)), ",".join(map(str, w.up)),
                     str(w.res_blocks), str(w.first_kernel)])


def random_weights(w: Widths, seed: int, p_scale: float = 1.0):
    """Trained-like random converted weights: convolutions at fan-in scale (spectral-normed ones
    divided by their largest singular value, as a converged spectral norm leaves them), biases
    ± 0.1, instance-norm affines 1 ± 0.3 / ± 0.3, attention gammas ± (0.3..0.8), P normal(0, p_scale)."""
    g = torch.Generator().manual_seed(seed)
    out = {}
    for name, cout, cin, k, spectral in convs(w):
        weight = torch.randn(cout, cin, k, k, generator=g, dtype=torch.float64) / (cin * k * k) ** 0.5
        if spectral:
            sigma = torch.linalg.matrix_norm(weight.reshape(cout, -1), ord=2)
            weight = weight / sigma
        out[f"{name}.weight"] = weight.float()
        out[f"{name}.bias"] = ((torch.rand(cout, generator=g) * 2 - 1) * 0.1)
    for prefix in ("embedder.self_att", "generator.self_att_Down", "generator.self_att_Up"):
        sign = 1 if torch.rand(1, generator=g).item() < 0.5 else -1
        out[f"{prefix}.gamma"] = sign * (0.3 + 0.5 * torch.rand(1, generator=g))
    for i, c in enumerate(w.down):
        out[f"generator.in{i + 1}.weight"] = 1 + (torch.rand(c, generator=g) * 2 - 1) * 0.3
        out[f"generator.in{i + 1}.bias"] = (torch.rand(c, generator=g) * 2 - 1) * 0.3
    out["generator.p"] = torch.randn(w.psi_length, w.embedding, generator=g) * p_scale
    return out
