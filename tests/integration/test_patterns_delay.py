"""Pattern alerts on the real broker follow the crossing that decides them, not the group's completion.

Travel groups here complete only after ten minutes (`group_complete_after`), far beyond the waits below,
so a repeat-escort alert (and its update when a third child joins the same group) can only come from
deciding on the crossing itself. An unaccompanied minor inherently waits until no adult can join: for a
child passing without a travel group, the booth's reach (`trips.unaccompanied_reach`: here the window of
2 s, as this booth's children pass a second after their parents) and the next tick. The delays are
printed, not asserted (speed goals live in bench/; figures in bench/results/patterns.md).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from streams.settings import Settings
from tests.factories import entry_dict
from tests.helpers import SetUpBroker, TopicWatcher, kafka_producer, running_worker, watch
from tests.patterns_factories import cross, person

pytestmark = pytest.mark.integration

CONFIG = {"group_complete_after": 600, "co_crossing_window": 2}


async def _send(producer: AIOKafkaProducer, settings: Settings, traveller: dict[str, Any], at: dt.datetime,
                event_id: str, **where: Any) -> float:
    """One crossing, keyed by its checkpoint: this test sends hours of crossings in a second, and one
    partition keeps them in time order (live crossings arrive in time order anyway)."""
    c = cross(traveller, at, event_id=event_id, **where)
    await producer.send_and_wait(settings.topic_crossings, key=c.checkpoint_id.encode(),
                                 value=c.model_dump_json().encode())
    return time.time()


def _published(seen: TopicWatcher, settings: Settings, alert_id: str, update: bool) -> float:
    """When the alerting stage published that alert (the record's timestamp)."""
    return min(r.timestamp / 1000 for r in seen.records if r.topic == settings.topic_alerts
               and (v := json.loads(r.value)).get("alert_id") == alert_id and v.get("update") is update)


# The batch screening loop routes crossings to the pattern stage; with Faust screening, an agent of its own.
@pytest.mark.parametrize("screening_path", ["batch", "faust"])
async def test_pattern_alerts_follow_the_deciding_crossing(broker_with_watchlist: SetUpBroker, tmp_path: Path,
                                                           screening_path: str) -> None:
    broker = await broker_with_watchlist([entry_dict("WL-1")], BW_PATTERNS="1", BW_PATTERNS_CONFIG=json.dumps(CONFIG),
                                         BW_SCREENING_PATH=screening_path)
    settings = broker.settings
    adult = person("Somchai", "1975-02-03", nationality="THA", surname="Jaidee", doc="AA100")
    children = [person(name, "2015", nationality=nat, sex="F") for name, nat in
                (("Ma Hla Phyu", "MMR"), ("Khamla Vongsa", "LAO"), ("Srey Pov", "KHM"))]
    delays: dict[str, float] = {}
    with running_worker(broker.env, tmp_path) as worker:
        await asyncio.to_thread(worker.wait_watchlist, 1, 120)
        async with watch(settings, settings.topic_alerts) as seen, kafka_producer(settings) as producer:
            now = dt.datetime.now(dt.UTC)
            await _send(producer, settings, adult, now - dt.timedelta(days=2), "g1-0", group="g1")
            await _send(producer, settings, children[0], now - dt.timedelta(days=2), "g1-1", group="g1")

            # Repeat escort: the second child's crossing decides it; the group stays open for ten minutes.
            now = dt.datetime.now(dt.UTC)
            await _send(producer, settings, adult, now, "g2-0", group="g2")
            sent = await _send(producer, settings, children[1], now + dt.timedelta(seconds=1), "g2-1", group="g2")
            found = await seen.wait_for(lambda a: a.get("entry_id") == "pattern:repeat_escort_of_minors"
                                        and not a["update"], topic=settings.topic_alerts, timeout=120)
            alert_id = found[0]["alert_id"]
            delays["repeat escort, new alert"] = _published(seen, settings, alert_id, False) - sent

            # A third child joining the same group updates that alert.
            sent = await _send(producer, settings, children[2], now + dt.timedelta(seconds=2), "g2-2", group="g2")
            updated = await seen.wait_for(lambda a: a.get("alert_id") == alert_id and a["update"],
                                          topic=settings.topic_alerts, timeout=120)
            delays["repeat escort, update"] = _published(seen, settings, alert_id, True) - sent
            assert {c["event_id"] for c in updated[0]["pattern"]["crossings"]} >= {"g1-0", "g1-1", "g2-1", "g2-2"}
            assert len([a for a in seen.values(settings.topic_alerts)
                        if a.get("entry_id") == "pattern:repeat_escort_of_minors" and not a["update"]]) == 1

            # Unaccompanied minor at a checkpoint where children cross with their parents: judged once no
            # adult can join (the booth's reach after the child, at the next tick).
            where = {"checkpoint": "THA-ORD"}
            start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
            for i in range(30):
                at = start + dt.timedelta(minutes=2 * i)
                await _send(producer, settings, person(f"Parent {i}", "1980", surname=f"F{i}"), at, f"f{i}-0", **where)
                await _send(producer, settings, person(f"Child {i}", "2016", surname=f"F{i}"),
                            at + dt.timedelta(seconds=1), f"f{i}-1", **where)
            sent = await _send(producer, settings, person("Lone", "2014", nationality="MMR"),
                               dt.datetime.now(dt.UTC), "lone", **where)
            lone = await seen.wait_for(lambda a: a.get("entry_id") == "pattern:unaccompanied_minor",
                                       topic=settings.topic_alerts, timeout=120)
            assert len(lone) == 1 and lone[0]["event_id"] == "lone"
            delays["unaccompanied minor (waits the booth's reach = 2 s)"] = (
                _published(seen, settings, lone[0]["alert_id"], False) - sent)
    for what, seconds in delays.items():
        print(f"pattern alert delay: {what}: {seconds:.2f} s after the deciding crossing was sent")
