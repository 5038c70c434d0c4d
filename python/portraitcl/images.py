"""Pictures between NumPy and the C API: uint8 H×W×3, float H×W×3 in [0, 1], and ComfyUI's
IMAGE batches (N×H×W×3 float in [0, 1])."""

import ctypes

import numpy as np

from .errors import InvalidArgumentError


def is_batch(image):
    """Whether `image` is an N×H×W×3 batch (ComfyUI's IMAGE)."""
    return getattr(image, "ndim", 0) == 4


def frames_of(image):
    """The H×W×3 frames of a picture or a batch."""
    array = np.asarray(image)
    if array.ndim == 4:
        return [array[i] for i in range(array.shape[0])]
    return [array]


def single(image, role):
    """One H×W×3 picture from `image` (a batch must hold exactly one)."""
    array = np.asarray(image)
    if array.ndim == 4:
        if array.shape[0] != 1:
            raise InvalidArgumentError("the %s is a batch of %d pictures; give one" % (role, array.shape[0]))
        array = array[0]
    check_picture(array, role)
    return array


def check_picture(array, role):
    """Raises unless `array` is H×W×3 uint8, or float with finite values."""
    if array.ndim != 3 or array.shape[2] != 3:
        raise InvalidArgumentError("the %s must be H×W×3 RGB (or N×H×W×3), got shape %s" % (role, tuple(array.shape)))
    if array.dtype != np.uint8 and not np.issubdtype(array.dtype, np.floating):
        raise InvalidArgumentError("the %s must be uint8 (0..255) or float (0..1), got %s" % (role, array.dtype))


def rgb8(array):
    """A C-contiguous uint8 H×W×3 copy-free view and its ctypes pointer."""
    data = np.ascontiguousarray(array, dtype=np.uint8)
    return data, data.ctypes.data_as(ctypes.POINTER(ctypes.c_uint8))


def planar(array):
    """Float H×W×3 in [0, 1] as C-contiguous float32 planes 3×H×W and their ctypes pointer."""
    data = np.ascontiguousarray(np.transpose(np.asarray(array, dtype=np.float32), (2, 0, 1)))
    if not np.all(np.isfinite(data)):
        raise InvalidArgumentError("the picture holds a value that is not finite; give values in [0, 1]")
    return data, data.ctypes.data_as(ctypes.POINTER(ctypes.c_float))


def empty_rgb8(size):
    """An output buffer for an 8-bit size×size picture and its pointer."""
    data = np.empty((size, size, 3), dtype=np.uint8)
    return data, data.ctypes.data_as(ctypes.POINTER(ctypes.c_uint8))


def empty_planar(size):
    """An output buffer for float planes 3×size×size and its pointer."""
    data = np.empty((3, size, size), dtype=np.float32)
    return data, data.ctypes.data_as(ctypes.POINTER(ctypes.c_float))


def interleaved(planes):
    """Float planes 3×H×W as H×W×3."""
    return np.ascontiguousarray(np.transpose(planes, (1, 2, 0)))
