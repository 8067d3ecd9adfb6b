"""Retro-screening: when an entry is added or changed, look back at recent crossings for it.

A child reported missing today may have crossed yesterday. Pure: the caller reads the history from
Kafka and hands over the raw records; this decides which past sightings become retrospective alerts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from agents.decode import Rejected, decode_event
from agents.matching import build_index, screen
from agents.screening import ScreeningContext, alerts_for_event, model_for_topic
from schemas import Alert, DocumentCheck, WatchlistEntry


def retro_alerts(entry: WatchlistEntry, previous: WatchlistEntry | None,
                 records: Iterable[tuple[str, bytes | None]], ctx: ScreeningContext, *,
                 now: dt.datetime, since: dt.datetime, watchlist_version: int) -> list[Alert]:
    """Retrospective alerts for `entry` over (topic, raw value) records of events since `since`.

    A sighting that the previous version of the entry already matched was alerted at the time, so a
    change to an entry (say, a new priority) does not re-alert the same crossings.
    """
    index = build_index([entry], ctx.matcher)
    old_index = build_index([previous], ctx.matcher) if previous is not None else None
    alerts: list[Alert] = []
    for topic, raw in records:
        event = decode_event(raw, model_for_topic(ctx.topics, topic), ctx.max_message_bytes)
        if isinstance(event, Rejected) or event.occurred_at < since or event.occurred_at > now:
            continue
        if old_index is not None:
            document = event.document if isinstance(event, DocumentCheck) else None
            if screen(old_index, event.subject, ctx.matcher, at=event.occurred_at, document=document):
                continue
        for alert in alerts_for_event(event, index, ctx, now=now, retrospective=True):
            alerts.append(alert.model_copy(update={"watchlist_version": watchlist_version}))
    return alerts
