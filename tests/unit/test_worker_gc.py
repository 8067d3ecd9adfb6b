"""The worker's garbage-collection tuning keeps the older generations' thresholds."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from streams.worker import GC_YOUNG_THRESHOLD, tune_gc


@pytest.fixture
def restored_thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def test_the_young_generation_is_collected_less_often_and_the_others_as_before(
    restored_thresholds: tuple[int, int, int],
) -> None:
    _young, middle, old = restored_thresholds
    gc.set_threshold(700, middle, old)
    tune_gc()
    assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, middle, old)
    assert GC_YOUNG_THRESHOLD > 700
