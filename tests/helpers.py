"""Test helpers for the real-broker tests: a broker with namespaced topics and a loaded watchlist, worker
processes, topic watchers."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from streams.demo import start_worker, stop_process
from streams.kafka_io import topic_partitions
from streams.local_kafka import free_port
from streams.settings import Settings
from streams.testkit import metric_value, namespaced_env, scrape, settings_for
from streams.topics import ensure_topics
from streams.watchlist_tools import LoadSummary, load_file


async def committed_everything(settings: Settings, group: str, topics: tuple[str, ...]) -> bool:
    """True when `group` has committed the end offset of every non-empty partition of `topics`."""
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, group_id=None)
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    await consumer.start()
    await admin.start()
    try:
        tps = [tp for topic in topics for tp in await topic_partitions(consumer, topic)]
        ends = await consumer.end_offsets(tps)
        committed = await admin.list_consumer_group_offsets(group)
        return all(end == 0 or (tp in committed and committed[tp].offset == end) for tp, end in ends.items())
    finally:
        await admin.close()
        await consumer.stop()


def write_watchlist(path: Path, entries: list[dict[str, Any]]) -> Path:
    """`entries` as a JSON-lines watchlist file."""
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entries))
    return path


async def load_watchlist(settings: Settings, path: Path, entries: list[dict[str, Any]]) -> LoadSummary:
    """`entries` through `watchlist load` (a file at `path`) onto the watchlist topic of `settings`."""
    return await load_file(settings, write_watchlist(path, entries), None, [], progress=False)


@dataclass
class BrokerSetup:
    """A broker with one test's namespaced topics and a loaded watchlist, as a worker would be started on it."""

    env: dict[str, str]
    settings: Settings
    summary: LoadSummary


async def set_up_broker(bootstrap: str, namespace: str, tmp: Path, entries: list[dict[str, Any]],
                        **env: str) -> BrokerSetup:
    """Topics under `namespace` on the broker at `bootstrap`, with `entries` loaded on the watchlist topic;
    `env` adds to (or overrides) the namespaced BW_* environment."""
    full_env = {**namespaced_env(bootstrap, namespace), **env}
    settings = settings_for(full_env)
    await ensure_topics(settings)
    summary = await load_watchlist(settings, tmp / "wl.jsonl", entries)
    return BrokerSetup(full_env, settings, summary)


#: What the `broker_with_watchlist` fixture gives a test: `await set_up(entries, **env)`.
SetUpBroker = Callable[..., Awaitable[BrokerSetup]]


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


async def poll(condition: Callable[[], Awaitable[bool]], timeout: float, what: str) -> None:
    """`await_until` for a condition that is itself awaited (a broker query)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if await condition():
                return
        await asyncio.sleep(0.1)
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
