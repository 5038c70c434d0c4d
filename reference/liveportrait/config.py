"""Sizes of the LivePortrait networks (ours), with the released sizes and a tiny preset.

The released sizes are those of the official `src/config/models.yaml` plus the widths that the
official code fixes in its classes (ConvNeXtV2-tiny stages, 66 pose bins, 128 SPADE hidden
channels, 64 decoder output channels, 6 middle SPADE blocks). `tiny` shrinks every width and the
image to 64x64 so that goldens stay small. The bin count (66) stays as released (the degree formula
depends on it); the keypoint count drops to 4 (the fewest with a 3-D convex hull, which the
'expression-friendly' option needs) because the dense-motion mask convolution (7x7x7,
(K+1)*(compress+1)+e -> K+1 channels) alone would otherwise outgrow the fixture budget. With K=4
the stitching MLP takes 2*3K=24 values and returns 3K+2=14, the lip MLP 3K+2 -> 3K, the eye MLP
3K+3 -> 3K, exactly as the released 126 -> 65, 65 -> 63, 66 -> 63.
"""
import dataclasses
import json
from dataclasses import dataclass, field
from typing import List


@dataclass
class AppearanceConfig:
    """Appearance feature extractor F: image -> 3-D feature volume."""
    block_expansion: int = 64
    num_down_blocks: int = 2
    max_features: int = 512
    reshape_channel: int = 32
    reshape_depth: int = 16
    num_resblocks: int = 6


@dataclass
class MotionConfig:
    """Motion extractor M: a ConvNeXtV2 backbone with pose/keypoint heads."""
    depths: List[int] = field(default_factory=lambda: [3, 3, 9, 3])
    dims: List[int] = field(default_factory=lambda: [96, 192, 384, 768])
    num_kp: int = 21
    num_bins: int = 66


@dataclass
class DenseMotionConfig:
    """The dense-motion hourglass inside the warping module."""
    block_expansion: int = 32
    max_features: int = 1024
    num_blocks: int = 5
    compress: int = 4


@dataclass
class WarpingConfig:
    """Warping module W: dense motion + 3-D warp + 2-D projection."""
    block_expansion: int = 64
    num_down_blocks: int = 2
    dense: DenseMotionConfig = field(default_factory=DenseMotionConfig)


@dataclass
class DecoderConfig:
    """SPADE decoder G: warped feature -> image (pixel-shuffle x2)."""
    block_expansion: int = 64
    max_features: int = 512
    num_down_blocks: int = 2
    spade_hidden: int = 128
    out_channels: int = 64
    num_middle_blocks: int = 6
    upscale: int = 2


@dataclass
class MLPConfig:
    """One stitching / retargeting MLP (Linear+ReLU ..., Linear)."""
    input_size: int
    hidden_sizes: List[int]
    output_size: int


@dataclass
class LivePortraitConfig:
    """Everything that fixes the tensor shapes of one LivePortrait model."""
    name: str = "liveportrait"
    image_size: int = 256
    appearance: AppearanceConfig = field(default_factory=AppearanceConfig)
    motion: MotionConfig = field(default_factory=MotionConfig)
    warping: WarpingConfig = field(default_factory=WarpingConfig)
    decoder: DecoderConfig = field(default_factory=DecoderConfig)
    stitching: MLPConfig = field(default_factory=lambda: MLPConfig(126, [128, 128, 64], 65))
    lip: MLPConfig = field(default_factory=lambda: MLPConfig(65, [128, 128, 64], 63))
    eye: MLPConfig = field(default_factory=lambda: MLPConfig(66, [256, 256, 128, 128, 64], 63))

    # Derived sizes -----------------------------------------------------------------------
    @property
    def feature_size(self) -> int:
        """Side of the 2-D/3-D feature grids (image_size / 2**num_down_blocks)."""
        return self.image_size // 2 ** self.appearance.num_down_blocks

    @property
    def warp_channels(self) -> int:
        """Channels of the warping module's output (= the decoder's input and its SPADE label)."""
        return self.warping.block_expansion * 2 ** self.warping.num_down_blocks

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=2)

    @staticmethod
    def from_dict(d: dict) -> "LivePortraitConfig":
        w = dict(d["warping"])
        w["dense"] = DenseMotionConfig(**w["dense"])
        return LivePortraitConfig(
            name=d["name"], image_size=d["image_size"],
            appearance=AppearanceConfig(**d["appearance"]), motion=MotionConfig(**d["motion"]),
            warping=WarpingConfig(**w), decoder=DecoderConfig(**d["decoder"]),
            stitching=MLPConfig(**d["stitching"]), lip=MLPConfig(**d["lip"]), eye=MLPConfig(**d["eye"]))

    @staticmethod
    def load(name_or_path: str) -> "LivePortraitConfig":
        """`liveportrait`, `liveportrait-tiny` (as the CLI names them; `released` and `tiny` are
        aliases), or a JSON file written by to_json()."""
        if name_or_path in PRESETS:
            return PRESETS[name_or_path]()
        with open(name_or_path) as f:
            return LivePortraitConfig.from_dict(json.load(f))


def released() -> LivePortraitConfig:
    """The sizes of the released human model (models.yaml + class constants)."""
    return LivePortraitConfig()


def tiny() -> LivePortraitConfig:
    """64x64 in, 128x128 out, every width small (for goldens and the parity harness)."""
    return LivePortraitConfig(
        name="liveportrait-tiny", image_size=64,
        appearance=AppearanceConfig(block_expansion=4, num_down_blocks=2, max_features=16,
                                    reshape_channel=4, reshape_depth=4, num_resblocks=2),
        motion=MotionConfig(depths=[1, 1, 2, 1], dims=[8, 8, 16, 16], num_kp=4),
        warping=WarpingConfig(block_expansion=1, num_down_blocks=2,
                              dense=DenseMotionConfig(block_expansion=2, max_features=8, num_blocks=3,
                                                      compress=2)),
        decoder=DecoderConfig(block_expansion=1, max_features=16, num_down_blocks=2, spade_hidden=4,
                              out_channels=4, num_middle_blocks=6, upscale=2),
        stitching=MLPConfig(24, [16, 8], 14), lip=MLPConfig(14, [8, 8], 12),
        eye=MLPConfig(15, [8, 8, 8], 12))


# The CLI's preset names (Sources/LivePortrait/Presets), and the earlier short names as aliases.
PRESETS = {"liveportrait": released, "liveportrait-tiny": tiny, "released": released, "tiny": tiny}
