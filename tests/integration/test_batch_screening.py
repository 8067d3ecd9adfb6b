"""The batched screening path (BW_SCREENING_PATH=batch) on the real broker: alerts, dead letters,
committed offsets across a restart, and the switch over from the Faust path's consumer group."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from agents.matching import native
from streams.settings import Settings
from streams.stages.screening_batch import screening_group
from streams.testkit import metric_value
from tests.factories import SUSPECT, entry_dict, live_crossing
from tests.helpers import SetUpBroker, Worker, committed_everything, kafka_producer, poll, running_worker, watch

pytestmark = pytest.mark.integration

STRANGER = {"full_name": "Wirat Boonma", "date_of_birth": "1961-01-05", "sex": "M", "nationality": "THA"}


def _events(settings: Settings) -> tuple[str, ...]:
    return settings.topic_crossings, settings.topic_document_checks


def consumed(worker: Worker) -> float:
    return metric_value(worker.metrics(), "borderwatch_events_consumed_total")


async def wait_metric(worker: Worker, value: Callable[[Worker], float], wanted: float, what: str) -> None:
    async def reached() -> bool:
        return value(worker) >= wanted
    await poll(reached, 20.0, what)


@pytest.fixture
async def batch_env(broker_with_watchlist: SetUpBroker) -> tuple[dict[str, str], Settings]:
    broker = await broker_with_watchlist([entry_dict("E-SUSPECT", SUSPECT)], BW_SCREENING_PATH="batch")
    assert broker.summary.loaded == 1 and not broker.summary.rejected
    return broker.env, broker.settings


def events(n: int, hit_every: int, tag: str) -> list[dict[str, Any]]:
    return [live_crossing(SUSPECT if i % hit_every == 0 else {**STRANGER, "full_name": f"Traveller {tag} {i}"},
                          event_id=f"{tag}-{i}") for i in range(n)]


async def send(producer: Any, settings: Settings, batch: list[dict[str, Any]]) -> None:
    for e in batch:
        await producer.send_and_wait(settings.topic_crossings, orjson.dumps(e), key=e["event_id"].encode())


def hits(batch: list[dict[str, Any]]) -> set[str]:
    return {e["event_id"] for e in batch if e["traveler"]["full_name"] == SUSPECT["full_name"]}


async def test_batch_path_alerts_a_watchlisted_crossing(batch_env: Any, tmp_path: Path) -> None:
    env, settings = batch_env
    async with watch(settings, settings.topic_alerts) as alerts, kafka_producer(settings) as producer:
        with running_worker(env, tmp_path) as worker:
            await asyncio.to_thread(worker.wait_watchlist, 1)
            event = live_crossing({**SUSPECT, "full_name": "SOMCHAI SRISUK"})
            await send(producer, settings, [event])
            found = await alerts.wait_for(lambda a: a["event_id"] == event["event_id"], timeout=10.0)
            assert found[0]["entry_id"] == "E-SUSPECT" and found[0]["list"] == "suspect"
            log = worker.log_path.read_text()
            assert "screen_batch.started" in log
            # The worker says which matcher screens: the mypyc build whenever scripts/setup made a current one.
            matcher_lines = [line for line in log.splitlines() if "worker.matcher" in line]
            assert matcher_lines and all(f"compiled={native.current()}" in line for line in matcher_lines)


async def test_batch_path_dead_letters_bad_input_and_screens_the_next(batch_env: Any, tmp_path: Path) -> None:
    env, settings = batch_env
    async with watch(settings, settings.topic_alerts, settings.topic_dead_letter) as seen, \
            kafka_producer(settings) as producer:
        with running_worker(env, tmp_path) as worker:
            await asyncio.to_thread(worker.wait_watchlist, 1)
            good = live_crossing(SUSPECT)
            for key, value in ((b"bad-1", b"{not json"), (b"bad-2", orjson.dumps({"event_id": "x"})),
                               (good["event_id"].encode(), orjson.dumps(good))):
                await producer.send_and_wait(settings.topic_crossings, value, key=key, partition=1)
            letters = await seen.wait_for(lambda d: "original_b64" in d, topic=settings.topic_dead_letter,
                                          count=2, timeout=10.0)
            assert {d["error"] for d in letters} == {"invalid_json", "invalid_schema"}
            assert all(d["source_topic"] == settings.topic_crossings and d["source_partition"] == 1
                       and d["reason"] for d in letters)
            assert "event_type" in next(d for d in letters if d["error"] == "invalid_schema")["reason"]
            await seen.wait_for(lambda a: a.get("event_id") == good["event_id"], topic=settings.topic_alerts,
                                timeout=10.0)
            keys = {r.key for r in seen.records if r.topic == settings.topic_dead_letter}
            assert keys == {b"bad-1", b"bad-2"}  # dead letters keep the original key
            await wait_metric(worker, lambda w: metric_value(w.metrics(), "borderwatch_events_invalid_total"), 2,
                              "2 invalid events counted")
            assert metric_value(worker.metrics(), "borderwatch_dead_letters_published_total") == 2
            assert worker.proc.poll() is None


async def test_restart_resumes_after_the_committed_offsets(batch_env: Any, tmp_path: Path) -> None:
    """Stop a worker after 12 screened events, send 12 more while it is down, start a new one: it
    screens exactly the 12 new events (nothing lost, nothing committed re-screened)."""
    env, settings = batch_env
    group = screening_group(settings.app_id)
    first, second = events(12, 4, "first"), events(12, 4, "second")

    async def all_committed() -> bool:
        return await committed_everything(settings, group, _events(settings))

    async with watch(settings, settings.topic_alerts) as alerts, kafka_producer(settings) as producer:
        with running_worker(env, tmp_path, "first") as worker:
            await asyncio.to_thread(worker.wait_watchlist, 1)
            await send(producer, settings, first)
            await alerts.wait_for(lambda a: a["event_id"] in hits(first), count=len(hits(first)), timeout=15.0)
            await poll(all_committed, 20.0, "offsets of the first events committed")
            assert consumed(worker) == len(first)
        await send(producer, settings, second)
        with running_worker(env, tmp_path, "second") as worker:
            await asyncio.to_thread(worker.wait_watchlist, 1)
            await alerts.wait_for(lambda a: a["event_id"] in hits(second), count=len(hits(second)), timeout=20.0)
            await poll(all_committed, 20.0, "offsets of the second events committed")
            assert consumed(worker) == len(second)  # final: a slice's metrics are written before its commit
        assert len([a for a in alerts.values() if a["event_id"] in hits(first)]) == len(hits(first))


async def test_switch_from_the_faust_path_starts_where_the_faust_group_stopped(
        batch_env: Any, tmp_path: Path) -> None:
    env, settings = batch_env
    faust_env = {**env, "BW_SCREENING_PATH": "faust"}
    before, after = events(9, 3, "faust"), events(9, 3, "batch")

    async def faust_committed() -> bool:
        return await committed_everything(settings, settings.app_id, _events(settings))

    async def batch_committed() -> bool:
        return await committed_everything(settings, screening_group(settings.app_id), _events(settings))

    async with watch(settings, settings.topic_alerts) as alerts, kafka_producer(settings) as producer:
        with running_worker(faust_env, tmp_path, "faust") as worker:
            await asyncio.to_thread(worker.wait_watchlist, 1)
            await send(producer, settings, before)
            await alerts.wait_for(lambda a: a["event_id"] in hits(before), count=len(hits(before)), timeout=15.0)
            await poll(faust_committed, 30.0, "the Faust group's offsets committed")
        await send(producer, settings, after)
        with running_worker(env, tmp_path, "batch") as worker:
            await asyncio.to_thread(worker.wait_watchlist, 1)
            await alerts.wait_for(lambda a: a["event_id"] in hits(after), count=len(hits(after)), timeout=20.0)
            await poll(batch_committed, 20.0, "the screening group's offsets committed")
            assert consumed(worker) == len(after)
            assert "screen_batch.inherited_offsets" in worker.log_path.read_text()


async def test_a_message_too_large_to_dead_letter_whole_is_dead_lettered_truncated(
        batch_env: Any, tmp_path: Path) -> None:
    """An 800 kB non-JSON message is within BW_MAX_MESSAGE_BYTES, but whole in a dead letter (base64) it
    would be over the producer's 1 MB request limit: its dead letter keeps the first bytes, the size and
    the SHA-256, and the partition goes on."""
    env, settings = batch_env
    huge = b"x" * 800_000
    async with watch(settings, settings.topic_alerts, settings.topic_dead_letter) as seen, \
            kafka_producer(settings) as producer:
        with running_worker(env, tmp_path) as worker:
            await asyncio.to_thread(worker.wait_watchlist, 1)
            good = live_crossing(SUSPECT)
            await producer.send_and_wait(settings.topic_crossings, huge, key=b"huge", partition=2)
            await producer.send_and_wait(settings.topic_crossings, orjson.dumps(good), key=good["event_id"].encode(),
                                         partition=2)
            await seen.wait_for(lambda a: a.get("event_id") == good["event_id"], topic=settings.topic_alerts,
                                timeout=15.0)
            [letter] = await seen.wait_for(lambda d: "original_b64" in d, topic=settings.topic_dead_letter)
            assert letter["original_truncated"] and letter["original_size"] == len(huge)
            assert letter["original_sha256"] == hashlib.sha256(huge).hexdigest()
            assert huge.startswith(base64.b64decode(letter["original_b64"]))
            assert metric_value(worker.metrics(), "borderwatch_screening_loop_errors_total", kind="restart") == 0
            assert worker.proc.poll() is None
