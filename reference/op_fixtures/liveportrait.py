"""Golden fixtures for the ops LivePortrait adds (docs/liveportrait.md §3, §6): exact GELU,
layer_norm over dim 1 (last-dim nn.LayerNorm and ConvNeXt's channels-first form), ConvNeXtV2 GRN
(written NHWC as the official module, then permuted), softmax, pixel_shuffle, SPADE's modulation
(plain and fused with InstanceNorm2d), instance norm as group_norm with one channel per group,
the keypoint sparse motions / heatmaps / mask-weighted sum of the dense-motion network, grid_sample
with one input shared by several grids, and the ConvNeXt / mask convolutions (k4 s4, k2 s2, k7³ p3).
Shapes are small and odd: the fixture budget is nearly used up."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from op_fixtures import seeded


def coordinate_grid(d, h, w):
    """LivePortrait's identity grid [D, H, W, 3] = (x_w, y_h, z_d), each axis 2 * (i / (n - 1)) - 1."""
    def axis(n):
        return 2 * (torch.arange(n, dtype=torch.float32) / (n - 1)) - 1
    x, y, z = axis(w), axis(h), axis(d)
    return torch.stack([x.view(1, 1, w).expand(d, h, w), y.view(1, h, 1).expand(d, h, w),
                        z.view(d, 1, 1).expand(d, h, w)], dim=-1)


def sparse_motions(kp_source, kp_driving, size):
    """[N, K + 1, D, H, W, 3]: the grid, then (grid - driver_k) + source_k per keypoint."""
    n, k, _ = kp_source.shape
    grid = coordinate_grid(*size).view(1, 1, *size, 3)
    moved = (grid - kp_driving.view(n, k, 1, 1, 1, 3)) + kp_source.view(n, k, 1, 1, 1, 3)
    return torch.cat([grid.expand(n, 1, *size, 3), moved], dim=1)


def heatmaps(kp_source, kp_driving, size, variance):
    """[N, K + 1, 1, D, H, W]: zeros, then gaussian(driver_k) - gaussian(source_k)."""
    n, k, _ = kp_source.shape
    grid = coordinate_grid(*size).view(1, 1, *size, 3)

    def gaussian(kp):
        squares = ((grid - kp.view(n, k, 1, 1, 1, 3)) ** 2).sum(-1)
        return torch.exp(-0.5 * squares / variance)
    maps = gaussian(kp_driving) - gaussian(kp_source)
    return torch.cat([torch.zeros(n, 1, *size), maps], dim=1).unsqueeze(2)


def channels_first_layer_norm(x, w, b, eps):
    """ConvNeXt's LayerNorm(data_format='channels_first'): per pixel over C, biased variance."""
    u = x.mean(1, keepdim=True)
    s = (x - u).pow(2).mean(1, keepdim=True)
    x = (x - u) / torch.sqrt(s + eps)
    shape = (1, -1) + (1,) * (x.dim() - 2)
    return w.view(shape) * x + b.view(shape)


def grn_nchw(x, gamma, beta, eps=1e-6):
    """ConvNeXtV2's GRN as the official module computes it on NHWC, applied to NCHW by permuting."""
    xh = x.permute(0, 2, 3, 1)
    gx = torch.norm(xh, p=2, dim=(1, 2), keepdim=True)
    nx = gx / (gx.mean(dim=-1, keepdim=True) + eps)
    return (gamma.view(1, 1, 1, -1) * (xh * nx) + beta.view(1, 1, 1, -1) + xh).permute(0, 3, 1, 2)


def conv(stem, seed, op, input_shape, weight_shape, stride, padding):
    fan_in = 1
    for s in weight_shape[1:]:
        fan_in *= s
    bound = fan_in ** -0.5
    x, w = seeded(seed, *input_shape), seeded(seed + 1, *weight_shape, lo=-bound, hi=bound)
    b = seeded(seed + 2, weight_shape[0], lo=-0.5, hi=0.5)
    fn = F.conv2d if op == "conv2d" else F.conv3d
    return stem, op, {"input": x, "weight": w, "bias": b}, {"stride": stride, "padding": padding}, \
        fn(x, w, b, stride=stride, padding=padding)


