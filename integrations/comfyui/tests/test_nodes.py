"""The node pack loads as ComfyUI loads it and renders a graph: model → source → frames, pose."""

from pathlib import Path

import numpy as np
import pytest

from comfy_stub import load_custom_node, run

PACK = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def nodes():
    return load_custom_node(PACK)


def picture(height, width, seed):
    y, x = np.mgrid[0:height, 0:width]
    return np.stack([((x * 5 + y * 3 + c * 70 + seed * 29) % 256) / 255.0 for c in range(3)], axis=-1).astype(np.float32)


def test_pack_registers_four_nodes(nodes):
    assert set(nodes) == {"PortraitCLLoadModel", "PortraitCLMakeSource", "PortraitCLRender", "PortraitCLPose"}


def test_graph_renders_frames_and_poses(nodes):
    (model,) = run(nodes["PortraitCLLoadModel"], config="tiny", weights="", device="cpu", seed=5)
    size = model.output_size
    (source,) = run(nodes["PortraitCLMakeSource"], model=model, image=picture(40, 52, 1)[None], framing="center")
    driving = np.stack([picture(44, 44, 2), picture(44, 44, 3)])
    (frames,) = run(nodes["PortraitCLRender"], source=source, driving=driving, framing="center")
    frames = np.asarray(frames)
    assert frames.shape == (2, size, size, 3) and frames.dtype == np.float32
    assert 0 <= frames.min() and frames.max() <= 1 and not np.array_equal(frames[0], frames[1])
    (posed,) = run(nodes["PortraitCLPose"], source=source, yaw=15.0, pitch=0.0, roll=0.0)
    (level,) = run(nodes["PortraitCLPose"], source=source, yaw=0.0, pitch=0.0, roll=0.0)
    assert np.asarray(posed).shape == (1, size, size, 3)
    assert not np.array_equal(np.asarray(posed), np.asarray(level))


def test_face_framing_without_a_face_says_so(nodes):
    (model,) = run(nodes["PortraitCLLoadModel"], config="tiny", weights="", device="cpu", seed=5)
    flat = np.full((1, 64, 64, 3), 0.5, np.float32)
    with pytest.raises(ValueError, match="face 0 asked for, but 0 found"):
        run(nodes["PortraitCLMakeSource"], model=model, image=flat, framing="face")
