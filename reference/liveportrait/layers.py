"""Building blocks of our LivePortrait reference, in the converted (folded) weight layout.

Conventions (docs/liveportrait.md has the full list):
  * every BatchNorm that follows a convolution is folded into that convolution's weight and bias
    by the converter; a BatchNorm that acts on a block's input (pre-activation) becomes a
    per-channel `scale` / `shift` pair (ChannelAffine);
  * spectral norm is folded (weight_orig / sigma with the stored power-iteration vectors);
  * LayerNorm is the biased-variance form with eps 1e-6; GELU is the exact (erf) one.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ChannelAffine(nn.Module):
    """y = x * scale[c] + shift[c] on any N x C x ... tensor (a folded eval-mode BatchNorm)."""

    def __init__(self, channels: int):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(channels))
        self.shift = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        view = (1, -1) + (1,) * (x.dim() - 2)
        return x * self.scale.view(view) + self.shift.view(view)


class ConvAct2d(nn.Module):
    """3x3 (or k x k) conv, 'same' padding, with a folded BatchNorm, then ReLU / LeakyReLU(0.01)
    and an optional 2x2 average pool (the official SameBlock2d / DownBlock2d)."""

    def __init__(self, cin: int, cout: int, kernel: int = 3, leaky: bool = False, pool: bool = False):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, padding=kernel // 2)
        self.leaky, self.pool = leaky, pool

    def forward(self, x):
        x = self.conv(x)
        x = F.leaky_relu(x, 0.01) if self.leaky else F.relu(x)
        return F.avg_pool2d(x, 2) if self.pool else x


class PreActResBlock3d(nn.Module):
    """x + conv2(relu(conv1'(relu(affine(x))))): the official ResBlock3d, whose second BatchNorm
    is folded into conv1 (conv1' = BN2 o conv1) and whose first is the input affine."""

    def __init__(self, channels: int):
        super().__init__()
        self.norm = ChannelAffine(channels)
        self.conv1 = nn.Conv3d(channels, channels, 3, padding=1)
        self.conv2 = nn.Conv3d(channels, channels, 3, padding=1)

    def forward(self, x):
        out = self.conv1(F.relu(self.norm(x)))
        return x + self.conv2(F.relu(out))


class LayerNorm2d(nn.Module):
    """LayerNorm over the channel axis of N x C x H x W (ConvNeXt 'channels_first'), eps 1e-6."""

    def __init__(self, channels: int, eps: float = 1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.eps = eps

    def forward(self, x):
        mean = x.mean(1, keepdim=True)
        var = (x - mean).pow(2).mean(1, keepdim=True)
        x = (x - mean) / torch.sqrt(var + self.eps)
        return x * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


class GRN(nn.Module):
    """Global response normalisation on N x H x W x C (ConvNeXtV2):
    n = ||x||_2 over H,W per channel; y = gamma * x * n / (mean_c n + 1e-6) + beta + x."""

    def __init__(self, channels: int):
        super().__init__()
        self.gamma = nn.Parameter(torch.zeros(channels))
        self.beta = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        g = torch.sqrt((x * x).sum(dim=(1, 2), keepdim=True))
        n = g / (g.mean(dim=-1, keepdim=True) + 1e-6)
        return self.gamma * (x * n) + self.beta + x


class ConvNeXtBlock(nn.Module):
    """depthwise 7x7 -> LayerNorm(C) -> Linear C->4C -> GELU(erf) -> GRN -> Linear 4C->C, + input."""

    def __init__(self, dim: int):
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.pw1 = nn.Linear(dim, 4 * dim)
        self.grn = GRN(4 * dim)
        self.pw2 = nn.Linear(4 * dim, dim)

    def forward(self, x):
        y = self.dwconv(x).permute(0, 2, 3, 1)
        y = self.pw2(self.grn(F.gelu(self.pw1(self.norm(y)))))
        return x + y.permute(0, 3, 1, 2)


class SPADENorm(nn.Module):
    """InstanceNorm (eps 1e-5, no affine) modulated by a label map: IN(x) * (1 + gamma) + beta,
    gamma/beta = conv3x3(relu(conv3x3(nearest-resized label)))."""

    def __init__(self, channels: int, label_channels: int, hidden: int):
        super().__init__()
        self.shared = nn.Conv2d(label_channels, hidden, 3, padding=1)
        self.gamma = nn.Conv2d(hidden, channels, 3, padding=1)
        self.beta = nn.Conv2d(hidden, channels, 3, padding=1)

    def forward(self, x, label):
        normalized = F.instance_norm(x, eps=1e-5)
        label = F.interpolate(label, size=x.shape[2:], mode="nearest")
        h = F.relu(self.shared(label))
        return normalized * (1 + self.gamma(h)) + self.beta(h)


class SPADEResBlock(nn.Module):
    """SPADE residual block; convs carry folded spectral norm; LeakyReLU(0.2) activations; a
    learned 1x1 shortcut (no bias, its own SPADE) when the width changes."""

    def __init__(self, fin: int, fout: int, label_channels: int, hidden: int):
        super().__init__()
        mid = min(fin, fout)
        self.norm0 = SPADENorm(fin, label_channels, hidden)
        self.conv0 = nn.Conv2d(fin, mid, 3, padding=1)
        self.norm1 = SPADENorm(mid, label_channels, hidden)
        self.conv1 = nn.Conv2d(mid, fout, 3, padding=1)
        self.learned_shortcut = fin != fout
        if self.learned_shortcut:
            self.norm_s = SPADENorm(fin, label_channels, hidden)
            self.conv_s = nn.Conv2d(fin, fout, 1, bias=False)

    def forward(self, x, label):
        skip = self.conv_s(self.norm_s(x, label)) if self.learned_shortcut else x
        dx = self.conv0(F.leaky_relu(self.norm0(x, label), 0.2))
        dx = self.conv1(F.leaky_relu(self.norm1(dx, label), 0.2))
        return skip + dx


class MLP(nn.Module):
    """Linear+ReLU for each hidden size, then a final Linear (stitching / retargeting)."""

    def __init__(self, input_size: int, hidden_sizes, output_size: int):
        super().__init__()
        sizes = [input_size] + list(hidden_sizes) + [output_size]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = F.relu(x)
        return x
