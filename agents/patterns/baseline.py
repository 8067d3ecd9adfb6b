"""How often minors cross a checkpoint without an adult, learned from the stream, per day.

Children cross to border markets on their own every day in some towns; elsewhere it almost never
happens. Only the second is worth an officer's attention, so each checkpoint is judged by its own
recent history.
"""

from __future__ import annotations

import datetime as dt
import functools

from agents.patterns.config import PatternConfig

#: day (ISO date) -> (minors seen, minors seen without an adult)
DailyCounts = dict[str, tuple[int, int]]


def usual_share(counts: DailyCounts, cfg: PatternConfig) -> float:
    """Share of minors who crossed without an adult, starting from an even prior worth
    `baseline_prior_minors` minors, so a checkpoint with little history is never called unusual."""
    minors = sum(m for m, _ in counts.values())
    alone = sum(u for _, u in counts.values())
    prior = cfg.baseline_prior_minors
    return (alone + prior / 2) / (minors + prior)


def is_unusual(counts: DailyCounts, cfg: PatternConfig) -> bool:
    """A minor crossing without an adult is unusual here: it happens to fewer than `unusual_share` of minors."""
    return usual_share(counts, cfg) < cfg.unusual_share


def record(counts: DailyCounts, day: dt.date, minors: int, alone: int, cfg: PatternConfig) -> DailyCounts:
    """Add one group's minors; days older than the baseline window are dropped."""
    if minors == 0:
        return counts
    key = day.isoformat()
    oldest = _oldest(day, cfg.baseline_days)
    seen, unaccompanied = counts.get(key, (0, 0))
    kept = {d: c for d, c in counts.items() if d >= oldest}
    kept[key] = (seen + minors, unaccompanied + alone)
    return kept


def current(counts: DailyCounts, today: dt.date, cfg: PatternConfig) -> DailyCounts:
    """The counts that still belong to the window ending `today` (`counts` itself when all do: the counts
    are only ever replaced, never changed in place)."""
    oldest = _oldest(today, cfg.baseline_days)
    if all(d >= oldest for d in counts):
        return counts
    return {d: c for d, c in counts.items() if d >= oldest}


@functools.lru_cache(maxsize=64)  # asked on every group judged, for the same few days
def _oldest(today: dt.date, days: int) -> str:
    """The first day (ISO date) of the window of `days` ending `today`."""
    return (today - dt.timedelta(days=days - 1)).isoformat()
