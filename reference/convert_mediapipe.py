#!/usr/bin/env python3
"""Converts MediaPipe's face TFLite models into safetensors the engine runs (Sources/FaceMesh).

Reads the TFLite FlatBuffer itself (tensorflow/lite/schema/schema.fbs: Model -> SubGraph ->
Tensor/Operator/Buffer; no tflite or flatbuffers package), and writes for each model one
safetensors file holding
  - every weight in the engine's layout: conv OHWI -> OIHW, depthwise [1, kh, kw, C] -> [C, 1, kh, kw],
    PReLU alpha [1, 1, C] -> [C], biases [C]; float16 weights stay float16 (they are transposed, never
    rounded: the engine's loader widens them exactly); float32 weights (the iris network's) are
    rounded to float16 (relative error ≤ 2⁻¹¹; ≤ 0.01 input pixel on its outputs), which keeps the
    three files at 2.8 MB instead of 4.1 MB;
  - the layer table as the metadata entry "graph" (JSON): the operators in TFLite's execution order,
    each {"op", "inputs", "output", "shape" (NCHW, or the flat shape of a reshape), "weight"/"bias"/
    "alpha", "stride", "padding" [top, bottom, left, right] (TFLite's SAME resolved: the extra row
    and column go after, as TFLite pads), "kernel", "pads" [c_before, c_after, top, bottom, left,
    right], "axis", "activation"}, the graph's "inputs" and "outputs" (value ids and TFLite names).

Usage: python3 reference/convert_mediapipe.py [--src ../shared/data/mediapipe] [--out Sources/FaceMeshWeights]
       python3 reference/convert_mediapipe.py --table MODEL.tflite   (prints the layer table)
"""
import argparse
import json
import os
import struct

import numpy as np

MODELS = {
    "face_detection_short_range.tflite": "blazeface-short-range.safetensors",
    "face_landmark.tflite": "facemesh.safetensors",
    "iris_landmark.tflite": "iris.safetensors",
}

# BuiltinOperator codes (schema.fbs) of the operators these models use.
OPS = {0: "ADD", 2: "CONCATENATION", 3: "CONV_2D", 4: "DEPTHWISE_CONV_2D", 6: "DEQUANTIZE",
       17: "MAX_POOL_2D", 19: "RELU", 22: "RESHAPE", 34: "PAD", 54: "PRELU"}
# TensorType codes.
DTYPES = {0: np.float32, 1: np.float16, 2: np.int32}


class FlatBuffer:
    """Just enough of the FlatBuffers wire format: tables, vectors, scalars, strings."""

    def __init__(self, data):
        self.b = data

    def u32(self, p):
        return struct.unpack_from("<I", self.b, p)[0]

    def root(self):
        return self.table(self.u32(0))

    def table(self, p):
        vtable = p - struct.unpack_from("<i", self.b, p)[0]
        count = (struct.unpack_from("<H", self.b, vtable)[0] - 4) // 2
        return p, vtable, count

    def field(self, t, i):
        p, vtable, count = t
        if i >= count:
            return None
        off = struct.unpack_from("<H", self.b, vtable + 4 + 2 * i)[0]
        return None if off == 0 else p + off

    def scalar(self, t, i, fmt, default=0):
        f = self.field(t, i)
        return default if f is None else struct.unpack_from("<" + fmt, self.b, f)[0]

    def sub(self, t, i):
        f = self.field(t, i)
        return None if f is None else self.table(f + self.u32(f))

    def vector(self, t, i):
        f = self.field(t, i)
        if f is None:
            return None, 0
        v = f + self.u32(f)
        return v + 4, self.u32(v)

    def tables(self, t, i):
        p, n = self.vector(t, i)
        return [] if p is None else [self.table(p + 4 * k + self.u32(p + 4 * k)) for k in range(n)]

    def ints(self, t, i):
        p, n = self.vector(t, i)
        return [] if p is None else list(struct.unpack_from("<%di" % n, self.b, p))

    def raw(self, t, i):
        p, n = self.vector(t, i)
        return b"" if p is None else bytes(self.b[p:p + n])

    def string(self, t, i):
        p, n = self.vector(t, i)
        return None if p is None else bytes(self.b[p:p + n]).decode()


