"""Batched screening on a plain aiokafka consumer: the worker's default hot path (issue #7).

Faust's per-message cost comes before any work is done (its consume-only ceiling: bench/results/e2e.md);
`getmany` hands over up to thousands of
records at once. Each record goes through the steps `screen_one` runs for the Faust agent, a few dozen
records at a time (`screen_many`).

Delivery is at-least-once. A batch's offsets are committed only after every message it produced
(alert candidates, dead letters) is acknowledged by the broker; a crash before that replays the
batch (alert ids are deterministic, consumers de-duplicate). The acknowledgements of one batch
overlap the screening of the next, one batch at a time, so commits stay in order. Acknowledged
offsets are committed at most every COMMIT_INTERVAL_S (each commit is a write to the broker's
offsets topic; a crash replays at most that much more), and at once when the loop is idle, on a
revoke (after the batch in flight is screened and acknowledged) and on shutdown.

Other stages may take messages made from the screened records (`also_send`: the pattern stage's crossings
by checkpoint). Those are made from the batches read within `also_within_s` together: live traffic comes
a few records per fetch, and one bundle per partition of a moment's traffic costs the other stage far
fewer records than one per fetch. Alerts are still sent at once; the batches held are settled together
once their other messages are sent, so nothing held is committed before it is.

Consumer group `<app_id>-screen`, not the Faust app's `<app_id>`: Faust joins its group with its
own partition assignor ("faust"), and Kafka refuses members of one group that share no assignor
protocol (INCONSISTENT_GROUP_PROTOCOL). A partition this group never committed starts where the
Faust group left it, so switching a deployment between paths neither replays nor skips events.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import (
    CommitFailedError,
    CorruptRecordException,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
)
from aiokafka.structs import OffsetAndMetadata

from agents.offsets import Partition, above_floors, inherited_starts, next_offsets
from agents.outgoing import Outgoing
from streams.metrics import ScreenedSlice
from streams.stages.screening_step import screen_many

if TYPE_CHECKING:
    from streams.runtime import Runtime

log = structlog.get_logger(__name__)

GROUP_SUFFIX = "-screen"
#: Records per `getmany`: big enough that the commit round trip and the wait for acknowledgements
#: are a few per cent of a backlog batch; at live rates a fetch returns whatever has arrived.
MAX_RECORDS = 2000
FETCH_TIMEOUT_MS = 100
#: A fetch the broker may hold (Settings.screening_fetch_wait_ms) is answered once this much has arrived:
#: a backlog's fetches fill it at once, live traffic's wait for the time limit.
FETCH_MIN_BYTES = 256 << 10
#: Work between two yields to the event loop: the alerting agent, the watchlist feed, the producer
#: and /metrics get a turn at least this often (the latency budget is 50 ms).
SLICE_S = 0.02
#: Records decoded together before the first of them is screened (`screen_many`): enough that the decoder
#: runs on warm caches, few enough that a slice still ends close to SLICE_S and an alert is sent soon.
STAGED = 32
COMMIT_INTERVAL_S = 1.0
#: Records held for other stages at most (a backlog's batches are released one or two at a time).
HELD_MOST = 2 * MAX_RECORDS
RESTART_BACKOFF_S = (1.0, 30.0)
ADMIN_TIMEOUT_S = 10.0
#: Publishing errors no retry can fix (a dead letter of a near-limit message is larger than the
#: producer or topic accepts): the message is skipped, logged and counted, the partition goes on.
#: Any other publishing error restarts the loop and the batch is replayed.
UNPUBLISHABLE = (MessageSizeTooLargeError, RecordTooLargeError, RecordListTooLargeError, CorruptRecordException)

#: Where a message came from, for logs: (topic, partition, offset).
Where = tuple[str, int, int]


def screening_group(app_id: str) -> str:
    return app_id + GROUP_SUFFIX


class Held:
    """Screened batches whose other stages' messages are not made yet: their records, the acknowledgements
    of what was sent for them already (alerts) and the offsets they complete, since `since`."""

    def __init__(self) -> None:
        self.records: list[Any] = []
        self.acks: list[tuple[Where, Awaitable[Any]]] = []
        self.offsets: dict[Partition, int] = {}
        self.since: float | None = None

    def __bool__(self) -> bool:
        return self.since is not None

    def add(self, records: list[Any], acks: list[tuple[Where, Awaitable[Any]]], offsets: dict[Partition, int],
            now: float) -> None:
        self.records.extend(records)
        self.acks.extend(acks)
        for partition, following in offsets.items():  # batches of one partition come in offset order
            self.offsets[partition] = max(following, self.offsets.get(partition, -1))
        if self.since is None:
            self.since = now

    def due(self, now: float, within_s: float, most: int) -> bool:
        return self.since is not None and (now - self.since >= within_s or len(self.records) >= most)


class BatchScreening:
    """The batch screening loop of one worker, and the watchdog's and retro-screen's view of it."""

    def __init__(self, group_id: str, inherit_from: str | None) -> None:
        self.group_id = group_id
        self.inherit_from = inherit_from
        # Replaced, never mutated: the watchdog thread reads these.
        self._assigned: frozenset[TopicPartition] = frozenset()
        self._committed: dict[Partition, int] = {}
        self._uncommitted: dict[Partition, int] = {}  # published and acknowledged, commit not yet done
        # Partitions that inherited a start: the next offset to screen (below it: screened by Faust,
        # or by this loop already)
        self._floors: dict[Partition, int] = {}
        self._batch = asyncio.Lock()  # held while a batch is screened (the revoke callback waits on it)
        self._settling: asyncio.Future[None] | None = None  # the last batch's acknowledgements + commit
        self._committed_at = 0.0
        self._task: asyncio.Task[Any] | None = None
        # Other stages' messages made from each batch of records, sent and acknowledged with the batch's
        # alerts before its offsets are committed (the pattern stage's crossings, by checkpoint).
        self.also_send: list[Callable[[list[Any]], list[Outgoing]]] = []
        self.also_within_s = 0.0
        self._held = Held()

    def assigned(self) -> list[Any]:
        return list(self._assigned)

    def committed(self) -> dict[Partition, int]:
        return dict(self._committed)

    async def stop(self) -> None:
        """Stop the loop while the producer still runs: the last batch is acknowledged and committed,
        and the consumer leaves the group (its partitions move at once, not after a session timeout)."""
        task = self._task
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait([task], timeout=2 * ADMIN_TIMEOUT_S)

    async def run(self, runtime: Runtime) -> None:
        """Screen until cancelled; an unexpected failure restarts the consumer from the committed offsets."""
        self._task = asyncio.current_task()
        await runtime.store.ready.wait()
        backoff = RESTART_BACKOFF_S[0]
        while True:
            consumer = self._consumer(runtime)
            started = time.monotonic()
            try:
                await consumer.start()
                log.info("screen_batch.started", group=self.group_id)
                await self._consume(runtime, consumer)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # never the end of screening: log (no record content), count, restart
                runtime.metrics.screening_loop_errors.labels("restart").inc()
                log.error("screen_batch.failed", error=type(error).__name__, at=_where(error),
                          restart_in_s=backoff)
            finally:
                await self._drain()  # on shutdown too: the last screened batch gets committed
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._commit(consumer, dict(self._uncommitted)), ADMIN_TIMEOUT_S)
                settling, self._settling = self._settling, None
                if settling is not None and not settling.done():
                    settling.cancel()  # not acknowledged in time: replayed after the restart
                elif settling is not None and not settling.cancelled():
                    settling.exception()  # retrieved: a failure was reported above, or is moot now
                self._assigned, self._committed, self._uncommitted, self._floors = frozenset(), {}, {}, {}
                self._held = Held()  # never committed: screened again after the restart
                try:
                    await asyncio.wait_for(consumer.stop(), ADMIN_TIMEOUT_S)
                    log.info("screen_batch.stopped", group=self.group_id)
                except Exception as error:
                    log.warning("screen_batch.stop_failed", error=type(error).__name__)
            if time.monotonic() - started > 2 * RESTART_BACKOFF_S[1]:
                backoff = RESTART_BACKOFF_S[0]  # it ran for a while: a new failure, not a crash loop
            await asyncio.sleep(backoff)
            backoff = min(RESTART_BACKOFF_S[1], backoff * 2)

    def _consumer(self, runtime: Runtime) -> AIOKafkaConsumer:
        settings, topics = runtime.settings, runtime.topics
        session_ms = int(settings.session_timeout_s * 1000)
        consumer = AIOKafkaConsumer(
            **settings.aiokafka_kwargs(), group_id=self.group_id, enable_auto_commit=False,
            auto_offset_reset="earliest", session_timeout_ms=session_ms,
            heartbeat_interval_ms=max(1000, session_ms // 4), **fetch_options(settings.screening_fetch_wait_ms))
        consumer.subscribe([topics.crossings, topics.document_checks], listener=_Rebalance(self, runtime, consumer))
        return consumer

    async def _consume(self, runtime: Runtime, consumer: AIOKafkaConsumer) -> None:
        while True:
            batch = await consumer.getmany(timeout_ms=FETCH_TIMEOUT_MS, max_records=MAX_RECORDS)
            settling = self._settling
            if settling is not None and settling.done():
                self._settling = None
                settling.result()  # a failed delivery or commit: restart from the committed offsets
            if batch:
                async with self._batch:
                    await self._screen_batch(runtime, consumer, batch)
            if self._held and (not batch or self._held.due(time.monotonic(), self.also_within_s, HELD_MOST)):
                async with self._batch:
                    await self._release(runtime, consumer)
            elif not batch and self._uncommitted and self._settling is None:  # idle: commit what is acknowledged
                self._settling = asyncio.ensure_future(self._settle(runtime, consumer, [], {}, force=True))

    async def _screen_batch(self, runtime: Runtime, consumer: AIOKafkaConsumer,
                            batch: dict[TopicPartition, list[Any]]) -> None:
        owned, floors = consumer.assignment(), self._floors
        # Fetched before a rebalance that moved the partition: its new owner screens those records.
        records = [m for tp, messages in batch.items() if tp in owned for m in messages]
        records, self._floors = above_floors(records, floors)
        tally = ScreenedSlice(runtime)
        acks: list[tuple[Where, Awaitable[Any]]] = []
        clock = time.perf_counter
        yield_at = clock() + SLICE_S
        for start in range(0, len(records), STAGED):
            staged = records[start:start + STAGED]
            for message, outgoing in zip(staged, screen_many(runtime, staged, tally.observe), strict=True):
                if outgoing:  # sent at once (latency); acknowledged before the commit
                    await self._send(runtime, message, outgoing, acks)
            if clock() >= yield_at:
                tally.flush()
                await asyncio.sleep(0)
                yield_at = clock() + SLICE_S
        tally.flush()
        if self.also_send:
            self._held.add(records, acks, next_offsets(records), time.monotonic())
        else:
            await self._settle_next(runtime, consumer, acks, next_offsets(records))

    async def _release(self, runtime: Runtime, consumer: AIOKafkaConsumer) -> None:
        """Send the other stages' messages made from the batches held, then settle them together."""
        held, self._held = self._held, Held()
        if held.records:
            for also in self.also_send:
                await self._send(runtime, held.records[-1], _made_safely(also, held.records), held.acks)
        await self._settle_next(runtime, consumer, held.acks, held.offsets)

    async def _settle_next(self, runtime: Runtime, consumer: AIOKafkaConsumer,
                           acks: list[tuple[Where, Awaitable[Any]]], offsets: dict[Partition, int]) -> None:
        previous = self._settling
        if previous is not None:  # one batch settling at a time: commits in order, memory bounded
            await asyncio.wait([previous])
            previous.result()
        self._settling = asyncio.ensure_future(self._settle(runtime, consumer, acks, offsets))

    async def _send(self, runtime: Runtime, message: Any, outgoing: list[Any],
                    acks: list[tuple[Where, Awaitable[Any]]]) -> None:
        where = (message.topic, message.partition, message.offset)
        for out in outgoing:
            try:
                acks.append((where, await runtime.send(out)))
            except Exception as error:
                if not _unpublishable(error):
                    raise
                _skip_unpublishable(runtime, where, error)

    async def _settle(self, runtime: Runtime, consumer: AIOKafkaConsumer,
                      acks: list[tuple[Where, Awaitable[Any]]], offsets: dict[Partition, int],
                      force: bool = False) -> None:
        """The at-least-once point of a batch: its messages acknowledged, then its offsets committable."""
        if acks:
            results = await asyncio.gather(*(ack for _, ack in acks), return_exceptions=True)
            for (where, _), result in zip(acks, results, strict=True):
                if isinstance(result, BaseException):
                    if not _unpublishable(result):
                        raise result  # nothing committed: the batch replays after the restart
                    _skip_unpublishable(runtime, where, result)
        clock = time.monotonic()
        for (topic, partition), following in offsets.items():
            runtime.progress.record(topic, partition, following - 1, clock)
        self._uncommitted.update(offsets)
        if force or clock - self._committed_at >= COMMIT_INTERVAL_S:
            self._committed_at = clock
            await self._commit(consumer, dict(self._uncommitted))

    async def _drain(self) -> None:
        """Wait (bounded) for the batch settling; its failure is the loop's to report, not ours."""
        settling = self._settling
        if settling is not None and not settling.done():
            await asyncio.wait([settling], timeout=ADMIN_TIMEOUT_S)

    async def _commit(self, consumer: AIOKafkaConsumer, offsets: dict[Partition, int]) -> None:
        owned = consumer.assignment()
        for tp in [tp for tp in offsets if TopicPartition(*tp) not in owned]:
            del offsets[tp]  # moved to another member, which replays from the group's last commit
            self._uncommitted.pop(tp, None)
        if not offsets:
            return
        try:
            await consumer.commit({TopicPartition(t, p): OffsetAndMetadata(o, "") for (t, p), o in offsets.items()})
        except CommitFailedError:  # the group rebalanced under us: the new owners replay from the last commit
            log.warning("screen_batch.commit_failed", reason="rebalanced", partitions=len(offsets))
            for tp in offsets:
                self._uncommitted.pop(tp, None)
            return
        self._committed = {**self._committed, **offsets}
        for tp, offset in offsets.items():
            if self._uncommitted.get(tp) == offset:
                del self._uncommitted[tp]


