"""The MegaPortraits base network G_base, split into per-avatar and per-frame stages.

Module attribute names = weight-format names (docs/weights.md). Stage outputs are
named tensors (docs/architecture.md, "Stages"); `encode_avatar` and `render_frame`
return them in a dict so fixtures and benchmarks can address every boundary.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import (AdaptiveResBlock3D, ResBlock, ResNetTrunk, conv, pool3d, resample3d)


# ---------------------------------------------------------------------------
# Host-side 4x4 math (tiny; the Swift side does this on the CPU in float64/32)
# ---------------------------------------------------------------------------

def pose_matrix(params, angle_min, angle_max):
    """9 head-pose outputs -> 4x4 theta = S @ R @ T (N x 4 x 4).

    params[:, 0:3] = scale (sx, sy, sz); [3:6] = (yaw, pitch, roll) in radians, clamped to
    [angle_min, angle_max]; [6:9] = translation (tx, ty, tz). R = Rz(yaw) Ry(pitch) Rx(roll).
    """
    n = params.shape[0]
    scale, angles, trans = params[:, 0:3], params[:, 3:6].clamp(angle_min, angle_max), params[:, 6:9]
    yaw, pitch, roll = angles[:, 0], angles[:, 1], angles[:, 2]
    cy, sy, cp, sp, cr, sr = yaw.cos(), yaw.sin(), pitch.cos(), pitch.sin(), roll.cos(), roll.sin()
    eye = torch.eye(4, dtype=params.dtype).repeat(n, 1, 1)
    S, R, T = eye.clone(), eye.clone(), eye.clone()
    S[:, 0, 0], S[:, 1, 1], S[:, 2, 2] = scale[:, 0], scale[:, 1], scale[:, 2]
    R[:, 0, 0] = cy * cp
    R[:, 0, 1] = cy * sp * sr - sy * cr
    R[:, 0, 2] = cy * sp * cr + sy * sr
    R[:, 1, 0] = sy * cp
    R[:, 1, 1] = sy * sp * sr + cy * cr
    R[:, 1, 2] = sy * sp * cr - cy * sr
    R[:, 2, 0] = -sp
    R[:, 2, 1] = cp * sr
    R[:, 2, 2] = cp * cr
    T[:, 0, 3], T[:, 1, 3], T[:, 2, 3] = trans[:, 0], trans[:, 1], trans[:, 2]
    return S @ R @ T


def crop_matrix(theta, zoom):
    """2x3 affine for the expression crop: rows/cols {0,1,3} of theta^-1, times diag(zoom, zoom, 1)."""
    inv = torch.inverse(theta)
    inv2d = inv[:, [0, 1, 3]][:, :, [0, 1, 3]]
    z = torch.diag(torch.tensor([zoom, zoom, 1.0], dtype=theta.dtype))
    return (inv2d @ z)[:, :2]


# ---------------------------------------------------------------------------
# Sub-networks
# ---------------------------------------------------------------------------

class Appearance(nn.Module):
    """E_app local part: 2-D encoder -> reshape to C x D x H x W -> plain ResBlock3Ds."""

    def __init__(self, cfg):
        super().__init__()
        g, eps = cfg.norm_groups, cfg.norm_eps
        self.stem = conv(2, 3, cfg.appearance_stem_channels, cfg.appearance_stem_kernel, bias=True)
        self.blocks = nn.ModuleList()
        cin = cfg.appearance_stem_channels
        for cout in cfg.appearance_block_channels:
            self.blocks.append(ResBlock(2, cin, cout, g, eps, conv1_bias=True))
            cin = cout
        self.head_norm = nn.GroupNorm(g, cin, eps=eps)
        self.head = conv(2, cin, cfg.projection_channels, 1, bias=True)
        self.blocks3d = nn.ModuleList(
            [ResBlock(3, cfg.volume_channels, cfg.volume_channels, g, eps, conv1_bias=False)
             for _ in range(cfg.appearance_3d_blocks)])
        self.cfg = cfg

    def features(self, x):
        """3 x S x S -> (C*D) x H x W. Each block: ResBlock at the input size, then avg_pool2d 2."""
        x = self.stem(x)
        for blk in self.blocks:
            x = F.avg_pool2d(blk(x), 2, stride=2)
        return self.head(F.relu(self.head_norm(x)))

    def volume(self, features):
        """(C*D) x H x W -> view C x D x H x W (channel index = c*D + d) -> ResBlock3Ds."""
        c = self.cfg
        v = features.view(features.shape[0], c.volume_channels, c.volume_depth, c.volume_size, c.volume_size)
        for blk in self.blocks3d:
            v = blk(v)
        return v


class Identity(nn.Module):
    """e_s: bilinear resize -> ImageNet normalisation -> ResNet-50 (GN) -> 1x1 conv -> adaptive avg pool."""

    def __init__(self, cfg):
        super().__init__()
        self.trunk = ResNetTrunk("bottleneck", cfg.identity_layers, cfg.identity_width, "gn",
                                 cfg.norm_groups, cfg.norm_eps)
        self.head = conv(2, self.trunk.out_channels, cfg.embed_channels, 1)
        self.cfg = cfg

    def forward(self, x):
        c = self.cfg
        x = resize(x, c.identity_input_size)
        x = imagenet_normalise(x, c)
        x = self.head(self.trunk(x))
        return F.adaptive_avg_pool2d(x, c.embed_size)


class Pose(nn.Module):
    """Head pose: bilinear resize -> ResNet-18 (BatchNorm folded) -> global avg pool -> linear 9."""

    def __init__(self, cfg):
        super().__init__()
        self.trunk = ResNetTrunk("basic", cfg.pose_layers, cfg.pose_width, "folded",
                                 cfg.norm_groups, cfg.norm_eps)
        self.fc = nn.Linear(self.trunk.out_channels, 9, bias=True)
        self.cfg = cfg

    def forward(self, pose_input):
        x = F.adaptive_avg_pool2d(self.trunk(pose_input), 1).flatten(1)
        return self.fc(x)


class Expression(nn.Module):
    """Expression: ImageNet normalisation of the aligned crop -> ResNet-18 (GN) -> 1x1 conv ->
    adaptive avg pool -> flatten -> linear (no bias) -> z."""

    def __init__(self, cfg):
        super().__init__()
        self.trunk = ResNetTrunk("basic", cfg.expression_layers, cfg.expression_width, "gn",
                                 cfg.norm_groups, cfg.norm_eps)
        self.head = conv(2, self.trunk.out_channels, cfg.z_channels, 1)
        self.fc = nn.Linear(cfg.z_channels * cfg.expression_pool_size ** 2, cfg.z_channels, bias=False)
        self.cfg = cfg

    def forward(self, crop):
        x = self.head(self.trunk(imagenet_normalise(crop, self.cfg)))
        x = F.adaptive_avg_pool2d(x, self.cfg.expression_pool_size).flatten(1)
        return self.fc(x)


class Embedding(nn.Module):
    """Warp embedding E = head((unsqueeze(z).view(Ce, s, s) + e_s) * 0.5), viewed Ce x s*s."""

    def __init__(self, cfg):
        super().__init__()
        self.unsqueeze = nn.Linear(cfg.z_channels, cfg.embed_channels * cfg.embed_size ** 2, bias=False)
        self.head = conv(2, cfg.embed_channels, cfg.embed_channels, 1)
        self.cfg = cfg

    def forward(self, z, es):
        c = self.cfg
        u = self.unsqueeze(z).view(z.shape[0], c.embed_channels, c.embed_size, c.embed_size)
        e = self.head((u + es) * 0.5)
        return e.view(z.shape[0], c.embed_channels, c.embed_size ** 2)


class WarpGenerator(nn.Module):
    """W_{s->} / W_{->d}: 1x1 conv -> view C0 x s x s x s -> [trilinear up, AdaGN ResBlock3D, avg pool]*
    -> GN -> ReLU -> conv3d 3x3x3 (bias) -> tanh = delta; grid = identity + delta, as N x D x H x W x 3."""

    def __init__(self, cfg):
        super().__init__()
        g, eps, ec, area = cfg.norm_groups, cfg.norm_eps, cfg.embed_channels, cfg.embed_size ** 2
        self.first_conv = conv(2, ec, cfg.warp_first_channels * cfg.embed_size, 1)
        self.blocks = nn.ModuleList()
        cin = cfg.warp_first_channels
        for cout in cfg.warp_block_channels:
            self.blocks.append(AdaptiveResBlock3D(cin, cout, ec, area, g, eps))
            cin = cout
        self.head_norm = nn.GroupNorm(g, cin, eps=eps)
        self.head = conv(3, cin, 3, 3, bias=True)
        self.cfg = cfg

    def forward(self, embedding):
        """embedding N x Ce x s*s -> (grid N x D x H x W x 3, delta N x 3 x D x H x W)."""
        c, n, s = self.cfg, embedding.shape[0], self.cfg.embed_size
        x = self.first_conv(embedding.view(n, c.embed_channels, s, s))
        x = x.view(n, c.warp_first_channels, s, s, s)
        for blk, scale, pool in zip(self.blocks, c.warp_pre_scale, c.warp_post_pool):
            x = pool3d(blk(resample3d(x, scale), embedding), pool)
        delta = torch.tanh(self.head(F.relu(self.head_norm(x))))
        return deformation_grid(delta), delta


class G3D(nn.Module):
    """3-D U-Net: encoder ResBlock3Ds feed skip ResBlock3Ds; the decoder starts from a learned constant."""

    def __init__(self, cfg):
        super().__init__()
        g, eps = cfg.norm_groups, cfg.norm_eps
        self.down = nn.ModuleList()
        cin = cfg.volume_channels
        for cout in cfg.g3d_down_channels:
            self.down.append(ResBlock(3, cin, cout, g, eps, conv1_bias=False))
            cin = cout
        s = cfg.g3d_input_size
        self.input = nn.Parameter(torch.zeros(1, cfg.g3d_input_channels, s, s, s))
        self.skip = nn.ModuleList()
        self.up = nn.ModuleList()
        cin = cfg.g3d_input_channels
        for cout in cfg.g3d_up_channels:
            self.skip.append(ResBlock(3, cin, cin, g, eps, conv1_bias=False))
            self.up.append(ResBlock(3, cin, cout, g, eps, conv1_bias=False))
            cin = cout
        self.head_norm = nn.GroupNorm(g, cin, eps=eps)
        self.head = conv(3, cin, cin, cfg.g3d_head_kernel, bias=True)
        self.cfg = cfg

    def forward(self, x):
        c = self.cfg
        feats = []
        for blk, scale, pool in zip(self.down, c.g3d_down_pre_scale, c.g3d_down_post_pool):
            x = blk(resample3d(x, scale))
            feats.append(x)
            x = pool3d(x, pool)
        y = self.input.expand(x.shape[0], -1, -1, -1, -1)
        for i, (skip, blk, scale, pool) in enumerate(zip(self.skip, self.up, c.g3d_up_pre_scale, c.g3d_up_post_pool)):
            y = resample3d(y, scale)
            y = pool3d(blk(y + skip(feats[-1 - i])), pool)
        return self.head(F.relu(self.head_norm(y)))


class G2D(nn.Module):
    """Projection (1x1 conv, no bias, C*D -> G) and the 2-D decoder:
    same-resolution ResBlocks, then [nearest x2 ->] ResBlocks, GN -> ReLU -> conv (bias) -> sigmoid."""

    def __init__(self, cfg):
        super().__init__()
        g, eps = cfg.norm_groups, cfg.norm_eps
        self.projection = conv(2, cfg.projection_channels, cfg.g2d_channels, 1)
        self.blocks = nn.ModuleList([ResBlock(2, cfg.g2d_channels, cfg.g2d_channels, g, eps, conv1_bias=True)
                                     for _ in range(cfg.g2d_same_blocks)])
        self.up = nn.ModuleList()
        self.upsamples = []
        for cin, cout, upsample in cfg.g2d_blocks:
            self.up.append(ResBlock(2, cin, cout, g, eps, conv1_bias=True))
            self.upsamples.append(upsample)
        clast = cfg.g2d_blocks[-1][1] if cfg.g2d_blocks else cfg.g2d_channels
        self.head_norm = nn.GroupNorm(g, clast, eps=eps)
        self.head = conv(2, clast, 3, cfg.g2d_head_kernel, bias=True)
        self.cfg = cfg

    def project(self, volume):
        n, c, d, h, w = volume.shape
        return self.projection(volume.reshape(n, c * d, h, w))

    def decode(self, x):
        for blk in self.blocks:
            x = blk(x)
        for blk, upsample in zip(self.up, self.upsamples):
            if upsample:
                x = F.interpolate(x, scale_factor=2, mode="nearest")
            x = blk(x)
        return torch.sigmoid(self.head(F.relu(self.head_norm(x))))


# ---------------------------------------------------------------------------
# Shared small ops
# ---------------------------------------------------------------------------

def resize(x, size):
    """Bilinear resize to size x size, align_corners=False, no antialiasing (identity if same size)."""
    if x.shape[-1] == size and x.shape[-2] == size:
        return x
    return F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False, antialias=False)


def imagenet_normalise(x, cfg):
    """Per-channel (x - mean_c) / std_c."""
    mean = torch.tensor(cfg.imagenet_mean, dtype=x.dtype).view(1, 3, 1, 1)
    std = torch.tensor(cfg.imagenet_std, dtype=x.dtype).view(1, 3, 1, 1)
    return (x - mean) / std


def identity_grid(depth, height, width, dtype=torch.float32):
    """3 x D x H x W: channel 0 = linspace(-1,1,W) along W, 1 = along H, 2 = along D."""
    w, v, u = torch.meshgrid(torch.linspace(-1, 1, depth, dtype=dtype), torch.linspace(-1, 1, height, dtype=dtype),
                             torch.linspace(-1, 1, width, dtype=dtype), indexing="ij")
    return torch.stack([u, v, w], 0)


def deformation_grid(delta):
    """identity_grid + delta (N x 3 x D x H x W), permuted to N x D x H x W x 3."""
    d, h, w = delta.shape[2:]
    return (identity_grid(d, h, w, delta.dtype)[None] + delta).permute(0, 2, 3, 4, 1)


def rigid_grid(matrix, depth, size):
    """affine_grid(matrix[:, :3, :], N x 1 x D x H x W, align_corners=True): [u,v,w,1] @ M[:3]^T."""
    n = matrix.shape[0]
    return F.affine_grid(matrix[:, :3, :], [n, 1, depth, size, size], align_corners=True)


# ---------------------------------------------------------------------------
# The whole network
# ---------------------------------------------------------------------------

class MegaPortraits(nn.Module):
    """G_base. `encode_avatar` runs the per-avatar stages once; `render_frame` the per-frame ones."""

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.appearance = Appearance(cfg)
        self.identity = Identity(cfg)
        self.pose = Pose(cfg)
        self.expression = Expression(cfg)
        self.embedding = Embedding(cfg)
        self.warp_source = WarpGenerator(cfg)
        self.warp_driver = WarpGenerator(cfg)
        self.g3d = G3D(cfg)
        self.g2d = G2D(cfg)

    # -- shared motion encoder ------------------------------------------------
    def motion(self, image, prefix, out):
        """Head pose + expression of one image (source: masked; driver: raw)."""
        c = self.cfg
        pose_input = resize(image, c.pose_input_size)
        params = self.pose(pose_input)
        theta = pose_matrix(params, c.pose_angle_min, c.pose_angle_max)
        affine = crop_matrix(theta, c.expression_zoom)
        crop_grid = F.affine_grid(affine, [image.shape[0], 3, c.expression_crop_size, c.expression_crop_size],
                                  align_corners=True)
        crop = F.grid_sample(image, crop_grid, mode="bilinear", padding_mode="zeros", align_corners=False)
        z = self.expression(crop)
        out.update({f"{prefix}.pose_input": pose_input, f"{prefix}.pose": params, f"{prefix}.theta": theta,
                    f"{prefix}.crop": crop, f"{prefix}.z": z})
        return theta, z

    def sample(self, volume, grid):
        c = self.cfg
        return F.grid_sample(volume, grid, mode="bilinear", padding_mode=c.grid_padding_mode,
                             align_corners=c.grid_align_corners)

    # -- per avatar -------------------------------------------------------------
    def encode_avatar(self, source, mask=None):
        """source N x 3 x S x S in [0,1]; mask N x 1 x S x S (default ones). Returns the named stage dict;
        the avatar state the per-frame path needs is out['es'] and out['volume.canonical']."""
        c = self.cfg
        out = {}
        if mask is None:
            mask = torch.ones_like(source[:, :1])
        masked = source * mask
        out["source.masked"] = masked
        theta_s, z_s = self.motion(masked, "source", out)
        es = self.identity(masked)
        out["es"] = es
        feats = self.appearance.features(masked)
        out["appearance.features"] = feats
        v_s = self.appearance.volume(feats)
        out["volume.source"] = v_s
        emb = self.embedding(z_s, es)
        out["source.embedding"] = emb
        grid, delta = self.warp_source(emb)
        out["warp.source.delta"] = delta
        out["warp.source.grid"] = grid
        rigid = rigid_grid(torch.inverse(theta_s), c.volume_depth, c.volume_size)
        out["warp.source.rigid"] = rigid
        v = self.sample(v_s, rigid)
        out["volume.source.rigid"] = v
        v = self.sample(v, grid)
        out["volume.source.warped"] = v
        out["volume.canonical"] = self.g3d(v)
        return out

    # -- per frame ----------------------------------------------------------------
    def render_frame(self, avatar, driver):
        """avatar: dict with 'es' and 'volume.canonical'; driver N x 3 x S x S in [0,1]."""
        c = self.cfg
        out = {}
        theta_d, z_d = self.motion(driver, "driver", out)
        emb = self.embedding(z_d, avatar["es"])
        out["driver.embedding"] = emb
        grid, delta = self.warp_driver(emb)
        out["warp.driver.delta"] = delta
        out["warp.driver.grid"] = grid
        rigid = rigid_grid(theta_d, c.volume_depth, c.volume_size)
        out["warp.driver.rigid"] = rigid
        v = self.sample(avatar["volume.canonical"], grid)
        out["volume.driven.expression"] = v
        v = self.sample(v, rigid)
        out["volume.driven"] = v
        proj = self.g2d.project(v)
        out["projection"] = proj
        out["image"] = self.g2d.decode(proj)
        return out

    def forward(self, source, driver, mask=None):
        return self.render_frame(self.encode_avatar(source, mask), driver)["image"]
