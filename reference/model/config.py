"""Network configuration: a flat JSON object (Sources/Avatar/Presets/*.json).

Every field is documented in docs/architecture.md. This module only loads,
validates and derives shapes; it holds no network constants of its own.
"""
import json
import os

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PRESETS = os.path.join(REPO_ROOT, "Sources", "Avatar", "Presets")

FORMAT = "portraitcl-config-1"

REQUIRED = {
    "format": str, "name": str, "image_size": int, "norm_groups": int, "norm_eps": float,
    "volume_channels": int, "volume_depth": int, "volume_size": int,
    "appearance_stem_channels": int, "appearance_stem_kernel": int,
    "appearance_block_channels": list, "appearance_3d_blocks": int,
    "identity_input_size": int, "identity_width": int, "identity_layers": list,
    "embed_channels": int, "embed_size": int,
    "pose_input_size": int, "pose_width": int, "pose_layers": list,
    "pose_angle_min": float, "pose_angle_max": float,
    "expression_crop_size": int, "expression_zoom": float, "expression_width": int,
    "expression_layers": list, "expression_pool_size": int, "z_channels": int,
    "warp_first_channels": int, "warp_block_channels": list, "warp_pre_scale": list,
    "warp_post_pool": list,
    "g3d_input_size": int, "g3d_input_channels": int, "g3d_down_channels": list,
    "g3d_down_pre_scale": list, "g3d_down_post_pool": list, "g3d_up_channels": list,
    "g3d_up_pre_scale": list, "g3d_up_post_pool": list, "g3d_head_kernel": int,
    "g2d_channels": int, "g2d_same_blocks": int, "g2d_up_channels": list,
    "g2d_blocks_per_resolution": int, "g2d_head_kernel": int,
    "grid_padding_mode": str, "grid_align_corners": bool,
    "imagenet_mean": list, "imagenet_std": list,
}


def preset_path(name):
    """Path of a preset by name ("tiny") or the argument itself if it is a file."""
    if os.path.isfile(name):
        return name
    return os.path.join(PRESETS, f"{name}.json")


class Config:
    """A loaded, validated configuration. Fields are attributes (cfg.image_size)."""

    def __init__(self, fields):
        self.fields = dict(fields)
        for key, kind in REQUIRED.items():
            if key not in fields:
                raise ValueError(f"config {fields.get('name', '?')}: missing field {key!r}")
            value = fields[key]
            if kind is float and isinstance(value, int):
                value = float(value)
            if not isinstance(value, kind):
                raise ValueError(f"config field {key!r}: expected {kind.__name__}, found {value!r}")
            setattr(self, key, value)
        if self.format != FORMAT:
            raise ValueError(f"config format {self.format!r}, expected {FORMAT!r}")
        self.validate()

    @classmethod
    def load(cls, name_or_path):
        with open(preset_path(name_or_path)) as f:
            return cls(json.load(f))

    def to_json(self):
        return json.dumps(self.fields, indent=2)

    # Derived quantities -------------------------------------------------

    @property
    def projection_channels(self):
        """C*D: channels of the 2-D view of the volume (1536 for the base model)."""
        return self.volume_channels * self.volume_depth

    @property
    def g2d_blocks(self):
        """[(cin, cout, upsample)] for the upsampling part of G2D, in order."""
        out, cin = [], self.g2d_channels
        for cout in self.g2d_up_channels:
            for j in range(self.g2d_blocks_per_resolution):
                out.append((cin, cout, j == 0))
                cin = cout
        return out

    def validate(self):
        def fail(msg):
            raise ValueError(f"config {self.name}: {msg}")

        g = self.norm_groups
        n_app = len(self.appearance_block_channels)
        if self.image_size != self.volume_size * 2 ** n_app:
            fail("image_size must equal volume_size * 2**len(appearance_block_channels)")
        if self.volume_size * 2 ** len(self.g2d_up_channels) != self.image_size:
            fail("image_size must equal volume_size * 2**len(g2d_up_channels)")
        for key in ("warp_pre_scale", "warp_post_pool"):
            if len(getattr(self, key)) != len(self.warp_block_channels):
                fail(f"{key} needs one [d,h,w] per warp block")
        # Walk the warp generator's shape schedule.
        d = h = self.embed_size
        for (sd, sh, sw), (pd, ph, pw) in zip(self.warp_pre_scale, self.warp_post_pool):
            if sh != sw or ph != pw:
                fail("warp scales must treat H and W alike")
            d, h = d * sd // pd, h * sh // ph
        if (d, h) != (self.volume_depth, self.volume_size):
            fail(f"warp schedule ends at depth {d} size {h}, volume is {self.volume_depth}x{self.volume_size}")
        # G3D encoder and decoder schedules must meet at the skip connections.
        for key in ("g3d_down_pre_scale", "g3d_down_post_pool"):
            if len(getattr(self, key)) != len(self.g3d_down_channels):
                fail(f"{key} needs one [d,h,w] per G3D down block")
        for key in ("g3d_up_pre_scale", "g3d_up_post_pool"):
            if len(getattr(self, key)) != len(self.g3d_up_channels):
                fail(f"{key} needs one [d,h,w] per G3D up block")
        if len(self.g3d_up_channels) != len(self.g3d_down_channels):
            fail("G3D needs as many up blocks as down blocks")
        shape = [self.volume_depth, self.volume_size, self.volume_size]
        feats = []
        for scale, pool, c in zip(self.g3d_down_pre_scale, self.g3d_down_post_pool, self.g3d_down_channels):
            shape = [a * b for a, b in zip(shape, scale)]
            feats.append((c, list(shape)))
            shape = [a // b for a, b in zip(shape, pool)]
        c, shape = self.g3d_input_channels, [self.g3d_input_size] * 3
        for i, (scale, pool, cout) in enumerate(zip(self.g3d_up_pre_scale, self.g3d_up_post_pool, self.g3d_up_channels)):
            shape = [a * b for a, b in zip(shape, scale)]
            fc, fshape = feats[-1 - i]
            if (fc, fshape) != (c, shape):
                fail(f"G3D up block {i} input {c}x{shape} does not meet skip {fc}x{fshape}")
            shape = [a // b for a, b in zip(shape, pool)]
            c = cout
        if (c, shape) != (self.volume_channels, [self.volume_depth, self.volume_size, self.volume_size]):
            fail(f"G3D ends at {c}x{shape}, not the volume shape")
        chans = ([self.appearance_stem_channels, self.volume_channels, self.g2d_channels, self.z_channels,
                  self.embed_channels, self.warp_first_channels, self.g3d_input_channels]
                 + self.appearance_block_channels + self.warp_block_channels + self.g3d_down_channels
                 + self.g3d_up_channels + self.g2d_up_channels
                 + [self.identity_width * 2 ** i * m for i in range(4) for m in (1, 4)]
                 + [self.expression_width * 2 ** i for i in range(4)])
        for ch in chans:
            if ch % g:
                fail(f"{ch} channels are not divisible by norm_groups {g}")
        if self.grid_padding_mode not in ("zeros", "border"):
            fail("grid_padding_mode must be zeros or border")
        if self.g3d_head_kernel not in (1, 3) or self.g2d_head_kernel not in (1, 3):
            fail("head kernels must be 1 or 3")
