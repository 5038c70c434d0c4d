"""Golden fixtures for torch.cat and for broadcasting torch.add / torch.mul (the ops BiSeNet's
attention and fusion modules use)."""
import torch

from op_fixtures import seeded


def cases():
    a = seeded(90, 2, 3, 7, 13, lo=-2, hi=2)
    b = seeded(91, 2, 5, 7, 13, lo=-2, hi=2)
    yield "cat-channels", "cat", {"tensors.0": a, "tensors.1": b}, {"dim": 1}, torch.cat([a, b], dim=1)
    p, q, r = seeded(92, 3, 4, 5), seeded(93, 3, 4, 2), seeded(94, 3, 4, 7)
    yield "cat-last-three", "cat", {"tensors.0": p, "tensors.1": q, "tensors.2": r}, {"dim": -1}, torch.cat([p, q, r], dim=-1)
    u, v = seeded(95, 1, 3, 4, 6), seeded(96, 2, 3, 4, 6)
    yield "cat-batch", "cat", {"tensors.0": u, "tensors.1": v}, {"dim": 0}, torch.cat([u, v], dim=0)
    attention = seeded(97, 2, 3, 1, 1, lo=0, hi=1)
    yield "mul-broadcast-channels", "mul", {"input": a, "other": attention}, {}, torch.mul(a, attention)
    row = seeded(98, 7, 1, 5, lo=-2, hi=2)
    x5 = seeded(99, 2, 3, 7, 13, 5, lo=-2, hi=2)
    yield "mul-broadcast-inner", "mul", {"input": x5, "other": row}, {}, torch.mul(x5, row)
    shift = seeded(100, 2, 3, 1, 1, lo=-2, hi=2)
    yield "add-broadcast-channels", "add", {"input": a, "other": shift}, {}, torch.add(a, shift)
    yield "add-broadcast-alpha", "add", {"input": a, "other": seeded(101, 3, 1, 13)}, {"alpha": 0.5}, \
        torch.add(a, seeded(101, 3, 1, 13), alpha=0.5)
