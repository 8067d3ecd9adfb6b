"""Small aiokafka helpers for the CLI tools (load, tail, simulate) and the worker's plain consumers."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner

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


_PARTITIONER = DefaultPartitioner()  # stateless: murmur2 of the key


def key_partition(key: bytes, partitions: list[int]) -> int:
    """The partition (of the topic's `partitions`, sorted) the producer's default partitioner picks for
    `key`: murmur2, like the Java client and `send(key=...)`. For records sent with an explicit partition
    that must land where keyed ones of the same key do."""
    return int(_PARTITIONER(key, partitions, partitions))


class KeyedBatches:
    """Publishes many keyed records through one producer a batch per partition at a time
    (aiokafka's `create_batch` / `send_batch`) instead of a `send()` per record, which costs a
    coroutine, a future and a partitioner lookup per record: several times slower, and most of the
    time of `watchlist load` once validation is done.

    Each record goes to the partition the producer's default partitioner would pick for its key
    (murmur2, like the Java client), so a later single `send()` of the same key (watchlist add,
    remove) lands on the same partition and compaction keeps only the latest value.

    `flush()` sends what is left and waits for the broker's acknowledgement of every batch; a
    failed batch raises (here or in a later `add`), so nothing is lost silently.
    """

    def __init__(self, prod: AIOKafkaProducer, topic: str, partitions: list[int]) -> None:
        self._prod = prod
        self._topic = topic
        self._partitions = sorted(partitions)
        self._open: dict[int, Any] = {}
        self._acks: list[Any] = []  # one future per batch handed to the producer

    @classmethod
    async def start(cls, prod: AIOKafkaProducer, topic: str) -> KeyedBatches:
        return cls(prod, topic, list(await prod.partitions_for(topic)))

    async def add(self, key: bytes, value: bytes | None) -> None:
        # one partition (the watchlist topic as created here): skip hashing, murmur2 is pure Python
        partition = (self._partitions[0] if len(self._partitions) == 1
                     else key_partition(key, self._partitions))
        batch = self._open.get(partition)
        if batch is None:
            batch = self._open[partition] = self._prod.create_batch()
        if batch.append(key=key, value=value, timestamp=None) is not None:
            return
        await self._send(partition, batch)  # full: send it, start the next one with this record
        batch = self._open[partition] = self._prod.create_batch()
        if batch.append(key=key, value=value, timestamp=None) is None:
            raise ValueError("record larger than the producer's max_batch_size")

    async def flush(self) -> None:
        for partition, batch in list(self._open.items()):
            await self._send(partition, batch)
        self._open.clear()
        for ack in self._acks:
            await ack
        self._acks.clear()

    async def _send(self, partition: int, batch: Any) -> None:
        # waits while the previous batch of this partition is still queued: memory stays bounded
        self._acks.append(await self._prod.send_batch(batch, self._topic, partition=partition))
        done = [ack for ack in self._acks if ack.done()]
        for ack in done:
            ack.result()  # a delivery error surfaces now, not after the whole file
        if done:
            self._acks = [ack for ack in self._acks if not ack.done()]


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
