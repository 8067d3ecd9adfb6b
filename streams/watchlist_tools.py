"""Watchlist commands against Kafka: load a file, add, remove, read the current state."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import AsyncGenerator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from agents.decode import decode_entry
from agents.watchlist import latest_values
from schemas import WatchlistEntry
from streams.history import read_records
from streams.kafka_io import KeyedBatches, producer
from streams.settings import Settings
from streams.topics import ensure_topics
from streams.watchlist_io import (
    LineError,
    entry_json,
    file_format,
    jsonl_lines,
    parse_mapping,
    publishable,
    publishable_jsonl,
    read_entries,
)


@dataclass
class LoadSummary:
    loaded: int = 0
    rejected: list[LineError] = field(default_factory=list)


#: JSONL files with more lines are validated in worker processes unless `load_file(workers=0)`.
PARALLEL_MIN_LINES = 50_000
CHUNK_LINES = 5_000

Checked = list[tuple[int, tuple[bytes, bytes] | LineError]]  # (line, record to publish or rejection)


def default_workers() -> int:
    """One validating process per CPU this process may use, at most 4. Not one fewer for the producer:
    publishing needs much less CPU than validation does, so the
    main process would leave most of a core idle."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(4, cpus))


async def checked_chunks(path: Path, fmt: str, mapping: dict[str, str], workers: int) -> AsyncGenerator[Checked]:
    """Every line of the file, validated and serialised, in file order, a chunk at a time.

    Validation and serialisation are most of a load's CPU and independent per line: with `workers`,
    chunks of JSONL lines go to worker processes (bytes in, bytes out), a few chunks ahead of the
    producer, so they overlap with each other and with the publishing here."""
    if workers <= 0 or fmt == "csv":
        items = read_entries(path, fmt, mapping)
        while chunk := [(number, publishable(item)) for number, item in itertools.islice(items, CHUNK_LINES)]:
            yield chunk
        return
    # spawn, not fork: this process runs an event loop and the producer's connections
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        ahead: deque[asyncio.Future[Checked]] = deque()
        try:
            lines = jsonl_lines(path)
            while batch := list(itertools.islice(lines, CHUNK_LINES)):
                ahead.append(asyncio.wrap_future(pool.submit(publishable_jsonl, batch)))
                if len(ahead) > 2 * workers:  # bounded: memory holds a few chunks, not the file
                    yield await ahead.popleft()
            while ahead:
                yield await ahead.popleft()
        finally:
            for pending in ahead:
                pending.cancel()


async def load_file(settings: Settings, path: Path, fmt: str | None, mapping: list[str],
                    progress: bool = True, workers: int | None = None) -> LoadSummary:
    """Validate every line, publish the valid entries (key = entry_id), account for every line.

    `workers`: processes validating a JSONL file (default: `default_workers()` for files over
    PARALLEL_MIN_LINES lines, else none; 0 = all in this process)."""
    await ensure_topics(settings)
    summary = LoadSummary()
    with path.open("rb") as handle:
        total = sum(1 for _ in handle)
    fmt = fmt or file_format(path)
    if workers is None:
        workers = default_workers() if fmt == "jsonl" and total > PARALLEL_MIN_LINES else 0
    async with producer(settings) as prod:
        out = await KeyedBatches.start(prod, settings.topic_watchlist)
        with tqdm(total=total, unit=" lines", desc="watchlist", disable=not progress) as bar:
            async with contextlib.aclosing(checked_chunks(path, fmt, parse_mapping(mapping), workers)) as chunks:
                async for chunk in chunks:
                    for _, item in chunk:
                        if isinstance(item, LineError):
                            summary.rejected.append(item)
                            continue
                        await out.add(*item)
                        summary.loaded += 1
                    bar.update(chunk[-1][0] - bar.n)
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
