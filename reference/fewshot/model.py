"""Functional PyTorch forward of the converted few-shot talking-heads network (layout.py names).

Written from the paper and the public implementation's semantics (docs/fewshot.md): LeakyReLU
(slope 0.01) everywhere, AdaIN with torch.std (unbiased) + eps on σ, self-attention with the
softmax over dim −2 of fᵀg, embedder pooled by adaptive max pooling, bilinear (align_corners
False) upsampling. Images enter as the trainer fed them: [N, 3, H, W] in [0, 1] with H and W
swapped (`transpose(2, 4)` of an HWC array), which callers handle (see `to_network`).
"""
import torch
import torch.nn.functional as F

from .layout import Widths

SLOPE = 0.01


def to_network(image_nchw):
    """A normal-orientation [N, 3, H, W] image in the orientation the network was trained on."""
    return image_nchw.transpose(2, 3).contiguous()


def _conv(t, x, name, padding=None):
    weight = t[f"{name}.weight"]
    return F.conv2d(x, weight, t[f"{name}.bias"], padding=weight.shape[-1] // 2 if padding is None else padding)


def _lrelu(x):
    return F.leaky_relu(x, SLOPE)


def adain(x, mean, std, eps=1e-5):
    b, c = x.shape[:2]
    flat = x.reshape(b, c, -1)
    sigma = flat.std(dim=2, keepdim=True) + eps
    mu = flat.mean(dim=2, keepdim=True)
    return (std.reshape(b, c, 1) * (flat - mu) / sigma + mean.reshape(b, c, 1)).reshape(x.shape)


def res_down(t, x, p):
    left = F.avg_pool2d(_conv(t, x, f"{p}.conv_l1"), 2)
    right = _conv(t, _lrelu(_conv(t, _lrelu(x), f"{p}.conv_r1")), f"{p}.conv_r2")
    return left + F.avg_pool2d(right, 2)


def self_attention(t, x, p):
    b, c, h, w = x.shape
    f = _conv(t, x, f"{p}.conv_f").reshape(b, -1, h * w).transpose(1, 2)
    g = _conv(t, x, f"{p}.conv_g").reshape(b, -1, h * w)
    v = _conv(t, x, f"{p}.conv_h").reshape(b, c, h * w)
    attention = torch.softmax(torch.bmm(f, g), dim=-2)
    return t[f"{p}.gamma"] * torch.bmm(v, attention).reshape(b, c, h, w) + x


def upsample(x, size):
    return F.interpolate(x, size=size, mode="bilinear", align_corners=False)


def embed(t, w: Widths, images, landmarks, stages=None):
    """Per-frame identity vectors [K, E] of network-orientation images and landmark images."""
    x = torch.cat([images, landmarks], dim=1)
    for i in range(len(w.embedder)):
        x = res_down(t, x, f"embedder.resDown{i + 1}")
        if stages is not None:
            stages[f"embedder.down{i + 1}"] = x
        if i == 2:
            x = self_attention(t, x, "embedder.self_att")
            if stages is not None:
                stages["embedder.attention"] = x
    return _lrelu(F.adaptive_max_pool2d(x, 1)).flatten(1)


def identity(t, w: Widths, images, landmarks, stages=None):
    """(ê [1, E], ψ̂ = P·ê [1, psi_length]): the mean of the K frame vectors and its projection."""
    vectors = embed(t, w, images, landmarks, stages)
    e_hat = vectors.mean(dim=0, keepdim=True)
    if stages is not None:
        stages["embedder.vectors"] = vectors
    return e_hat, e_hat @ t["generator.p"].t()


def generate(t, w: Widths, landmarks, psi, stages=None):
    """The generated [N, 3, H, W] image in [0, 1] for network-orientation landmark images."""
    def record(name, value):
        if stages is not None:
            stages[name] = value

    n = landmarks.shape[0]
    psi = psi.expand(n, -1)
    slices = dict(w.psi_slices()[0])

    def style(block, j):
        mean_at, std_at, c = slices[block][j]
        return psi[:, mean_at:mean_at + c], psi[:, std_at:std_at + c]

    x = landmarks
    for i in range(len(w.down)):
        x = res_down(t, x, f"generator.resDown{i + 1}")
        x = F.instance_norm(x, weight=t[f"generator.in{i + 1}.weight"], bias=t[f"generator.in{i + 1}.bias"], eps=1e-5)
        record(f"generator.down{i + 1}", x)
        if i == 2:
            x = self_attention(t, x, "generator.self_att_Down")
            record("generator.attention_down", x)
    for i in range(w.res_blocks):
        p = f"generator.res{i + 1}"
        y = _conv(t, _lrelu(adain(x, *style(f"res{i + 1}", 0))), f"{p}.conv1")
        x = _conv(t, _lrelu(adain(y, *style(f"res{i + 1}", 1))), f"{p}.conv2") + x
        record(f"generator.res{i + 1}", x)
    for i in range(len(w.up)):
        p = f"generator.resUp{i + 1}"
        size = (x.shape[2] * 2, x.shape[3] * 2)
        left = _conv(t, upsample(x, size), f"{p}.conv_l1")
        right = _conv(t, upsample(_lrelu(adain(x, *style(f"resUp{i + 1}", 0))), size), f"{p}.conv_r1")
        right = _conv(t, _lrelu(adain(right, *style(f"resUp{i + 1}", 1))), f"{p}.conv_r2")
        x = left + right
        record(f"generator.up{i + 1}", x)
        if i == 1:
            x = self_attention(t, x, "generator.self_att_Up")
            record("generator.attention_up", x)
    x = _conv(t, _lrelu(adain(x, *style("last", 0))), "generator.conv2d")
    return torch.sigmoid(x)
