"""Send simulated checkpoint traffic at a steady rate."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import orjson

from streams.kafka_io import producer
from streams.settings import Settings
from streams.simulation.travellers import traffic
from streams.topics import ensure_topics
from streams.watchlist_io import LineError, read_entries


async def run_simulation(settings: Settings, *, rate: float, count: int | None, hit_share: float,
                         watchlist: Path | None, seed: int) -> tuple[int, int]:
    """Returns (events sent, planted hits)."""
    await ensure_topics(settings)
    entries = []
    if watchlist is not None:
        entries = [e for _, e in read_entries(watchlist) if not isinstance(e, LineError)]
    sent = planted = 0
    started = time.monotonic()
    async with producer(settings) as prod:
        for event, hit in traffic(entries, hit_share=hit_share, seed=seed):
            if count is not None and sent >= count:
                break
            await prod.send(settings.topic_crossings, key=event["event_id"].encode(), value=orjson.dumps(event))
            sent += 1
            planted += hit is not None
            ahead = sent / rate - (time.monotonic() - started)
            if ahead > 0:
                await asyncio.sleep(ahead)
        await prod.flush()
    return sent, planted
