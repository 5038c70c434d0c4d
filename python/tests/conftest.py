"""Test setup: the package from this checkout, the library and the CLI from its build."""

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))
BUILD = REPO / ".build" / os.environ.get("CONFIG", "release")
os.environ.setdefault("PORTRAITCL_LIBRARY", str(BUILD / "libportraitcl.so"))


@pytest.fixture(scope="session")
def cli():
    """The `portrait` executable of this checkout's build."""
    path = BUILD / "portrait"
    if not path.is_file():
        pytest.fail("%s is missing: run `make build` first" % path)
    return path
