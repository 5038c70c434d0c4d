"""Golden fixtures for prelu and pad (constant zero), the ops MediaPipe's TFLite networks add."""
import torch.nn.functional as F

from op_fixtures import seeded


def cases():
    x = seeded(41, 2, 3, 7, 13, lo=-2, hi=2)
    w = seeded(42, 3, lo=-1, hi=1)
    yield "prelu", "prelu", {"input": x, "weight": w}, {}, F.prelu(x, w)
    y = seeded(43, 3, 5, 7, lo=-2, hi=2)
    yield "pad", "pad", {"input": y}, {"pad": "1,2,1,2,0,3"}, F.pad(y, (1, 2, 1, 2, 0, 3))
    z = seeded(44, 2, 3, 7, 13, lo=-2, hi=2)
    yield "pad_same_stride2", "pad", {"input": z}, {"pad": "0,1,0,1"}, F.pad(z, (0, 1, 0, 1))