class _Rebalance(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, screening: BatchScreening, runtime: Runtime, consumer: AIOKafkaConsumer) -> None:
        self.screening = screening
        self.runtime = runtime
        self.consumer = consumer

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        screening = self.screening
        async with screening._batch:  # the batch in flight is screened, acknowledged and committed first
            if screening._held:
                try:
                    await screening._release(self.runtime, self.consumer)
                except Exception as error:  # not committed: the next owner screens them again
                    log.warning("screen_batch.revoke_release_failed", error=type(error).__name__)
            await screening._drain()
            leftover = {(tp.topic, tp.partition): screening._uncommitted[(tp.topic, tp.partition)]
                        for tp in revoked if (tp.topic, tp.partition) in screening._uncommitted}
            try:
                await screening._commit(self.consumer, leftover)
            except Exception as error:  # replayed by the next owner: at-least-once
                log.warning("screen_batch.revoke_commit_failed", error=type(error).__name__)
            screening._assigned = frozenset()
            screening._committed, screening._uncommitted, screening._floors = {}, {}, {}
        log.info("screen_batch.revoked", partitions=len(revoked))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self.screening._assigned = frozenset(assigned)
        log.info("screen_batch.assigned", partitions=len(assigned))
        if not self.screening.inherit_from or not assigned:
            return
        async with self.screening._batch:  # nothing fetched is screened before the floors are known
            try:
                await asyncio.wait_for(self._inherit(assigned), ADMIN_TIMEOUT_S)
            except Exception as error:  # unknown: the consumer's own reset applies (replay, not loss)
                log.warning("screen_batch.inherit_failed", error=type(error).__name__)

    async def _inherit(self, assigned: set[TopicPartition]) -> None:
        from aiokafka.admin import AIOKafkaAdminClient

        admin = AIOKafkaAdminClient(**self.runtime.settings.aiokafka_kwargs())
        await admin.start()
        try:
            own = await admin.list_consumer_group_offsets(self.screening.group_id)
            if all(tp in own and own[tp].offset >= 0 for tp in assigned):
                return
            assert self.screening.inherit_from is not None
            inherited = await admin.list_consumer_group_offsets(self.screening.inherit_from)
        finally:
            await admin.close()
        starts = inherited_starts(((tp.topic, tp.partition) for tp in assigned),
                                  {(tp.topic, tp.partition): m.offset for tp, m in own.items()},
                                  {(tp.topic, tp.partition): m.offset for tp, m in inherited.items()})
        if not starts:
            return
        self.screening._floors = starts
        for (topic, partition), offset in starts.items():
            self.consumer.seek(TopicPartition(topic, partition), offset)
        # Committed at once: the group's offsets then say where screening stands (the watchdog of an
        # idle worker reads them), and the next owner no longer needs the Faust group.
        await self.screening._commit(self.consumer, dict(starts))
        log.info("screen_batch.inherited_offsets", group=self.screening.inherit_from, partitions=len(starts))


