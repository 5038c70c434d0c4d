"""The face finder (YuNet on the engine) and the crop helpers that frame a face as the model's
official inference does."""

import ctypes
from collections import namedtuple

import numpy as np

from . import images
from ._library import Face as _CFace, lib
from .errors import check

Face = namedtuple("Face", "x y width height score landmarks")
Face.__doc__ = "A face: its box in pixels, score in [0, 1] and five (x, y) landmarks (eyes, nose, mouth corners)."


def find_faces(image, engine, limit=64):
    """The faces in a uint8 H×W×3 picture (any size), largest first. `engine`: an `Engine`
    (or a `Model`/`Session`, whose engine is used)."""
    engine = _engine_of(engine)
    picture = np.asarray(image)
    images.check_picture(picture, "picture")
    if picture.dtype != np.uint8:
        raise ValueError("find_faces takes a uint8 picture (0..255); convert float pictures with (p * 255).round().astype(np.uint8)")
    data, pointer = images.rgb8(picture)
    found = (_CFace * limit)()
    count = ctypes.c_int()
    status = lib.pcl_find_faces(engine._handle, pointer, picture.shape[1], picture.shape[0], found, limit, ctypes.byref(count))
    check(status, lib.pcl_engine_last_error(engine._handle))
    return [Face(f.x, f.y, f.width, f.height, f.score, [(f.landmarks[2 * i], f.landmarks[2 * i + 1]) for i in range(5)])
            for f in found[:min(count.value, limit)]]


def face_crop(model, face, width, height):
    """The square (x, y, size) around `face` (found in a width×height picture) that the model's
    official inference crops; it may reach beyond the picture."""
    model = _model_of(model)
    c_face = _CFace(face.x, face.y, face.width, face.height, face.score,
                    (ctypes.c_float * 10)(*[v for point in face.landmarks for v in point]))
    x, y, size = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
    model._check(lib.pcl_face_crop(model._handle, ctypes.byref(c_face), width, height, ctypes.byref(x), ctypes.byref(y), ctypes.byref(size)))
    return x.value, y.value, size.value


def crop(model, image, region):
    """The square `region` (x, y, size) of a uint8 picture, black beyond its edges, resized to the
    model's input size with its official resampling: uint8 S×S×3."""
    model = _model_of(model)
    picture = np.asarray(image)
    images.check_picture(picture, "picture")
    data, pointer = images.rgb8(picture)
    out, out_pointer = images.empty_rgb8(model.input_size)
    x, y, size = region
    model._check(lib.pcl_crop_rgb8(model._handle, pointer, picture.shape[1], picture.shape[0], x, y, size, out_pointer))
    return out


def crop_face(model, image, face=0):
    """The model's crop of the `face`-th largest face in a uint8 picture (uint8 S×S×3) and its
    region; raises ValueError when there is no such face."""
    model = _model_of(model)
    found = find_faces(image, model.engine)
    if face >= len(found):
        raise ValueError("face %d asked for, but %d found" % (face, len(found)))
    picture = np.asarray(image)
    region = face_crop(model, found[face], picture.shape[1], picture.shape[0])
    return crop(model, picture, region), region


def _engine_of(value):
    from .session import Engine, Model, Session
    if isinstance(value, Session):
        return value.model.engine
    if isinstance(value, Model):
        return value.engine
    if isinstance(value, Engine):
        return value
    raise TypeError("expected an Engine, Model or Session, got %r" % type(value).__name__)


def _model_of(value):
    from .session import Model, Session
    if isinstance(value, Session):
        return value.model
    if isinstance(value, Model):
        return value
    raise TypeError("expected a Model or Session, got %r" % type(value).__name__)
