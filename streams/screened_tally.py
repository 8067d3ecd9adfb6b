"""Per-event screening metrics gathered over one slice of a batch and written in one go.

`Runtime.observe_screened` costs ~10 µs per event (a counter, a gauge and two histograms, each with
its own lock, plus a timestamp conversion); over a slice the counter and gauge are written once per
label combination and the timestamp converted once. The histograms still see every event, and a
rejected event is recorded at once (dead-letter counters, warning log), exactly as on the Faust path.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from agents.screening import Processed

if TYPE_CHECKING:
    from streams.runtime import Runtime


@dataclass(slots=True)
class _Group:
    last: dt.datetime
    seconds: list[float] = field(default_factory=list)
    candidates: list[int] = field(default_factory=list)


class ScreenedTally:
    """An `Observer` for `screen_one`; `flush()` writes what was gathered (call it before yielding)."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._groups: dict[tuple[str, str, str], _Group] = {}

    def observe(self, topic: str, processed: Processed, seconds: float) -> None:
        event = processed.event
        if processed.rejected is not None or event is None:
            self._runtime.observe_screened(topic, processed, seconds)
            return
        key = (topic, event.event_type, event.checkpoint_country)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = _Group(event.occurred_at)
        else:
            group.last = event.occurred_at  # the gauge keeps the last event's time, as per-event sets do
        group.seconds.append(seconds)
        group.candidates.append(processed.candidates)

    def flush(self) -> None:
        if not self._groups:
            return
        metrics, now = self._runtime.metrics, time.time()
        for (topic, event_type, country), group in self._groups.items():
            # Clamped: a checkpoint clock in the future must not hide a silent checkpoint on the dashboard.
            metrics.events_screened(topic, event_type, country, min(group.last.timestamp(), now),
                                    group.seconds, group.candidates)
        self._groups.clear()
