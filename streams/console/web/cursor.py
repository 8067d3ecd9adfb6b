"""Where a browser is in its country's alert stream: the SSE event id.

An id is the last Kafka offset delivered per partition of the country's alert topic, plus the console
process's status sequence (claims and decisions, which are not alert records), for example
``0:41,1:17;s=3f9a.12``. A reconnecting browser sends it back as ``Last-Event-ID`` and gets the alert
records after those offsets replayed from Kafka, and the status changes after that sequence.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Cursor:
    offsets: dict[int, int] = field(default_factory=dict)  # partition -> last offset delivered (-1: none)
    epoch: str = ""  # the console process that numbered `status_seq`
    status_seq: int = 0

    def encode(self) -> str:
        alerts = ",".join(f"{p}:{o}" for p, o in sorted(self.offsets.items()))
        return f"{alerts};s={self.epoch}.{self.status_seq}"

    def after(self, partition: int, offset: int) -> Cursor:
        return Cursor({**self.offsets, partition: offset}, self.epoch, self.status_seq)

    def with_status(self, epoch: str, seq: int) -> Cursor:
        return Cursor(self.offsets, epoch, seq)


def decode(text: str | None) -> Cursor | None:
    """The cursor in an SSE id, or None when absent or malformed (the browser then starts afresh)."""
    if not text:
        return None
    alerts, _, status = text.strip().partition(";")
    offsets: dict[int, int] = {}
    try:
        for pair in filter(None, alerts.split(",")):
            partition, _, offset = pair.partition(":")
            offsets[int(partition)] = int(offset)
        epoch, seq = "", 0
        if status.startswith("s="):
            epoch, _, seq_text = status[2:].rpartition(".")
            seq = int(seq_text)
    except ValueError:
        return None
    if any(p < 0 or o < -1 for p, o in offsets.items()) or seq < 0:
        return None
    return Cursor(offsets, epoch, seq)
