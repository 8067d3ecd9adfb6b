"""One browser's server-sent event stream: what it missed (replayed from Kafka), then live changes,
with heartbeat comments so proxies keep the connection open."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

from streams.console.web.board import AlertView, Filters
from streams.console.web.cursor import Cursor
from streams.console.web.feed import AlertFeed, stream_admits

RETRY_MS = 1000  # how soon a browser reconnects after the stream ends


def sse_event(event: str, data: str, event_id: str | None = None) -> str:
    lines = [f"event: {event}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.extend(f"data: {line}" for line in data.splitlines() or [""])
    return "\n".join(lines) + "\n\n"


async def event_stream(feed: AlertFeed, country: str, filters: Filters, cursor: Cursor | None, *,
                       render: Callable[[AlertView, Any], str], heartbeat_s: float, replay_limit: int,
                       still_allowed: Callable[[], bool]) -> AsyncIterator[str]:
    """Subscribe first, then replay what lies between the browser's cursor and the subscription, so
    nothing falls in between; live changes the replay already covered are skipped by offset."""
    sub, now = feed.subscribe(country, filters)
    try:
        yield f"retry: {RETRY_MS}\n\n"
        last = now
        if cursor is not None:
            replayed = await feed.replay(country, cursor, now, replay_limit)
            if replayed is None:
                yield sse_event("reload", "too far behind: reload the page", now.encode())
                return
            last = Cursor(dict(cursor.offsets), cursor.epoch, cursor.status_seq)
            for change in replayed:
                if stream_admits(filters, change.alert):
                    last = last.after(change.partition, change.offset)
                    yield sse_event("alert", render(change.view, change.alert), last.encode())
            for view in feed.board.status_changes_since(country, cursor.epoch, cursor.status_seq):
                if stream_admits(filters, view.alert):
                    yield sse_event("status", render(view, view.alert))
            offsets = {p: max(o, now.offsets.get(p, -1)) for p, o in last.offsets.items()}
            last = Cursor({**now.offsets, **offsets}, now.epoch, now.status_seq)
            yield sse_event("status", "", last.encode())  # the browser now holds everything up to `now`
        while True:
            try:
                change = await asyncio.wait_for(sub.queue.get(), heartbeat_s)
            except TimeoutError:
                if not still_allowed():
                    return  # the account was removed or changed while the stream was open
                yield ": heartbeat\n\n"
                continue
            if sub.dropped:
                return  # too slow: the browser reconnects with its last id and is replayed
            if change.kind == "alert":
                if change.offset <= last.offsets.get(change.partition, -1):
                    continue
                last = last.after(change.partition, change.offset)
            else:
                if change.status_seq <= last.status_seq and last.epoch == feed.board.epoch:
                    continue
                last = last.with_status(feed.board.epoch, change.status_seq)
            yield sse_event(change.kind, render(change.view, change.alert), last.encode())
    finally:
        feed.unsubscribe(sub)
