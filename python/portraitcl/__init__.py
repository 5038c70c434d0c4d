"""PortraitCL from Python: one-shot head avatars (MegaPortraits/EMOPortraits, LivePortrait) on
OpenCL devices with a CPU fallback, through ctypes over libportraitcl.so (include/portraitcl.h).

    import portraitcl
    session = portraitcl.Session(config="liveportrait", weights="lp.safetensors", device="opencl")
    session.set_source(source_crop)          # uint8 or float H×W×3 at session.input_size
    frame = session.render(driver_crop)      # numpy H×W×3

Pictures are NumPy arrays: uint8 H×W×3, float H×W×3 in [0, 1], or ComfyUI IMAGE batches
(N×H×W×3 float). Errors raise `PortraitError` subclasses with the engine's messages.
"""

import ctypes

from ._library import lib
from .errors import DeviceError, FileError, InvalidArgumentError, PortraitError, StateError, check
from .faces import Face, crop, crop_face, face_crop, find_faces
from .session import Engine, Model, Session, Source
from .video import render_video

__version__ = lib.pcl_version().decode()

__all__ = ["Engine", "Model", "Session", "Source", "Face", "find_faces", "face_crop", "crop", "crop_face",
           "render_video", "devices", "compare_devices", "PortraitError", "InvalidArgumentError", "FileError",
           "DeviceError", "StateError", "__version__"]


def devices():
    """The devices an engine can run on: "cpu" (the CPU fallback) and each OpenCL device as
    ("opencl:N", description)."""
    listed = [("cpu", "the pure-Swift CPU fallback")]
    buffer = ctypes.create_string_buffer(512)
    for index in range(lib.pcl_device_count()):
        check(lib.pcl_device_name(index, buffer, len(buffer)), lib.pcl_last_error())
        listed.append(("opencl:%d" % index, buffer.value.decode("utf-8", "replace")))
    return listed


def compare_devices(device_a, device_b, source, driver, config="tiny", seed=0):
    """Renders one frame (input-size float H×W×3 source and driver) with random weights `seed`
    on two devices; returns (largest absolute difference, PSNR in dB)."""
    from . import images
    import numpy as np
    source, driver = np.asarray(source, dtype=np.float32), np.asarray(driver, dtype=np.float32)
    images.check_picture(source, "source picture")
    images.check_picture(driver, "driving picture")
    if source.shape != driver.shape or source.shape[0] != source.shape[1]:
        raise InvalidArgumentError("the source and driver must be squares of one size, got %s and %s" % (source.shape, driver.shape))
    a, a_pointer = images.planar(source)
    b, b_pointer = images.planar(driver)
    difference, psnr = ctypes.c_double(), ctypes.c_double()
    status = lib.pcl_compare_devices(device_a.encode(), device_b.encode(), config.encode(), int(seed), a_pointer, b_pointer, source.shape[0],
                                     ctypes.byref(difference), ctypes.byref(psnr))
    check(status, lib.pcl_last_error())
    return difference.value, psnr.value
