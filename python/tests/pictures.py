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


def read_png(path):
    """An 8-bit RGB, non-interlaced PNG (what the CLI writes) as uint8 H×W×3, every row filter undone."""
    with open(path, "rb") as file:
        data = file.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat, width = 8, b"", None
    while position < len(data):
        length = struct.unpack(">I", data[position:position + 4])[0]
        kind, body = data[position + 4:position + 8], data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert (depth, colour, interlace) == (8, 2, 0), "only 8-bit RGB non-interlaced PNGs are read here"
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    raw, stride = zlib.decompress(idat), width * 3
    rows, previous = [], np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=y * (stride + 1) + 1).astype(np.int32)
        out = np.zeros(stride, dtype=np.int32)
        for x in range(stride):
            left = out[x - 3] if x >= 3 else 0
            up, corner = previous[x], (previous[x - 3] if x >= 3 else 0)
            if kind == 0:
                guess = 0
            elif kind == 1:
                guess = left
            elif kind == 2:
                guess = up
            elif kind == 3:
                guess = (left + up) // 2
            else:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                guess = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
            out[x] = (line[x] + guess) & 0xFF
        rows.append(out)
        previous = out
    return np.stack(rows).reshape(height, width, 3).astype(np.uint8)
