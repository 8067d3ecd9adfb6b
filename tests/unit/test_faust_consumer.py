"""The Faust consumer's rewind after a rebalance (streams/faust_consumer.py): partitions of the agents'
source topics that the group has never committed go back to their beginning; committed ones and table
changelogs are left to the committed-offset seek and to table recovery."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from aiokafka import TopicPartition

from streams.faust_consumer import RewindingConsumer, never_committed

CROSSINGS, CHANGELOG = "t.border.crossings", "borderwatch-t-patterns-persons-changelog"


def acknowledged(topic: str) -> bool:
    return topic != CHANGELOG  # Faust consumes table changelogs without acknowledgements


class FakeThread:
    """The consumer thread's two calls: the committed-offset seek (its result) and seeking to the beginning."""

    def __init__(self, committed: dict[TopicPartition, int | None]) -> None:
        self.committed = committed
        self.to_beginning: list[TopicPartition] = []

    async def seek_to_committed(self) -> dict[TopicPartition, int | None]:
        return self.committed

    async def seek_to_beginning(self, *partitions: TopicPartition) -> None:
        self.to_beginning.extend(partitions)


def consumer(committed: dict[TopicPartition, int | None], reset: str = "earliest") -> Any:
    c: Any = RewindingConsumer.__new__(RewindingConsumer)  # no broker: only the rebalance seek is exercised
    c._thread = FakeThread(committed)
    c.app = SimpleNamespace(conf=SimpleNamespace(consumer_auto_offset_reset=reset),
                            topics=SimpleNamespace(acks_enabled_for=acknowledged))
    return c


def test_only_never_committed_source_partitions_are_rewound() -> None:
    committed = {TopicPartition(CROSSINGS, 0): None, TopicPartition(CROSSINGS, 1): 0,
                 TopicPartition(CROSSINGS, 2): 3, TopicPartition(CHANGELOG, 0): None}
    assert never_committed(committed, acknowledged) == [TopicPartition(CROSSINGS, 0), TopicPartition(CROSSINGS, 1)]


def test_the_seek_after_a_rebalance_rewinds_them_and_reports_the_committed_offsets() -> None:
    committed = {TopicPartition(CROSSINGS, 0): None, TopicPartition(CROSSINGS, 2): 3,
                 TopicPartition(CHANGELOG, 0): None}
    c = consumer(committed)
    assert asyncio.run(c.seek_to_committed()) == committed  # Faust sets its read offsets from these
    assert c._thread.to_beginning == [TopicPartition(CROSSINGS, 0)]


def test_nothing_is_rewound_where_new_partitions_start_at_the_end() -> None:
    c = consumer({TopicPartition(CROSSINGS, 0): None}, reset="latest")
    asyncio.run(c.seek_to_committed())
    assert c._thread.to_beginning == []
