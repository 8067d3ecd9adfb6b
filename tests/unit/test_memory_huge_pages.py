"""Backing the process's memory with huge pages once the watchlist is built (streams/memory.py)."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest

from streams import memory

THP = Path("/sys/kernel/mm/transparent_hugepage/enabled")


@pytest.mark.skipif(not THP.exists() or "[never]" in THP.read_text(), reason="no transparent huge pages here")
def test_what_is_mapped_is_backed_by_huge_pages() -> None:
    block = bytearray(64 * 2**20)  # touched: mapped, in 4 KiB pages until asked
    block[:: 4096] = b"\x01" * (len(block) // 4096)
    assert memory.back_with_huge_pages() >= 2
    assert memory.huge_pages_mib() >= 2
    assert block.count(1) == len(block) // 4096  # the contents are the same


def test_nothing_is_asked_where_the_system_cannot_say_what_is_mapped(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("no /proc here")

    monkeypatch.setattr(builtins, "open", unreadable)
    assert memory.back_with_huge_pages() == 0
    assert memory.huge_pages_mib() == 0
