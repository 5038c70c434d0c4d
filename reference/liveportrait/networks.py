"""The five LivePortrait networks in our folded weight layout. Each forward returns a dict of
named stage tensors (the names used by the goldens and docs/liveportrait.md)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import LivePortraitConfig, MLPConfig
from .geometry import coordinate_grid, keypoint_gaussians
from .layers import (ConvAct2d, ConvNeXtBlock, LayerNorm2d, MLP, PreActResBlock3d, SPADEResBlock)


class AppearanceExtractor(nn.Module):
    """F: image N x 3 x S x S in [0,1] -> feature volume N x C x D x S/4 x S/4."""

    def __init__(self, cfg: LivePortraitConfig):
        super().__init__()
        a = cfg.appearance
        self.channels, self.depth = a.reshape_channel, a.reshape_depth
        self.stem = ConvAct2d(3, a.block_expansion)
        widths = [min(a.max_features, a.block_expansion * 2 ** i) for i in range(a.num_down_blocks + 1)]
        self.down = nn.ModuleList(ConvAct2d(widths[i], widths[i + 1], pool=True) for i in range(a.num_down_blocks))
        self.project = nn.Conv2d(widths[-1], a.max_features, 1)
        self.res3d = nn.ModuleList(PreActResBlock3d(a.reshape_channel) for _ in range(a.num_resblocks))

    def forward(self, image):
        x = self.stem(image)
        for block in self.down:
            x = block(x)
        x = self.project(x)
        n, _, h, w = x.shape
        f = x.view(n, self.channels, self.depth, h, w)
        for block in self.res3d:
            f = block(f)
        return {"feature_2d": x, "feature_3d": f}


class MotionExtractor(nn.Module):
    """M: ConvNeXtV2 on the image, then linear heads for keypoints, pose bins, t, exp, scale."""

    HEADS = ("kp", "pitch", "yaw", "roll", "t", "exp", "scale")

    def __init__(self, cfg: LivePortraitConfig):
        super().__init__()
        m = cfg.motion
        dims = m.dims
        self.num_kp = m.num_kp
        self.stem = nn.Conv2d(3, dims[0], 4, stride=4)
        self.stem_norm = LayerNorm2d(dims[0])
        self.down_norm = nn.ModuleList(LayerNorm2d(dims[i]) for i in range(3))
        self.down = nn.ModuleList(nn.Conv2d(dims[i], dims[i + 1], 2, stride=2) for i in range(3))
        self.stages = nn.ModuleList(nn.ModuleList(ConvNeXtBlock(dims[i]) for _ in range(m.depths[i])) for i in range(4))
        self.head_norm = nn.LayerNorm(dims[-1], eps=1e-6)
        sizes = {"kp": 3 * m.num_kp, "pitch": m.num_bins, "yaw": m.num_bins, "roll": m.num_bins,
                 "t": 3, "exp": 3 * m.num_kp, "scale": 1}
        self.head = nn.ModuleDict({k: nn.Linear(dims[-1], sizes[k]) for k in self.HEADS})

    def forward(self, image):
        x = self.stem_norm(self.stem(image))
        for i in range(4):
            if i > 0:
                x = self.down[i - 1](self.down_norm[i - 1](x))
            for block in self.stages[i]:
                x = block(x)
        pooled = self.head_norm(x.mean(dim=(-2, -1)))
        out = {"pooled": pooled}
        out.update({k: self.head[k](pooled) for k in self.HEADS})
        return out


class Hourglass3d(nn.Module):
    """U-Net on N x C x D x H x W: down = conv3x3x3+BN+ReLU+avgpool(1,2,2); up = nearest(1,2,2)+
    conv+BN+ReLU, concatenated with the skip; then conv+BN+ReLU. BatchNorms folded."""

    def __init__(self, in_channels: int, expansion: int, max_features: int, num_blocks: int):
        super().__init__()
        def width(i):
            return min(max_features, expansion * 2 ** i)
        self.down = nn.ModuleList(nn.Conv3d(in_channels if i == 0 else width(i), width(i + 1), 3, padding=1)
                                  for i in range(num_blocks))
        self.up = nn.ModuleList(nn.Conv3d((1 if i == num_blocks - 1 else 2) * width(i + 1), width(i), 3, padding=1)
                                for i in reversed(range(num_blocks)))
        self.out_channels = expansion + in_channels
        self.final = nn.Conv3d(self.out_channels, self.out_channels, 3, padding=1)

    def forward(self, x):
        skips = [x]
        for conv in self.down:
            skips.append(F.avg_pool3d(F.relu(conv(skips[-1])), (1, 2, 2)))
        out = skips.pop()
        for conv in self.up:
            out = F.relu(conv(F.interpolate(out, scale_factor=(1, 2, 2), mode="nearest")))
            out = torch.cat([out, skips.pop()], dim=1)
        return F.relu(self.final(out))


class DenseMotion(nn.Module):
    """Keypoints -> dense 3-D backward flow (softmax mixture of K+1 sparse motions) + occlusion."""

    def __init__(self, cfg: LivePortraitConfig):
        super().__init__()
        d = cfg.warping.dense
        self.num_kp = cfg.motion.num_kp
        c = cfg.appearance.reshape_channel
        self.compress = nn.Conv3d(c, d.compress, 1)
        self.hourglass = Hourglass3d((self.num_kp + 1) * (d.compress + 1), d.block_expansion, d.max_features, d.num_blocks)
        hc = self.hourglass.out_channels
        self.mask = nn.Conv3d(hc, self.num_kp + 1, 7, padding=3)
        self.occlusion = nn.Conv2d(hc * cfg.appearance.reshape_depth, 1, 7, padding=3)

    def forward(self, feature, kp_source, kp_driving):
        n, _, d, h, w = feature.shape
        k = self.num_kp + 1
        compressed = F.relu(self.compress(feature))
        identity = coordinate_grid(d, h, w, feature.dtype)[None, None].expand(n, 1, d, h, w, 3)
        to_source = identity - kp_driving[:, :, None, None, None, :] + kp_source[:, :, None, None, None, :]
        sparse = torch.cat([identity, to_source], dim=1)                       # N x K+1 x d x h x w x 3
        c = compressed.shape[1]
        repeated = compressed[:, None].expand(n, k, c, d, h, w).reshape(n * k, c, d, h, w)
        deformed = F.grid_sample(repeated, sparse.reshape(n * k, d, h, w, 3), mode="bilinear",
                                 padding_mode="zeros", align_corners=False).view(n, k, c, d, h, w)
        heat = keypoint_gaussians(kp_driving, d, h, w) - keypoint_gaussians(kp_source, d, h, w)
        heat = torch.cat([torch.zeros_like(heat[:, :1]), heat], dim=1)[:, :, None]
        hourglass_in = torch.cat([heat, deformed], dim=2).view(n, k * (c + 1), d, h, w)
        prediction = self.hourglass(hourglass_in)
        mask = torch.softmax(self.mask(prediction), dim=1)
        deformation = (sparse * mask[..., None]).sum(dim=1)                    # N x d x h x w x 3
        occlusion = torch.sigmoid(self.occlusion(prediction.reshape(n, -1, h, w)))
        return {"compressed": compressed, "sparse_motion": sparse, "deformed": deformed, "heatmap": heat,
                "hourglass_in": hourglass_in, "prediction": prediction, "mask": mask,
                "deformation": deformation, "occlusion": occlusion}


class WarpingModule(nn.Module):
    """W: warp the source volume by the dense motion, fold depth into channels, project, occlude."""

    def __init__(self, cfg: LivePortraitConfig):
        super().__init__()
        a, wcfg = cfg.appearance, cfg.warping
        self.dense = DenseMotion(cfg)
        out = cfg.warp_channels
        self.third = ConvAct2d(a.reshape_channel * a.reshape_depth, out, leaky=True)
        self.fourth = nn.Conv2d(out, out, 1)

    def forward(self, feature, kp_source, kp_driving):
        dense = self.dense(feature, kp_source, kp_driving)
        warped = F.grid_sample(feature, dense["deformation"], mode="bilinear", padding_mode="zeros",
                               align_corners=False)
        n, c, d, h, w = warped.shape
        out = self.fourth(self.third(warped.reshape(n, c * d, h, w))) * dense["occlusion"]
        stages = {f"dense.{k}": v for k, v in dense.items()}
        stages.update({"warped_3d": warped, "warp_out": out})
        return stages


class SPADEDecoder(nn.Module):
    """G: warped feature (also the SPADE label map) -> RGB image at 2x (pixel shuffle) in (0, 1)."""

    def __init__(self, cfg: LivePortraitConfig):
        super().__init__()
        g = cfg.decoder
        c = cfg.warp_channels
        self.fc = nn.Conv2d(c, 2 * c, 3, padding=1)
        widths = [(2 * c, 2 * c)] * g.num_middle_blocks + [(2 * c, c), (c, g.out_channels)]
        self.blocks = nn.ModuleList(SPADEResBlock(i, o, c, g.spade_hidden) for i, o in widths)
        self.num_middle = g.num_middle_blocks
        self.upscale = g.upscale
        self.to_image = nn.Conv2d(g.out_channels, 3 * (4 if g.upscale > 1 else 1), 3, padding=1)

    def forward(self, feature):
        x = self.fc(feature)
        stages = {}
        for i, block in enumerate(self.blocks):
            if i >= self.num_middle:
                x = F.interpolate(x, scale_factor=2, mode="nearest")
            x = block(x, feature)
            stages[f"block{i}"] = x
        x = self.to_image(F.leaky_relu(x, 0.2))
        if self.upscale > 1:
            x = F.pixel_shuffle(x, 2)
        stages["image"] = torch.sigmoid(x)
        return stages


class KeypointMLPs(nn.Module):
    """S (stitching) and R (eye and lip retargeting): three independent MLPs."""

    def __init__(self, cfg: LivePortraitConfig):
        super().__init__()
        def mlp(m: MLPConfig):
            return MLP(m.input_size, m.hidden_sizes, m.output_size)
        self.stitching, self.lip, self.eye = mlp(cfg.stitching), mlp(cfg.lip), mlp(cfg.eye)
