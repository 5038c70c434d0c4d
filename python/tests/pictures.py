"""Test pictures and the small file formats the tests read and write, without extra packages."""

import json
import struct
import zlib

import numpy as np


def pattern(size, seed):
    """The deterministic RGB pattern of tests/c/test_portraitcl.c (`pattern`), uint8 size×size×3."""
    y, x = np.mgrid[0:size, 0:size]
    channels = [(x * 7 + y * 13 + c * 50 + seed * 31 + (x * y) % 17) % 256 for c in range(3)]
    return np.stack(channels, axis=-1).astype(np.uint8)


def write_png(path, rgb):
    """Writes a uint8 H×W×3 picture as an 8-bit RGB PNG (no filtering)."""
    height, width = rgb.shape[:2]
    raw = b"".join(b"\x00" + rgb[row].tobytes() for row in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as file:
        file.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                   + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def read_safetensors(path, name):
    """The float32 tensor `name` of a safetensors file."""
    with open(path, "rb") as file:
        header_size = struct.unpack("<Q", file.read(8))[0]
        header = json.loads(file.read(header_size))
        data = file.read()
    entry = header[name]
    assert entry["dtype"] == "F32", entry
    start, end = entry["data_offsets"]
    return np.frombuffer(data[start:end], dtype="<f4").reshape(entry["shape"])
