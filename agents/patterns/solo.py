"""Children and young people seen crossing a checkpoint alone, kept per (checkpoint, traveller).

`trips` asks whether a member of a party crossed here on their own within `baseline_days` (`Trip.regulars`),
and notes those who just did. A busy checkpoint sees thousands of them: kept in the checkpoint's state, they
were written with it on every bundle there. So they are entries of their own, one per checkpoint and
traveller (`entry_key`), stored apart from the checkpoint's state (the worker's table, the runner's dict):
a step is given a way to read the stored entries (`Seen`), reads only those of the members it looks at (once
each, `cached`), and returns those it noted (`CheckpointState.solo` while the step runs: the updates to
store). An entry is never needed after `baseline_days` (a party's day against the entry's), so the store
drops it then (`expired`); that also bounds the entries per checkpoint by the young people crossing alone
there within the window, as `max_solo_kept` did when they were all written with every state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from agents.patterns.config import PatternConfig

#: Reads a stored entry of one checkpoint: the day (proleptic ordinal) the traveller with this short hash
#: (`trips._solo_key`) last crossed there alone, or None.
Seen = Callable[[str], int | None]

_SEP = "\x1f"


def nothing(key: str) -> int | None:
    """No stored entries (a step given no store, or a checkpoint's first state)."""
    return None


def cached(read: Seen) -> Seen:
    """`read`, asked once per key: a party's members are asked about on every crossing that joins it. For
    one step only: what the step notes is in its state, looked at first, so what was read stays true."""
    answers: dict[str, int | None] = {}

    def seen(key: str) -> int | None:
        if key in answers:
            return answers[key]
        day = read(key)
        answers[key] = day
        return day

    return seen


def entry_key(checkpoint_id: str, key: str) -> str:
    """The store's key of one traveller's entry at one checkpoint: the checkpoint's id first, so a worker
    keeps its checkpoints' entries in their partitions, and the key of the checkpoint's own records."""
    return f"{checkpoint_id}{_SEP}{key}"


def kept_from(now: dt.datetime, cfg: PatternConfig) -> int:
    """The oldest day (proleptic ordinal) of an entry a party can still count at `now` (a party is judged
    against the day its first member crossed, which may be the day before `now`: one day's margin)."""
    return now.date().toordinal() - cfg.baseline_days - 1


def expired(day: int, now: dt.datetime, cfg: PatternConfig) -> bool:
    """Nothing can count an entry of `day` any more at `now` (`kept_from`)."""
    return day < kept_from(now, cfg)


def stale(value: str | None, now: dt.datetime, cfg: PatternConfig) -> bool:
    """A stored entry (`encode`) nothing can count any more at `now` (`expired`); an unreadable one counts as
    never seen."""
    day = decode(value)
    return day is None or expired(day, now, cfg)


def encode(day: int) -> str:
    return str(day)


def decode(value: str | None) -> int | None:
    """An entry as `encode` wrote it (None: absent or unreadable, as if never seen)."""
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


__all__ = ["Seen", "cached", "decode", "encode", "entry_key", "expired", "kept_from", "nothing", "stale"]
