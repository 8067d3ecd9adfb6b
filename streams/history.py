"""Read a topic's records since a point in time (Kafka as the system of record)."""

from __future__ import annotations

import datetime as dt

from streams.kafka_io import behind, consumer, topic_partitions
from streams.settings import Settings


async def read_since(settings: Settings, topic: str, since: dt.datetime) -> list[bytes]:
    """Values of every record in `topic` with a timestamp >= since, up to the current end."""
    values: list[bytes] = []
    async with consumer(settings, from_beginning=True) as cons:
        tps = await topic_partitions(cons, topic)
        cons.assign(tps)
        starts = await cons.offsets_for_times({tp: int(since.timestamp() * 1000) for tp in tps})
        end = await cons.end_offsets(tps)
        for tp in tps:
            found = starts.get(tp)
            cons.seek(tp, found.offset if found is not None else end[tp])
        while await behind(cons, end):
            for messages in (await cons.getmany(timeout_ms=500)).values():
                values.extend(m.value for m in messages if m.value is not None)
    return values
