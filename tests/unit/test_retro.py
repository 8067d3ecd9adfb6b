"""Retro-screening decisions without Kafka: past sightings, changed entries, the look-back window."""

from __future__ import annotations

import datetime as dt
from typing import Any

from agents.retro_screening import retro_alerts
from schemas import WatchlistEntry
from streams.app import screening_context
from streams.settings import Settings
from tests import factories
from tests.factories import crossing_json, fixed_clock, person

NOW = factories.NOW.replace(hour=12)
CTX = screening_context(Settings(), clock=fixed_clock(NOW))


def girl(name: str, dob: str) -> dict[str, Any]:
    return person(name, dob, nationality="VNM", sex="F")


def entry(entry_id: str, name: str, dob: str, **fields: Any) -> WatchlistEntry:
    return factories.entry(entry_id, girl(name, dob), list="missing_person", source_country="VNM",
                           source_agency="C02", case_ref=f"C-{entry_id}", **fields)


def crossing(event_id: str, name: str, dob: str, hours_ago: float) -> tuple[str, bytes]:
    return CTX.topics.crossings, crossing_json(girl(name, dob), event_id=event_id,
                                               occurred_at=NOW - dt.timedelta(hours=hours_ago),
                                               checkpoint_id="KHM-CP07", checkpoint_country="KHM", direction="exit")


HISTORY = [
    crossing("old", "NGUYEN THI LAN", "2012-08-01", hours_ago=24 * 40),  # outside the look-back
    crossing("recent", "NGUYEN THI LAN", "2012-08-01", hours_ago=20),
    crossing("other", "TRAN MINH THU", "1990-01-01", hours_ago=5),
    (CTX.topics.crossings, b"{not json"),
]
SINCE = NOW - dt.timedelta(days=30)


def test_new_entry_alerts_past_sightings_within_the_window() -> None:
    alerts = retro_alerts([(entry("E1", "Nguyễn Thị Lan", "2012-08-01"), None)], HISTORY, CTX,
                          now=NOW, since=SINCE, watchlist_version=7)
    assert [(a.event_id, a.entry_id) for a in alerts] == [("recent", "E1")]
    assert alerts[0].retrospective and alerts[0].watchlist_version == 7
    assert "KHM-CP07" in alerts[0].recommended_action


def test_changed_entry_does_not_realert_what_it_already_matched() -> None:
    old = entry("E1", "Nguyễn Thị Lan", "2012-08-01", priority="medium")
    new = entry("E1", "Nguyễn Thị Lan", "2012-08-01", priority="critical")
    assert retro_alerts([(new, old)], HISTORY, CTX, now=NOW, since=SINCE, watchlist_version=8) == []


def test_batch_of_changes_is_one_pass() -> None:
    changes = [(entry("E1", "Nguyễn Thị Lan", "2012-08-01"), None),
               (entry("E2", "Trần Minh Thư", "1990-01-01"), None),
               (entry("E3", "Phạm Quốc Bảo", "1990-12-12"), None)]
    alerts = retro_alerts(changes, HISTORY, CTX, now=NOW, since=SINCE, watchlist_version=9)
    assert sorted((a.event_id, a.entry_id) for a in alerts) == [("other", "E2"), ("recent", "E1")]
