"""agents/mypyc_build.py: each compiled package's build is used only for the sources it was made from."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from agents.matching import native as matching_native
from agents.patterns import native as patterns_native

BUILDS = pytest.mark.parametrize("native", [matching_native, patterns_native], ids=["matching", "patterns"])


@BUILDS
def test_a_build_is_used_only_for_the_sources_it_was_made_from(native: ModuleType, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BW_PURE_PYTHON", raising=False)
    monkeypatch.setattr(native, "NATIVE_ROOT", tmp_path)
    assert not native.current()  # no build at all
    (tmp_path / native.STAMP).write_text(native.digest() + "\n")
    assert native.current()
    (tmp_path / native.STAMP).write_text("0" * 64 + "\n")  # made from other sources
    assert not native.current()


@BUILDS
def test_pure_python_on_request(native: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "NATIVE_ROOT", tmp_path)
    (tmp_path / native.STAMP).write_text(native.digest() + "\n")
    monkeypatch.setenv("BW_PURE_PYTHON", "1")
    assert not native.current()
