"""Golden fixtures for group_norm, adaptive_group_norm (MegaPortraits AdaGN) and batch_norm (eval, and fused with relu)."""
import torch.nn.functional as F

from op_fixtures import seeded


def cases():
    # One channel per group (C = 32, G = 32), 3-D, affine; values off-centre to test mean removal.
    x = seeded(101, 2, 32, 3, 5, 4, lo=-2, hi=6)
    w, b = seeded(102, 32, lo=-2, hi=2), seeded(103, 32)
    yield "group_norm_c32", "group_norm", {"input": x, "weight": w, "bias": b}, {"num_groups": 32}, \
        F.group_norm(x, 32, w, b, eps=1e-5)
    # Two channels per group, 2-D, no affine, non-default eps.
    x = seeded(104, 2, 64, 5, 7, lo=-3, hi=3)
    yield "group_norm_c64_noaffine", "group_norm", {"input": x}, {"num_groups": 32, "eps": 1e-3}, \
        F.group_norm(x, 32, eps=1e-3)
    # Three channels per group (MegaPortraits 96 channels), 3-D, weight only.
    x = seeded(105, 1, 96, 2, 4, 4, lo=-4, hi=4)
    w = seeded(106, 96, lo=0.5, hi=1.5)
    yield "group_norm_c96_weight", "group_norm", {"input": x, "weight": w}, {"num_groups": 32}, \
        F.group_norm(x, 32, weight=w)
    # AdaGN: affine-free group norm, then per-sample, per-channel gamma and beta.
    x = seeded(107, 2, 64, 3, 4, 5, lo=-2, hi=5)
    gamma, beta = seeded(108, 2, 64, lo=-2, hi=2), seeded(109, 2, 64)
    yield "adaptive_group_norm", "adaptive_group_norm", {"input": x, "gamma": gamma, "beta": beta}, \
        {"num_groups": 32, "eps": 1e-5}, \
        F.group_norm(x, 32, eps=1e-5) * gamma[:, :, None, None, None] + beta[:, :, None, None, None]
    # Eval-mode batch norm with running statistics.
    x = seeded(110, 2, 5, 7, 6, lo=-3, hi=3)
    rm, rv = seeded(111, 5), seeded(112, 5, lo=0.25, hi=2)
    w, b = seeded(113, 5, lo=-2, hi=2), seeded(114, 5)
    yield "batch_norm", "batch_norm", {"input": x, "running_mean": rm, "running_var": rv, "weight": w, "bias": b}, \
        {"eps": 1e-3}, F.batch_norm(x, rm, rv, w, b, training=False, eps=1e-3)
    yield "batch_norm_noaffine", "batch_norm", {"input": x, "running_mean": rm, "running_var": rv}, {}, \
        F.batch_norm(x, rm, rv, training=False)
    # relu(batch_norm) in one pass (LivePortrait's appearance res3d input: mean 0, var 1, eps 0).
    yield "batch_norm_relu", "batch_norm", {"input": x, "running_mean": rm, "running_var": rv, "weight": w, "bias": b}, \
        {"eps": 1e-3, "relu": 1}, F.relu(F.batch_norm(x, rm, rv, w, b, training=False, eps=1e-3))
