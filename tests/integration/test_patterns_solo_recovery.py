"""The pattern stage on the real broker: a child seen crossing a checkpoint alone is an entry of its own in
the `patterns-solo` table (agents/patterns/solo.py), and a worker killed with SIGKILL and restarted on an
empty state directory gets it back from that table's changelog: a party passing there later, a stranger and
the child, names the child as one who crosses there alone (`"regular":true` in the stranger's trip record).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest

from streams.local_kafka import free_port
from streams.stages.patterns import SOLO_TABLE, by_checkpoint_topic, changelog_topic, trips_topic
from tests.factories import entry_dict
from tests.helpers import SetUpBroker, Worker, await_until, committed_everything, kafka_producer, poll, watch
from tests.integration.patterns_support import CONFIG
from tests.patterns_factories import cross, person

pytestmark = pytest.mark.integration


async def test_a_child_seen_alone_survives_sigkill(broker_with_watchlist: SetUpBroker, tmp_path: Path) -> None:
    broker = await broker_with_watchlist([entry_dict("WL-1")], BW_PATTERNS="1", BW_PATTERNS_CONFIG=json.dumps(CONFIG),
                                         BW_SESSION_TIMEOUT_S="6", BW_SUPERVISE="0")
    env, settings = broker.env, broker.settings
    child = person("Ma Hla Phyu", "2015", nationality="MMR", sex="F")
    stranger = person("Somchai", "1975-02-03", nationality="THA", surname="Jaidee", doc="AA100")
    solo_log, trips = changelog_topic(settings, SOLO_TABLE), trips_topic(settings)

    first = Worker(env, free_port(), tmp_path / "first.log").start()
    try:
        first.wait_watchlist(1, timeout=120)
        async with watch(settings, solo_log, trips) as seen, kafka_producer(settings) as producer:
            alone = cross(child, dt.datetime.now(dt.UTC), event_id="alone-0")
            await producer.send_and_wait(settings.topic_crossings, key=alone.event_id.encode(),
                                         value=alone.model_dump_json().encode())
            await await_until(lambda: any(r.topic == solo_log for r in seen.records), 120,
                              "the child's entry in the solo table's changelog")
            # Kill only once what noted it is committed as consumed: the restarted worker cannot note it again
            # from a redelivered crossing or tick, only get it from the changelog.
            await poll(
                lambda: committed_everything(settings, settings.app_id, (by_checkpoint_topic(settings),)), 60,
                "the worker to commit the crossings and ticks routed to the checkpoint")
            first.kill()  # SIGKILL
            assert first.proc.returncode == -9
            second = Worker(env, free_port(), tmp_path / "second.log").start()  # an empty state directory
            try:
                await asyncio.to_thread(second.wait_watchlist, 1, 120)
                later = dt.datetime.now(dt.UTC)
                for i, (who, at) in enumerate(((stranger, later), (child, later + dt.timedelta(seconds=0.5)))):
                    c = cross(who, at, event_id=f"party-{i}")
                    await producer.send_and_wait(settings.topic_crossings, key=c.event_id.encode(),
                                                 value=c.model_dump_json().encode())
                await await_until(lambda: any(r.topic == trips and b"party-1" in r.value
                                              and b'"regular":true' in r.value for r in seen.records), 120,
                                  "the stranger's record naming the child a regular (the entry recovered)")
            finally:
                second.stop()
    finally:
        first.stop()
