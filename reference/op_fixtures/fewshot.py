"""Golden fixtures for the few-shot talking heads' ops: adain (torch.std, eps on σ), transpose, and
softmax over a long middle axis (the attention's keys: the blocked kernels, blocks of 64 rows)."""
import torch

from op_fixtures import seeded


def _adain(x, mean, std, eps=1e-5):
    b, c = x.shape[:2]
    flat = x.reshape(b, c, -1)
    sigma = flat.std(dim=2, keepdim=True) + eps
    return (std.reshape(b, c, 1) * (flat - flat.mean(dim=2, keepdim=True)) / sigma + mean.reshape(b, c, 1)).reshape(x.shape)


def cases():
    x = seeded(301, 2, 5, 7, 3, lo=-3, hi=5)
    mean, std = seeded(302, 2, 5), seeded(303, 2, 5, lo=-2, hi=2)
    yield "adain", "adain", {"input": x, "mean": mean, "std": std}, {}, _adain(x, mean, std)
    # Values far from zero (the mean must be removed before the deviations), non-default eps.
    x = seeded(304, 1, 4, 9, 11, lo=40, hi=44)
    mean, std = seeded(305, 1, 4), seeded(306, 1, 4, lo=0.5, hi=2)
    yield "adain_offset", "adain", {"input": x, "mean": mean, "std": std}, {"eps": 1e-3}, _adain(x, mean, std, 1e-3)
    x = seeded(307, 2, 3, 9, 11)
    yield "transpose", "transpose", {"input": x}, {}, x.transpose(-2, -1).contiguous()
    # 130 rows: two full blocks of 64 and one of 2; a row far above the rest in one block.
    x = seeded(308, 2, 130, 2, 2, lo=-30, hi=30)
    x[1, 100, 0, 1] = 80
    yield "softmax-long-axis", "softmax", {"input": x}, {"dim": 1}, torch.softmax(x, dim=1)
