"""Retro-screening: when entries are added or changed, look back at recent crossings for them.

A child reported missing today may have crossed yesterday. Pure: the caller reads the history from
Kafka and hands over the raw records; this decides which past sightings become retrospective alerts.
Changes are screened in batches: the cost of a look-back is decoding and preparing each past event,
which is the same for one entry or ten thousand, so a bulk load costs one pass, not one per entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from agents.decode import Rejected
from agents.matching import build_index, search
from agents.salvage import Salvaged, decode_screenable
from agents.screening import ScreeningContext, alerts_for_event, model_for_topic
from schemas import Alert, DocumentCheck, WatchlistEntry


def retro_alerts(changes: Sequence[tuple[WatchlistEntry, WatchlistEntry | None]],
                 records: Iterable[tuple[str, bytes | None]], ctx: ScreeningContext, *,
                 now: dt.datetime, since: dt.datetime, watchlist_version: int) -> list[Alert]:
    """Retrospective alerts for the changed entries over (topic, raw value) records since `since`.

    `changes` pairs each new entry with its previous version (None when new). A sighting that the
    previous version already matched was alerted at the time, so a change to an entry (say, a new
    priority) does not re-alert the same crossings.
    """
    index = build_index([entry for entry, _ in changes], ctx.matcher)
    previous = [old for _, old in changes if old is not None]
    old_index = build_index(previous, ctx.matcher) if previous else None
    alerts: list[Alert] = []
    for topic, raw in records:
        decoded = decode_screenable(raw, model_for_topic(ctx.topics, topic), ctx.max_message_bytes, now)
        if isinstance(decoded, Rejected):
            continue
        event, problems = (decoded.event, decoded.problems) if isinstance(decoded, Salvaged) else (decoded, ())
        if event.occurred_at < since or event.occurred_at > now:
            continue
        found = alerts_for_event(event, index, ctx, now=now, retrospective=True, problems=problems)
        if not found:
            continue
        already: set[str] = set()
        if old_index is not None:
            document = event.document if isinstance(event, DocumentCheck) else None
            already = {m.entry.entry_id for m in search(old_index, event.subject, ctx.matcher,
                                                         at=event.occurred_at, document=document)}
        alerts.extend(a.model_copy(update={"watchlist_version": watchlist_version})
                      for a in found if a.entry_id not in already)
    return alerts
