"""The Python API itself: layouts, errors, sources, videos, faces and devices."""

import numpy as np
import pytest

import portraitcl
from pictures import pattern


@pytest.fixture(scope="module")
def session():
    return portraitcl.Session(config="tiny", seed=3, device="cpu")


def test_sizes_and_names(session):
    assert session.input_size > 0 and session.output_size > 0
    assert session.model.config_name == "tiny"
    assert session.model.family == "megaportraits"
    assert session.model.flops(per_frame=True) > 0
    assert portraitcl.Session(config="liveportrait-tiny", device="cpu").model.family == "liveportrait"


def test_render_before_source_is_a_state_error():
    fresh = portraitcl.Session(config="tiny", device="cpu")
    with pytest.raises(portraitcl.StateError, match="no source"):
        fresh.render(pattern(fresh.input_size, 2))


def test_wrong_size_is_refused_with_the_engine_message(session):
    size = session.input_size
    with pytest.raises(portraitcl.InvalidArgumentError, match="crop and resize"):
        session.set_source(pattern(size + 2, 1))
    with pytest.raises(portraitcl.InvalidArgumentError, match="H×W×3"):
        session.set_source(np.zeros((size, size), dtype=np.uint8))


def test_unknown_config_and_missing_weights_raise():
    with pytest.raises(portraitcl.PortraitError, match="no-such-preset"):
        portraitcl.Session(config="no-such-preset", device="cpu")
    with pytest.raises(portraitcl.PortraitError):
        portraitcl.Session(config="tiny", weights="/nonexistent/weights.safetensors", device="cpu")
    with pytest.raises(portraitcl.PortraitError):
        portraitcl.Engine("quantum")


def test_comfyui_batch_layout(session):
    size = session.input_size
    session.set_source(pattern(size, 1).astype(np.float32) / 255)
    batch = np.stack([pattern(size, 2), pattern(size, 4)]).astype(np.float32) / 255
    frames = session.render(batch)
    assert frames.shape == (2, session.output_size, session.output_size, 3) and frames.dtype == np.float32
    assert frames.min() >= 0 and frames.max() <= 1
    session.restart_clip()
    assert np.array_equal(session.render(batch[1]), frames[1])
    assert not np.array_equal(frames[0], frames[1])


def test_saved_source_renders_the_same(session, tmp_path):
    size = session.input_size
    # Each session draws its own watermark id; compare the unmarked frames.
    session = portraitcl.Session(model=session.model, watermark=False)
    session.set_source(pattern(size, 5))
    first = session.render(pattern(size, 6))
    session.save_source(tmp_path / "source.safetensors")
    other = portraitcl.Session(model=session.model, watermark=False)
    other.load_source(tmp_path / "source.safetensors")
    assert np.array_equal(other.render(pattern(size, 6)), first)


def test_render_video_reports_progress(session):
    size = session.input_size
    session.set_source(pattern(size, 1))
    calls = []
    frames = portraitcl.render_video(session, [pattern(size, 2), pattern(size, 3), pattern(size, 4)],
                                     progress=lambda done, total: calls.append((done, total)))
    assert frames.shape == (3, session.output_size, session.output_size, 3) and frames.dtype == np.uint8
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_devices_and_comparison(session):
    listed = portraitcl.devices()
    assert listed[0][0] == "cpu"
    size = session.input_size
    source, driver = pattern(size, 1) / 255.0, pattern(size, 2) / 255.0
    difference, psnr = portraitcl.compare_devices("cpu", "cpu", source, driver, config="tiny", seed=3)
    assert difference == 0 and psnr == float("inf")


def test_faces_and_crops(session):
    size = session.input_size
    assert portraitcl.find_faces(np.full((96, 128, 3), 128, np.uint8), session) == []
    face = portraitcl.Face(40.0, 30.0, 30.0, 40.0, 0.9, [(48, 45), (62, 45), (55, 52), (49, 60), (61, 60)])
    x, y, side = portraitcl.face_crop(session, face, 128, 96)
    assert side > 30 and x < 55 < x + side and y < 52 < y + side
    crop = portraitcl.crop(session, pattern(96, 1)[:, :, :], (x, y, side))
    assert crop.shape == (size, size, 3) and crop.dtype == np.uint8
    with pytest.raises(portraitcl.InvalidArgumentError, match="outside"):
        portraitcl.crop(session, pattern(96, 1), (500, 500, 10))
