"""The per-message screening step, shared by the batch loop and the Faust agent: one code path for
what happens to a message, whichever consumer delivered it."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import structlog

from agents.outgoing import Outgoing
from agents.screening import Begun, Processed, begin_event, finish_event, internal_error

if TYPE_CHECKING:
    from streams.runtime import Runtime

log = structlog.get_logger(__name__)

#: Receives (topic, processed, seconds) for every message screened or rejected.
Observer = Callable[[str, Processed, float], None]


def screen_one(runtime: Runtime, message: Any, observe: Observer | None = None) -> list[Outgoing]:
    """One message in, messages out; any failure becomes a dead letter and the partition goes on.
    `message` is anything with .topic .partition .offset .key .value (aiokafka or Faust record);
    `observe` defaults to recording the metrics at once (the batch loop gathers them per slice).
    The same steps as a batch of one (`screen_many`)."""
    return screen_many(runtime, (message,), observe or runtime.observe_screened)[0]


def screen_many(runtime: Runtime, messages: Sequence[Any], observe: Observer) -> list[list[Outgoing]]:
    """`screen_one` of each message, in order, done in two passes: every message decoded and its traveller
    prepared (`begin_event`), then each screened (`finish_event`). The same messages out as `screen_one`
    makes, and the same metrics; the passes only keep the processor's caches on one kind of work at a time
    (a screening call at a million entries evicts the decoder's and the name preparation's code and data).
    Keep `messages` to a few dozen: nothing is sent before the last of them is screened."""
    ctx = runtime.ctx
    clock = time.perf_counter
    begun: list[Begun | Processed | list[Outgoing]] = []
    spent: list[float] = []
    for message in messages:
        started = clock()
        try:
            begun.append(begin_event(message.value, message.key, topic=message.topic, partition=message.partition,
                                     offset=message.offset, ctx=ctx))
        except Exception as error:  # a bug must not stop screening for every other checkpoint
            begun.append(_failed(runtime, message, error))
        spent.append(clock() - started)
    out: list[list[Outgoing]] = []
    for message, first, seconds in zip(messages, begun, spent, strict=True):
        if isinstance(first, list):  # failed: logged and counted already
            out.append(first)
            continue
        started = clock()
        processed = first
        if isinstance(first, Begun):
            try:  # the index read per message, as screen_one reads it
                processed = finish_event(first, topic=message.topic, partition=message.partition,
                                         index=runtime.store.index, ctx=ctx)
            except Exception as error:
                out.append(_failed(runtime, message, error))
                continue
        observe(message.topic, processed, seconds + clock() - started)
        out.append(processed.outgoing)
    return out


def _failed(runtime: Runtime, message: Any, error: Exception) -> list[Outgoing]:
    """The dead letter of a message whose screening hit a bug; logged (no record content) and counted."""
    where = {"topic": message.topic, "partition": message.partition, "offset": message.offset}
    log.exception("screen.internal_error", error=type(error).__name__, **where)
    runtime.observe_internal_error(message.topic)
    return [internal_error(message.value, message.key, error=error, ctx=runtime.ctx, **where)]
