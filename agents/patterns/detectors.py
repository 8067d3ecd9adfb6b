"""The four trafficking-pattern detectors: pure functions over one person's recent trips.

Each returns the evidence (the trips, and on each the companions that count) or None. Trips are the
person's kept trips in time order; `now` is the stream's clock. A docstring is the officer's explanation.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from agents.patterns.adults import is_adult, is_minor, within
from agents.patterns.config import PatternConfig
from agents.patterns.models import Companion, Evidence, TripRecord


@dataclass(frozen=True, slots=True)
class Sightings:
    """Where this person crossed with each companion, and whether their passages are reported on both
    sides of the border (an exit here followed within `passage_window` by an entry over there)."""

    by_companion: dict[str, list[tuple[str, str, dt.datetime]]]
    two_sided: bool


def sightings(trips: Sequence[TripRecord], cfg: PatternConfig) -> Sightings:
    """Where this person passed beside each companion: in their party, or in the rest of the short queue
    their party was split from, or right beside them in a queue too long for any party (`TripRecord.line`:
    on the other side of the border, that is where a companion who passed a little apart from them in a
    busy line is)."""
    out: dict[str, list[tuple[str, str, dt.datetime]]] = {}
    for trip in trips:
        for c in trip.companions:
            out.setdefault(c.key, []).append((trip.checkpoint_id, trip.direction, trip.at))
        for key in trip.line:
            out.setdefault(key, []).append((trip.checkpoint_id, trip.direction, trip.at))
    two_sided = any(one_passage(a, b, cfg) for a, b in itertools.pairwise(trips))
    return Sightings(out, two_sided)


def one_passage(a: TripRecord, b: TripRecord, cfg: PatternConfig) -> bool:
    """`a` and then `b` are one border passage: the exit here and the entry over there."""
    return (a.direction == "exit" and b.direction == "entry" and a.checkpoint_country != b.checkpoint_country
            and b.at - a.at <= cfg.passage_window)


def travelled_with(trip: TripRecord, companion: Companion, seen: Sightings, cfg: PatternConfig,
                   *, one_sided_ok: bool = True) -> bool:
    """Really travelling together: the same travel group, or passing one after the other on both sides of
    the border (the exit here and the entry over there): passing one checkpoint a minute apart happens
    to strangers all day. Where this person's crossings are reported on one side only, a small party
    (`max_uncorroborated_party`) passing together is taken at its word (unless `one_sided_ok` is False), as
    nothing else can confirm it, once the party is complete (until then it may be the head of a queue),
    and unless the companion is a child or young person who crosses this checkpoint on their own too (a
    market child, a young commuter: next to a stranger at the booth by chance, not escorted)."""
    if trip.linked_by == "group":
        return True
    if trip.linked_by not in ("co_crossing", "queue"):
        return False
    corroborated = any(checkpoint != trip.checkpoint_id and direction != trip.direction
                       and abs(at - trip.at) <= cfg.passage_window
                       for checkpoint, direction, at in seen.by_companion.get(companion.key, ()))
    return corroborated or (one_sided_ok and trip.complete and not seen.two_sided and not companion.regular
                            and len(trip.companions) < cfg.max_uncorroborated_party)


def _new_companions_per_trip(trips: Sequence[TripRecord], since: dt.datetime, cfg: PatternConfig,
                             counts: Callable[[TripRecord, Companion], bool], index: Sightings | None) -> Evidence:
    """For each trip since `since`, the companions who count, really travelled with this person and were
    never on an earlier passage of theirs ("never seen together before"); trips that add nobody are
    left out. The exit here and the entry over there are one passage: someone who did not count on one
    side (a stranger next to the child there looked like a parent) may count on the other, and someone
    counted on one side is not counted again on the other."""
    seen: set[str] = set()
    chosen: list[tuple[TripRecord, tuple[Companion, ...]]] = []
    index = index or sightings(trips, cfg)
    previous: TripRecord | None = None
    held: set[str] = set()  # companions of this passage so far: "seen before" from the next passage on
    counted: set[str] = set()  # those who counted on the previous trip
    for trip in trips:
        if previous is not None and one_passage(previous, trip, cfg):
            seen |= counted
        else:
            seen |= held
            held = set()
        counted = set()
        if trip.at > since and not trip.organised:
            new = tuple(c for c in trip.companions
                        if c.key not in seen and counts(trip, c) and travelled_with(trip, c, index, cfg))
            if new:
                chosen.append((trip, new))
            counted = {c.key for c in new}
        held.update(c.key for c in trip.companions)
        previous = trip
    return tuple(chosen)


def _passages(evidence: Evidence, cfg: PatternConfig) -> int:
    """Trips in the evidence, the two sides of one border passage counted once."""
    return sum(1 for i, (trip, _) in enumerate(evidence) if i == 0 or not one_passage(evidence[i - 1][0], trip, cfg))


def _distinct(evidence: Evidence) -> int:
    return len({c.key for _, companions in evidence for c in companions})


def _households(evidence: Evidence) -> int:
    """Children counted once per household: those sharing a household mark (possible siblings) are one."""
    groups: list[tuple[set[str], frozenset[str]]] = []  # (keys, marks) of each household found so far
    for c in {c.key: c for _, companions in evidence for c in companions}.values():
        joined = [g for g in groups if g[1] & c.households]
        keys, marks = {c.key}, c.households
        for g in joined:
            keys |= g[0]
            marks |= g[1]
            groups.remove(g)
        groups.append((keys, marks))
    return len(groups)


def escorted_minor(trip: TripRecord, c: Companion, cfg: PatternConfig) -> bool:
    """A child on this adult's trip who is not plausibly theirs and has no parent-like adult in the group."""
    return (is_adult(trip.age, cfg.adult_age) and is_minor(c.age, cfg.adult_age)
            and not c.family and not c.family_adult)


