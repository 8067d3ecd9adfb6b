"""Per-worker runtime: the objects the agents share, built once by the app factory.

Holds state that belongs to one worker process (the watchlist store, metrics, topic handles) so
nothing lives in module globals.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import structlog

from agents.outgoing import Outgoing
from agents.progress import ProgressTracker
from agents.screening import Processed, ScreeningContext, Topics
from agents.watchlist import Removed, Upserted, WatchlistStore
from streams.metrics import Metrics
from streams.settings import Settings

log = structlog.get_logger(__name__)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ScreeningConsumer(Protocol):
    """The consumer screening the event topics, whichever path runs it (Faust agent or batch loop):
    what the stall watchdog and the retro-screen need to know about it."""

    group_id: str

    def assigned(self) -> list[Any]:
        """The partitions (with .topic and .partition) assigned to this worker, event topics among them."""
        ...

    def committed(self) -> Mapping[tuple[str, int], int]:
        """Offsets this worker committed, per (topic, partition) it owns."""
        ...


@dataclass
class Runtime:
    app: Any  # faust.App
    settings: Settings
    topics: Topics
    ctx: ScreeningContext
    store: WatchlistStore
    metrics: Metrics
    clock: Callable[[], dt.datetime] = utcnow
    _topic_handles: dict[str, Any] = field(default_factory=dict)
    watchlist_listeners: list[Callable[[Upserted | Removed], None]] = field(default_factory=list)
    progress: ProgressTracker = field(default_factory=ProgressTracker)
    started: float = field(default_factory=time.monotonic)
    screening: ScreeningConsumer | None = None  # set by the app factory

    def topic(self, name: str) -> Any:
        handle = self._topic_handles.get(name)
        if handle is None:
            handle = self.app.topic(name, key_serializer="raw", value_serializer="raw")
            self._topic_handles[name] = handle
        return handle

    async def publish_all(self, outgoing: Iterable[Outgoing]) -> None:
        for out in outgoing:
            await self.topic(out.topic).send(key=out.key, value=out.value)

    async def send(self, out: Outgoing) -> Awaitable[Any]:
        """Hand one message to the producer and return its delivery future: the batch loop awaits it
        before it commits (outside a Faust agent, `send` returns the broker acknowledgement to await)."""
        return await self.topic(out.topic).send(  # type: ignore[no-any-return]
            key=out.key, value=out.value, partition=out.partition)

    # --- metrics recorders (labels are bounded inside Metrics) ---

    def observe_screened(self, topic: str, processed: Processed, seconds: float) -> None:
        if processed.rejected is not None:
            self.metrics.event_invalid(topic, processed.rejected.reason)
            self.metrics.dead_letter(topic)
            log.warning("event.rejected", topic=topic, reason=processed.rejected.reason)
            return
        event = processed.event
        if event is None:
            return
        if processed.problems:
            self.metrics.event_partially_screened(topic)
            log.warning("event.partially_screened", topic=topic, fields=len(processed.problems))
        # Clamped: a checkpoint clock in the future must not hide a silent checkpoint on the dashboard.
        self.metrics.event_screened(topic, event.event_type, event.checkpoint_country,
                                    min(event.occurred_at.timestamp(), time.time()), seconds,
                                    processed.candidates)

    def observe_outcome(self, outcome: Any, candidate: Any, now: dt.datetime) -> None:
        alert = outcome.alert
        if outcome.kind == "suppressed" or alert is None:
            self.metrics.alerts_suppressed.labels(candidate.list).inc()
            return
        if outcome.kind == "publish_update":
            self.metrics.alerts_merged.labels(alert.list).inc()
        self.metrics.alert_published(alert.model_dump(mode="json"),
                                     (now - alert.occurred_at).total_seconds())

    def observe_internal_error(self, topic: str) -> None:
        self.metrics.event_invalid(topic, "internal_error")
        self.metrics.dead_letter(topic)

    def observe_watchlist(self, build_seconds: float | None = None) -> None:
        self.metrics.set_watchlist(self.store.index.counts_by_list(), self.store.index.version)
        if build_seconds is not None:
            self.metrics.watchlist_build.observe(build_seconds)

    def on_watchlist_change(self, change: Upserted | Removed) -> None:
        for listener in self.watchlist_listeners:
            try:
                listener(change)
            except Exception:
                log.exception("watchlist.listener_failed")

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        task.add_done_callback(_log_task_failure)
        return task


def _log_task_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("task.failed", error=type(task.exception()).__name__)
