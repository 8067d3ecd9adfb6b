"""Runs retro-screens on a worker: reads the recent history of the event partitions it owns.

Each worker looks back only over the event partitions assigned to it, so across the consumer group
every past event is retro-screened once. The history lives in Kafka (topic retention ≥ look-back).
Watchlist changes are queued and screened together: a bulk load of many entries costs one pass over
the history, not one per entry.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import structlog

from agents.outgoing import Outgoing, encode_alert
from agents.retro_screening import retro_alerts
from agents.watchlist import Removed, Upserted

if TYPE_CHECKING:
    from streams.runtime import Runtime

log = structlog.get_logger(__name__)
CHUNK = 500  # records screened between two yields to the event loop (keeps live screening responsive)
DEBOUNCE_S = 0.5
MAX_BATCH = 50_000


@dataclass
class RetroQueue:
    """Watchlist changes waiting for a look-back; the first previous version of an entry is kept."""

    pending: dict[str, Upserted] = field(default_factory=dict)
    wake: asyncio.Event = field(default_factory=asyncio.Event)

    def add(self, change: Upserted | Removed) -> None:
        if isinstance(change, Upserted):
            earlier = self.pending.get(change.entry.entry_id)
            previous = earlier.previous if earlier is not None else change.previous
            self.pending[change.entry.entry_id] = Upserted(change.entry, previous)
            self.wake.set()
        else:
            self.pending.pop(change.entry_id, None)

    def take(self) -> list[Upserted]:
        keys = list(self.pending)[:MAX_BATCH]
        batch = [self.pending.pop(k) for k in keys]
        if not self.pending:
            self.wake.clear()
        return batch


async def run_retro_queue(runtime: Runtime, queue: RetroQueue) -> None:
    if runtime.settings.retro_screen_days <= 0:
        return
    while True:
        await queue.wake.wait()
        await asyncio.sleep(DEBOUNCE_S)  # let a burst of changes (a file load) gather into one pass
        batch = queue.take()
        if batch:
            try:
                await retro_screen(runtime, batch)
            except Exception as error:
                log.exception("retro_screen.failed", error=type(error).__name__, entries=len(batch))


async def retro_screen(runtime: Runtime, changes: list[Upserted]) -> int:
    from aiokafka import AIOKafkaConsumer, TopicPartition

    from streams.kafka_io import behind, seek_range

    topics = {runtime.topics.crossings, runtime.topics.document_checks}
    owned = [tp for tp in (runtime.screening.assigned() if runtime.screening else []) if tp.topic in topics]
    if not owned:
        return 0
    started = time.perf_counter()
    now = runtime.clock()
    since = now - dt.timedelta(days=runtime.settings.retro_screen_days)
    tps = [TopicPartition(tp.topic, tp.partition) for tp in owned]
    pairs = [(c.entry, c.previous) for c in changes]
    consumer = AIOKafkaConsumer(**runtime.settings.aiokafka_kwargs(), group_id=None, enable_auto_commit=False,
                                fetch_max_wait_ms=100, max_partition_fetch_bytes=4 * 1024 * 1024)
    await consumer.start()
    published = scanned = 0
    try:
        end = await seek_range(consumer, tps, since)
        while await behind(consumer, end):
            batch = await consumer.getmany(timeout_ms=500, max_records=CHUNK)
            records = [(m.topic, m.value) for ms in batch.values() for m in ms
                       if m.offset < end[TopicPartition(m.topic, m.partition)]]
            scanned += len(records)
            alerts = retro_alerts(pairs, records, runtime.ctx, now=now, since=since,
                                  watchlist_version=runtime.store.index.version)
            await runtime.publish_all(
                Outgoing(runtime.topics.alert_candidates, a.entry_id.encode(), encode_alert(a)) for a in alerts)
            published += len(alerts)
            await asyncio.sleep(0)
    finally:
        await consumer.stop()
    seconds = time.perf_counter() - started
    runtime.metrics.retro_screen.observe(seconds)
    log.info("retro_screen.done", entries=len(changes), scanned=scanned, alerts=published,
             seconds=round(seconds, 3))
    return published
