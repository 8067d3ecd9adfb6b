"""Faust agent: screen `border.crossings` and `border.document-checks`. Decode, screen, send.

Used when `BW_SCREENING_PATH=faust`; the default batch path is streams/stages/screening_batch.py.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from streams.stages.screening_step import screen_one

if TYPE_CHECKING:
    from streams.runtime import Runtime

__all__ = ["FaustScreeningConsumer", "register_screening_agent", "screen_one"]


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


class FaustScreeningConsumer:
    """The Faust app's consumer as the watchdog and retro-screen see the screening consumer."""

    def __init__(self, app: Any, group_id: str) -> None:
        self.app = app
        self.group_id = group_id

    def assigned(self) -> list[Any]:
        return list(self.app.consumer.assignment())

    def committed(self) -> dict[tuple[str, int], int]:
        offsets = dict(getattr(self.app.consumer, "_committed_offset", {}))  # Faust has no public accessor
        return {(tp.topic, tp.partition): offset for tp, offset in offsets.items() if offset is not None}
