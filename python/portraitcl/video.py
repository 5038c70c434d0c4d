"""Rendering a sequence of driving frames with progress reports."""

import numpy as np

from . import images


def render_video(session, frames, progress=None, total=None, restart=True):
    """Renders every driving frame of `frames` (an iterable of H×W×3 pictures, or an N×H×W×3
    batch) in order as one clip and returns the outputs stacked (uint8 in: N×O×O×3 uint8;
    float in: float). `progress(done, total)` is called after each frame (`total` is None when
    unknown). `restart`: start a new clip first (relative motion takes the first frame as reference)."""
    if images.is_batch(frames):
        frames = images.frames_of(frames)
    if total is None and hasattr(frames, "__len__"):
        total = len(frames)
    if restart and session.source is not None:
        session.restart_clip()
    outputs = []
    for frame in frames:
        outputs.append(session.render(frame))
        if progress is not None:
            progress(len(outputs), total)
    if not outputs:
        raise ValueError("render_video got no frames")
    return np.stack(outputs)
