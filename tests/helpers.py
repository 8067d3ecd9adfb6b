"""Test helpers for the real-broker tests: namespaced settings, worker processes, topic watchers."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streams.demo import start_worker, stop_process
from streams.local_kafka import free_port
from streams.settings import Settings
from streams.testkit import TOPIC_FIELDS, metric_value, namespaced_env, scrape, settings_for  # noqa: F401 (re-exported)

#: A listed suspect the integration tests plant on the watchlist and send through checkpoints.
SUSPECT = {"full_name": "Somchai Srisuk", "given_names": "Somchai", "surname": "Srisuk",
           "date_of_birth": "1972-04-18", "sex": "M", "nationality": "THA",
           "documents": [{"type": "P", "number": "AA1234567", "issuing_country": "THA"}]}

def wait_until(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if condition():
                return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


async def await_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if condition():
                return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@dataclass
class Worker:
    env: dict[str, str]
    metrics_port: int
    log_path: Path
    proc: Any = None

    def start(self) -> Worker:
        self.proc = start_worker(self.env["BW_KAFKA_BOOTSTRAP"], self.metrics_port, self.log_path,
                                 self.log_path.parent / f"state-{self.metrics_port}",
                                 extra_env=self.env)
        return self

    def metrics(self) -> str:
        return scrape(self.metrics_port)

    def wait_watchlist(self, entries: int, timeout: float = 60.0) -> None:
        def ready() -> bool:
            assert self.proc.poll() is None, "worker exited:\n" + self.log_path.read_text()[-3000:]
            return metric_value(self.metrics(), "borderwatch_watchlist_entries") == entries
        wait_until(ready, timeout, f"watchlist of {entries} entries on the worker")

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


@contextlib.contextmanager
def running_worker(env: dict[str, str], tmp: Path, name: str = "worker") -> Iterator[Worker]:
    worker = Worker(env, free_port(), tmp / f"{name}.log").start()
    try:
        yield worker
    finally:
        worker.stop()


@dataclass
class TopicWatcher:
    """Collects every record of some topics in the background; tests wait on conditions over them."""

    records: list[Any] = field(default_factory=list)

    def values(self, topic: str | None = None) -> list[dict[str, Any]]:
        return [orjson.loads(r.value) for r in self.records if topic is None or r.topic == topic]

    async def wait_for(self, predicate: Callable[[dict[str, Any]], bool], *, topic: str | None = None,
                       timeout: float = 10.0, count: int = 1) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []

        def enough() -> bool:
            found[:] = [v for v in self.values(topic) if predicate(v)]
            return len(found) >= count
        await await_until(enough, timeout, f"{count} matching record(s) on {topic or 'watched topics'}")
        return found


@contextlib.asynccontextmanager
async def watch(settings: Settings, *topics: str) -> AsyncIterator[TopicWatcher]:
    consumer = AIOKafkaConsumer(*topics, bootstrap_servers=settings.kafka_bootstrap, group_id=None,
                                auto_offset_reset="earliest", fetch_max_wait_ms=50,
                                metadata_max_age_ms=1000)
    await consumer.start()
    watcher = TopicWatcher()

    async def pump() -> None:
        async for record in consumer:
            watcher.records.append(record)
    task = asyncio.ensure_future(pump())
    try:
        yield watcher
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        await consumer.stop()


@contextlib.asynccontextmanager
async def kafka_producer(settings: Settings) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, linger_ms=1)
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


def crossing(person: dict[str, Any], *, country: str = "THA", checkpoint: str = "THA-CP01",
             event_id: str | None = None, occurred_at: dt.datetime | None = None) -> dict[str, Any]:
    return {
        "event_id": event_id or str(uuid.uuid4()),
        "event_type": "border_crossing",
        "occurred_at": (occurred_at or dt.datetime.now(dt.UTC)).isoformat(),
        "checkpoint_id": checkpoint,
        "checkpoint_country": country,
        "direction": "entry",
        "traveler": person,
    }


def entry(entry_id: str, person: dict[str, Any], *, list_name: str = "suspect", source: str = "THA",
          **extra: Any) -> dict[str, Any]:
    return {"entry_id": entry_id, "list": list_name, "person": person, "source_country": source,
            "source_agency": "Test Agency", "case_ref": f"CASE-{entry_id}", "priority": "high", **extra}
