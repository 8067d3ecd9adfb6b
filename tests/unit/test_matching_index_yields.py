"""A bulk build offers the GIL during its long loops (compiled code never gives it up on its own).

The worker indexes its watchlist in a thread while the event loop and the Kafka client's heartbeat
thread must keep running; before this, the end of a 1M-entry build held the GIL for seconds.
"""

from __future__ import annotations

import time

import pytest

from agents.matching import MatcherConfig, build_index
from agents.matching.blocking import bulk_build as index_module
from bench.evalset.generate import synthetic_entry_dicts
from schemas import WatchlistEntry


def test_the_end_of_a_bulk_build_offers_the_gil_in_every_long_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = [WatchlistEntry.model_validate(d) for d in synthetic_entry_dicts(3000, seed=11)]
    offers: list[float] = []
    real_sleep = time.sleep

    def counting_sleep(seconds: float) -> None:
        if seconds == 0:
            offers.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(time, "sleep", counting_sleep)
    index = build_index(entries, MatcherConfig(max_posting=50))
    monkeypatch.undo()

    keys = len(index._postings)
    assert keys > 4 * index_module.YIELD_EVERY  # the loops are long enough to need it
    # The loop ordering the postings alone offers it once per YIELD_EVERY keys.
    assert len(offers) >= keys // index_module.YIELD_EVERY
