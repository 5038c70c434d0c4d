"""Golden fixtures for grouped_conv2d: F.conv2d with groups dividing both channel counts
(weight [C_out, C_in / groups, kh, kw]). Small odd shapes: k3 and k1, stride 2, padding 1,
rectangular kernels and strides, a channel multiplier of 2, and the two ends, groups = 1 (conv2d)
and groups = C_in = C_out (depthwise). The whole family stays under 40 KB."""
from op_fixtures.convolution import _conv


def case(seed, stem, input_shape, weight_shape, groups, bias=True, stride=1, padding=0):
    """One grouped_conv2d fixture, made as the conv2d ones are."""
    return _conv(seed, stem, "grouped_conv2d", input_shape, weight_shape, bias, stride, padding, groups=groups)


def cases():
    yield case(1101, "g3_k3_s2_p1", (1, 6, 7, 5), (9, 2, 3, 3), 3, stride=2, padding=1)
    yield case(1111, "g3_k1_no_bias", (1, 6, 7, 5), (9, 2, 1, 1), 3, bias=False)
    yield case(1121, "g3_k3_p1_batch2", (2, 6, 7, 5), (9, 2, 3, 3), 3, padding=1)
    yield case(1131, "g2_k3x5_s1x2_p0x2", (1, 4, 5, 9), (6, 2, 3, 5), 2, stride=(1, 2), padding=(0, 2))
    yield case(1141, "g3_multiplier2_k3_p1", (1, 3, 5, 6), (6, 1, 3, 3), 3, padding=1)
    yield case(1151, "g1_conv2d_k3_p1", (1, 3, 5, 4), (4, 3, 3, 3), 1, padding=1)
    yield case(1161, "g4_depthwise_k3_s2_p1", (1, 4, 7, 5), (4, 1, 3, 3), 4, bias=False, stride=2, padding=1)
