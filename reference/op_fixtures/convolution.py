"""Golden fixtures for conv2d and conv3d (groups = 1, dilation = 1): kernel sizes 1/3/7,
strides 1 and 2 (and a per-axis stride), zero padding, with and without bias, odd shapes."""
import torch.nn.functional as F

from op_fixtures import seeded


def _conv(seed, stem, op, input_shape, weight_shape, bias, stride, padding, groups=1):
    """One fixture: seeded input, weight scaled by its fan-in, optional bias. op is conv2d,
    conv3d or grouped_conv2d (which also records groups)."""
    fan_in = 1
    for s in weight_shape[1:]:
        fan_in *= s
    bound = fan_in ** -0.5
    x = seeded(seed, *input_shape)
    w = seeded(seed + 1, *weight_shape, lo=-bound, hi=bound)
    tensors = {"input": x, "weight": w}
    b = None
    if bias:
        b = seeded(seed + 2, weight_shape[0], lo=-0.5, hi=0.5)
        tensors["bias"] = b
    fn = F.conv3d if op == "conv3d" else F.conv2d
    out = fn(x, w, b, stride=stride, padding=padding, groups=groups)
    params = {"stride": stride, "padding": padding}
    if op == "grouped_conv2d":
        params["groups"] = groups
    return stem, op, tensors, params, out


def cases():
    yield _conv(10, "conv2d_k3_p1_bias", "conv2d", (2, 3, 7, 13), (5, 3, 3, 3), True, 1, 1)
    yield _conv(20, "conv2d_k7_s2_p3", "conv2d", (1, 3, 19, 23), (11, 3, 7, 7), False, 2, 3)
    yield _conv(30, "conv2d_k1_s2_bias", "conv2d", (1, 4, 9, 11), (8, 4, 1, 1), True, 2, 0)
    yield _conv(40, "conv2d_k3_s2_p1", "conv2d", (1, 5, 10, 9), (7, 5, 3, 3), False, 2, 1)
    yield _conv(50, "conv2d_k3x5_s1x3_p0x2", "conv2d", (1, 2, 3, 11), (3, 2, 3, 5), True, (1, 3), (0, 2))
    yield _conv(60, "conv3d_k3_p1_bias", "conv3d", (1, 3, 7, 13, 5), (5, 3, 3, 3, 3), True, 1, 1)
    yield _conv(70, "conv3d_k3_s2_p1", "conv3d", (2, 4, 5, 9, 11), (10, 4, 3, 3, 3), False, 2, 1)
    yield _conv(80, "conv3d_k1_edges", "conv3d", (1, 5, 1, 1, 9), (3, 5, 1, 1, 1), True, 1, 0)
    yield _conv(90, "conv3d_k1x3x3_p0x1x1", "conv3d", (1, 2, 3, 6, 7), (6, 2, 1, 3, 3), True, 1, (0, 1, 1))
    # 22 output channels = three blocks of 8: the 24-channel k7 tile (LivePortrait's mask conv).
    yield _conv(100, "conv3d_k7_p3_cout22", "conv3d", (1, 3, 3, 5, 19), (22, 3, 7, 7, 7), True, 1, 3)
