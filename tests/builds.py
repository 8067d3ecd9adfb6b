"""Tests of the mypyc builds: run the same code in a fresh interpreter with the compiled build and with
pure Python (`BW_PURE_PYTHON=1`), and read what it printed as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def printed_json(code: str, *args: str, pure: bool) -> dict[str, object]:
    """Run `code` (with `args`) from the repository root; the build is used unless `pure`."""
    env = {k: v for k, v in os.environ.items() if k != "BW_PURE_PYTHON"}
    if pure:
        env["BW_PURE_PYTHON"] = "1"
    env["PYTHONHASHSEED"] = "0"
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result
