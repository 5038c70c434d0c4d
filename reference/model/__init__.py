"""PyTorch reference of the MegaPortraits base network (inference only).

This package defines the contract the Swift engine implements: every module's
state_dict keys are exactly the tensor names of our safetensors weight format
(docs/weights.md), and every op is one of the ops the Swift engine implements
(docs/architecture.md). Written from the spec in
/work/shared/reference/megaportraits-architecture.md; no code copied.

    from model import Config, MegaPortraits
    cfg = Config.load("Sources/Avatar/Presets/tiny.json")
    net = MegaPortraits(cfg).eval()
    avatar = net.encode_avatar(source, mask)      # per-avatar stages
    frame = net.render_frame(avatar, driver)      # per-frame stages
"""
from .config import Config, preset_path
from .network import MegaPortraits
from .init import seeded_init
from .flops import count_flops

__all__ = ["Config", "preset_path", "MegaPortraits", "seeded_init", "count_flops"]
