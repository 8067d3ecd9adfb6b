"""One Kafka consumer per console process, fanned out to every browser.

The consumer reads every country's alert topic (`alerts.<ALPHA3>`) and `alerts.decisions` from the
beginning into the `Board`, then follows them. Each browser stream subscribes with a bounded queue: a
browser that stops reading fills its queue and is dropped (its stream ends; it reconnects with its
Last-Event-ID and is replayed from Kafka), and the consumer never waits for a browser.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson
import structlog
from aiokafka import TopicPartition
from pydantic import ValidationError

from schemas.alerts import Alert, AlertDecision
from streams.console.web.board import AlertView, Board, Filters
from streams.console.web.cursor import Cursor
from streams.kafka_io import behind, consumer, topic_partitions
from streams.settings import Settings
from streams.topics import country_alert_topic

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Change:
    """Something a browser of `country` should redraw: an alert record, or a claim/decision."""

    kind: Literal["alert", "status"]
    view: AlertView
    alert: Alert  # for "alert": the record as published at `partition:offset`
    partition: int = -1
    offset: int = -1
    status_seq: int = 0


CLOSE = Change("status", None, None)  # type: ignore[arg-type]  # wakes a stream so that it sees `dropped`


@dataclass(eq=False)
class Subscriber:
    country: str
    filters: Filters
    queue: asyncio.Queue[Change]
    dropped: bool = False


@dataclass(eq=False)
class AlertFeed:
    settings: Settings
    board: Board
    queue_size: int
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    _subscribers: dict[str, set[Subscriber]] = field(default_factory=dict)
    dropped_total: int = 0
    invalid_total: int = 0

    def topic(self, country: str) -> str:
        return country_alert_topic(self.settings, country)

    async def run(self) -> None:
        """Read everything, then follow; never returns (cancel it to stop)."""
        countries = {self.topic(c): c for c in self.board.countries}
        async with consumer(self.settings, from_beginning=True) as cons:
            tps: list[TopicPartition] = []
            for topic in [*countries, self.settings.topic_decisions]:
                tps.extend(await topic_partitions(cons, topic))
            cons.assign(tps)
            await cons.seek_to_beginning(*tps)
            end = await cons.end_offsets(tps)
            log.info("console.feed_started", topics=len(countries) + 1)
            while True:
                batches = await cons.getmany(timeout_ms=500, max_records=2000)
                for tp, records in batches.items():
                    for record in records:
                        self._apply(countries.get(tp.topic), tp.partition, record.offset, record.value)
                if not self.ready.is_set() and not await behind(cons, end):
                    self.ready.set()
                    log.info("console.feed_caught_up")

    def _apply(self, country: str | None, partition: int, offset: int, value: bytes | None) -> None:
        try:
            if country is None:
                self.changed(self.board.apply_decision(AlertDecision.model_validate_json(value or b"")))
                return
            alert = decode_alert(value)
        except (ValidationError, orjson.JSONDecodeError, TypeError):
            self.invalid_total += 1  # one bad record must not stop the console
            log.warning("console.invalid_record", country=country, partition=partition, offset=offset)
            return
        view = self.board.apply_alert(country, partition, offset, alert)
        self._fan_out(country, Change("alert", view, alert, partition, offset))

    def changed(self, views: list[tuple[str, AlertView]]) -> None:
        """Tell browsers about claims and decisions (after the board recorded them)."""
        for country, view in views:
            self._fan_out(country, Change("status", view, view.alert, status_seq=self.board.status_seq))

    def _fan_out(self, country: str, change: Change) -> None:
        for sub in list(self._subscribers.get(country, ())):
            if change.kind == "alert" and not stream_admits(sub.filters, change.alert):
                continue
            try:
                sub.queue.put_nowait(change)
            except asyncio.QueueFull:
                sub.dropped = True
                self.unsubscribe(sub)
                self.dropped_total += 1
                log.warning("console.browser_dropped", country=country, queue_size=self.queue_size)

    def subscribe(self, country: str, filters: Filters) -> tuple[Subscriber, Cursor]:
        """A queue that receives every later change of `country`, and the cursor of what came before."""
        sub = Subscriber(country, filters, asyncio.Queue(self.queue_size))
        self._subscribers.setdefault(country, set()).add(sub)
        return sub, self.cursor(country)

    def close_all(self) -> None:
        """End every stream (the console is stopping): browsers reconnect to the next console with their
        Last-Event-ID instead of waiting on a dead connection."""
        for subs in self._subscribers.values():
            for sub in list(subs):
                sub.dropped = True
                with contextlib.suppress(asyncio.QueueFull):
                    sub.queue.put_nowait(CLOSE)
            subs.clear()

    def unsubscribe(self, sub: Subscriber) -> None:
        self._subscribers.get(sub.country, set()).discard(sub)

    def subscribers(self) -> int:
        return sum(len(s) for s in self._subscribers.values())

    def cursor(self, country: str) -> Cursor:
        return Cursor(dict(self.board.country(country).positions), self.board.epoch, self.board.status_seq)

    async def replay(self, country: str, after: Cursor, upto: Cursor, limit: int) -> list[Change] | None:
        """The alert records of `country` after `after` up to `upto`, read again from Kafka (None when more
        than `limit`: the browser should reload the page instead)."""
        ranges = {p: (after.offsets.get(p, -1) + 1, last) for p, last in upto.offsets.items()
                  if last >= after.offsets.get(p, -1) + 1}
        if sum(last - first + 1 for first, last in ranges.values()) > limit:
            return None
        changes = []
        for partition, offset, value in await read_range(self.settings, self.topic(country), ranges):
            try:
                alert = decode_alert(value)
            except (ValidationError, orjson.JSONDecodeError, TypeError):
                continue
            view = self.board.get(country, alert.alert_id)
            if view is not None:
                changes.append(Change("alert", view, alert, partition, offset))
        return changes


def decode_alert(value: bytes | None) -> Alert:
    """An alert record, ignoring fields this console does not know (the alerting stage may add fields
    before every console is upgraded; the Alert schema itself forbids extras for what we publish)."""
    data = orjson.loads(value or b"null")
    if not isinstance(data, dict):
        raise TypeError("an alert is a JSON object")
    return Alert.model_validate({k: v for k, v in data.items() if k in Alert.model_fields})


def stream_admits(filters: Filters, alert: Alert) -> bool:
    """Streams filter by list and checkpoint; status filtering is the page's (a decided alert must still
    reach the browser to leave its open queue)."""
    if filters.lists and alert.list not in filters.lists:
        return False
    return not filters.checkpoint or alert.checkpoint_id == filters.checkpoint


async def read_range(settings: Settings, topic: str,
                     ranges: dict[int, tuple[int, int]]) -> list[tuple[int, int, bytes | None]]:
    """(partition, offset, value) of the records of `topic` with first <= offset <= last per partition."""
    if not ranges:
        return []
    found: list[tuple[int, int, bytes | None]] = []
    async with consumer(settings, from_beginning=True) as cons:
        tps = [TopicPartition(topic, p) for p in ranges]
        cons.assign(tps)
        for tp in tps:
            cons.seek(tp, ranges[tp.partition][0])
        end: dict[Any, int] = {tp: ranges[tp.partition][1] + 1 for tp in tps}
        while await behind(cons, end):
            for tp, records in (await cons.getmany(timeout_ms=500)).items():
                last = ranges[tp.partition][1]
                found.extend((tp.partition, r.offset, r.value) for r in records if r.offset <= last)
    return found


async def follow(feed: AlertFeed, retry_s: float = 2.0) -> None:
    """Run the feed for the life of the console, starting it again after a broker error (the board
    takes the records again idempotently; browsers skip offsets they already have)."""
    while True:
        try:
            await feed.run()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error("console.feed_failed", error=type(exc).__name__, retry_s=retry_s)
            await asyncio.sleep(retry_s)


@contextlib.asynccontextmanager
async def running_feed(feed: AlertFeed) -> AsyncIterator[AlertFeed]:
    task = asyncio.ensure_future(follow(feed))
    try:
        yield feed
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
