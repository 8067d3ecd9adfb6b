"""The name-frequency model survives a worker's death through Kafka: counts published per partition to
the compacted topic are taken in by the next worker, which adds its own to them."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from agents.matching.population import decode_snapshots
from agents.watchlist import latest_values
from streams.history import read_records
from streams.settings import Settings
from streams.stages.screening_batch import screening_group
from tests.factories import entry_dict, live_crossing, person
from tests.helpers import SetUpBroker, committed_everything, kafka_producer, poll, running_worker

pytestmark = pytest.mark.integration


async def counted(settings: Settings) -> dict[str, int]:
    """Travellers counted per partition key, as persisted on the name-frequency topic."""
    records = latest_values(await read_records(settings, settings.topic_name_frequency))
    sketches, bad = decode_snapshots({k.decode(): v for k, v in records.items()})
    assert bad == 0
    return {key: sketch.total for key, sketch in sketches.items()}


async def until_counted(settings: Settings, expected: dict[str, int], timeout: float = 60.0) -> None:
    deadline, last = time.monotonic() + timeout, {}
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            last = await counted(settings)
            if last == expected:
                return
        await asyncio.sleep(0.2)
    raise AssertionError(f"name-frequency topic holds {last}, expected {expected}")


async def all_committed(settings: Settings) -> bool:
    """The worker's group has committed every crossing sent so far."""
    return await committed_everything(settings, screening_group(settings.app_id), (settings.topic_crossings,))


async def send(settings: Settings, producer: Any, partition: int, n: int) -> None:
    for i in range(n):
        event = live_crossing(person(f"Traveller{i} Someone", "1990-01-01", nationality="LAO"))
        await producer.send_and_wait(settings.topic_crossings, orjson.dumps(event),
                                     key=event["event_id"].encode(), partition=partition)


async def test_counts_survive_a_killed_worker(broker_with_watchlist: SetUpBroker, tmp_path: Path) -> None:
    setup = await broker_with_watchlist([entry_dict("E-1")], BW_NAME_FREQUENCY_INTERVAL_S="0.5")
    settings, crossings = setup.settings, setup.settings.topic_crossings
    async with kafka_producer(settings) as producer:
        with running_worker(setup.env, tmp_path, "first") as first:
            await asyncio.to_thread(first.wait_watchlist, 1)
            await send(settings, producer, 0, 7)
            await send(settings, producer, 1, 5)
            await until_counted(settings, {f"{crossings}:0": 7, f"{crossings}:1": 5})
            # Else the crossings not yet committed are delivered again, and counted again (at least once).
            await poll(lambda: all_committed(settings), 30.0, "the first worker's offsets committed")
            first.kill()  # SIGKILL: nothing is flushed on the way out
        await send(settings, producer, 0, 4)  # while no worker runs
        with running_worker(setup.env, tmp_path, "second") as second:
            await asyncio.to_thread(second.wait_watchlist, 1)
            # The new worker counts on top of the persisted counts, whichever it read first.
            await until_counted(settings, {f"{crossings}:0": 11, f"{crossings}:1": 5})
            assert "name_frequency.loaded" in second.log_path.read_text()
