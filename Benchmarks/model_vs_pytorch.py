#!/usr/bin/env python3
"""The whole network, PortraitCL against the PyTorch reference only: Benchmarks/model_vs_peers.py
with `--peers pytorch --no-cpu` as defaults (every option of model_vs_peers.py is accepted; see
there). Kept for the commands in docs/performance.md's older tables.

Usage: python3 Benchmarks/model_vs_pytorch.py [--config megaportraits-512] [--device opencl] [--frames 3]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_vs_peers import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["--no-cpu"] + sys.argv[1:], default_peers="pytorch"))
