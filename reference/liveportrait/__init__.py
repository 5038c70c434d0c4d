"""Our PyTorch reference of LivePortrait (KwaiVGI/LivePortrait) inference, written from the official
code's facts (docs/liveportrait.md); weights in our folded layout (convert.py)."""
from .config import LivePortraitConfig, released, tiny  # noqa: F401
from .model import LivePortrait  # noqa: F401
from .motion import MotionOptions, compose_driving, expression_friendly, finish_driving  # noqa: F401
