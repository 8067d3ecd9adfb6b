"""Offline batch screening: the worker's exact engine, without Kafka."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from agents.decode import decode_event
from agents.matching import build_index
from agents.screening import Rejected, ScreeningContext, alerts_for_event, model_for_topic
from schemas import Alert
from streams.watchlist_io import LineError, read_entries


def screen_files(watchlist: Path, events: Path, ctx: ScreeningContext,
                 now: dt.datetime | None = None) -> Iterator[Alert | tuple[int, str]]:
    """Yield alerts, or (line number, reason) for an event line that was rejected."""
    entries = [e for _, e in read_entries(watchlist) if not isinstance(e, LineError)]
    index = build_index(entries, ctx.matcher)
    with events.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            topic = ctx.topics.document_checks if b'"document_check"' in line else ctx.topics.crossings
            event = decode_event(line, model_for_topic(ctx.topics, topic), ctx.max_message_bytes)
            if isinstance(event, Rejected):
                yield number, event.detail
                continue
            yield from alerts_for_event(event, index, ctx, now=now or ctx.clock())
