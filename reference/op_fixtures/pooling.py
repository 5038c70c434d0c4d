"""Golden fixtures for avg_pool2d, avg_pool3d, max_pool2d and adaptive_avg_pool2d."""
import torch.nn.functional as F

from op_fixtures import seeded


def cases():
    x = seeded(201, 2, 3, 7, 13, lo=-2, hi=2)
    yield "avg_pool2d", "avg_pool2d", {"input": x}, {"kernel_size": 2}, F.avg_pool2d(x, 2)
    x = seeded(202, 3, 9, 10, lo=-2, hi=2)
    yield "avg_pool2d_3x2", "avg_pool2d", {"input": x}, {"kernel_size": (3, 2), "stride": (3, 2)}, \
        F.avg_pool2d(x, (3, 2), (3, 2))
    v = seeded(203, 2, 3, 7, 13, 5, lo=-2, hi=2)
    for k in [(2, 1, 1), (1, 2, 2), (2, 2, 2)]:
        stem = "avg_pool3d_" + "".join(map(str, k))
        yield stem, "avg_pool3d", {"input": v}, {"kernel_size": k}, F.avg_pool3d(v, k)
    x = seeded(204, 2, 3, 13, 7, lo=-2, hi=2)
    yield "max_pool2d_stem", "max_pool2d", {"input": x}, {"kernel_size": 3, "stride": 2, "padding": 1}, \
        F.max_pool2d(x, 3, 2, 1)
    x = seeded(205, 2, 3, 9, 11, lo=-2, hi=2)
    yield "max_pool2d_k2", "max_pool2d", {"input": x}, {"kernel_size": 2}, F.max_pool2d(x, 2)
    x = seeded(206, 2, 3, 7, 7, lo=-2, hi=2)
    yield "adaptive_avg_pool2d_7to3", "adaptive_avg_pool2d", {"input": x}, {"output_size": 3}, \
        F.adaptive_avg_pool2d(x, 3)
    x = seeded(207, 2, 5, 13, 10, lo=-2, hi=2)
    yield "adaptive_avg_pool2d_4x3", "adaptive_avg_pool2d", {"input": x}, {"output_size": (4, 3)}, \
        F.adaptive_avg_pool2d(x, (4, 3))
    x = seeded(208, 3, 5, 6, lo=-2, hi=2)
    yield "adaptive_avg_pool2d_up", "adaptive_avg_pool2d", {"input": x}, {"output_size": (9, 4)}, \
        F.adaptive_avg_pool2d(x, (9, 4))
    x = seeded(209, 1, 16, 8, 8, lo=-2, hi=2)
    yield "adaptive_avg_pool2d_global", "adaptive_avg_pool2d", {"input": x}, {"output_size": 1}, \
        F.adaptive_avg_pool2d(x, 1)