def escorted_young_adult(trip: TripRecord, c: Companion, cfg: PatternConfig) -> bool:
    """A person aged 15-25 of known sex, a few years younger than the adult, not sharing their surname."""
    adult, young = trip.age, c.age
    return (is_adult(adult, cfg.adult_age) and c.sex is not None
            and within(young, cfg.young_age_low, cfg.young_age_high)
            and adult is not None and young is not None and adult.low - young.high >= cfg.young_min_age_gap
            and not c.surname)


def _corroborated(evidence: Evidence, index: Sightings, cfg: PatternConfig) -> Evidence:
    """The evidence without companions taken at their word from one side of the border only."""
    out = ((t, tuple(c for c in cs if travelled_with(t, c, index, cfg, one_sided_ok=False))) for t, cs in evidence)
    return tuple((t, cs) for t, cs in out if cs)


def _brought_back(trips: Sequence[TripRecord]) -> set[str]:
    """Companions this person crossed with both out of and back into the same country: a parent, a relative
    or a carer takes them and brings them back; an escort moves people one way."""
    ways: dict[str, set[tuple[str, str]]] = {}
    for trip in trips:
        for c in trip.companions:
            ways.setdefault(c.key, set()).add((trip.checkpoint_country, trip.direction))
    return {key for key, seen in ways.items()
            if any((country, "entry") in seen for country, direction in seen if direction == "exit")}


def _escort(trips: Sequence[TripRecord], since: dt.datetime, cfg: PatternConfig,
            counts: Callable[[TripRecord, Companion], bool], index: Sightings | None,
            decide: Callable[[Evidence], Evidence | None]) -> Evidence | None:
    """An escort pattern (`decide` on the companions who count, not those they brought back), first on
    companions confirmed by a travel group or the other side of the border. Parties seen on one side only
    count only if escorting is much of what this adult does at the border (`one_sided_escort_share` of
    their crossings in the window): someone crossing most days passes children and young strangers at
    the booth by chance, an escort seldom crosses without them."""
    index = index or sightings(trips, cfg)
    back = _brought_back(trips)
    everyone = _new_companions_per_trip(trips, since, cfg, lambda t, c: c.key not in back and counts(t, c), index)
    if not everyone:
        return None
    found = decide(_corroborated(everyone, index, cfg))
    if found is not None:
        return found
    found = decide(everyone)
    if found is None:
        return None
    crossings = sum(1 for t in trips if t.at > since and not t.organised)
    return found if len(found) >= cfg.one_sided_escort_share * crossings else None


def repeat_escort_of_minors(trips: Sequence[TripRecord], now: dt.datetime, cfg: PatternConfig,
                            index: Sightings | None = None) -> Evidence | None:
    """This adult crossed with different children on separate trips within the window (default two or
    more children of different families in 30 days). None of the children is plausibly their family:
    different family name and nationality, never seen travelling with them before, and no parent-like
    adult in the group."""
    def decide(evidence: Evidence) -> Evidence | None:
        if _passages(evidence, cfg) >= cfg.minors_min_trips and _households(evidence) >= cfg.minors_min_distinct:
            return evidence
        return None
    return _escort(trips, now - cfg.minors_window, cfg, lambda trip, c: escorted_minor(trip, c, cfg), index, decide)


def escort_of_young_adults(trips: Sequence[TripRecord], now: dt.datetime, cfg: PatternConfig,
                           index: Sightings | None = None) -> Evidence | None:
    """This adult crossed, within the window (default 14 days), with three or more different young people
    (15-25) of the same sex, on two or more trips. Each is at least a few years younger than them and
    does not share their recorded surname (recruiters often share a nationality and, in Burmese names,
    a name part, so only a real surname counts); the same friends out and back together count once."""
    def decide(everyone: Evidence) -> Evidence | None:
        best: Evidence | None = None
        for sex in ("F", "M", "X"):
            evidence = tuple((t, same) for t, cs in everyone if (same := tuple(c for c in cs if c.sex == sex)))
            if (_passages(evidence, cfg) >= cfg.young_min_trips and _distinct(evidence) >= cfg.young_min_distinct
                    and (best is None or _distinct(evidence) > _distinct(best))):
                best = evidence
        return best
    return _escort(trips, now - cfg.young_window, cfg, lambda trip, c: escorted_young_adult(trip, c, cfg), index,
                   decide)


