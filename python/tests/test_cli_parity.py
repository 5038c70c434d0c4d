"""The Python package (and the C test program) render the CLI's frames bit for bit."""

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

import portraitcl
from pictures import pattern, read_png, read_safetensors, write_png

REPO = Path(__file__).resolve().parents[2]
CONFIGS = ["tiny", "liveportrait-tiny"]
SEED = 7


def run_cli(cli, *arguments):
    result = subprocess.run([str(cli), *arguments], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def sessions():
    return {config: portraitcl.Session(config=config, seed=SEED, device="cpu", still_driver=True, watermark=False)
            for config in CONFIGS}


@pytest.mark.parametrize("config", CONFIGS)
def test_driven_frame_matches_cli(cli, sessions, config, tmp_path):
    session = sessions[config]
    size = session.input_size
    source, driver = pattern(size, 1), pattern(size, 2)
    write_png(tmp_path / "source.png", source)
    write_png(tmp_path / "driver.png", driver)
    out = tmp_path / "frame.safetensors"
    run_cli(cli, "render", "--source", str(tmp_path / "source.png"), "--driver", str(tmp_path / "driver.png"),
            "--config", config, "--random-weights", str(SEED), "--crop", "none", "--no-watermark",
            "--device", "cpu", "-o", str(out))
    expected = read_safetensors(out, "image")[0].transpose(1, 2, 0)

    session.set_source(source)
    driven = session.render(driver.astype(np.float32) * np.float32(1 / 255))
    assert driven.dtype == np.float32 and driven.shape == expected.shape
    assert np.array_equal(driven, expected), "max |difference| %g" % np.abs(driven - expected).max()

    # The 8-bit path is the frame the CLI writes as a PNG, bit for bit (MegaPortraits rounds to the
    # nearest level; LivePortrait truncates, as its official pipeline does).
    session.restart_clip()
    driven8 = session.render(driver)
    assert driven8.dtype == np.uint8
    png = tmp_path / "frame.png"
    run_cli(cli, "render", "--source", str(tmp_path / "source.png"), "--driver", str(tmp_path / "driver.png"),
            "--config", config, "--random-weights", str(SEED), "--crop", "none", "--no-watermark",
            "--device", "cpu", "-o", str(png))
    assert np.array_equal(driven8, read_png(png)), "max |difference| %d levels" % np.abs(driven8.astype(int) - read_png(png)).max()


@pytest.mark.parametrize("config", CONFIGS)
def test_c_program_matches_cli(cli, config, tmp_path):
    program = REPO / ".build" / "test_portraitcl"
    if not program.is_file():
        pytest.skip("the C test program is built by `make ctest`")
    dump = tmp_path / "c.f32"
    env = dict(os.environ, LD_LIBRARY_PATH=str(Path(os.environ["PORTRAITCL_LIBRARY"]).parent))
    result = subprocess.run([str(program), "--config", config, "--device", "cpu", "--dump", str(dump)],
                            capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    session = portraitcl.Session(config=config, seed=SEED, device="cpu", still_driver=True, watermark=False)
    size = session.input_size
    write_png(tmp_path / "source.png", pattern(size, 1))
    write_png(tmp_path / "driver.png", pattern(size, 2))
    out = tmp_path / "frame.safetensors"
    run_cli(cli, "render", "--source", str(tmp_path / "source.png"), "--driver", str(tmp_path / "driver.png"),
            "--config", config, "--random-weights", str(SEED), "--crop", "none", "--no-watermark",
            "--device", "cpu", "-o", str(out))
    expected = read_safetensors(out, "image")[0]
    produced = np.fromfile(dump, dtype=np.float32).reshape(expected.shape)
    assert np.array_equal(produced, expected), "max |difference| %g" % np.abs(produced - expected).max()


@pytest.mark.parametrize("config", CONFIGS)
def test_pose_matches_cli(cli, sessions, config, tmp_path):
    session = sessions[config]
    size = session.input_size
    source = pattern(size, 1)
    write_png(tmp_path / "source.png", source)
    out = tmp_path / "pose.safetensors"
    run_cli(cli, "render", "--source", str(tmp_path / "source.png"), "--pose", "20,-5,3",
            "--config", config, "--random-weights", str(SEED), "--crop", "none", "--no-watermark",
            "--device", "cpu", "-o", str(out))
    expected = read_safetensors(out, "image")[0].transpose(1, 2, 0)
    pose_session = portraitcl.Session(model=session.model, watermark=False)   # a second face on the same weights
    pose_session.set_source(source)
    posed = pose_session.render_pose(yaw=20, pitch=-5, roll=3)
    assert np.array_equal(posed, expected), "max |difference| %g" % np.abs(posed - expected).max()


def test_watermarked_frame_matches_cli(cli, sessions, tmp_path, monkeypatch):
    """With the same render id, the library's default (watermarked) frame is the CLI's."""
    monkeypatch.setenv("PORTRAIT_RENDER_ID", "0badcafe")
    model = sessions["tiny"].model
    size = model.input_size
    source, driver = pattern(size, 1), pattern(size, 2)
    write_png(tmp_path / "source.png", source)
    write_png(tmp_path / "driver.png", driver)
    out = tmp_path / "marked.safetensors"
    run_cli(cli, "render", "--source", str(tmp_path / "source.png"), "--driver", str(tmp_path / "driver.png"),
            "--config", "tiny", "--random-weights", str(SEED), "--crop", "none", "--device", "cpu", "-o", str(out))
    expected = read_safetensors(out, "image")[0].transpose(1, 2, 0)
    marked = portraitcl.Session(model=model, still_driver=True)
    marked.set_source(source)
    frame = marked.render(driver.astype(np.float32) * np.float32(1 / 255))
    assert np.array_equal(frame, expected), "max |difference| %g" % np.abs(frame - expected).max()
    unmarked = portraitcl.Session(model=model, still_driver=True, watermark=False)
    unmarked.set_source(source)
    assert not np.array_equal(unmarked.render(driver.astype(np.float32) * np.float32(1 / 255)), frame)
