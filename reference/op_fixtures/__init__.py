"""One module per op family; each defines cases() for make_op_fixtures.py."""


def seeded(seed, *shape, lo=-1.0, hi=1.0):
    """Uniform random tensor in [lo, hi) from its own generator (reproducible per case)."""
    import torch
    g = torch.Generator().manual_seed(seed)
    return torch.rand(*shape, generator=g) * (hi - lo) + lo
