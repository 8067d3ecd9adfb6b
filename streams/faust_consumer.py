"""The Faust app's Kafka consumer, with one correction: after a rebalance it rewinds every partition it
may have skipped, including those the group has never committed.

Faust discards records it has fetched but must not deliver yet (a rebalance under way, partitions paused
while the tables recover) and relies on seeking each partition back to the group's committed offset to
fetch them again. A partition the group has never committed has no such offset: the seek leaves it where
the discarded records left it, and they are never delivered. A taken-over partition that had received no
message before the takeover is one (issue 21: the crossing sent there while a killed worker's partitions
moved to the survivor was fetched during the survivor's recovery, discarded, and never seen again; see
bench/results/patterns.md, "Standby replicas"). So is any partition of a new or quiet topic, or one whose
committed offsets the broker has expired.

Here such a partition goes back to its beginning, where Faust starts a partition it is assigned with no
committed offset (`consumer_auto_offset_reset="earliest"`). Nothing the group has not acknowledged is
skipped; what was handled but not yet committed is delivered again, as after any rebalance, and the
stages fold redelivered messages in idempotently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from faust.transport.drivers.aiokafka import Consumer as AIOKafkaConsumer

__all__ = ["RewindingConsumer", "never_committed", "use_rewinding_consumer"]


def never_committed(committed: Mapping[Any, int | None], acknowledged: Callable[[str], bool]) -> list[Any]:
    """The partitions of `committed` (partition -> the group's committed offset, None where there is none)
    that the committed-offset seek cannot rewind: no offset, or 0 (which the Kafka client does not seek
    to). Only partitions whose messages the agents acknowledge (their source topics); table changelogs
    are positioned by table recovery, never from the group's offsets."""
    unrewound = (tp for tp, offset in committed.items() if offset is None or offset <= 0)
    return sorted((tp for tp in unrewound if acknowledged(tp.topic)), key=lambda tp: (tp.topic, tp.partition))


class RewindingConsumer(AIOKafkaConsumer):
    """Faust's aiokafka consumer; `seek_to_committed` also rewinds partitions that have no committed offset."""

    async def seek_to_committed(self) -> Mapping[Any, int]:
        committed: Mapping[Any, int] = await super().seek_to_committed()
        if self.app.conf.consumer_auto_offset_reset == "earliest":
            rewind = never_committed(committed, self.app.topics.acks_enabled_for)
            if rewind:
                await self._thread.seek_to_beginning(*rewind)
        return committed


def use_rewinding_consumer(app: Any) -> None:
    """Make `app` create its consumer as a RewindingConsumer (call before the app starts)."""
    app.transport.Consumer = RewindingConsumer
