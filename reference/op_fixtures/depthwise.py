"""Golden fixtures for depthwise_conv2d: F.conv2d with groups equal to the input channels."""
import torch.nn.functional as F

from op_fixtures import seeded


def cases():
    x, w, b = seeded(701, 2, 5, 7, 13), seeded(702, 5, 1, 3, 3, lo=-0.3, hi=0.3), seeded(703, 5, lo=-0.5, hi=0.5)
    yield "depthwise_conv2d_k3_p1", "depthwise_conv2d", {"input": x, "weight": w, "bias": b}, \
        {"stride": 1, "padding": 1}, F.conv2d(x, w, b, 1, 1, groups=5)
    x, w = seeded(704, 1, 3, 9, 11), seeded(705, 3, 1, 3, 3, lo=-0.3, hi=0.3)
    yield "depthwise_conv2d_k3_s2_p1", "depthwise_conv2d", {"input": x, "weight": w}, \
        {"stride": 2, "padding": 1}, F.conv2d(x, w, None, 2, 1, groups=3)
    x, w, b = seeded(706, 1, 4, 6, 5), seeded(707, 4, 1, 3, 5, lo=-0.3, hi=0.3), seeded(708, 4, lo=-0.5, hi=0.5)
    yield "depthwise_conv2d_k3x5", "depthwise_conv2d", {"input": x, "weight": w, "bias": b}, \
        {"stride": 1, "padding": (0, 2)}, F.conv2d(x, w, b, 1, (0, 2), groups=4)
    # 7×7 p3 (ConvNeXt, LivePortrait's motion extractor): the 8-wide 7×7 kernel with a tail.
    x, w, b = seeded(709, 2, 3, 9, 21), seeded(710, 3, 1, 7, 7, lo=-0.2, hi=0.2), seeded(711, 3, lo=-0.5, hi=0.5)
    yield "depthwise_conv2d_k7_p3", "depthwise_conv2d", {"input": x, "weight": w, "bias": b}, \
        {"stride": 1, "padding": 3}, F.conv2d(x, w, b, 1, 3, groups=3)
