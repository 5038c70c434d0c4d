"""The package from this checkout and the library from its build."""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "python"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("PORTRAITCL_LIBRARY", str(REPO / ".build" / os.environ.get("CONFIG", "release") / "libportraitcl.so"))
