"""Golden fixtures for linear (with and without bias, 1-D to 3-D inputs, few and many rows)
and matmul (2-D, batched 3-D, broadcast 3-D x 2-D and batch 1 x batch B)."""
import torch
import torch.nn.functional as F

from op_fixtures import seeded


def _linear(seed, stem, input_shape, out, bias):
    k = input_shape[-1]
    x = seeded(seed, *input_shape)
    w = seeded(seed + 1, out, k, lo=-k ** -0.5, hi=k ** -0.5)
    tensors = {"input": x, "weight": w}
    b = None
    if bias:
        b = seeded(seed + 2, out, lo=-0.5, hi=0.5)
        tensors["bias"] = b
    return stem, "linear", tensors, {}, F.linear(x, w, b)


def _matmul(seed, stem, a_shape, b_shape):
    a = seeded(seed, *a_shape)
    b = seeded(seed + 1, *b_shape)
    return stem, "matmul", {"input": a, "other": b}, {}, torch.matmul(a, b)


def cases():
    yield _linear(100, "linear_3d_bias", (3, 5, 13), 11, True)
    yield _linear(110, "linear_2d_nobias", (7, 20), 9, False)
    yield _linear(120, "linear_many_rows", (2, 40, 37), 19, True)
    yield _linear(130, "linear_1d", (29,), 6, True)
    yield _matmul(200, "matmul_2d", (13, 7), (7, 11))
    yield _matmul(210, "matmul_3d", (3, 9, 17), (3, 17, 10))
    yield _matmul(220, "matmul_3d_2d", (2, 5, 6), (6, 9))
    yield _matmul(230, "matmul_batch1", (1, 4, 3), (3, 3, 5))
