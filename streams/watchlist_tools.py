"""Watchlist commands against Kafka: load a file, add, remove, read the current state."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from agents.watchlist import decode_entry, latest_values
from schemas import WatchlistEntry
from streams.history import read_records
from streams.kafka_io import KeyedBatches, producer
from streams.settings import Settings
from streams.topics import ensure_topics
from streams.watchlist_io import LineError, entry_json, parse_mapping, read_entries


@dataclass
class LoadSummary:
    loaded: int = 0
    rejected: list[LineError] = field(default_factory=list)


async def load_file(settings: Settings, path: Path, fmt: str | None, mapping: list[str],
                    progress: bool = True) -> LoadSummary:
    """Validate every line, publish the valid entries (key = entry_id), account for every line."""
    await ensure_topics(settings)
    summary = LoadSummary()
    with path.open("rb") as handle:
        total = sum(1 for _ in handle)
    async with producer(settings) as prod:
        out = await KeyedBatches.start(prod, settings.topic_watchlist)
        for _, item in tqdm(read_entries(path, fmt, parse_mapping(mapping)), total=total, unit=" lines",
                            desc="watchlist", disable=not progress):
            if isinstance(item, LineError):
                summary.rejected.append(item)
                continue
            await out.add(item.entry_id.encode(), entry_json(item))
            summary.loaded += 1
        await out.flush()  # every batch acknowledged (acks=all) before the summary counts it loaded
    return summary


async def add_entry(settings: Settings, raw: str) -> str:
    entry = WatchlistEntry.model_validate_json(raw)
    await ensure_topics(settings)
    async with producer(settings) as prod:
        await (await prod.send(settings.topic_watchlist, key=entry.entry_id.encode(), value=entry_json(entry)))
    return entry.entry_id


async def remove_entry(settings: Settings, entry_id: str) -> None:
    async with producer(settings) as prod:
        await (await prod.send(settings.topic_watchlist, key=entry_id.encode(), value=None))


async def current_entries(settings: Settings) -> list[WatchlistEntry]:
    """Read the compacted topic to its end and apply compaction semantics."""
    records = await read_records(settings, settings.topic_watchlist)
    entries = [decode_entry(v) for v in latest_values(records).values()]
    return [e for e in entries if isinstance(e, WatchlistEntry)]
