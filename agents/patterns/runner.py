"""The whole pattern pipeline in one process, for offline screening and benchmarks.

The worker runs the same two steps on Faust tables (checkpoint state, then per-person state, with the
children and young people seen crossing each checkpoint alone in a table of their own); here all three
live in dicts. Crossings must arrive in time order; the clock is the latest crossing's time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from agents.patterns.alerts import build_pattern_alert
from agents.patterns.config import PatternConfig
from agents.patterns.member import Member, member_of
from agents.patterns.memo import Memo
from agents.patterns.person import PersonState, observe
from agents.patterns.solo import Seen, entry_key, expired
from agents.patterns.steps import wake_at
from agents.patterns.trips import CheckpointState, Delivery, Trip, add_crossing, close_due, co_crossing_window, due
from agents.patterns.unvalidated import evolve
from schemas.alerts import Alert
from schemas.events import BorderCrossing


def alerts_for_trip(persons: dict[str, PersonState], trip: Trip, now: dt.datetime,
                    cfg: PatternConfig, to: Iterable[Member] | None = None, by: str | None = None) -> list[Alert]:
    """Fold a trip into the state of each member in `to` (default: all) in `persons`, passed on because of
    the crossing `by`; return the alerts it raises."""
    out: list[Alert] = []
    for member in trip.members if to is None else to:
        state, findings = observe(persons.get(member.key, PersonState()), trip, member, now, cfg, by)
        persons[member.key] = state
        out.extend(build_pattern_alert(f, member, now=now, cfg=cfg) for f in findings)
    return out


class PatternRunner:
    """Checkpoint and person states in memory; `add` one crossing, `finish` at the end of the input."""

    def __init__(self, cfg: PatternConfig) -> None:
        self.cfg = cfg
        self.checkpoints: dict[str, CheckpointState] = {}
        self.persons: dict[str, PersonState] = {}
        #: (`solo.entry_key`: checkpoint and short hash) -> the day they last crossed there alone
        self.solo: dict[str, int] = {}
        self._noted_on: dict[int, list[str]] = {}  # day -> the entries noted with it (to drop them once expired)
        self._sweep_at: dt.datetime | None = None  # when the expired entries are next dropped
        self.wakes: dict[str, dt.datetime | None] = {}  # checkpoint -> when a group there may be complete
        self.clock: dt.datetime | None = None
        self.memo = Memo()  # answers kept between crossings (agents/patterns/memo.py)

    def _trips(self, deliveries: Iterable[Delivery], now: dt.datetime) -> list[Alert]:
        return [a for trip, to, by in deliveries for a in alerts_for_trip(self.persons, trip, now, self.cfg, to, by)]

    def _seen(self, checkpoint_id: str) -> Seen:
        """Reads the checkpoint's entries (`agents/patterns/solo.py`)."""
        return lambda key: self.solo.get(entry_key(checkpoint_id, key))

    def keep_solo(self, entries: dict[str, int]) -> None:
        """Store entries of children and young people seen alone (by `solo.entry_key`)."""
        for key, day in entries.items():
            self.solo[key] = day
            self._noted_on.setdefault(day, []).append(key)

    def _set(self, key: str, state: CheckpointState) -> None:
        if state.solo:  # those noted are kept apart, as the worker's table keeps them
            self.keep_solo({entry_key(key, k): day for k, day in state.solo.items()})
            state = evolve(state, {"solo": {}})
        self.checkpoints[key] = state
        self.wakes[key] = wake_at(state, self.cfg, self.memo)

    def _sweep(self, now: dt.datetime) -> None:
        """Drop the entries nothing can count any more, once a day of the clock (as the worker's sweep): those
        of the days expired, unless noted again since."""
        if self._sweep_at is not None and now < self._sweep_at:
            return
        self._sweep_at = now + dt.timedelta(days=1)
        for day in [d for d in self._noted_on if expired(d, now, self.cfg)]:
            for key in self._noted_on.pop(day):
                if self.solo.get(key) == day:
                    del self.solo[key]

    def _close(self, now: dt.datetime) -> list[Alert]:
        out: list[Alert] = []
        for key, wake in list(self.wakes.items()):
            if wake is None or now < wake:  # no group there can be complete yet
                continue
            state = self.checkpoints[key]
            if due(state, now, self.cfg, self.memo):
                state, trips = close_due(state, now, self.cfg, self.memo, self._seen(key))
                self._set(key, state)
                out.extend(self._trips(trips, now))
        return out

    def add(self, crossing: BorderCrossing) -> list[Alert]:
        member: Member = member_of(crossing, self.cfg.identity_salt)
        now = crossing.occurred_at if self.clock is None else max(self.clock, crossing.occurred_at)
        self.clock = now
        self._sweep(now)
        out = self._close(now)
        state = self.checkpoints.get(crossing.checkpoint_id) or CheckpointState(
            checkpoint_id=crossing.checkpoint_id, checkpoint_country=crossing.checkpoint_country)
        state, trips = add_crossing(state, member, crossing.travel_group_id, now, self.cfg, self.memo,
                                    self._seen(crossing.checkpoint_id))
        self._set(crossing.checkpoint_id, state)
        return out + self._trips(trips, now)

    def finish(self) -> list[Alert]:
        """Close every open group (the input has ended)."""
        if self.clock is None:
            return []
        widest = max((co_crossing_window(s, self.cfg, self.memo) for s in self.checkpoints.values()),
                     default=self.cfg.co_crossing_window)
        return self._close(self.clock + self.cfg.group_complete_after + widest)
