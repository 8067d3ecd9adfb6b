"""Small aiokafka helpers for the CLI tools (load, tail, simulate) and the worker's plain consumers."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streams.settings import Settings


@contextlib.asynccontextmanager
async def producer(settings: Settings, **overrides: Any) -> AsyncIterator[AIOKafkaProducer]:
    options: dict[str, Any] = {"linger_ms": 5, "acks": "all", "enable_idempotence": True,
                               "max_batch_size": 256 * 1024, "max_request_size": 2 * 1024 * 1024}
    options.update(overrides)
    prod = AIOKafkaProducer(**settings.aiokafka_kwargs(), **options)
    await prod.start()
    try:
        yield prod
    finally:
        await prod.stop()


@contextlib.asynccontextmanager
async def consumer(settings: Settings, *topics: str, from_beginning: bool = False,
                   group_id: str | None = None, **overrides: Any) -> AsyncIterator[AIOKafkaConsumer]:
    cons = AIOKafkaConsumer(*topics, **settings.aiokafka_kwargs(), group_id=group_id,
                            auto_offset_reset="earliest" if from_beginning else "latest",
                            enable_auto_commit=group_id is not None, fetch_max_wait_ms=100, **overrides)
    await cons.start()
    try:
        yield cons
    finally:
        await cons.stop()


async def topic_partitions(cons: AIOKafkaConsumer, topic: str, timeout: float = 30.0) -> list[Any]:
    """All partitions of `topic`, asking the broker for its metadata (a fresh consumer knows none)."""
    import asyncio
    import time

    from aiokafka import TopicPartition

    deadline = time.monotonic() + timeout
    client = cons._client  # aiokafka exposes no public "fetch metadata for this topic" call
    client.add_topic(topic)
    while True:
        partitions = cons.partitions_for_topic(topic)
        if partitions:
            return [TopicPartition(topic, p) for p in sorted(partitions)]
        if time.monotonic() > deadline:
            raise TimeoutError(f"no metadata for topic {topic!r} within {timeout}s")
        await client.force_metadata_update()
        await asyncio.sleep(0.1)


async def seek_range(cons: AIOKafkaConsumer, tps: list[Any], since: dt.datetime | None = None) -> dict[Any, int]:
    """Assign `tps`, position each at the first record at/after `since` (or its beginning), and return
    the end offsets to read up to (records arriving later are not part of the range)."""
    cons.assign(tps)
    end: dict[Any, int] = await cons.end_offsets(tps)
    if since is None:
        await cons.seek_to_beginning(*tps)
        return end
    starts = await cons.offsets_for_times({tp: int(since.timestamp() * 1000) for tp in tps})
    for tp in tps:
        found = starts.get(tp)
        cons.seek(tp, found.offset if found is not None else end[tp])
    return end


async def behind(cons: AIOKafkaConsumer, end: dict[Any, int]) -> bool:
    """True while the consumer's position is before `end` on any partition."""
    for tp, offset in end.items():
        if await cons.position(tp) < offset:
            return True
    return False
