"""Engines, models and sessions over the C API's handles."""

import ctypes
import os

import numpy as np

from . import images
from ._library import Pose, lib
from .errors import InvalidArgumentError, check


def _text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


class Engine:
    """A device: "cpu", "opencl" (the fastest GPU, else the first OpenCL device, else the CPU
    fallback) or "opencl:N"; None means $PORTRAIT_DEVICE, else "opencl". Use an engine and
    everything made from it from one thread at a time."""

    def __init__(self, device="opencl"):
        handle = ctypes.c_void_p()
        check(lib.pcl_engine_create(device.encode() if device is not None else None, ctypes.byref(handle)), lib.pcl_last_error())
        self._handle = handle

    @property
    def name(self):
        """The device's name."""
        return _text(lib.pcl_engine_name(self._handle))

    def _check(self, status):
        check(status, lib.pcl_engine_last_error(self._handle))

    def __del__(self):
        handle = getattr(self, "_handle", None)
        if handle:
            lib.pcl_engine_destroy(handle)
            self._handle = None


class Model:
    """A network (`config`: a preset such as "tiny", "liveportrait-tiny", "megaportraits-512", or a
    JSON file) bound to `weights` (a safetensors file), or to seeded random weights when `weights`
    is None (untrained: for speed and device checks, not faces), on `engine` or a new engine on
    `device`. Sessions sharing one model share its weights (several faces at once)."""

    def __init__(self, config="tiny", weights=None, device="opencl", seed=0, engine=None):
        self.engine = engine if engine is not None else Engine(device)
        handle = ctypes.c_void_p()
        weights_arg = os.fsencode(weights) if weights is not None else None
        status = lib.pcl_model_create(self.engine._handle, config.encode(), weights_arg, int(seed), ctypes.byref(handle))
        check(status, lib.pcl_last_error())
        self._handle = handle

    @property
    def input_size(self):
        """Side of the square pictures the model reads."""
        return lib.pcl_model_input_size(self._handle)

    @property
    def output_size(self):
        """Side of the square pictures it renders."""
        return lib.pcl_model_output_size(self._handle)

    @property
    def config_name(self):
        """The config's name."""
        return _text(lib.pcl_model_config_name(self._handle))

    @property
    def family(self):
        """The network family ("megaportraits", "liveportrait")."""
        return _text(lib.pcl_model_family(self._handle))

    def flops(self, per_frame=True):
        """Floating-point operations per frame (or per source)."""
        return lib.pcl_model_flops(self._handle, 1 if per_frame else 0)

    def _check(self, status):
        check(status, lib.pcl_model_last_error(self._handle))

    def make_source(self, image):
        """The per-source state of an input-size square picture (uint8 or float H×W×3, or a
        one-picture N×H×W×3 batch)."""
        picture = images.single(image, "source picture")
        handle = ctypes.c_void_p()
        height, width = picture.shape[:2]
        if picture.dtype == np.uint8:
            data, pointer = images.rgb8(picture)
            self._check(lib.pcl_source_create_rgb8(self._handle, pointer, width, height, ctypes.byref(handle)))
        else:
            data, pointer = images.planar(picture)
            self._check(lib.pcl_source_create_planar(self._handle, pointer, width, height, ctypes.byref(handle)))
        return Source(self, handle)

    def load_source(self, path):
        """A source saved by `Source.save` or `portrait avatar -o`."""
        handle = ctypes.c_void_p()
        self._check(lib.pcl_source_load(self._handle, os.fsencode(path), ctypes.byref(handle)))
        return Source(self, handle)

    def __del__(self):
        handle = getattr(self, "_handle", None)
        if handle:
            lib.pcl_model_destroy(handle)
            self._handle = None


class Source:
    """A per-source state made by a model (it keeps the model alive)."""

    def __init__(self, model, handle):
        self.model = model
        self._handle = handle

    def save(self, path):
        """Writes it atomically (safetensors) for `Model.load_source` and `portrait render --avatar`."""
        check(lib.pcl_source_save(self._handle, os.fsencode(path)), lib.pcl_source_last_error(self._handle))

    def __del__(self):
        handle = getattr(self, "_handle", None)
        if handle:
            lib.pcl_source_destroy(handle)
            self._handle = None


