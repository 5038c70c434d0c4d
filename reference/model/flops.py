"""Analytic FLOP counting (2 x multiply-accumulates) of convs and linears via forward hooks."""
import contextlib

import torch.nn as nn


def module_flops(m, out):
    if isinstance(m, (nn.Conv2d, nn.Conv3d)):
        return 2 * m.weight[0].numel() * out.numel()  # (Cin/groups * k^d) MACs per output element
    if isinstance(m, nn.Linear):
        return 2 * m.in_features * out.numel()
    return 0


@contextlib.contextmanager
def count_flops(net):
    """with count_flops(net) as total: ...; total[0] holds FLOPs of convs/linears run inside."""
    total = [0]
    hooks = [m.register_forward_hook(lambda m, i, o: total.__setitem__(0, total[0] + module_flops(m, o)))
             for m in net.modules() if isinstance(m, (nn.Conv2d, nn.Conv3d, nn.Linear))]
    try:
        yield total
    finally:
        for h in hooks:
            h.remove()
