"""A person's state as the worker stores it (JSON), updated without building it when no detector can fire.

Most trips a person's state receives cannot complete a pattern: a commuter crossing alone, a parent
with their own children. Building the state's objects from JSON is most of a step's cost, so such a
trip is folded into the stored JSON as it is (the same trimming as `person.observe`: the horizon, one
record per crossing (a party that grew replaces the record sent as it was), `max_trips_kept`, expired
alerts dropped). A trip that may add evidence, or a redelivered one (its alert is sent again), takes
the full path.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from agents.patterns.config import PATTERNS, PatternConfig
from agents.patterns.person import may_add_evidence
from agents.patterns.records import TripRecord


def _at(raw: dict[str, Any], key: str = "at") -> dt.datetime:
    return dt.datetime.fromisoformat(raw[key])


def _shuttle_rounds_at_most(trips: list[dict[str, Any]], now: dt.datetime, cfg: PatternConfig) -> int:
    """At least as many round trips as `detectors.shuttle_trips` could count: the same round trips (an
    adult's exit in the window, back into that country within `shuttle_return_within`), each with someone
    on its legs not on an earlier round trip's, before any companion is set aside (co-crossers not seen
    on the other side, one's own children): setting companions aside only ever counts fewer."""
    since = now - cfg.shuttle_window
    rounds = 0
    seen: set[str] = set()
    for i, out in enumerate(trips):
        age = out.get("age")
        if out["direction"] != "exit" or not age or age[0] < cfg.adult_age or _at(out) <= since:
            continue
        j = next((j for j in range(i + 1, len(trips)) if trips[j]["checkpoint_country"] == out["checkpoint_country"]),
                 None)
        if j is None or trips[j]["direction"] != "entry" or _at(trips[j]) - _at(out) > cfg.shuttle_return_within:
            continue
        everyone = {c["key"] for leg in trips[i:j + 1] if not leg.get("organised") for c in leg.get("companions", ())}
        if everyone and seen.isdisjoint(everyone):
            rounds += 1
        seen |= everyone
    return rounds


def _may_decide(record: TripRecord, trips: list[dict[str, Any]], mine: dict[str, Any], now: dt.datetime,
                cfg: PatternConfig) -> bool:
    """Some detector could find something with `record` in (as `person.observe` would run them)."""
    for pattern in PATTERNS:
        if not may_add_evidence(pattern, record, cfg):
            continue
        if pattern == "shuttle_trips":
            with_mine = sorted([*(t for t in trips if t["event_id"] != record.event_id), mine],
                               key=lambda t: (_at(t), t["event_id"]))
            if _shuttle_rounds_at_most(with_mine, now, cfg) < cfg.shuttle_min_round_trips:
                continue
        return True
    return False


def fold(stored: bytes | None, record: TripRecord, now: dt.datetime, cfg: PatternConfig) -> bytes | None:
    """The stored state with `record` in, or None when the full path must run (`person.observe`)."""
    raw: dict[str, Any] = orjson.loads(stored) if stored else {}
    trips: list[dict[str, Any]] = raw.get("trips", [])
    mine = record.model_dump(mode="json", exclude_defaults=True)
    before = next((i for i in range(len(trips) - 1, -1, -1) if trips[i]["event_id"] == record.event_id), None)
    if (before is not None and trips[before] == mine) or _may_decide(record, trips, mine, now, cfg):
        return None
    if before is not None:
        del trips[before]
    oldest = now - cfg.horizon
    start = 0
    while start < len(trips) and _at(trips[start]) < oldest:  # kept in time order: the old ones lead
        start += 1
    kept = trips[start:]
    if record.at >= oldest:
        kept.append(mine)
        if len(kept) > 1 and (_at(kept[-2]), kept[-2]["event_id"]) > (record.at, record.event_id):
            kept.sort(key=lambda t: (_at(t), t["event_id"]))
    kept = kept[-cfg.max_trips_kept:]
    alerts = {p: a for p, a in raw.get("alerts", {}).items() if now - _at(a, "opened_at") < cfg.window(p)}
    out: dict[str, Any] = {}
    if kept:
        out["trips"] = kept
    if alerts:
        out["alerts"] = alerts
    return orjson.dumps(out)