def same_padding(size, kernel, stride):
    """TFLite's SAME padding of one axis: (before, after), the odd pixel after."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def read_model(path):
    """The weights (name -> array in engine layout) and the layer table of one .tflite file."""
    fb = FlatBuffer(open(path, "rb").read())
    model = fb.root()
    codes = [max(fb.scalar(c, 0, "b"), fb.scalar(c, 3, "i")) for c in fb.tables(model, 1)]
    buffers = fb.tables(model, 4)
    graph = fb.tables(model, 2)
    if len(graph) != 1:
        raise SystemExit(f"{path}: expected one subgraph, found {len(graph)}")
    graph = graph[0]
    tensors = fb.tables(graph, 0)

    def shape(i):
        return fb.ints(tensors[i], 0)

    def name(i):
        return fb.string(tensors[i], 3)

    def constant(i):
        t = tensors[i]
        dtype = DTYPES.get(fb.scalar(t, 1, "b"))
        data = fb.raw(buffers[fb.scalar(t, 2, "I")], 0)
        if dtype is None or not data:
            return None
        return np.frombuffer(data, dtype=dtype).reshape(shape(i))

    dequantized = {}   # float32 tensor id -> its stored float16 array
    weights, layers = {}, []

    def weight(i, layout, key):
        array = dequantized.get(i)
        if array is None:
            array = constant(i)
        if array is None:
            raise SystemExit(f"{path}: tensor {name(i)} is not a constant")
        out = np.ascontiguousarray(layout(array))
        if out.dtype == np.float32:
            out = out.astype(np.float16)
        weights[key] = out
        return key

    def nchw(s):
        return [s[0], s[3], s[1], s[2]] if len(s) == 4 else list(s)

    for index, op in enumerate(fb.tables(graph, 3)):
        kind = OPS.get(codes[fb.scalar(op, 0, "I")])
        ins, outs = fb.ints(op, 1), fb.ints(op, 2)
        options = fb.sub(op, 4)
        if kind is None:
            raise SystemExit(f"{path}: operator {codes[fb.scalar(op, 0, 'I')]} is not supported")
        if kind == "DEQUANTIZE":
            dequantized[outs[0]] = constant(ins[0])
            continue
        layer = {"op": kind.lower(), "inputs": [ins[0]], "output": outs[0], "shape": nchw(shape(outs[0]))}
        base = f"l{index:03d}"
        if kind in ("CONV_2D", "DEPTHWISE_CONV_2D"):
            depthwise = kind == "DEPTHWISE_CONV_2D"
            same = fb.scalar(options, 0, "b") == 0
            sw, sh = fb.scalar(options, 1, "i"), fb.scalar(options, 2, "i")
            if depthwise and fb.scalar(options, 3, "i") != 1:
                raise SystemExit(f"{path}: depth multiplier != 1 is not supported")
            act = fb.scalar(options, 4 if depthwise else 3, "b")
            dilation = (fb.scalar(options, 6 if depthwise else 5, "i", 1), fb.scalar(options, 5 if depthwise else 4, "i", 1))
            if dilation != (1, 1) or act not in (0, 1):
                raise SystemExit(f"{path}: {kind} with dilation {dilation} / activation {act} is not supported")
            k = shape(ins[1])
            kh, kw = k[1], k[2]
            h, w = shape(ins[0])[1:3]
            pads = same_padding(h, kh, sh) + same_padding(w, kw, sw) if same else (0, 0, 0, 0)
            layout = (lambda a: a[0].transpose(2, 0, 1)[:, None]) if depthwise else (lambda a: a.transpose(0, 3, 1, 2))
            layer.update(op="depthwise_conv2d" if depthwise else "conv2d", stride=[sh, sw], padding=list(pads),
                         weight=weight(ins[1], layout, base + ".weight"), activation="relu" if act == 1 else "none")
            if len(ins) > 2 and ins[2] >= 0:
                layer["bias"] = weight(ins[2], lambda a: a, base + ".bias")
        elif kind == "MAX_POOL_2D":
            same = fb.scalar(options, 0, "b") == 0
            sw, sh = fb.scalar(options, 1, "i"), fb.scalar(options, 2, "i")
            fw, fh = fb.scalar(options, 3, "i"), fb.scalar(options, 4, "i")
            h, w = shape(ins[0])[1:3]
            pads = same_padding(h, fh, sh) + same_padding(w, fw, sw) if same else (0, 0, 0, 0)
            if any(pads):
                raise SystemExit(f"{path}: max pool with padding {pads} is not supported")
            layer.update(op="max_pool2d", kernel=[fh, fw], stride=[sh, sw])
        elif kind == "PAD":
            p = constant(ins[1])          # NHWC [[0, 0], [top, bottom], [left, right], [c0, c1]]
            if p is None or p[0].any():
                raise SystemExit(f"{path}: PAD needs constant paddings and none on the batch")
            layer["pads"] = [int(p[3][0]), int(p[3][1]), int(p[1][0]), int(p[1][1]), int(p[2][0]), int(p[2][1])]
        elif kind == "PRELU":
            layer["alpha"] = weight(ins[1], lambda a: a.reshape(-1), base + ".alpha")
        elif kind == "ADD":
            layer["inputs"] = [ins[0], ins[1]]
            if fb.scalar(options, 0, "b") not in (0,):
                raise SystemExit(f"{path}: ADD with a fused activation is not supported")
        elif kind == "CONCATENATION":
            layer["inputs"] = list(ins)
            layer["axis"] = fb.scalar(options, 0, "i")
            layer["shape"] = shape(outs[0])
        elif kind == "RESHAPE":
            layer["shape"] = shape(outs[0])   # flat, NHWC order
        layers.append(layer)

    ins, outs = fb.ints(graph, 1), fb.ints(graph, 2)
    table = {
        "source": os.path.basename(path),
        "inputs": [{"id": i, "name": name(i), "shape": nchw(shape(i))} for i in ins],
        "outputs": [{"id": i, "name": name(i), "shape": shape(i)} for i in outs],
        "layers": layers,
    }
    return weights, table


def write_safetensors(path, tensors, metadata):
    """Writes a safetensors file (F16/F32 tensors in name order, 8-byte aligned header)."""
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for key in sorted(tensors):
        a = tensors[key]
        dtype = {np.dtype(np.float16): "F16", np.dtype(np.float32): "F32"}[a.dtype]
        data = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[key] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--src", default=os.path.join(root, "..", "shared", "data", "mediapipe"))
    parser.add_argument("--out", default=os.path.join(root, "Sources", "FaceMeshWeights"))
    parser.add_argument("--table", help="print the layer table of one .tflite file and stop")
    args = parser.parse_args()
    if args.table:
        _, table = read_model(args.table)
        for layer in table["layers"]:
            print(json.dumps(layer))
        return
    for source, target in MODELS.items():
        weights, table = read_model(os.path.join(args.src, source))
        path = os.path.join(args.out, target)
        write_safetensors(path, weights, {"graph": json.dumps(table, separators=(",", ":"))})
        dtypes = sorted({str(a.dtype) for a in weights.values()})
        print(f"{path}: {len(table['layers'])} layers, {len(weights)} tensors ({', '.join(dtypes)}), "
              f"{os.path.getsize(path) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
