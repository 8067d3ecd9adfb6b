"""Who travels with whom: assembling each checkpoint's crossings into trips (groups crossing together).

A trip is the travellers who share a `travel_group_id` at one checkpoint in one direction, or, without
one, who pass the checkpoint in the same direction within `co_crossing_window` of each other. Where more
ungrouped travellers than `max_co_crossing_group` pass that close together, it is a queue: each of them
is taken to travel alone, since nothing says who is with whom, and a minor in it is neither counted
nor flagged as unaccompanied.

A trip is complete when nobody has joined it for `group_complete_after`; only then is it judged (a minor
is "unaccompanied" only once no adult can still turn up). State is per checkpoint, keyed by checkpoint id.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from agents.alerting.ids import composite_key
from agents.patterns import baseline as usual
from agents.patterns.baseline import DailyCounts
from agents.patterns.config import PatternConfig
from agents.patterns.member import Member

MAX_GROUP_MEMBERS = 200  # a group id reused by a whole bus station must not grow state without end
Linked = Literal["group", "co_crossing", "alone", "queue"]


class Passage(BaseModel):
    """Where and when a trip passed: what a trip and each person's record of it share."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    trip_id: str
    checkpoint_id: str
    checkpoint_country: str
    direction: Literal["entry", "exit"]
    at: dt.datetime


class Trip(Passage):
    """A complete group crossing, and which of its minors crossed without an adult where that is unusual."""

    linked_by: Linked
    members: tuple[Member, ...]
    unaccompanied: dict[str, float] = Field(
        default_factory=dict, description="event_id of a minor flagged -> the checkpoint's usual share"
    )


class OpenGroup(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    linked_by: Linked
    direction: Literal["entry", "exit"]
    last_at: dt.datetime
    members: tuple[Member, ...] = ()
    queue: bool = False  # too many ungrouped crossers together: members leave at once, alone


class CheckpointState(BaseModel):
    """Open groups at one checkpoint, its recent event ids (to spot redeliveries) and its baseline."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    checkpoint_id: str
    checkpoint_country: str
    groups: dict[str, OpenGroup] = Field(default_factory=dict)
    recent: dict[str, dt.datetime] = Field(default_factory=dict)
    baseline: DailyCounts = Field(default_factory=dict)


def _trip(state: CheckpointState, group: OpenGroup, members: tuple[Member, ...], linked: Linked) -> Trip:
    first = min(members, key=lambda m: (m.at, m.event_id))
    return Trip(
        trip_id=composite_key("trip", state.checkpoint_id, first.event_id),
        checkpoint_id=state.checkpoint_id,
        checkpoint_country=state.checkpoint_country,
        direction=group.direction,
        at=first.at,
        linked_by=linked,
        members=tuple(sorted(members, key=lambda m: (m.at, m.event_id))),
    )


def judge(state: CheckpointState, trip: Trip, cfg: PatternConfig) -> tuple[CheckpointState, Trip]:
    """Count the trip's minors into the checkpoint's baseline and flag those who crossed without an adult
    where that is unusual (judged against the baseline before this trip)."""
    minors = [m for m in trip.members if m.is_minor(cfg.adult_age)]
    if not minors or trip.linked_by == "queue":  # in a queue nobody can tell who is with whom
        return state, trip
    accompanied = any(m.may_be_adult(cfg.adult_age) for m in trip.members)
    day = trip.at.date()
    history = usual.current(state.baseline, day, cfg)
    flagged: dict[str, float] = {}
    if not accompanied and usual.is_unusual(history, cfg):
        share = usual.usual_share(history, cfg)
        flagged = {m.event_id: share for m in minors}
    counts = usual.record(history, day, len(minors), 0 if accompanied else len(minors), cfg)
    return state.model_copy(update={"baseline": counts}), trip.model_copy(update={"unaccompanied": flagged})


def _close(state: CheckpointState, key: str, cfg: PatternConfig) -> tuple[CheckpointState, list[Trip]]:
    group = state.groups[key]
    groups = {k: g for k, g in state.groups.items() if k != key}
    state = state.model_copy(update={"groups": groups})
    if not group.members:
        return state, []
    linked: Linked = "alone" if group.linked_by == "co_crossing" and len(group.members) == 1 else group.linked_by
    state, trip = judge(state, _trip(state, group, group.members, linked), cfg)
    return state, [trip]


def _alone(state: CheckpointState, group: OpenGroup, members: tuple[Member, ...],
           cfg: PatternConfig) -> tuple[CheckpointState, list[Trip]]:
    trips: list[Trip] = []
    for member in members:
        state, trip = judge(state, _trip(state, group, (member,), "queue"), cfg)
        trips.append(trip)
    return state, trips


def close_due(state: CheckpointState, now: dt.datetime, cfg: PatternConfig) -> tuple[CheckpointState, list[Trip]]:
    """Close every group nobody has joined for `group_complete_after`; forget old event ids."""
    trips: list[Trip] = []
    for key, group in sorted(state.groups.items(), key=lambda kv: kv[1].last_at):
        if now - group.last_at >= cfg.group_complete_after:
            state, closed = _close(state, key, cfg)
            trips.extend(closed)
    forget_before = now - 2 * cfg.group_complete_after
    if any(at < forget_before for at in state.recent.values()):
        state = state.model_copy(update={"recent": {e: at for e, at in state.recent.items() if at >= forget_before}})
    return state, trips


def add_crossing(state: CheckpointState, member: Member, travel_group_id: str | None, now: dt.datetime,
                 cfg: PatternConfig) -> tuple[CheckpointState, list[Trip]]:
    """Fold one crossing in; return the trips that are complete by `now` (the stream's clock).

    A redelivered crossing (same event id, seen recently) changes nothing.
    """
    state, trips = close_due(state, now, cfg)
    if member.event_id in state.recent:
        return state, trips
    state = state.model_copy(update={"recent": {**state.recent, member.event_id: member.at}})
    if travel_group_id is not None:
        key = f"g\x1f{member.direction}\x1f{travel_group_id}"
        group = state.groups.get(key) or OpenGroup(linked_by="group", direction=member.direction, last_at=member.at)
        members = group.members if len(group.members) >= MAX_GROUP_MEMBERS else (*group.members, member)
        joined = group.model_copy(update={"members": members, "last_at": max(group.last_at, member.at)})
        return state.model_copy(update={"groups": {**state.groups, key: joined}}), trips

    key = f"c\x1f{member.direction}"
    found = state.groups.get(key)
    if found is not None and abs(member.at - found.last_at) > cfg.co_crossing_window:
        state, closed = _close(state, key, cfg)
        trips.extend(closed)
        found = None
    group = found or OpenGroup(linked_by="co_crossing", direction=member.direction, last_at=member.at)
    last_at = max(group.last_at, member.at)
    if group.queue:
        state, alone = _alone(state, group, (member,), cfg)
        trips.extend(alone)
        joined = group.model_copy(update={"last_at": last_at})
    elif len(group.members) + 1 > cfg.max_co_crossing_group:
        state, alone = _alone(state, group, (*group.members, member), cfg)
        trips.extend(alone)
        joined = group.model_copy(update={"members": (), "queue": True, "last_at": last_at})
    else:
        joined = group.model_copy(update={"members": (*group.members, member), "last_at": last_at})
    return state.model_copy(update={"groups": {**state.groups, key: joined}}), trips
