"""streams.metrics: a slice's metrics equal what per-event recording gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prometheus_client import CollectorRegistry

from agents.decode import Rejected
from agents.screening import Processed
from schemas import BorderCrossing
from streams.metrics import Metrics, ScreenedSlice
from streams.runtime import Runtime
from tests import factories

TOPIC = "border.crossings"


def crossing(country: str, second: int) -> BorderCrossing:
    return factories.crossing({"full_name": "A B"}, event_id=f"e-{country}-{second}",
                              occurred_at=dt.datetime(2026, 1, 1, 10, 0, second, tzinfo=dt.UTC),
                              checkpoint_id="CP", checkpoint_country=country)


class Sink:
    """The two things the tally uses of a Runtime, over a real registry."""

    def __init__(self) -> None:
        self.metrics = Metrics(CollectorRegistry())

    def observe_screened(self, topic: str, processed: Processed, seconds: float) -> None:
        Runtime.observe_screened(self, topic, processed, seconds)  # type: ignore[arg-type]


def samples(m: Metrics) -> dict[str, Any]:
    out = {}
    for family in m.registry.collect():
        for s in family.samples:
            if not s.name.endswith("_created"):
                out[s.name + str(sorted(s.labels.items()))] = s.value
    return out


def test_tally_matches_per_event_recording() -> None:
    stream = [(crossing("THA", 1), 3, 0.0002), (crossing("THA", 2), 0, 0.0001), (crossing("LAO", 3), 9, 0.004),
              (crossing("THA", 0), 1, 0.0003)]  # last THA event is the earliest: the gauge keeps the last seen
    rejected = Processed([], rejected=Rejected("invalid_json", "not JSON"))
    direct, batched = Sink(), Sink()
    tally = ScreenedSlice(batched)  # type: ignore[arg-type]
    for event, candidates, seconds in stream:
        processed = Processed([], event=event, candidates=candidates)
        direct.observe_screened(TOPIC, processed, seconds)
        tally.observe(TOPIC, processed, seconds)
    direct.observe_screened(TOPIC, rejected, 0.0)
    tally.observe(TOPIC, rejected, 0.0)
    tally.flush()
    assert samples(batched.metrics) == samples(direct.metrics)
    reg = batched.metrics.registry
    assert reg.get_sample_value("borderwatch_events_consumed_total",
                                {"topic": TOPIC, "event_type": "border_crossing", "checkpoint_country": "THA"}) == 3
    assert reg.get_sample_value("borderwatch_last_event_timestamp_seconds", {"checkpoint_country": "THA"}) == \
        crossing("THA", 0).occurred_at.timestamp()
    assert reg.get_sample_value("borderwatch_events_invalid_total", {"topic": TOPIC, "reason": "invalid_json"}) == 1


def test_flush_twice_writes_once() -> None:
    sink = Sink()
    tally = ScreenedSlice(sink)  # type: ignore[arg-type]
    tally.observe(TOPIC, Processed([], event=crossing("VNM", 1), candidates=2), 0.001)
    tally.flush()
    tally.flush()
    assert sink.metrics.registry.get_sample_value("borderwatch_candidates_per_event_count") == 1
