"""Read a topic's records up to its current end (Kafka as the system of record)."""

from __future__ import annotations

import datetime as dt

from streams.kafka_io import behind, consumer, seek_range, topic_partitions
from streams.settings import Settings


async def read_records(settings: Settings, topic: str,
                       since: dt.datetime | None = None) -> list[tuple[bytes | None, bytes | None]]:
    """(key, value) of every record in `topic` from its beginning, or with a timestamp >= since, up to
    the end offsets at the time of the call."""
    records: list[tuple[bytes | None, bytes | None]] = []
    async with consumer(settings, from_beginning=True) as cons:
        end = await seek_range(cons, await topic_partitions(cons, topic), since)
        while await behind(cons, end):
            for messages in (await cons.getmany(timeout_ms=500)).values():
                records.extend((m.key, m.value) for m in messages)
    return records


async def read_since(settings: Settings, topic: str, since: dt.datetime) -> list[bytes]:
    """Values of every record in `topic` with a timestamp >= since, up to the current end."""
    return [value for _, value in await read_records(settings, topic, since) if value is not None]
