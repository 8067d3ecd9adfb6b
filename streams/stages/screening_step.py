"""The per-message screening step, shared by the batch loop and the Faust agent: one code path for
what happens to a message, whichever consumer delivered it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import structlog

from agents.outgoing import Outgoing
from agents.screening import Processed, internal_error, process_event

if TYPE_CHECKING:
    from streams.runtime import Runtime

log = structlog.get_logger(__name__)

#: Receives (topic, processed, seconds) for every message screened or rejected.
Observer = Callable[[str, Processed, float], None]


def screen_one(runtime: Runtime, message: Any, observe: Observer | None = None) -> list[Outgoing]:
    """One message in, messages out; any failure becomes a dead letter and the partition goes on.
    `message` is anything with .topic .partition .offset .key .value (aiokafka or Faust record);
    `observe` defaults to recording the metrics at once (the batch loop gathers them per slice)."""
    where = {"topic": message.topic, "partition": message.partition, "offset": message.offset}
    started = time.perf_counter()
    try:
        processed = process_event(message.value, message.key, index=runtime.store.index,
                                  ctx=runtime.ctx, **where)
    except Exception as error:  # a bug must not stop screening for every other checkpoint
        log.exception("screen.internal_error", error=type(error).__name__, **where)
        runtime.observe_internal_error(message.topic)
        return [internal_error(message.value, message.key, error=error, ctx=runtime.ctx, **where)]
    (observe or runtime.observe_screened)(message.topic, processed, time.perf_counter() - started)
    return processed.outgoing