def fetch_options(wait_ms: int) -> dict[str, int]:
    """How long the broker may hold a fetch for more records: until FETCH_MIN_BYTES have arrived or `wait_ms`
    has passed. With no wait, a fetch is answered with the first record there and live traffic comes one or
    two records per fetch, each fetch a round of requests, responses and a batch to settle."""
    if wait_ms <= 0:
        return {"fetch_max_wait_ms": FETCH_TIMEOUT_MS}
    return {"fetch_max_wait_ms": wait_ms, "fetch_min_bytes": FETCH_MIN_BYTES}


def _made_safely(make: Callable[[list[Any]], list[Outgoing]], records: list[Any]) -> list[Outgoing]:
    """Another stage's messages from a batch, or none if making them failed: screening goes on (a failure
    here would otherwise restart the loop on the same batch again and again)."""
    try:
        return make(records)
    except Exception as error:
        log.error("screen_batch.also_send_failed", error=type(error).__name__, at=_where(error))
        return []


def _unpublishable(error: BaseException) -> bool:
    return isinstance(error, UNPUBLISHABLE) or isinstance(error.__cause__, UNPUBLISHABLE)  # Faust wraps it


def _skip_unpublishable(runtime: Runtime, where: Where, error: BaseException) -> None:
    runtime.metrics.screening_loop_errors.labels("unpublishable").inc()
    topic, partition, offset = where
    log.error("screen_batch.unpublishable", error=type(error.__cause__ or error).__name__, topic=topic,
              partition=partition, offset=offset)


def _where(error: BaseException) -> str:
    """file:line where `error` was raised: enough to find the bug, with none of the message's values."""
    frames = traceback.extract_tb(error.__traceback__)
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
