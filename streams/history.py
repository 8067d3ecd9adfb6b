"""Read a topic's records up to its current end (Kafka as the system of record)."""

from __future__ import annotations

import datetime as dt

from streams.kafka_io import behind, consumer, topic_partitions
from streams.settings import Settings


async def read_records(settings: Settings, topic: str,
                       since: dt.datetime | None = None) -> list[tuple[bytes | None, bytes | None]]:
    """(key, value) of every record in `topic` from its beginning, or with a timestamp >= since, up to
    the end offsets at the time of the call."""
    records: list[tuple[bytes | None, bytes | None]] = []
    async with consumer(settings, from_beginning=True) as cons:
        tps = await topic_partitions(cons, topic)
        cons.assign(tps)
        end = await cons.end_offsets(tps)
        if since is None:
            await cons.seek_to_beginning(*tps)
        else:
            starts = await cons.offsets_for_times({tp: int(since.timestamp() * 1000) for tp in tps})
            for tp in tps:
                found = starts.get(tp)
                cons.seek(tp, found.offset if found is not None else end[tp])
        while await behind(cons, end):
            for messages in (await cons.getmany(timeout_ms=500)).values():
                records.extend((m.key, m.value) for m in messages)
    return records


async def read_since(settings: Settings, topic: str, since: dt.datetime) -> list[bytes]:
    """Values of every record in `topic` with a timestamp >= since, up to the current end."""
    return [value for _, value in await read_records(settings, topic, since) if value is not None]
