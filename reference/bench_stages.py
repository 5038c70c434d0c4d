"""The timed stages of the speed anchors, as modules with their inputs.

One definition for every peer: `reference/bench_pytorch.py` calls each stage module on its
inputs, and `Benchmarks/onnx_peer.py` exports the same modules to ONNX (dynamo exporter) and
runs them in ONNX Runtime, so both time exactly the same computation.

The 4x4 head-pose algebra that needs a matrix inverse (the expression crop's affine, the source's
inverse rigid transform) is done on the host, outside the stages, as the Swift engine does: the
ONNX exporter has no translation for `aten.linalg_inv_ex` (torch.inverse), and it costs
microseconds. Each stage returns only the tensors the next stage consumes.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from model import Config, MegaPortraits, seeded_init
from model.network import crop_matrix, pose_matrix, resize, rigid_grid


def seeded_network(config, seed, threads):
    """(cfg, net, source, driver): the config's network with seeded random weights
    (reference/model/init.py) and seeded random source/driver images, torch on `threads` threads."""
    torch.set_num_threads(threads)
    cfg = Config.load(config)
    gen = torch.Generator().manual_seed(seed)
    s = cfg.image_size
    source, driver = torch.rand(1, 3, s, s, generator=gen), torch.rand(1, 3, s, s, generator=gen)
    net = MegaPortraits(cfg).eval()
    seeded_init(net, seed, calibration_images=torch.cat([source, driver]))
    return cfg, net, source, driver


class PoseStage(nn.Module):
    """image -> bilinear resize -> pose ResNet -> 9 params -> 4x4 theta."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, image):
        c = self.net.cfg
        return pose_matrix(self.net.pose(resize(image, c.pose_input_size)), c.pose_angle_min, c.pose_angle_max)


class ExpressionStage(nn.Module):
    """image + 2x3 crop affine (host: crop_matrix(theta)) -> affine_grid + grid_sample -> z."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, image, affine):
        c = self.net.cfg
        grid = F.affine_grid(affine, [image.shape[0], 3, c.expression_crop_size, c.expression_crop_size],
                             align_corners=True)
        return self.net.expression(F.grid_sample(image, grid, align_corners=False))


class Call(nn.Module):
    """A sub-network (or a method of one) as a stage module."""

    def __init__(self, fn, owner):
        super().__init__()
        self.owner = owner  # registers the parameters
        self.fn = fn

    def forward(self, *args):
        return self.fn(*args)


class WarpStage(nn.Module):
    """z + e_s -> embedding -> warp generator -> deformation grid."""

    def __init__(self, net, warp):
        super().__init__()
        self.net, self.warp = net, warp

    def forward(self, z, es):
        return self.warp(self.net.embedding(z, es))[0]


class SamplePairStage(nn.Module):
    """Two 3-D grid samples in sequence (the 5-D grid_sample)."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, volume, first, second):
        return self.net.sample(self.net.sample(volume, first), second)


class DecodeStage(nn.Module):
    """Projection + G2D decoder."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, volume):
        return self.net.g2d.decode(self.net.g2d.project(volume))


def stages(net, source, driver):
    """[(path, name, module, inputs)] of the per-avatar and per-frame stages, inputs taken from one
    full pass of the network on `source` and `driver`."""
    c = net.cfg
    with torch.no_grad():
        avatar = net.encode_avatar(source)
        frame = net.render_frame(avatar, driver)
        rigid_s = rigid_grid(torch.inverse(avatar["source.theta"]), c.volume_depth, c.volume_size)
        rigid_d = rigid_grid(frame["driver.theta"], c.volume_depth, c.volume_size)
        crop_s = crop_matrix(avatar["source.theta"], c.expression_zoom)
        crop_d = crop_matrix(frame["driver.theta"], c.expression_zoom)
    masked = avatar["source.masked"]
    pose, expression, sample = PoseStage(net), ExpressionStage(net), SamplePairStage(net)
    return [
        ("avatar", "pose", pose, (masked,)),
        ("avatar", "expression", expression, (masked, crop_s)),
        ("avatar", "identity e_s", net.identity, (masked,)),
        ("avatar", "appearance 2d", Call(net.appearance.features, net.appearance), (masked,)),
        ("avatar", "appearance 3d", Call(net.appearance.volume, net.appearance), (avatar["appearance.features"],)),
        ("avatar", "embedding + warp_source", WarpStage(net, net.warp_source), (avatar["source.z"], avatar["es"])),
        ("avatar", "2x grid_sample 3d", sample, (avatar["volume.source"], rigid_s, avatar["warp.source.grid"])),
        ("avatar", "g3d", net.g3d, (avatar["volume.source.warped"],)),
        ("frame", "pose", pose, (driver,)),
        ("frame", "expression", expression, (driver, crop_d)),
        ("frame", "embedding + warp_driver", WarpStage(net, net.warp_driver), (frame["driver.z"], avatar["es"])),
        ("frame", "2x grid_sample 3d", sample, (avatar["volume.canonical"], frame["warp.driver.grid"], rigid_d)),
        ("frame", "projection + g2d", DecodeStage(net), (frame["volume.driven"],)),
    ]
