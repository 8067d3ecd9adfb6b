"""How far apart a checkpoint's booth passes the members of one party, learnt from its own traffic.

Travellers without a travel group id are one party when each passes within the co-crossing window of
the one before. A booth that checks each document in turn spaces a family further apart than one that
waves a car through, so the window is learnt per checkpoint and direction:

- from its travel groups, where the checkpoint sends `travel_group_id` (`CheckpointState.party_gaps`);
- else from its children: for a child passing without a travel group, the longest pause in the line
  between them and the nearest adult (before or after them, within `group_complete_after`). A party
  is a chain of such pauses, so that pause is what the window must span for the child to be linked to
  an adult at all. A child who really crosses alone is measured to whichever stranger is nearest; a
  quantile below the top keeps those few from setting the window.
"""

from __future__ import annotations

import datetime as dt

from agents.patterns.models import BoothPace, Waiting

#: Children passing since the last adult whose pause to an adult is still being measured; the rest
#: of a long line of children is not needed to learn a pace.
MAX_WAITING = 8


def seconds(at: dt.datetime) -> int:
    return int(at.timestamp())


def passed(pace: BoothPace | None, at: int, *, adult: bool, child: bool,
           reach: int) -> tuple[BoothPace, tuple[int, ...]]:
    """Someone passed the booth at `at`: the new pace, and the pauses learnt (one per child whose
    nearest adult is now known). `child`: a minor passing without a travel group; `adult`: certainly
    of age; `reach`: `group_complete_after` in seconds, beyond which nobody is anybody's party."""
    if pace is None:
        if adult:
            return BoothPace(at, at, 0), ()
        return BoothPace(at, None, 0, (Waiting(at, None, 0),) if child else ()), ()
    pause = max(0, at - pace.last_at)  # a crossing reported late does not lengthen any pause
    learnt: list[int] = []
    waiting: list[Waiting] = []
    for w in pace.waiting:
        since = max(w.since, pause)
        if at - w.at > reach:  # no adult after them in reach: the one before, if any
            if w.back is not None:
                learnt.append(w.back)
        elif adult:
            learnt.append(since if w.back is None else min(w.back, since))
        else:
            waiting.append(Waiting(w.at, w.back, since))
    if adult:
        return BoothPace(at, at, 0), tuple(learnt)
    since_adult = max(pace.since_adult, pause)
    adult_at = pace.adult_at if pace.adult_at is not None and at - pace.adult_at <= reach else None
    if child and len(waiting) < MAX_WAITING:
        waiting.append(Waiting(at, since_adult if adult_at is not None else None, 0))
    return BoothPace(at, adult_at, since_adult if adult_at is not None else 0, tuple(waiting)), tuple(learnt)


def quantile(gaps: tuple[int, ...], q: float) -> int:
    ordered = sorted(gaps)
    return ordered[int((len(ordered) - 1) * q)]
