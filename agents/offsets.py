"""Offset arithmetic of the batched screening path. Pure: no broker, no clock.

Partitions are `(topic, partition)` pairs here; the loop converts to and from aiokafka's types.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol, TypeVar

Partition = tuple[str, int]


class Located(Protocol):
    """What a Kafka record says about where it came from (aiokafka ConsumerRecord, Faust Message)."""

    @property
    def topic(self) -> str: ...

    @property
    def partition(self) -> int: ...

    @property
    def offset(self) -> int: ...


def next_offsets(records: Iterable[Located]) -> dict[Partition, int]:
    """The offset to commit per partition once `records` are processed: the highest offset + 1
    (Kafka's committed offset names the next record to read)."""
    out: dict[Partition, int] = {}
    for record in records:
        key = (record.topic, record.partition)
        following = record.offset + 1
        if following > out.get(key, -1):
            out[key] = following
    return out


R = TypeVar("R", bound=Located)


def above_floors(records: list[R], floors: Mapping[Partition, int]) -> tuple[list[R], dict[Partition, int]]:
    """The records not yet screened, and the floors after them.

    A partition that inherited a start from the Faust group has a floor: the next offset to screen.
    Records below it are dropped: fetched from the reset position before the start was sought (the
    Faust path screened them), or fetched a second time from the sought start when the seek landed
    after a fetch had already been returned. Partitions without a floor pass untouched."""
    if not floors:
        return records, {}
    kept = [r for r in records if r.offset >= floors.get((r.topic, r.partition), 0)]
    raised = {tp: following for tp, following in next_offsets(kept).items() if tp in floors}
    return kept, {**floors, **raised}


def inherited_starts(assigned: Iterable[Partition], own: Mapping[Partition, int | None],
                     inherited: Mapping[Partition, int | None]) -> dict[Partition, int]:
    """Where to start partitions the screening group never committed but the Faust group did.

    Switching a deployment from the Faust path (group `<app_id>`) to the batch path (its own group)
    must neither replay the retained history (days of events, alerts re-sent to duty officers) nor
    skip anything: such a partition starts at the Faust group's committed offset. A partition with
    an offset of its own, or unknown to both groups, is left to the consumer (committed offset, or
    `auto_offset_reset`)."""
    out: dict[Partition, int] = {}
    for tp in assigned:
        if own.get(tp) is not None:
            continue
        start = inherited.get(tp)
        if start is not None and start >= 0:
            out[tp] = start
    return out
