"""What the pattern stage's broker tests share (SIGKILL recovery, standby takeover): the detectors'
settings for a test that waits seconds, not minutes, and sending a trip and waiting for it to be consumed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from streams.settings import Settings
from streams.stages.patterns import trips_topic
from tests.helpers import committed_everything
from tests.patterns_factories import cross

# Seconds. Travel groups stay open far longer than the test waits: the alert comes from deciding on the
# crossing itself (the trip as it stands), and the state it needs is the evidence kept before the kill. A
# traveller without a travel group is alone once nobody joined within the short window (closed by the tick).
CONFIG = {"group_complete_after": 600, "co_crossing_window": 2}


async def send_trip(producer: Any, settings: Settings, people: list[dict[str, Any]], group: str) -> list[str]:
    """The people cross one second apart as travel group `group`; their event ids."""
    now = dt.datetime.now(dt.UTC)
    ids = []
    for i, p in enumerate(people):
        c = cross(p, now + dt.timedelta(seconds=i), group=group, event_id=f"{group}-{i}")
        await producer.send_and_wait(settings.topic_crossings, key=c.event_id.encode(),
                                     value=c.model_dump_json().encode())
        ids.append(c.event_id)
    return ids


async def trips_consumed(settings: Settings) -> bool:
    """Every trip record sent so far is committed as processed by the app's consumer group (bundled: a
    record may hold several members' messages)."""
    return await committed_everything(settings, settings.app_id, (trips_topic(settings),))