def shared_grid_sample(stem, seed, input_shape, grid_shape):
    """grid_sample of one batch-1 input by N grids; PyTorch needs the input expanded to N."""
    x = seeded(seed, *input_shape)
    g = seeded(seed + 1, *grid_shape, lo=-1.2, hi=1.2)
    expanded = x.expand(grid_shape[0], *input_shape[1:])
    out = F.grid_sample(expanded, g, mode="bilinear", padding_mode="zeros", align_corners=False)
    return stem, "grid_sample", {"input": x, "grid": g}, \
        {"mode": "bilinear", "padding_mode": "zeros", "align_corners": "false"}, out


def cases():
    x = seeded(200, 3, 5, 7, lo=-4, hi=4)
    yield "gelu", "gelu", {"input": x}, {}, nn.GELU()(x)

    x, w, b = seeded(201, 2, 7, 5, 6, lo=-2, hi=4), seeded(202, 7, lo=-2, hi=2), seeded(203, 7)
    yield "layer_norm-channels-first", "layer_norm", {"input": x, "weight": w, "bias": b}, {"eps": 1e-6}, \
        channels_first_layer_norm(x, w, b, 1e-6)
    x, w, b = seeded(204, 3, 11, lo=-3, hi=3), seeded(205, 11, lo=-2, hi=2), seeded(206, 11)
    yield "layer_norm-last-dim", "layer_norm", {"input": x, "weight": w, "bias": b}, {"eps": 1e-6}, \
        F.layer_norm(x, (11,), w, b, eps=1e-6)
    x = seeded(207, 1, 5, 2, 3, 4, lo=-1, hi=3)
    yield "layer_norm-3d-noaffine", "layer_norm", {"input": x}, {}, \
        channels_first_layer_norm(x, torch.ones(5), torch.zeros(5), 1e-5)

    x, gamma, beta = seeded(210, 2, 7, 5, 6, lo=-2, hi=2), seeded(211, 7), seeded(212, 7)
    yield "grn", "global_response_norm", {"input": x, "gamma": gamma, "beta": beta}, {}, grn_nchw(x, gamma, beta)
    x, gamma, beta = seeded(213, 1, 9, 3, 1, lo=-2, hi=2), seeded(214, 1, 1, 1, 9), seeded(215, 1, 1, 1, 9)
    yield "grn-official-affine-shape", "global_response_norm", {"input": x, "gamma": gamma, "beta": beta}, {"eps": 1e-6}, \
        grn_nchw(x, gamma, beta)

    x = seeded(220, 2, 5, 3, 4, lo=-4, hi=4)
    yield "softmax-dim1", "softmax", {"input": x}, {"dim": 1}, torch.softmax(x, dim=1)
    x = seeded(221, 3, 7, lo=-60, hi=60)
    yield "softmax-last-large", "softmax", {"input": x}, {"dim": -1}, torch.softmax(x, dim=-1)
    x = seeded(222, 2, 3, 4, 5, lo=-4, hi=4)
    yield "softmax-dim2", "softmax", {"input": x}, {"dim": 2}, torch.softmax(x, dim=2)

    x = seeded(230, 2, 12, 3, 5)
    yield "pixel_shuffle-r2", "pixel_shuffle", {"input": x}, {"upscale_factor": 2}, F.pixel_shuffle(x, 2)
    x = seeded(231, 1, 18, 2, 3)
    yield "pixel_shuffle-r3", "pixel_shuffle", {"input": x}, {"upscale_factor": 3}, F.pixel_shuffle(x, 3)

    x, gamma, beta = seeded(240, 2, 5, 4, 6, lo=-2, hi=2), seeded(241, 2, 5, 4, 6), seeded(242, 2, 5, 4, 6)
    yield "modulate", "modulate", {"input": x, "gamma": gamma, "beta": beta}, {}, x * (1 + gamma) + beta
    x = seeded(243, 2, 5, 6, 7, lo=-2, hi=5)
    gamma, beta = seeded(244, 2, 5, 6, 7), seeded(245, 2, 5, 6, 7)
    yield "instance_norm_modulate", "instance_norm_modulate", {"input": x, "gamma": gamma, "beta": beta}, {}, \
        nn.InstanceNorm2d(5, affine=False)(x) * (1 + gamma) + beta
    # SPADE after mlp_shared (util.py SPADE, then SPADEResnetBlock's LeakyReLU 0.2): the γ and β
    # convolutions of the hidden map, instance norm, modulation and activation in one op.
    x, hidden = seeded(246, 2, 5, 6, 9, lo=-2, hi=5), seeded(247, 2, 3, 6, 9, lo=0, hi=2)
    wg, bg = seeded(248, 5, 3, 3, 3, lo=-0.1, hi=0.1), seeded(249, 5, lo=-0.1, hi=0.1)
    wb, bb = seeded(260, 5, 3, 3, 3, lo=-0.1, hi=0.1), seeded(261, 5, lo=-0.1, hi=0.1)
    yield "spade_modulate", "spade_modulate", \
        {"input": x, "hidden": hidden, "gamma_weight": wg, "gamma_bias": bg, "beta_weight": wb, "beta_bias": bb}, \
        {"activation": "leaky_relu", "negative_slope": 0.2}, \
        F.leaky_relu(nn.InstanceNorm2d(5, affine=False)(x) * (1 + F.conv2d(hidden, wg, bg, padding=1))
                     + F.conv2d(hidden, wb, bb, padding=1), 0.2)
    # InstanceNorm2d(affine=False, eps 1e-5) is group_norm with one channel per group.
    yield "instance_norm-as-group_norm", "group_norm", {"input": x}, {"num_groups": 5, "eps": 1e-5}, \
        nn.InstanceNorm2d(5, affine=False, eps=1e-5)(x)

    size = (3, 5, 4)
    kp_s, kp_d = seeded(250, 2, 3, 3), seeded(251, 2, 3, 3)
    keypoints = {"kp_source": kp_s, "kp_driving": kp_d}
    yield "sparse_motion", "sparse_motion", keypoints, {"size": "3,5,4"}, sparse_motions(kp_s, kp_d, size)
    yield "keypoint_heatmaps", "keypoint_heatmaps", keypoints, {"size": "3,5,4"}, heatmaps(kp_s, kp_d, size, 0.01)
    yield "keypoint_heatmaps-variance", "keypoint_heatmaps", keypoints, {"size": "3,5,4", "kp_variance": 0.1}, \
        heatmaps(kp_s, kp_d, size, 0.1)
    # The official deformation: (sparse.permute(0,1,5,2,3,4) * mask.unsqueeze(2)).sum(1).permute(0,2,3,4,1).
    mask = torch.softmax(seeded(252, 2, 4, 3, 5, 4, lo=-3, hi=3), dim=1)
    motion = sparse_motions(seeded(253, 2, 3, 3), seeded(254, 2, 3, 3), size)
    deformation = (motion.permute(0, 1, 5, 2, 3, 4) * mask.unsqueeze(2)).sum(dim=1).permute(0, 2, 3, 4, 1)
    yield "weighted_motion_sum", "weighted_motion_sum", {"mask": mask, "motion": motion}, {}, deformation

    yield shared_grid_sample("grid_sample-3d-shared", 260, (1, 5, 3, 4, 5), (3, 2, 4, 3, 3))
    yield shared_grid_sample("grid_sample-3d-shared-9ch", 262, (1, 9, 3, 4, 5), (2, 2, 3, 4, 3))
    yield shared_grid_sample("grid_sample-2d-shared", 264, (1, 3, 5, 6), (2, 4, 3, 2))

    yield conv("conv2d_k4_s4", 270, "conv2d", (1, 3, 13, 9), (5, 3, 4, 4), 4, 0)
    yield conv("conv2d_k2_s2", 273, "conv2d", (1, 6, 7, 9), (4, 6, 2, 2), 2, 0)
    yield conv("conv3d_k7_p3", 276, "conv3d", (1, 3, 3, 5, 4), (2, 3, 7, 7, 7), 1, 3)
    # The dense motion hourglass's deep levels (4² and 8² planes): on OpenCL Winograd F(2×2×2,
    # 3×3×3) with the tiles packed densely (2 tiles a row; conv3x3x3_wino2_*_dense).
    yield conv("conv3d_k3_p1_hourglass_4x4", 279, "conv3d", (1, 9, 3, 4, 4), (11, 9, 3, 3, 3), 1, 1)
