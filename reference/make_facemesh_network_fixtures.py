#!/usr/bin/env python3
"""Network-level reference for the three converted MediaPipe networks (Tests/FaceMeshTests).

Runs each original .tflite (float32 iris, float16 BlazeFace/FaceMesh weights as TFLite dequantises
them) with the LiteRT interpreter (`ai-edge-litert`, outside the project) on an analytic input that
the Swift test recomputes, value(c, y, x) = 0.5 + 0.45·sin(0.05·(c + 1)·x + 0.07·y + 0.9·c)
(BlazeFace takes 2·value − 1), and writes every output, flat in TFLite's order, to
Tests/Fixtures/facemesh/networks.safetensors ("<network>.<output name>").

    /tmp/mp/bin/pip install ai-edge-litert
    /tmp/mp/bin/python reference/make_facemesh_network_fixtures.py [--src ../shared/data/mediapipe]
"""
import argparse
import os
import sys

import numpy as np
from ai_edge_litert.interpreter import Interpreter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from convert_mediapipe import write_safetensors  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NETWORKS = [("blazeface", "face_detection_short_range.tflite", True), ("facemesh", "face_landmark.tflite", False),
            ("iris", "iris_landmark.tflite", False)]


def analytic(side, signed):
    c, y, x = np.meshgrid(np.arange(3), np.arange(side), np.arange(side), indexing="ij")
    v = 0.5 + 0.45 * np.sin(0.05 * (c + 1) * x + 0.07 * y + 0.9 * c)
    v = v.astype(np.float32)
    return (2 * v - 1) if signed else v


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--src", default=os.path.join(ROOT, "..", "shared", "data", "mediapipe"))
    args = parser.parse_args()
    tensors = {}
    for label, file, signed in NETWORKS:
        interpreter = Interpreter(model_path=os.path.join(args.src, file))
        interpreter.allocate_tensors()
        detail = interpreter.get_input_details()[0]
        side = detail["shape"][1]
        interpreter.set_tensor(detail["index"], analytic(side, signed).transpose(1, 2, 0)[None].copy())
        interpreter.invoke()
        for out in interpreter.get_output_details():
            tensors[f"{label}.{out['name']}"] = interpreter.get_tensor(out["index"]).astype(np.float32).reshape(-1)
    path = os.path.join(ROOT, "Tests", "Fixtures", "facemesh", "networks.safetensors")
    write_safetensors(path, tensors, {"input": "0.5 + 0.45 sin(0.05 (c+1) x + 0.07 y + 0.9 c), BlazeFace 2v-1"})
    for k, v in sorted(tensors.items()):
        print(k, v.shape, float(np.abs(v).max()))
    print(f"{path}: {os.path.getsize(path) / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
