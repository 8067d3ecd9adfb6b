"""Faust agent: screen `border.crossings` and `border.document-checks`. Decode, screen, send."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import structlog

from agents.screening import Outgoing, internal_error, process_event

if TYPE_CHECKING:
    from streams.runtime import Runtime

log = structlog.get_logger(__name__)


def register_screening_agent(runtime: Runtime) -> None:
    app, topics = runtime.app, runtime.topics
    source = app.topic(topics.crossings, topics.document_checks, key_serializer="raw",
                       value_serializer="raw")

    @app.agent(source, name="borderwatch.screen")
    async def screen_events(stream: Any) -> None:
        await runtime.store.ready.wait()
        record, monotonic = runtime.progress.record, time.monotonic
        async for event in stream.events():
            message = event.message
            outgoing = screen_one(runtime, message)
            if outgoing:  # most events send nothing: no coroutine for them
                await runtime.publish_all(outgoing)
            record(message.topic, message.partition, message.offset, monotonic())


def screen_one(runtime: Runtime, message: Any) -> list[Outgoing]:
    """One message in, messages out; any failure becomes a dead letter and the partition goes on."""
    where = {"topic": message.topic, "partition": message.partition, "offset": message.offset}
    started = time.perf_counter()
    try:
        processed = process_event(message.value, message.key, index=runtime.store.index,
                                  ctx=runtime.ctx, **where)
    except Exception as error:  # a bug must not stop screening for every other checkpoint
        log.exception("screen.internal_error", error=type(error).__name__, **where)
        runtime.observe_internal_error(message.topic)
        return [internal_error(message.value, message.key, error=error, ctx=runtime.ctx, **where)]
    runtime.observe_screened(message.topic, processed, time.perf_counter() - started)
    return processed.outgoing
