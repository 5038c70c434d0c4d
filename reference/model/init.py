"""Seeded random weights that keep activations in a sane range (for fixtures and benchmarks).

- conv/linear weights: uniform(-b, b), b = sqrt(3 / fan_in) (std 1/sqrt(fan_in)); the pose
  ResNet (no norm layers, BatchNorm folded) uses b = sqrt(6 / fan_in) (He) in its convs;
- conv/linear biases: uniform(-0.05, 0.05);
- GroupNorm weight 1 + uniform(-0.1, 0.1), bias uniform(-0.1, 0.1); AdaGN weight
  1 + uniform(-0.4, 0.4), bias uniform(-0.3, 0.3) (far from 1/0: the official formula applies them twice);
- AdaGN u: uniform(+-sqrt(3 / Ce)); v: uniform(+-sqrt(3 / A)) * 0.1, so gamma stays near 1;
- G3D learned constant: normal(0, 1);
- warp heads (before tanh) scaled by 0.1, so the deformation offsets are ~0.05 in [-1,1] units;
- pose head: calibrated on the given images so the 9 outputs vary by ~0.05 around the
  identity pose, with bias = (1, 1, 1, yaw 0.1, pitch -0.05, roll 0.05, 0.02, -0.03, 0):
  a near-identity, well-conditioned 4x4 transform (raw random init gives scale ~0 and a
  singular matrix).
"""
import math

import torch
import torch.nn as nn

from .layers import AdaptiveGroupNorm

POSE_BIAS = [1.0, 1.0, 1.0, 0.1, -0.05, 0.05, 0.02, -0.03, 0.0]


@torch.no_grad()
def seeded_init(net, seed=0, calibration_images=None):
    gen = torch.Generator().manual_seed(seed)

    def uniform(t, bound):
        t.copy_((torch.rand(t.shape, generator=gen) * 2 - 1) * bound)

    for name, m in net.named_modules():
        if isinstance(m, (nn.Conv2d, nn.Conv3d, nn.Linear)):
            fan_in = m.weight[0].numel()
            gain = 6.0 if name.startswith("pose.") else 3.0
            uniform(m.weight, math.sqrt(gain / fan_in))
            if m.bias is not None:
                uniform(m.bias, 0.05)
        elif isinstance(m, nn.GroupNorm):
            m.weight.copy_(1 + (torch.rand(m.weight.shape, generator=gen) * 2 - 1) * 0.1)
            uniform(m.bias, 0.1)
        elif isinstance(m, AdaptiveGroupNorm):
            # far from 1/0, so a formula that applies the module's own affine once (not as the
            # official code does, before the adaptive one) fails the fixtures clearly
            m.weight.copy_(1 + (torch.rand(m.weight.shape, generator=gen) * 2 - 1) * 0.4)
            uniform(m.bias, 0.3)
            uniform(m.u, math.sqrt(3.0 / m.u.shape[1]))
            uniform(m.v, math.sqrt(3.0 / m.v.shape[0]) * 0.1)
    net.g3d.input.copy_(torch.randn(net.g3d.input.shape, generator=gen))
    for w in (net.warp_source, net.warp_driver):
        w.head.weight.mul_(0.1)
        w.head.bias.mul_(0.1)
    net.pose.fc.bias.copy_(torch.tensor(POSE_BIAS))
    scale = 1.0
    if calibration_images is not None:
        from .network import resize
        x = resize(calibration_images, net.cfg.pose_input_size)
        feats = torch.nn.functional.adaptive_avg_pool2d(net.pose.trunk(x), 1).flatten(1)
        rms = feats.pow(2).mean().sqrt().item()
        scale = 1.0 / max(rms, 1e-6)
    # outputs vary by ~0.05 (std of w.f over a feature vector of rms 1 is ~ b*sqrt(F/3)).
    fan_in = net.pose.fc.weight.shape[1]
    uniform(net.pose.fc.weight, 0.05 * math.sqrt(3.0 / fan_in) * scale)
    return net