class Session:
    """One animated face: a model, a source and the clip being rendered.

    `Session(config="tiny", weights=None, device="opencl")` makes its own model;
    `Session(model=m)` shares one (one session per face). `still_driver=True` when the driver is
    one picture, not a video (LivePortrait's relative mode then uses a neutral reference, as the
    CLI does for a picture driver). Frames carry the invisible AI-generated watermark, as the
    CLI's do, unless `watermark=False`. Use from one thread at a time."""

    def __init__(self, config="tiny", weights=None, device="opencl", seed=0, model=None, still_driver=False, watermark=True):
        self.model = model if model is not None else Model(config, weights, device, seed)
        self.still_driver = bool(still_driver)
        self.watermark = bool(watermark)
        self.source = None
        self._handle = None

    @property
    def input_size(self):
        """Side of the square pictures the model reads."""
        return self.model.input_size

    @property
    def output_size(self):
        """Side of the square pictures it renders."""
        return self.model.output_size

    def _check(self, status):
        check(status, lib.pcl_session_last_error(self._handle))

    def set_source(self, image):
        """Makes the source from an input-size square picture (uint8 or float H×W×3, or a
        one-picture batch) or uses a `Source`; the next frame starts a new clip."""
        source = image if isinstance(image, Source) else self.model.make_source(image)
        if source.model is not self.model:
            raise InvalidArgumentError("the source was made by another model than the session's")
        if self._handle is None:
            handle = ctypes.c_void_p()
            flags = (1 if self.still_driver else 0) | (0 if self.watermark else 2)
            status = lib.pcl_session_create(self.model._handle, source._handle, flags, ctypes.byref(handle))
            check(status, lib.pcl_model_last_error(self.model._handle))
            self._handle = handle
        else:
            self._check(lib.pcl_session_set_source(self._handle, source._handle))
        self.source = source

    def load_source(self, path):
        """Uses a saved source."""
        self.set_source(self.model.load_source(path))

    def save_source(self, path):
        """Saves the current source."""
        self._require_source().save(path)

    def _require_source(self):
        if self._handle is None:
            from .errors import StateError
            raise StateError("no source yet: call set_source (or load_source) before rendering frames")
        return self.source

    def restart_clip(self):
        """Starts a new clip at the next frame (relative motion takes a new first frame)."""
        self._require_source()
        self._check(lib.pcl_session_restart_clip(self._handle))

    def render(self, driver):
        """The next frame driven by an input-size square picture. uint8 H×W×3 in gives uint8
        H×W×3 out; float H×W×3 gives float H×W×3 in [0, 1]; an N×H×W×3 batch (ComfyUI's IMAGE)
        renders its frames in order and gives an N×O×O×3 float batch."""
        self._require_source()
        if images.is_batch(driver):
            return np.stack([self._render_one(frame, force_float=True) for frame in images.frames_of(driver)])
        return self._render_one(driver, force_float=False)

    def _render_one(self, frame, force_float):
        picture = np.asarray(frame)
        images.check_picture(picture, "driving picture")
        height, width = picture.shape[:2]
        if picture.dtype == np.uint8 and not force_float:
            data, pointer = images.rgb8(picture)
            out, out_pointer = images.empty_rgb8(self.output_size)
            self._check(lib.pcl_session_render_rgb8(self._handle, pointer, width, height, out_pointer))
            return out
        if picture.dtype == np.uint8:
            picture = picture.astype(np.float32) * np.float32(1 / 255)
        data, pointer = images.planar(picture)
        out, out_pointer = images.empty_planar(self.output_size)
        self._check(lib.pcl_session_render_planar(self._handle, pointer, width, height, out_pointer))
        return images.interleaved(out)

    def render_pose(self, yaw=0.0, pitch=0.0, roll=0.0, tx=0.0, ty=0.0, tz=0.0):
        """The next frame with the head at a pose (degrees, as the CLI's --pose) and the source's
        own expression: float H×W×3 in [0, 1]."""
        self._require_source()
        pose = Pose(yaw, pitch, roll, tx, ty, tz)
        out, out_pointer = images.empty_planar(self.output_size)
        self._check(lib.pcl_session_render_pose(self._handle, ctypes.byref(pose), out_pointer))
        return images.interleaved(out)

    def __del__(self):
        handle = getattr(self, "_handle", None)
        if handle:
            lib.pcl_session_destroy(handle)
            self._handle = None
