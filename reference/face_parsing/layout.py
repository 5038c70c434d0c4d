"""The PortraitCL face-parsing tensor layout (docs/face-parsing.md) and procedural weights.

Our layout is BiSeNet with every BatchNorm folded into the convolution before it, so each
`<name>.weight` may come with a `<name>.bias`. Widths are read from the tensors, so a narrow
network (the committed tiny fixture) uses the same names as the released one.

`procedural_weights` draws every tensor from one splitmix64 stream, in `tensor_specs` order,
so the Swift tests regenerate the same values without committing 50 MB of weights.
"""
from dataclasses import dataclass

import numpy as np
import torch


@dataclass(frozen=True)
class Widths:
    """Channel widths: ResNet-18 stem and its four stages, the context path, the fusion
    module, the output head and the number of classes."""
    stem: int = 64
    stages: tuple = (64, 128, 256, 512)
    context: int = 128
    fusion: int = 256
    head: int = 256
    classes: int = 19


OFFICIAL = Widths()
TINY = Widths(stem=8, stages=(8, 16, 24, 32), context=16, fusion=32, head=32, classes=19)


def tensor_specs(w: Widths):
    """[(name, shape, has_bias)] in canonical order (the procedural stream's order)."""
    s = w.stages
    specs = [("resnet.conv1", (w.stem, 3, 7, 7), True)]
    previous = w.stem
    for layer in range(4):
        for block in range(2):
            cin = previous if block == 0 else s[layer]
            prefix = f"resnet.layer{layer + 1}.{block}"
            specs.append((f"{prefix}.conv1", (s[layer], cin, 3, 3), True))
            specs.append((f"{prefix}.conv2", (s[layer], s[layer], 3, 3), True))
            if block == 0 and (cin != s[layer] or layer > 0):
                specs.append((f"{prefix}.downsample", (s[layer], cin, 1, 1), True))
        previous = s[layer]
    for arm, cin in (("arm16", s[2]), ("arm32", s[3])):
        specs.append((f"context.{arm}.conv", (w.context, cin, 3, 3), True))
        specs.append((f"context.{arm}.attention", (w.context, w.context, 1, 1), True))
    specs.append(("context.head32", (w.context, w.context, 3, 3), True))
    specs.append(("context.head16", (w.context, w.context, 3, 3), True))
    specs.append(("context.global", (w.context, s[3], 1, 1), True))
    specs.append(("fusion.block", (w.fusion, s[1] + w.context, 1, 1), True))
    specs.append(("fusion.attention1", (w.fusion // 4, w.fusion, 1, 1), False))
    specs.append(("fusion.attention2", (w.fusion, w.fusion // 4, 1, 1), False))
    specs.append(("output.conv", (w.head, w.fusion, 3, 3), True))
    specs.append(("output.classifier", (w.classes, w.head, 1, 1), False))
    return specs


def widths_of(tensors):
    """The widths a dict in our layout implies (shapes are then checked against them)."""
    def out(name):
        if name not in tensors:
            raise KeyError(f"missing tensor {name}")
        return int(tensors[name].shape[0])
    return Widths(stem=out("resnet.conv1.weight"),
                  stages=tuple(out(f"resnet.layer{i}.0.conv1.weight") for i in range(1, 5)),
                  context=out("context.arm16.conv.weight"), fusion=out("fusion.block.weight"),
                  head=out("output.conv.weight"), classes=out("output.classifier.weight"))


def check(tensors, w: Widths):
    """Raises ValueError for a missing, misshaped or unexpected tensor."""
    expected = {}
    for name, shape, bias in tensor_specs(w):
        expected[f"{name}.weight"] = shape
        if bias:
            expected[f"{name}.bias"] = (shape[0],)
    for name, shape in expected.items():
        if name not in tensors:
            raise ValueError(f"missing tensor {name} (expected shape {list(shape)})")
        if tuple(tensors[name].shape) != shape:
            raise ValueError(f"{name}: shape {list(tensors[name].shape)}, expected {list(shape)}")
    extra = sorted(set(tensors) - set(expected))
    if extra:
        raise ValueError(f"unexpected tensors: {extra[:5]}")


MASK64 = (1 << 64) - 1


def splitmix_uniform(seed: int, start: int, count: int) -> np.ndarray:
    """Values 2u − 1 in [−1, 1), u = top 24 bits of splitmix64(seed + (start + i + 1)·γ) / 2^24."""
    with np.errstate(over="ignore"):
        i = np.arange(start + 1, start + count + 1, dtype=np.uint64)
        z = np.uint64(seed & MASK64) + i * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(40)).astype(np.float32) / np.float32(1 << 24)
    return np.float32(2) * u - np.float32(1)


BIAS_SCALE = np.float32(0.2)


def procedural_weights(w: Widths, seed: int):
    """Our-layout tensors: weight = U(−1, 1)·sqrt(6 / fan_in) (Kaiming-uniform scale, as float32),
    bias = U(−1, 1)·0.2; weight then bias of each conv, in `tensor_specs` order, one stream."""
    out, position = {}, 0
    for name, shape, bias in tensor_specs(w):
        count = int(np.prod(shape))
        scale = np.float32(np.sqrt(6.0 / (count // shape[0])))
        out[f"{name}.weight"] = torch.from_numpy((splitmix_uniform(seed, position, count) * scale).reshape(shape))
        position += count
        if bias:
            out[f"{name}.bias"] = torch.from_numpy(splitmix_uniform(seed, position, shape[0]) * BIAS_SCALE)
            position += shape[0]
    return out
