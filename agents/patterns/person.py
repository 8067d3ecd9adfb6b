"""Per-person pattern state and its one transition: a trip in, findings out.

State is keyed by the traveller's hashed identity. It is bounded: trips older than the longest window
(`PatternConfig.horizon`) are dropped, and at most `max_trips_kept` trips are kept. An alert for a
pattern stays open for the pattern's window: new evidence within it updates the same alert (same id,
`hit_count` + 1) instead of raising another; a redelivered trip re-publishes the alert unchanged.
"""

from __future__ import annotations

import datetime as dt

from agents.alerting.ids import alert_id
from agents.patterns.adults import is_adult, is_minor, within
from agents.patterns.age import AgeRange
from agents.patterns.config import PATTERNS, PatternConfig
from agents.patterns.detectors import DETECTORS, Sightings, escorted_minor, escorted_young_adult, sightings
from agents.patterns.models import Evidence, Finding, Member, OpenPattern, PersonState, Trip, TripRecord
from agents.patterns.records import trip_record
from agents.patterns.unvalidated import fields_of
from schemas.alerts import PatternName

__all__ = ["Finding", "OpenPattern", "PersonState", "entry_id", "may_add_evidence", "may_find", "observe",
           "observe_record", "patterns_it_may_add"]


def entry_id(pattern: str) -> str:
    """The `entry_id` of a pattern alert: officer decisions and suppression key on it."""
    return f"pattern:{pattern}"


def _event_ids(evidence: Evidence) -> frozenset[str]:
    return frozenset({t.event_id for t, _ in evidence} | {c.event_id for _, cs in evidence for c in cs})


def _order(t: TripRecord) -> tuple[dt.datetime, str]:
    return t.at, t.event_id


def _keep(trips: tuple[TripRecord, ...], record: TripRecord, now: dt.datetime,
          cfg: PatternConfig) -> tuple[tuple[TripRecord, ...], bool]:
    """(the trips kept with `record` in, whether `record` was there already, unchanged). One record per
    crossing of theirs: a trip that grew (or turned out to be a queue) replaces it."""
    oldest = now - cfg.horizon
    start = 0
    while start < len(trips) and trips[start].at < oldest:  # kept in time order: the old ones lead
        start += 1
    kept = list(trips[start:])
    same = False
    for i in range(len(kept) - 1, -1, -1):  # a redelivery or an update is nearly always of a recent one
        if kept[i].event_id == record.event_id:
            same = kept[i] == record
            del kept[i]
            break
    if record.at >= oldest:
        if not kept or _order(kept[-1]) <= _order(record):
            kept.append(record)
        else:
            kept.append(record)
            kept.sort(key=_order)
    return tuple(kept[-cfg.max_trips_kept:]), same


def may_add_evidence(pattern: PatternName, record: TripRecord, cfg: PatternConfig) -> bool:
    """Whether a new trip can add evidence for `pattern` (the others are not re-run: time passing only
    ever removes evidence). An escort needs someone escorted on this trip; a trip alone may still close
    a shuttle's round trip."""
    if pattern == "unaccompanied_minor":
        return record.unaccompanied_share is not None
    if record.organised or not is_adult(record.age, cfg.adult_age):
        return False
    if pattern == "shuttle_trips":
        return bool(record.companions) or record.direction == "entry"
    escorted = escorted_minor if pattern == "repeat_escort_of_minors" else escorted_young_adult
    return any(escorted(record, c, cfg) for c in record.companions)


def patterns_it_may_add(record: TripRecord, cfg: PatternConfig) -> tuple[PatternName, ...]:
    """The patterns a new trip can add evidence for (`may_add_evidence`), in `PATTERNS` order. Asked for
    every member's record of every trip, so each field is read once (`fields_of`) and the tests of
    `may_add_evidence` and of `detectors.escorted_minor` / `escorted_young_adult` are written out here (a
    test holds the two to the same answers)."""
    r = fields_of(record)
    unaccompanied = r["unaccompanied_share"] is not None
    adult_age = cfg.adult_age
    age: AgeRange | None = r["age"]
    if r["organised"] or age is None or not is_adult(age, adult_age):
        return ("unaccompanied_minor",) if unaccompanied else ()
    companions = [fields_of(c) for c in r["companions"]]
    found: list[PatternName] = []
    if any(is_minor(c["age"], adult_age) and not c["family"] and not c["family_adult"] for c in companions):
        found.append("repeat_escort_of_minors")
    low, high, gap = cfg.young_age_low, cfg.young_age_high, cfg.young_min_age_gap
    if any(c["sex"] is not None and within(c["age"], low, high) and age.low - c["age"].high >= gap
           and not c["surname"] for c in companions):
        found.append("escort_of_young_adults")
    if unaccompanied:
        found.append("unaccompanied_minor")
    if companions or r["direction"] == "entry":
        found.append("shuttle_trips")
    return tuple(found)


