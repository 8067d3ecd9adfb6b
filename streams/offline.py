"""Offline batch screening: the worker's exact engine, without Kafka."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from agents.matching import WatchlistIndex, build_index
from agents.matching.names import person_name_forms
from agents.patterns import PatternRunner
from agents.salvage import Salvaged, decode_screenable
from agents.screening import Rejected, ScreeningContext, alerts_for_event, model_for_topic
from agents.watchlist import build_from_latest
from schemas import Alert, BorderCrossing
from streams.memory import back_with_huge_pages, release_free_memory
from streams.watchlist_io import LineError, file_format, read_entries

OFFLINE_PARTITION = "offline"


@dataclass(frozen=True, slots=True)
class LineIssue:
    """An event line that was rejected, or (`screened`) screened without the fields `detail` names."""

    number: int
    detail: str
    screened: bool


def screen_files(watchlist: Path, events: Path, ctx: ScreeningContext,
                 now: dt.datetime | None = None, patterns: PatternRunner | None = None) -> Iterator[Alert | LineIssue]:
    """Yield alerts, and a LineIssue for each event line that was rejected or screened in part.

    With `patterns`, every crossing also goes through the travel-pattern detectors (in file order,
    which should be time order), and their alerts come out next to the watchlist alerts."""
    index, _invalid = load_index(watchlist, ctx)
    with events.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            topic = ctx.topics.document_checks if b'"document_check"' in line else ctx.topics.crossings
            at = now or ctx.clock()
            decoded = decode_screenable(line, model_for_topic(ctx.topics, topic), ctx.max_message_bytes, at)
            if isinstance(decoded, Rejected):
                yield LineIssue(number, decoded.detail, screened=False)
                continue
            event, problems = (decoded.event, decoded.problems) if isinstance(decoded, Salvaged) else (decoded, ())
            if problems:
                yield LineIssue(number, "screened without: " + "; ".join(problems), screened=True)
            yield from alerts_for_event(event, index, ctx, now=at, problems=problems)
            if ctx.population is not None:  # it learns as it reads, as a worker does
                ctx.population.observe(OFFLINE_PARTITION, person_name_forms(event.subject.names()),
                                       event.subject.nationality)
            if patterns is not None and isinstance(event, BorderCrossing):
                yield from patterns.add(event)
    if patterns is not None:
        yield from patterns.finish()


def load_index(watchlist: Path, ctx: ScreeningContext) -> tuple[WatchlistIndex, int]:
    """The watchlist file indexed as a worker indexes the topic: raw values by entry id (the last line
    of an id wins, as compaction keeps the last record), decoded and indexed in one bulk build that
    shares its work with a helper process; returns (index, number of invalid lines)."""
    if file_format(watchlist) == "csv":
        items = [item for _, item in read_entries(watchlist)]
        entries = [e for e in items if not isinstance(e, LineError)]
        return build_index(entries, ctx.matcher, long_lived=True), len(items) - len(entries)
    latest: dict[bytes, bytes] = {}
    with watchlist.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                latest[_entry_key(line) or b"\0line %d" % number] = line
    built = build_from_latest(latest, ctx.matcher, helper=True)
    release_free_memory()  # the raw lines are gone: their pages need not stay counted while screening
    back_with_huge_pages()  # what stays is read at random while screening
    return built


def _entry_key(line: bytes) -> bytes | None:
    """The entry id of a watchlist line, or None when the line has none (it is then counted invalid)."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    entry_id = value.get("entry_id") if isinstance(value, dict) else None
    return entry_id.strip().encode() if isinstance(entry_id, str) and entry_id.strip() else None
