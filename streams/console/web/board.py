"""What a console process knows about the alerts of each country: the latest version of every alert (repeat
hits folded in), its decision and who claimed it. Pure state, fed by `feed.AlertFeed`.

Each country's board holds only what arrived on that country's alert topic (`alerts.<ALPHA3>`), so an
officer can be shown only alerts routed to their country: the sharing policy was applied by the
alerting stage when it chose the topics.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from schemas.alerts import Alert, AlertDecision
from schemas.watchlist import PRIORITIES

Status = Literal["open", "claimed", "confirmed", "false_positive", "escalated"]
STATUS_FILTERS = ("open", "claimed", "decided", "all")
SORTS = ("priority", "age")
MAX_STATUS_LOG = 10_000  # status changes kept for reconnecting browsers; older ones resend everything
MAX_ALERTS = 100_000  # per country: past it, the oldest alerts are forgotten, decided ones first


@dataclass(frozen=True, slots=True)
class Hit:
    """One sighting folded into an alert (the first, or a repeat hit)."""

    occurred_at: dt.datetime
    checkpoint_id: str
    direction: str | None
    event_type: str


def hit_of(alert: Alert) -> Hit:
    return Hit(alert.occurred_at, alert.checkpoint_id, alert.direction, alert.event_type)


@dataclass(slots=True)
class AlertView:
    alert: Alert  # the latest record of this alert id (an update carries the newest hit and its count)
    first_seen: dt.datetime
    partition: int
    offset: int
    decision: AlertDecision | None = None
    claimed_by: str | None = None
    claimed_at: dt.datetime | None = None
    hits: dict[str, Hit] = field(default_factory=dict)  # by event id: every sighting folded in, in order

    @property
    def status(self) -> Status:
        if self.decision is not None:
            return self.decision.decision
        return "claimed" if self.claimed_by else "open"

    @property
    def decided(self) -> bool:
        return self.decision is not None


@dataclass(frozen=True, slots=True)
class Filters:
    lists: frozenset[str] = frozenset()
    checkpoint: str = ""
    status: str = "open"
    sort: str = "priority"

    def admits(self, view: AlertView) -> bool:
        alert = view.alert
        if self.lists and alert.list not in self.lists:
            return False
        if self.checkpoint and alert.checkpoint_id != self.checkpoint:
            return False
        return status_admitted(self.status, view)


def status_admitted(status_filter: str, view: AlertView) -> bool:
    if status_filter == "open":
        return not view.decided
    if status_filter == "claimed":
        return view.status == "claimed"
    if status_filter == "decided":
        return view.decided
    return True


def priority_rank(view: AlertView) -> int:
    return PRIORITIES.index(view.alert.priority) if view.alert.priority in PRIORITIES else -1


def sort_key(view: AlertView, sort: str) -> tuple[float, ...]:
    """Priority first (highest on top), then age (oldest first); or age alone."""
    age = view.first_seen.timestamp()
    return (age,) if sort == "age" else (-priority_rank(view), age)


@dataclass
class CountryBoard:
    alerts: dict[str, AlertView] = field(default_factory=dict)
    positions: dict[int, int] = field(default_factory=dict)  # partition -> last offset applied
    status_log: deque[tuple[int, str]] = field(default_factory=lambda: deque(maxlen=MAX_STATUS_LOG))


class Board:
    """Every country's alerts in this console process. Claims live here (one console per deployment);
    decisions come back from `alerts.decisions`, so every console and `alerts decide` agree on them."""

    def __init__(self, countries: Iterable[str], epoch: str, max_alerts: int = MAX_ALERTS) -> None:
        self.countries = tuple(countries)
        self.max_alerts = max_alerts
        self.epoch = epoch
        self.status_seq = 0
        self._boards = {c: CountryBoard() for c in self.countries}
        self._decisions: dict[str, AlertDecision] = {}  # by alert id, for alerts that arrive after them

    def country(self, country: str) -> CountryBoard:
        return self._boards[country]

    def apply_alert(self, country: str, partition: int, offset: int, alert: Alert) -> AlertView:
        board = self._boards[country]
        board.positions[partition] = max(offset, board.positions.get(partition, -1))
        current = board.alerts.get(alert.alert_id)
        if current is None:
            current = board.alerts[alert.alert_id] = AlertView(
                alert, alert.created_at, partition, offset, decision=self._decisions.get(alert.alert_id))
        elif alert.hit_count >= current.alert.hit_count:  # a redelivered older version must not win
            current.alert = alert
            current.partition, current.offset = partition, offset
            current.first_seen = min(current.first_seen, alert.created_at)
        current.hits.setdefault(alert.event_id, hit_of(alert))
        if len(board.alerts) > self.max_alerts:
            self._forget_oldest(board)
        return current

    def _forget_oldest(self, board: CountryBoard) -> None:
        """Keep memory bounded whatever the topics' retention: drop a tenth of the cap at a time, decided
        alerts before open ones, oldest first (they stay on Kafka; the page no longer lists them)."""
        keep = self.max_alerts - max(1, self.max_alerts // 10)
        ranked = sorted(board.alerts.values(), key=lambda v: (not v.decided, v.first_seen))
        for view in ranked[:len(board.alerts) - keep]:
            del board.alerts[view.alert.alert_id]
            self._decisions.pop(view.alert.alert_id, None)

    def apply_decision(self, decision: AlertDecision) -> list[tuple[str, AlertView]]:
        """Record a decision; the views it changed, with their countries (usually the checkpoint's and
        the owner's)."""
        self._decisions[decision.alert_id] = decision
        changed = []
        for country, board in self._boards.items():
            view = board.alerts.get(decision.alert_id)
            if view is not None:
                view.decision = decision
                view.claimed_by = view.claimed_at = None
                self._log(country, view)
                changed.append((country, view))
        return changed

    def claim(self, country: str, alert_id: str, officer: str, now: dt.datetime) -> AlertView:
        """Claim an undecided alert for `officer`; ClaimConflict if another officer holds it."""
        view = self._boards[country].alerts[alert_id]
        if view.decided:
            raise ClaimConflict("already decided")
        if view.claimed_by not in (None, officer):
            raise ClaimConflict(f"claimed by {view.claimed_by}")
        view.claimed_by, view.claimed_at = officer, now
        self._log(country, view)
        return view

    def release(self, country: str, alert_id: str, officer: str) -> AlertView:
        view = self._boards[country].alerts[alert_id]
        if view.claimed_by not in (None, officer):
            raise ClaimConflict(f"claimed by {view.claimed_by}")
        view.claimed_by = view.claimed_at = None
        self._log(country, view)
        return view

    def get(self, country: str, alert_id: str) -> AlertView | None:
        board = self._boards.get(country)
        return None if board is None else board.alerts.get(alert_id)

    def listing(self, country: str, filters: Filters) -> list[AlertView]:
        views = [v for v in self._boards[country].alerts.values() if filters.admits(v)]
        return sorted(views, key=lambda v: sort_key(v, filters.sort))

    def checkpoints(self, country: str) -> list[str]:
        return sorted({v.alert.checkpoint_id for v in self._boards[country].alerts.values()})

    def sightings(self, country: str, entry_id: str) -> list[AlertView]:
        """Every alert on one watchlist entry seen by this country, oldest first."""
        views = [v for v in self._boards[country].alerts.values() if v.alert.entry_id == entry_id]
        return sorted(views, key=lambda v: v.first_seen)

    def status_changes_since(self, country: str, epoch: str, seq: int) -> list[AlertView]:
        """Alerts whose claim or decision changed after `seq` of this process; every changed alert when
        the sequence belongs to another process or fell out of the log."""
        board = self._boards[country]
        log = board.status_log
        if epoch != self.epoch or (log and log[0][0] > seq + 1 and len(log) == log.maxlen):
            ids = {v.alert.alert_id for v in board.alerts.values() if v.status != "open"}
        else:
            ids = {alert_id for s, alert_id in log if s > seq}
        return [board.alerts[i] for i in ids if i in board.alerts]

    def _log(self, country: str, view: AlertView) -> None:
        self.status_seq += 1
        self._boards[country].status_log.append((self.status_seq, view.alert.alert_id))


class ClaimConflict(Exception):
    """Another officer holds the alert, or it is already decided."""