def may_find(pattern: PatternName, trips: tuple[TripRecord, ...], now: dt.datetime, cfg: PatternConfig) -> bool:
    """Whether the detector of an escort or shuttle pattern could find anything in `trips` at `now`,
    before it runs: enough of the adult's trips in its window with companions (no organised group), and
    enough different people on them who could count (a child with no family flag; a young person of known
    sex, counted per sex; for a shuttle, anyone: each round trip brings someone new). The detector
    checks more (never seen before, travelled together, age gap, households, round trips), which only
    ever counts fewer."""
    if pattern == "unaccompanied_minor":
        return True
    since = now - cfg.window(pattern)
    legs = [t for t in trips if t.companions and not t.organised and t.at > since]
    if pattern == "shuttle_trips":
        return (len(legs) >= cfg.shuttle_min_round_trips
                and len({c.key for t in legs for c in t.companions}) >= cfg.shuttle_min_round_trips)
    legs = [t for t in legs if is_adult(t.age, cfg.adult_age)]
    minors = pattern == "repeat_escort_of_minors"
    min_trips, min_people = ((cfg.minors_min_trips, cfg.minors_min_distinct) if minors
                             else (cfg.young_min_trips, cfg.young_min_distinct))
    if len(legs) < min_trips:
        return False
    people: dict[str, set[str]] = {}
    for t in legs:
        for c in t.companions:
            if c.age is None:
                continue
            if minors:
                if not is_minor(c.age, cfg.adult_age) or c.family or c.family_adult:
                    continue
                pool = ""
            else:
                if c.sex is None or not within(c.age, cfg.young_age_low, cfg.young_age_high):
                    continue
                pool = c.sex
            people.setdefault(pool, set()).add(c.key)
    return any(len(keys) >= min_people for keys in people.values())


def observe(state: PersonState, trip: Trip, subject: Member, now: dt.datetime,
            cfg: PatternConfig, by: str | None = None,
            record: TripRecord | None = None) -> tuple[PersonState, list[Finding]]:
    """Fold one of the person's trips (as it stands) into their state and run every detector at `now`.
    `by`: the crossing that passed the trip on (default: the person's own); `record`: the trip as the
    subject's state keeps it, if already made (`records.trip_record`)."""
    return observe_record(state, record or trip_record(trip, subject, cfg), subject.key, now, cfg, by)


def observe_record(state: PersonState, record: TripRecord, subject_key: str, now: dt.datetime,
                   cfg: PatternConfig, by: str | None = None) -> tuple[PersonState, list[Finding]]:
    """`observe` for a trip given as the subject's record of it (`subject_key`: their hashed identity)."""
    trigger = by or record.event_id
    trips, redelivered = _keep(state.trips, record, now, cfg)
    alerts = {p: a for p, a in state.alerts.items() if now - a.opened_at < cfg.window(p)}
    findings: list[Finding] = []
    index: Sightings | None = None  # who they crossed with where: built once, for the detectors that run
    for pattern in PATTERNS:
        if not redelivered and not may_add_evidence(pattern, record, cfg):
            continue
        if not may_find(pattern, trips, now, cfg):  # the detector would find nothing
            continue
        if index is None and pattern != "unaccompanied_minor":
            index = sightings(trips, cfg)
        evidence = DETECTORS[pattern](trips, now, cfg, index)
        if evidence is None:
            continue
        ids = _event_ids(evidence)
        current = alerts.get(pattern)
        if current is None:
            first = evidence[0][0].event_id
            opened = OpenPattern(alert_id=alert_id(f"{subject_key}:{first}", entry_id(pattern)), opened_at=now,
                                 hit_count=1, event_ids=ids)
            alerts[pattern] = opened
            findings.append(Finding(pattern=pattern, alert_id=opened.alert_id, hit_count=1, update=False,
                                    subject_key=subject_key, deciding=record, event_id=trigger, evidence=evidence))
        elif not ids <= current.event_ids:
            grown = current.model_copy(update={"hit_count": current.hit_count + 1,
                                               "event_ids": current.event_ids | ids})
            alerts[pattern] = grown
            findings.append(Finding(pattern=pattern, alert_id=grown.alert_id, hit_count=grown.hit_count,
                                    update=True, subject_key=subject_key, deciding=record, event_id=trigger,
                                    evidence=evidence))
        elif redelivered and record.event_id in current.event_ids:
            # Kafka delivers at least once: the alert may not have left before a crash, so send it again
            # under the same id (consumers de-duplicate on alert_id).
            findings.append(Finding(pattern=pattern, alert_id=current.alert_id, hit_count=current.hit_count,
                                    update=current.hit_count > 1, subject_key=subject_key, deciding=record,
                                    event_id=trigger, evidence=evidence))
    return PersonState(trips=trips, alerts=alerts), findings
