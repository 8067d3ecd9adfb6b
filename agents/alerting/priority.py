"""Alert priority from the list, the entry's own priority and the match score.

Rules, in order:
1. a critical entry is always critical (the owning agency said so; a score cannot argue);
2. otherwise max(entry priority, table floor for the case and score band) — see
   `policy.DEFAULT_PRIORITY_TABLE`;
3. a borderline score caps the result at `policy.borderline_ceiling` (a weak resemblance to a
   high-priority suspect must not trigger a detention-grade alert).
"""

from __future__ import annotations

import calendar
import datetime as dt

from agents.alerting.policy import AlertPolicy, Case, ScoreBand
from schemas.person import Person
from schemas.watchlist import PRIORITIES, Priority, WatchlistEntry


def score_band(score: float, policy: AlertPolicy) -> ScoreBand:
    if score >= policy.high_score:
        return "high"
    if score >= policy.strong_score:
        return "strong"
    return "borderline"


def is_minor(person: Person, now: dt.datetime, child_age: int) -> bool:
    """Could the person be under `child_age` now? Partial dates count from their latest possible day,
    so an uncertain age errs towards protection."""
    latest: dt.date | None = None
    if person.date_of_birth:
        parts = [int(p) for p in person.date_of_birth.split("-")]
        year, month = parts[0], parts[1] if len(parts) > 1 else 12
        day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
        latest = dt.date(year, month, day)
    elif person.birth_year_range is not None:
        latest = dt.date(person.birth_year_range[1], 12, 31)
    if latest is None:
        return False
    today = now.date()
    age = today.year - latest.year - ((today.month, today.day) < (latest.month, latest.day))
    return age < child_age


def case_of(entry: WatchlistEntry, now: dt.datetime, policy: AlertPolicy) -> Case:
    if entry.list != "suspect" and is_minor(entry.person, now, policy.child_age):
        return "child"
    return entry.list


def alert_priority(entry: WatchlistEntry, score: float, now: dt.datetime, policy: AlertPolicy) -> Priority:
    if entry.priority == "critical":
        return "critical"
    band = score_band(score, policy)
    floor = policy.floor(case_of(entry, now, policy), band)
    rank = max(PRIORITIES.index(entry.priority), PRIORITIES.index(floor))
    if band == "borderline":
        rank = min(rank, PRIORITIES.index(policy.borderline_ceiling))
    return PRIORITIES[rank]
