"""Stall watchdog for a worker, on its own thread with its own Kafka client.

A Faust consumer can stop fetching after a broker outage without raising anything: the event loop
keeps running, the timers stop firing, nothing is screened again (faust-streaming #523; reproduced
here in about 1 of 3 broker restarts). The watchdog cannot live on that event loop, so it runs on
a thread: every few seconds it compares the end offsets of the worker's assigned event partitions
with what the screening consumer (batch loop or Faust agent) has processed, and also checks that
the event loop still beats. When
waiting events see no progress for `stall_timeout_s`, it exits the process with STALLED_EXIT and
the supervisor starts a fresh worker: lossless, since delivery is at-least-once and alert ids are
deterministic. It also publishes the consumer-lag gauge (end offset minus committed offset).
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from typing import TYPE_CHECKING, Any

import structlog

if TYPE_CHECKING:
    from streams.runtime import Runtime

log = structlog.get_logger(__name__)
STALLED_EXIT = 70
CHECK_EVERY_S = 5.0
CALL_TIMEOUT_S = 10.0


class Watchdog(threading.Thread):
    def __init__(self, runtime: Runtime) -> None:
        super().__init__(name="borderwatch-watchdog", daemon=True)
        self.runtime = runtime
        self.heartbeat = time.monotonic()
        self.ready_at: float | None = None
        self._idle_view: tuple[tuple[Any, int], ...] | None = None
        self._idle_since = 0.0

    def beat(self) -> None:
        """Called from the event loop: proves the loop (and Faust's timers) still run."""
        self.heartbeat = time.monotonic()

    def run(self) -> None:
        log.info("watchdog.started", stall_timeout_s=self.runtime.settings.stall_timeout_s)
        asyncio.run(self._main())

    async def _main(self) -> None:
        from aiokafka import AIOKafkaConsumer

        client: Any = None
        admin: Any = None
        limit = self.runtime.settings.stall_timeout_s
        while True:
            await asyncio.sleep(CHECK_EVERY_S)
            now = time.monotonic()
            log.debug("watchdog.check", ready=self.ready_at is not None, beat_age=round(now - self.heartbeat, 1))
            if self.ready_at is None:
                if not self.runtime.store.ready.is_set():
                    continue  # still loading the watchlist: nothing to screen yet
                self.ready_at = self.heartbeat = now
            if now - self.heartbeat > limit:
                self._exit("event_loop")
            try:
                if client is None:
                    client = AIOKafkaConsumer(**self.runtime.settings.aiokafka_kwargs(), group_id=None,
                                              request_timeout_ms=int(CALL_TIMEOUT_S * 1000))
                    await asyncio.wait_for(client.start(), CALL_TIMEOUT_S)
                if admin is None:
                    from aiokafka.admin import AIOKafkaAdminClient

                    admin = AIOKafkaAdminClient(**self.runtime.settings.aiokafka_kwargs(),
                                                request_timeout_ms=int(CALL_TIMEOUT_S * 1000))
                    await asyncio.wait_for(admin.start(), CALL_TIMEOUT_S)
                await self._check(client, admin, now, limit)
            except Exception as error:  # broker unreachable: nothing to conclude this round
                log.warning("watchdog.kafka_unavailable", error=type(error).__name__)
                for closing in (client, admin):
                    if closing is not None:
                        try:
                            await asyncio.wait_for(
                                closing.stop() if closing is client else closing.close(), CALL_TIMEOUT_S)
                        except Exception:
                            log.warning("watchdog.client_stop_failed")
                client = admin = None

    async def _check(self, client: Any, admin: Any, now: float, limit: float) -> None:
        from aiokafka import TopicPartition

        runtime = self.runtime
        screening = runtime.screening
        if screening is None:
            return
        event_topics = {runtime.topics.crossings, runtime.topics.document_checks}
        assigned = [tp for tp in screening.assigned() if tp.topic in event_topics]
        if not assigned:
            await self._check_unassigned(client, admin, event_topics, now, limit)
            return
        self._idle_view = None
        ends_by_tp = await asyncio.wait_for(
            client.end_offsets([TopicPartition(tp.topic, tp.partition) for tp in assigned]), CALL_TIMEOUT_S)
        ends = {(tp.topic, tp.partition): offset for tp, offset in ends_by_tp.items()}
        by_partition = screening.committed()
        committed = {(tp.topic, tp.partition): by_partition.get((tp.topic, tp.partition)) for tp in assigned}
        for (topic, partition), lag in runtime.progress.lag(ends, committed):
            runtime.metrics.set_lag(topic, partition, lag)
        assert self.ready_at is not None
        log.debug("watchdog.progress", assigned=len(assigned),
                  waiting=sum(max(0, end - 1 - runtime.progress.offsets.get(tp, -1)) for tp, end in ends.items()))
        if runtime.progress.stalled(ends, now, limit, started=self.ready_at):
            self._exit("no_progress")

    async def _check_unassigned(self, client: Any, admin: Any, topics: set[str], now: float,
                                limit: float) -> None:
        """Not assigned any event partition: fine while another member does the work (the group's
        committed offsets move, or nothing waits). A consumer that fell out of the group after a
        broker outage and never rejoined shows as: events waiting, offsets frozen, for `limit`."""
        from streams.kafka_io import topic_partitions

        tps = [tp for topic in sorted(topics)
               for tp in await topic_partitions(client, topic, timeout=CALL_TIMEOUT_S)]
        ends = await asyncio.wait_for(client.end_offsets(tps), CALL_TIMEOUT_S)
        assert self.runtime.screening is not None
        committed = await asyncio.wait_for(
            admin.list_consumer_group_offsets(self.runtime.screening.group_id), CALL_TIMEOUT_S)
        view = tuple(sorted(((tp.topic, tp.partition), committed[tp].offset if tp in committed else -1)
                            for tp in tps))
        waiting = any(ends[tp] > (committed[tp].offset if tp in committed else 0) for tp in tps)
        if not waiting or view != self._idle_view:
            self._idle_view, self._idle_since = view, now
            return
        if now - self._idle_since > limit:
            self._exit("unassigned_with_waiting_events")

    def _exit(self, why: str) -> None:
        log.error("worker.stalled", reason=why, seconds=self.runtime.settings.stall_timeout_s)
        os._exit(STALLED_EXIT)
