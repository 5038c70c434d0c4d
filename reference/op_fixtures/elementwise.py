"""Golden fixtures for relu, leaky_relu, sigmoid, tanh, add, mul."""
import torch.nn.functional as F

from op_fixtures import seeded


def cases():
    x = seeded(1, 2, 3, 7, 13, 5, lo=-4, hi=4)
    yield "relu", "relu", {"input": x}, {}, F.relu(x)
    yield "leaky_relu", "leaky_relu", {"input": x}, {"negative_slope": 0.2}, F.leaky_relu(x, 0.2)
    yield "sigmoid", "sigmoid", {"input": x}, {}, F.sigmoid(x)
    yield "tanh", "tanh", {"input": x}, {}, F.tanh(x)
    y = seeded(2, 2, 3, 7, 13, 5, lo=-2, hi=2)
    yield "add", "add", {"input": x, "other": y}, {"alpha": 0.5}, x.add(y, alpha=0.5)
    yield "mul", "mul", {"input": x}, {"other": 0.5}, x.mul(0.5)
