"""Building blocks. Each module's parameter names are part of the weight format."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv(dims, cin, cout, kernel, stride=1, bias=False):
    """conv2d/conv3d with 'same' padding for odd kernels (padding = kernel // 2)."""
    cls = nn.Conv2d if dims == 2 else nn.Conv3d
    return cls(cin, cout, kernel, stride=stride, padding=kernel // 2, bias=bias)


def resample3d(x, scale):
    """Trilinear upsampling by an integer factor per axis (align_corners=False); no-op for (1,1,1)."""
    scale = tuple(scale)
    if scale == (1, 1, 1):
        return x
    return F.interpolate(x, scale_factor=scale, mode="trilinear", align_corners=False)


def pool3d(x, kernel):
    """avg_pool3d with kernel == stride; no-op for (1,1,1)."""
    kernel = tuple(kernel)
    if kernel == (1, 1, 1):
        return x
    return F.avg_pool3d(x, kernel, stride=kernel)


class ResBlock(nn.Module):
    """Pre-activation residual block with plain GroupNorm, 2-D or 3-D.

    out = conv2(relu(norm2(conv1(relu(norm1(x)))))) + skip(x)
    conv1/conv2 are 3x3(x3), padding 1, stride 1; conv2 has no bias; conv1 has a
    bias when `conv1_bias` (the weight-standardised convs of the official code).
    skip is a 1x1(x1) conv without bias when cin != cout, else the identity.
    No activation after the add. Resampling happens outside the block.
    """

    def __init__(self, dims, cin, cout, groups, eps, conv1_bias):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin, eps=eps)
        self.conv1 = conv(dims, cin, cout, 3, bias=conv1_bias)
        self.norm2 = nn.GroupNorm(groups, cout, eps=eps)
        self.conv2 = conv(dims, cout, cout, 3, bias=False)
        self.skip = conv(dims, cin, cout, 1) if cin != cout else None

    def forward(self, x):
        h = self.conv1(F.relu(self.norm1(x)))
        h = self.conv2(F.relu(self.norm2(h)))
        return h + (self.skip(x) if self.skip is not None else x)


class AdaptiveGroupNorm(nn.Module):
    """The official AdaptiveGroupNorm: GroupNorm with the module's own affine, then the adaptive one.

    out = (GN(x) * weight + bias) * gamma[n,c] + beta[n,c]  (the official module is an nn.GroupNorm
    whose forward applies weight/bias, and `assign_adaptive_norm_params` sets gamma = weight + dW,
    beta = bias + dB). gamma/beta come from the warp embedding E (N x Ce x A, A = embed_size**2):
    P = u @ (E @ v) (N x C x 2); gamma = weight + P[..., 0]; beta = bias + P[..., 1].
    """

    def __init__(self, channels, embed_channels, embed_area, groups, eps):
        super().__init__()
        self.groups, self.eps = groups, eps
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.u = nn.Parameter(torch.zeros(channels, embed_channels))
        self.v = nn.Parameter(torch.zeros(embed_area, 2))

    def affine(self, embedding):
        p = torch.matmul(self.u, torch.matmul(embedding, self.v))  # N x C x 2
        return self.weight + p[..., 0], self.bias + p[..., 1]

    def forward(self, x, embedding):
        gamma, beta = self.affine(embedding)
        shape = gamma.shape + (1,) * (x.dim() - 2)
        y = F.group_norm(x, self.groups, self.weight, self.bias, eps=self.eps)
        return y * gamma.view(shape) + beta.view(shape)


class AdaptiveResBlock3D(nn.Module):
    """ResBlock3D with AdaptiveGroupNorm in place of both norms (W generators).

    conv1 (3x3x3) has a bias, conv2 (3x3x3) none, skip 1x1x1 without bias when cin != cout.
    """

    def __init__(self, cin, cout, embed_channels, embed_area, groups, eps):
        super().__init__()
        self.norm1 = AdaptiveGroupNorm(cin, embed_channels, embed_area, groups, eps)
        self.conv1 = conv(3, cin, cout, 3, bias=True)
        self.norm2 = AdaptiveGroupNorm(cout, embed_channels, embed_area, groups, eps)
        self.conv2 = conv(3, cout, cout, 3, bias=False)
        self.skip = conv(3, cin, cout, 1) if cin != cout else None

    def forward(self, x, embedding):
        h = self.conv1(F.relu(self.norm1(x, embedding)))
        h = self.conv2(F.relu(self.norm2(h, embedding)))
        return h + (self.skip(x) if self.skip is not None else x)


def norm_layer(kind, channels, groups, eps):
    """GroupNorm for the GN ResNets; None for the pose ResNet (BatchNorm folded into the conv)."""
    return nn.GroupNorm(groups, channels, eps=eps) if kind == "gn" else None


class BasicBlock(nn.Module):
    """torchvision ResNet-18 BasicBlock (conv1 3x3/stride, conv2 3x3, optional 1x1/stride downsample).

    norm 'gn': GroupNorm after each conv (conv1/downsample without bias, conv2 with bias — the official
    code weight-standardises conv2, which adds a bias). norm 'folded': no norm modules, every conv has
    a bias (BatchNorm folded).
    """

    def __init__(self, cin, cout, stride, norm, groups, eps):
        super().__init__()
        folded = norm == "folded"
        self.conv1 = conv(2, cin, cout, 3, stride=stride, bias=folded)
        self.norm1 = norm_layer(norm, cout, groups, eps)
        self.conv2 = conv(2, cout, cout, 3, bias=True)
        self.norm2 = norm_layer(norm, cout, groups, eps)
        if stride != 1 or cin != cout:
            self.downsample = conv(2, cin, cout, 1, stride=stride, bias=folded)
            self.downsample_norm = norm_layer(norm, cout, groups, eps)
        else:
            self.downsample = None

    @staticmethod
    def _n(norm, x):
        return norm(x) if norm is not None else x

    def forward(self, x):
        h = F.relu(self._n(self.norm1, self.conv1(x)))
        h = self._n(self.norm2, self.conv2(h))
        s = self._n(self.downsample_norm, self.downsample(x)) if self.downsample is not None else x
        return F.relu(h + s)


class Bottleneck(nn.Module):
    """torchvision ResNet-50 Bottleneck (v1.5: stride on conv2) with GroupNorm.

    conv1 1x1 (no bias), conv2 3x3/stride (bias), conv3 1x1 (bias) — conv2/conv3 are
    weight-standardised in the official code, which gives them a bias.
    """

    expansion = 4

    def __init__(self, cin, width, stride, groups, eps):
        super().__init__()
        cout = width * self.expansion
        self.conv1 = conv(2, cin, width, 1)
        self.norm1 = nn.GroupNorm(groups, width, eps=eps)
        self.conv2 = conv(2, width, width, 3, stride=stride, bias=True)
        self.norm2 = nn.GroupNorm(groups, width, eps=eps)
        self.conv3 = conv(2, width, cout, 1, bias=True)
        self.norm3 = nn.GroupNorm(groups, cout, eps=eps)
        if stride != 1 or cin != cout:
            self.downsample = conv(2, cin, cout, 1, stride=stride)
            self.downsample_norm = nn.GroupNorm(groups, cout, eps=eps)
        else:
            self.downsample = None

    def forward(self, x):
        h = F.relu(self.norm1(self.conv1(x)))
        h = F.relu(self.norm2(self.conv2(h)))
        h = self.norm3(self.conv3(h))
        s = self.downsample_norm(self.downsample(x)) if self.downsample is not None else x
        return F.relu(h + s)


class ResNetTrunk(nn.Module):
    """ResNet stem (7x7/2 conv, norm, relu, 3x3/2 max-pool pad 1) + 4 layers (strides 1,2,2,2).

    block 'basic' (ResNet-18/34) or 'bottleneck' (ResNet-50); norm 'gn' or 'folded'.
    """

    def __init__(self, block, layers, width, norm, groups, eps):
        super().__init__()
        folded = norm == "folded"
        self.stem = conv(2, 3, width, 7, stride=2, bias=folded)
        self.stem_norm = norm_layer(norm, width, groups, eps)
        self.layers = nn.ModuleList()
        cin = width
        for i, n in enumerate(layers):
            w = width * 2 ** i
            blocks = nn.ModuleList()
            for j in range(n):
                stride = 2 if (i > 0 and j == 0) else 1
                if block == "basic":
                    blocks.append(BasicBlock(cin, w, stride, norm, groups, eps))
                    cin = w
                else:
                    blocks.append(Bottleneck(cin, w, stride, groups, eps))
                    cin = w * Bottleneck.expansion
            self.layers.append(blocks)
        self.out_channels = cin

    def forward(self, x):
        x = self.stem(x)
        if self.stem_norm is not None:
            x = self.stem_norm(x)
        x = F.max_pool2d(F.relu(x), 3, stride=2, padding=1)
        for layer in self.layers:
            for blk in layer:
                x = blk(x)
        return x
