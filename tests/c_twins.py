"""For tests of the matcher's C modules (agents/matching/native.py C_SOURCES): each has a Python twin
of the same name, loaded in its place when the build is not current. These load the twin itself and
parametrize a test over both."""

from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import Any

import pytest

from agents.matching import native


def python_twin(loaded: ModuleType) -> ModuleType:
    """The .py source of `loaded`, even where the C build is loaded in its place."""
    path = native.source_path(loaded.__name__)
    spec = importlib.util.spec_from_file_location(f"bw_source_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def implementations(loaded: ModuleType, source: ModuleType) -> list[Any]:
    """pytest params: the Python twin, and the C build when it is the one loaded."""
    params = [pytest.param(source, id="python")]
    if native.is_compiled(loaded.__name__):
        params.append(pytest.param(loaded, id="c"))
    return params


def require_c(loaded: ModuleType) -> None:
    if not native.is_compiled(loaded.__name__):
        pytest.skip("no current native build (scripts/setup makes one)")
