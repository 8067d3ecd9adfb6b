"""Keeps every worker's watchlist index current from the compacted `watchlist.entries` topic.

Not a consumer group: each worker reads every partition from the beginning (the whole watchlist
lives on every worker), bulk-builds the index off the event loop, swaps it in, then tails changes.
"""

from __future__ import annotations

import asyncio
import functools
import time
from typing import TYPE_CHECKING

import structlog

from agents.watchlist import Invalid, Removed, Upserted, build_from_latest, compact_into
from streams.memory import back_with_huge_pages, release_free_memory, rss_mib

if TYPE_CHECKING:
    from aiokafka import AIOKafkaConsumer

    from streams.runtime import Runtime

log = structlog.get_logger(__name__)


async def _read_to_end(consumer: AIOKafkaConsumer, topic: str) -> dict[bytes, bytes]:
    from streams.kafka_io import behind, seek_range, topic_partitions

    end = await seek_range(consumer, await topic_partitions(consumer, topic))
    latest: dict[bytes, bytes] = {}  # compacted while reading: memory holds one value per entry
    while await behind(consumer, end):
        batch = await consumer.getmany(timeout_ms=500, max_records=50_000)
        for messages in batch.values():
            compact_into(latest, ((m.key, m.value) for m in messages))
    return latest


def _rounded(mib: float | None) -> int | None:
    return None if mib is None else round(mib)


async def run_watchlist_feed(runtime: Runtime) -> None:
    from aiokafka import AIOKafkaConsumer

    settings = runtime.settings
    consumer = AIOKafkaConsumer(**settings.aiokafka_kwargs(), group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest", fetch_max_wait_ms=200,
                                max_partition_fetch_bytes=8 * 1024 * 1024)
    await consumer.start()
    try:
        started = time.perf_counter()
        latest = await _read_to_end(consumer, settings.topic_watchlist)
        read = time.perf_counter()
        loop = asyncio.get_running_loop()
        build = functools.partial(build_from_latest, latest, runtime.ctx.matcher,
                                  helper=settings.watchlist_build_helper)
        index, invalid = await loop.run_in_executor(None, build)
        del latest, build  # the partial refers to the dict too
        built, rss_built = time.perf_counter(), rss_mib()
        await loop.run_in_executor(None, release_free_memory)
        rss_trimmed = rss_mib()
        # Before screening starts: the kernel copies the index into huge pages while nothing reads it
        # (done under screening, the copying slows every read of the index while it lasts).
        backing = time.perf_counter()
        huge = await loop.run_in_executor(None, back_with_huge_pages)
        runtime.store.replace(index)
        runtime.observe_watchlist(build_seconds=time.perf_counter() - started)
        log.info("watchlist.ready", entries=len(index), invalid=invalid,
                 seconds=round(time.perf_counter() - started, 2), read_s=round(read - started, 2),
                 build_s=round(built - read, 2), huge_pages_s=round(time.perf_counter() - backing, 2),
                 rss_built_mib=_rounded(rss_built), rss_trimmed_mib=_rounded(rss_trimmed), huge_pages_mib=huge,
                 rss_mib=_rounded(rss_mib()))
        while True:
            batch = await consumer.getmany(timeout_ms=200, max_records=10_000)
            changes = [runtime.store.apply(m.key, m.value) for ms in batch.values() for m in ms]
            for change in changes:
                if isinstance(change, Invalid):
                    log.warning("watchlist.invalid_record", detail=change.detail)
                elif isinstance(change, Upserted | Removed):
                    runtime.on_watchlist_change(change)
            if changes:
                runtime.observe_watchlist()
    finally:
        await consumer.stop()
