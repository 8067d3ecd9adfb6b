"""The worker's garbage-collection tuning: young collections less often, full ones as rarely as before."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from streams.worker import GC_OLD_THRESHOLD, GC_YOUNG_THRESHOLD, tune_gc


@pytest.fixture
def restored_thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def test_young_collections_are_rarer_and_full_ones_as_rare_as_at_the_old_young_threshold(
    restored_thresholds: tuple[int, int, int],
) -> None:
    _young, middle, _old = restored_thresholds
    gc.set_threshold(700, middle, 10)
    tune_gc()
    assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, middle, GC_OLD_THRESHOLD)
    assert GC_YOUNG_THRESHOLD > 700
    # allocations between two full collections: what 50,000 with the default of 10 gave
    assert GC_YOUNG_THRESHOLD * middle * GC_OLD_THRESHOLD >= 50_000 * middle * 10
