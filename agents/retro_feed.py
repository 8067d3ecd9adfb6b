"""Runs retro-screens on a worker: reads the recent history of the event partitions it owns.

Each worker looks back only over the event partitions assigned to it, so across the consumer group
every past event is retro-screened once. The history lives in Kafka (topic retention ≥ look-back).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import TYPE_CHECKING

import structlog

from agents.retro import retro_alerts
from agents.screening import Outgoing, encode_alert
from agents.watchlist import Removed, Upserted

if TYPE_CHECKING:
    from streams.runtime import Runtime

log = structlog.get_logger(__name__)
BATCH = 5_000


def on_watchlist_change(runtime: Runtime, change: Upserted | Removed) -> None:
    if isinstance(change, Upserted):
        runtime.spawn(retro_screen(runtime, change))


async def retro_screen(runtime: Runtime, change: Upserted) -> int:
    from aiokafka import AIOKafkaConsumer, TopicPartition

    from streams.kafka_io import behind

    topics = {runtime.topics.crossings, runtime.topics.document_checks}
    owned = [tp for tp in runtime.app.consumer.assignment() if tp.topic in topics]
    if not owned:
        return 0
    started = time.perf_counter()
    now = runtime.clock()
    since = now - dt.timedelta(days=runtime.settings.retro_screen_days)
    tps = [TopicPartition(tp.topic, tp.partition) for tp in owned]
    consumer = AIOKafkaConsumer(**runtime.settings.aiokafka_kwargs(), group_id=None, enable_auto_commit=False,
                                fetch_max_wait_ms=100, max_partition_fetch_bytes=4 * 1024 * 1024)
    await consumer.start()
    published = scanned = 0
    try:
        consumer.assign(tps)
        starts = await consumer.offsets_for_times({tp: int(since.timestamp() * 1000) for tp in tps})
        end = await consumer.end_offsets(tps)
        for tp in tps:
            found = starts.get(tp)
            consumer.seek(tp, found.offset if found is not None else end[tp])
        while await behind(consumer, end):
            batch = await consumer.getmany(timeout_ms=500, max_records=BATCH)
            records = [(m.topic, m.value) for ms in batch.values() for m in ms if m.offset < end[
                TopicPartition(m.topic, m.partition)]]
            scanned += len(records)
            alerts = retro_alerts(change.entry, change.previous, records, runtime.ctx, now=now, since=since,
                                  watchlist_version=runtime.store.index.version)
            await runtime.publish_all(
                Outgoing(runtime.topics.alert_candidates, a.entry_id.encode(), encode_alert(a)) for a in alerts)
            published += len(alerts)
            await asyncio.sleep(0)  # let live screening run between batches
    finally:
        await consumer.stop()
    seconds = time.perf_counter() - started
    runtime.metrics.retro_screen.observe(seconds)
    log.info("retro_screen.done", entry_id=change.entry.entry_id, scanned=scanned, alerts=published,
             seconds=round(seconds, 3))
    return published
