"""Golden fixtures for F.interpolate: nearest (2-D, integer factors), bilinear (2-D to a size,
align_corners=False, no antialias) and trilinear (3-D, integer factors, align_corners=False)."""
import torch.nn.functional as F

from op_fixtures import seeded


def cases():
    x = seeded(60, 2, 3, 7, 13, lo=-2, hi=2)
    yield "nearest-x2", "interpolate", {"input": x}, {"mode": "nearest", "scale_factor": 2}, \
        F.interpolate(x, scale_factor=2, mode="nearest")
    y = seeded(61, 1, 3, 5, 6, lo=-2, hi=2)
    yield "nearest-x3", "interpolate", {"input": y}, {"mode": "nearest", "scale_factor": 3}, \
        F.interpolate(y, scale_factor=3, mode="nearest")
    yield "bilinear-5x20", "interpolate", {"input": x}, {"mode": "bilinear", "size": "5,20", "align_corners": "false"}, \
        F.interpolate(x, size=(5, 20), mode="bilinear", align_corners=False)
    z = seeded(62, 1, 3, 6, 9, lo=-2, hi=2)
    yield "bilinear-11x29", "interpolate", {"input": z}, {"mode": "bilinear", "size": "11,29"}, \
        F.interpolate(z, size=(11, 29), mode="bilinear", align_corners=False)
    big = seeded(63, 1, 3, 64, 64, lo=-2, hi=2)
    yield "bilinear-half", "interpolate", {"input": big}, {"mode": "bilinear", "size": "32,32"}, \
        F.interpolate(big, size=(32, 32), mode="bilinear", align_corners=False, antialias=False)
    v = seeded(64, 1, 3, 5, 7, 13, lo=-2, hi=2)
    yield "trilinear-x2", "interpolate", {"input": v}, {"mode": "trilinear", "scale_factor": 2}, \
        F.interpolate(v, scale_factor=2, mode="trilinear", align_corners=False)
    w = seeded(65, 2, 3, 5, 7, 13, lo=-2, hi=2)
    yield "trilinear-122", "interpolate", {"input": w}, {"mode": "trilinear", "scale_factor": "1,2,2"}, \
        F.interpolate(w, scale_factor=(1, 2, 2), mode="trilinear", align_corners=False)
    e = seeded(66, 2, 3, 1, 6, 1, lo=-2, hi=2)
    yield "trilinear-edges", "interpolate", {"input": e}, {"mode": "trilinear", "size": "2,12,2"}, \
        F.interpolate(e, size=(2, 12, 2), mode="trilinear", align_corners=False)
    # Nearest to an arbitrary size (BiSeNet's context path on sizes that do not halve evenly).
    yield "nearest-size-11x5", "interpolate", {"input": x}, {"mode": "nearest", "size": "11,5"}, \
        F.interpolate(x, size=(11, 5), mode="nearest")
    one = seeded(67, 2, 5, 1, 1, lo=-2, hi=2)
    yield "nearest-size-broadcast", "interpolate", {"input": one}, {"mode": "nearest", "size": "4,6"}, \
        F.interpolate(one, size=(4, 6), mode="nearest")
    # Bilinear with align_corners=True (BiSeNet upsamples its logits this way).
    yield "bilinear-aligned-5x20", "interpolate", {"input": x}, {"mode": "bilinear", "size": "5,20", "align_corners": "true"}, \
        F.interpolate(x, size=(5, 20), mode="bilinear", align_corners=True)
    yield "bilinear-aligned-1x29", "interpolate", {"input": z}, {"mode": "bilinear", "size": "1,29", "align_corners": "true"}, \
        F.interpolate(z, size=(1, 29), mode="bilinear", align_corners=True)
    logits = seeded(68, 1, 19, 8, 8, lo=-4, hi=4)
    yield "bilinear-aligned-8to36", "interpolate", {"input": logits}, {"mode": "bilinear", "size": "36,36", "align_corners": "true"}, \
        F.interpolate(logits, size=(36, 36), mode="bilinear", align_corners=True)