def _own_child(c: Companion, cfg: PatternConfig) -> bool:
    return c.family and is_minor(c.age, cfg.adult_age)


def _shuttle_rounds(trips: Sequence[TripRecord], since: dt.datetime, cfg: PatternConfig, index: Sightings,
                    one_sided_ok: bool, brought_back: set[str]) -> tuple[int, int, Evidence]:
    """(round trips in the window, those with new companions, their evidence)."""
    counted: list[tuple[TripRecord, tuple[Companion, ...]]] = []
    rounds = total = 0
    seen: set[str] = set()
    for i, out in enumerate(trips):
        if out.direction != "exit" or out.at <= since or not is_adult(out.age, cfg.adult_age):
            continue
        j, back = next(((j, t) for j, t in enumerate(trips[i + 1:], i + 1)
                        if t.checkpoint_country == out.checkpoint_country), (0, None))
        if back is None or back.direction != "entry" or back.at - out.at > cfg.shuttle_return_within:
            continue
        total += 1
        # Everyone crossed with on the way: both legs, and the crossings into and out of the other country.
        legs = [leg for leg in trips[i:j + 1] if not leg.organised]
        everyone = {c.key for leg in legs for c in leg.companions}
        if not everyone or not seen.isdisjoint(everyone):
            seen.update(everyone)
            continue
        # A party split from a short queue is a guess: at a busy booth someone is always in the line next
        # to a commuter, so only a travel group or the other side of the border makes it a shuttle's.
        kept = [(leg, tuple(c for c in leg.companions if c.key not in brought_back and not _own_child(c, cfg)
                            and travelled_with(leg, c, index, cfg,
                                               one_sided_ok=one_sided_ok and leg.linked_by != "queue")))
                for leg in legs]
        if any(companions for _, companions in kept):
            counted.extend(kept)
            rounds += 1
        seen.update(everyone)
    return total, rounds, tuple(counted)


def shuttle_trips(trips: Sequence[TripRecord], now: dt.datetime, cfg: PatternConfig,
                  index: Sightings | None = None) -> Evidence | None:
    """This adult left a country and came back within 48 hours three or more times in 30 days, each time
    with companions they had not crossed with on the other round trips (children who may be their own
    are not counted: a parent going back and forth with their children is no shuttle; nor is anyone they
    brought back: a shuttle's passengers go one way). Companions are
    the travel group, or co-crossers seen on both sides of the border: a daily commuter passes some
    stranger at the booth almost every day. Where only this side of the border reports, a small party
    passing together also counts, but then nearly every round trip (`shuttle_one_sided_share`) must
    have had companions: a commuter mostly crosses alone, a shuttle never does."""
    since = now - cfg.shuttle_window
    # Each round trip counted needs a leg of its own with companions: fewer such trips, no shuttle.
    if sum(1 for t in trips if t.companions and t.at > since and not t.organised) < cfg.shuttle_min_round_trips:
        return None
    index = index or sightings(trips, cfg)
    brought_back = _brought_back(trips)
    _, rounds, evidence = _shuttle_rounds(trips, since, cfg, index, one_sided_ok=False, brought_back=brought_back)
    if rounds >= cfg.shuttle_min_round_trips:
        return evidence
    if index.two_sided:
        return None
    total, rounds, evidence = _shuttle_rounds(trips, since, cfg, index, one_sided_ok=True, brought_back=brought_back)
    if rounds >= cfg.shuttle_min_round_trips and rounds >= cfg.shuttle_one_sided_share * total:
        return evidence
    return None


def unaccompanied_minor(trips: Sequence[TripRecord], now: dt.datetime, cfg: PatternConfig,
                        index: Sightings | None = None) -> Evidence | None:
    """This child crossed with no adult in their group, at a checkpoint where children almost never do
    (fewer than `unusual_share` of the minors it saw over the last `baseline_days` days)."""
    flagged = tuple((t, ()) for t in trips
                    if t.unaccompanied_share is not None and t.at > now - cfg.unaccompanied_realert)
    return flagged or None


Detector = Callable[[Sequence[TripRecord], dt.datetime, PatternConfig, Sightings | None], Evidence | None]
DETECTORS: dict[str, Detector] = {
    "repeat_escort_of_minors": repeat_escort_of_minors,
    "escort_of_young_adults": escort_of_young_adults,
    "unaccompanied_minor": unaccompanied_minor,
    "shuttle_trips": shuttle_trips,
}
