"""Offline batch screening: the worker's exact engine, without Kafka."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from agents.matching import build_index
from agents.salvage import Salvaged, decode_screenable
from agents.screening import Rejected, ScreeningContext, alerts_for_event, model_for_topic
from schemas import Alert
from streams.watchlist_io import LineError, read_entries


@dataclass(frozen=True, slots=True)
class LineIssue:
    """An event line that was rejected, or (`screened`) screened without the fields `detail` names."""

    number: int
    detail: str
    screened: bool


def screen_files(watchlist: Path, events: Path, ctx: ScreeningContext,
                 now: dt.datetime | None = None) -> Iterator[Alert | LineIssue]:
    """Yield alerts, and a LineIssue for each event line that was rejected or screened in part."""
    entries = [e for _, e in read_entries(watchlist) if not isinstance(e, LineError)]
    index = build_index(entries, ctx.matcher)
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
            if isinstance(decoded, Salvaged):
                yield LineIssue(number, "screened without: " + "; ".join(decoded.problems), screened=True)
                yield from alerts_for_event(decoded.event, index, ctx, now=at, problems=decoded.problems)
                continue
            yield from alerts_for_event(decoded, index, ctx, now=at)
