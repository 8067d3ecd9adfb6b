"""Progress tracking for the screening stream: what was processed last, per partition, and when.

Feeds the stall watchdog (a Faust consumer can stop fetching after a broker outage without any
error: faust-streaming issue #523) and the processing-lag gauge. Pure: the clock is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass
class ProgressTracker:
    """Last processed offset and the monotonic time it was processed, per (topic, partition)."""

    offsets: dict[tuple[str, int], int] = field(default_factory=dict)
    seen_at: dict[tuple[str, int], float] = field(default_factory=dict)

    def record(self, topic: str, partition: int, offset: int, now: float) -> None:
        self.offsets[(topic, partition)] = offset
        self.seen_at[(topic, partition)] = now

    def stalled(self, pending: Mapping[tuple[str, int], int], now: float, limit: float,
                started: float) -> list[tuple[str, int]]:
        """Partitions with messages waiting (end offset beyond what we processed) and no progress for
        `limit` seconds (counting from `started` for a partition never processed)."""
        out = []
        for tp, end in pending.items():
            done = self.offsets.get(tp, -1)
            if end - 1 > done and now - self.seen_at.get(tp, started) > limit:
                out.append(tp)
        return out

    def lag(self, ends: Mapping[tuple[str, int], int], committed: Mapping[tuple[str, int], int | None]
            ) -> Iterable[tuple[tuple[str, int], int]]:
        """Messages not yet processed-and-committed per partition (end offset minus committed offset,
        falling back to the processed offset when nothing was committed yet)."""
        for tp, end in ends.items():
            base = committed.get(tp)
            if base is None:
                base = self.offsets.get(tp, -1) + 1
            yield tp, max(0, end - base)
