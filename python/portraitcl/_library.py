"""Loading libportraitcl.so and declaring the C API's signatures (include/portraitcl.h)."""

import ctypes
import os
from pathlib import Path


class Face(ctypes.Structure):
    """pcl_face: a face box in pixels, its score and five landmarks (x, y pairs)."""

    _fields_ = [("x", ctypes.c_float), ("y", ctypes.c_float), ("width", ctypes.c_float),
                ("height", ctypes.c_float), ("score", ctypes.c_float), ("landmarks", ctypes.c_float * 10)]


class Pose(ctypes.Structure):
    """pcl_pose: yaw, pitch, roll in degrees; tx, ty, tz."""

    _fields_ = [(name, ctypes.c_double) for name in ("yaw", "pitch", "roll", "tx", "ty", "tz")]


def _candidates():
    """Where the library may be: $PORTRAITCL_LIBRARY, a copy inside the package, the repository's build."""
    if os.environ.get("PORTRAITCL_LIBRARY"):
        yield Path(os.environ["PORTRAITCL_LIBRARY"])
    here = Path(__file__).resolve().parent
    yield here / "lib" / "libportraitcl.so"
    for parent in here.parents:
        yield parent / ".build" / "release" / "libportraitcl.so"


def _load():
    tried = []
    for path in _candidates():
        tried.append(str(path))
        if path.is_file():
            return ctypes.CDLL(str(path))
    raise OSError("libportraitcl.so not found (tried " + ", ".join(tried) + "); run `make build` in the PortraitCL "
                  "repository, then `make python`, or set PORTRAITCL_LIBRARY to the library's path")


lib = _load()

_p = ctypes.c_void_p
_s = ctypes.c_char_p
_i = ctypes.c_int
_u8 = ctypes.POINTER(ctypes.c_uint8)
_f32 = ctypes.POINTER(ctypes.c_float)
_out = ctypes.POINTER(ctypes.c_void_p)

_signatures = {
    "pcl_version": (_s, []),
    "pcl_api_version": (_i, []),
    "pcl_device_count": (_i, []),
    "pcl_device_name": (_i, [_i, ctypes.c_char_p, ctypes.c_size_t]),
    "pcl_last_error": (_s, []),
    "pcl_engine_create": (_i, [_s, _out]),
    "pcl_engine_name": (_s, [_p]),
    "pcl_engine_last_error": (_s, [_p]),
    "pcl_engine_destroy": (None, [_p]),
    "pcl_model_create": (_i, [_p, _s, _s, ctypes.c_uint64, _out]),
    "pcl_model_input_size": (_i, [_p]),
    "pcl_model_output_size": (_i, [_p]),
    "pcl_model_config_name": (_s, [_p]),
    "pcl_model_family": (_s, [_p]),
    "pcl_model_flops": (ctypes.c_double, [_p, _i]),
    "pcl_model_last_error": (_s, [_p]),
    "pcl_model_destroy": (None, [_p]),
    "pcl_source_create_rgb8": (_i, [_p, _u8, _i, _i, _out]),
    "pcl_source_create_planar": (_i, [_p, _f32, _i, _i, _out]),
    "pcl_source_load": (_i, [_p, _s, _out]),
    "pcl_source_save": (_i, [_p, _s]),
    "pcl_source_last_error": (_s, [_p]),
    "pcl_source_destroy": (None, [_p]),
    "pcl_session_create": (_i, [_p, _p, _i, _out]),
    "pcl_session_set_source": (_i, [_p, _p]),
    "pcl_session_render_rgb8": (_i, [_p, _u8, _i, _i, _u8]),
    "pcl_session_render_planar": (_i, [_p, _f32, _i, _i, _f32]),
    "pcl_session_render_pose": (_i, [_p, ctypes.POINTER(Pose), _f32]),
    "pcl_session_restart_clip": (_i, [_p]),
    "pcl_session_last_error": (_s, [_p]),
    "pcl_session_destroy": (None, [_p]),
    "pcl_find_faces": (_i, [_p, _u8, _i, _i, ctypes.POINTER(Face), _i, ctypes.POINTER(_i)]),
    "pcl_face_crop": (_i, [_p, ctypes.POINTER(Face), _i, _i, ctypes.POINTER(_i), ctypes.POINTER(_i), ctypes.POINTER(_i)]),
    "pcl_crop_rgb8": (_i, [_p, _u8, _i, _i, _i, _i, _i, _u8]),
    "pcl_compare_devices": (_i, [_s, _s, _s, ctypes.c_uint64, _f32, _f32, _i,
                                 ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_double)]),
}

for _name, (_restype, _argtypes) in _signatures.items():
    _function = getattr(lib, _name)
    _function.restype = _restype
    _function.argtypes = _argtypes
