#!/usr/bin/env python3
"""Makes the golden op fixtures in Tests/Fixtures/ops from PyTorch.

Each fixture is a small safetensors file: the op's input tensors under their
torch.nn.functional argument names, the result as "output", and metadata
{"op": NAME, <param>: <value as text>} exactly as `portrait op` takes them.
Each op family lives in reference/op_fixtures/<family>.py and exposes
`cases()` yielding (file_stem, op_name, tensors_dict, params_dict, output).

Usage: python3 reference/make_op_fixtures.py [--out Tests/Fixtures/ops] [--only FAMILY]
"""
import argparse
import importlib
import os
import pkgutil
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import op_fixtures  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="Tests/Fixtures/ops")
    parser.add_argument("--only", help="regenerate one family (module name in reference/op_fixtures)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    families = [m.name for m in pkgutil.iter_modules(op_fixtures.__path__)]
    total = 0
    for family in sorted(families):
        if args.only and family != args.only:
            continue
        module = importlib.import_module(f"op_fixtures.{family}")
        for stem, op, tensors, params, output in module.cases():
            data = {k: v.detach().float().contiguous() for k, v in tensors.items()}
            data["output"] = output.detach().float().contiguous()
            metadata = {"op": op, **{k: str(v) for k, v in params.items()}}
            path = os.path.join(args.out, f"{family}-{stem}.safetensors")
            save_file(data, path, metadata=metadata)
            total += os.path.getsize(path)
            print(f"{path}: {op} {params} -> {tuple(output.shape)}")
    print(f"total {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
