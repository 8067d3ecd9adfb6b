"""What per-person state remembers of each trip: no names, no document numbers, no dates of birth."""

from __future__ import annotations

from agents.patterns.adults import may_be_adult
from agents.patterns.config import PatternConfig
from agents.patterns.family import Fields, family_in, family_name_in, household_marks_in, surname_in
from agents.patterns.models import Companion, Member, Trip, TripRecord
from agents.patterns.unvalidated import fields_of, new

__all__ = ["Companion", "TripRecord", "companion", "trip_record"]


def companion(subject: Member, other: Member, trip: Trip, cfg: PatternConfig) -> Companion:
    return _companion(fields_of(subject), fields_of(other), _everyone(trip), trip.regulars, cfg.adult_age)


def _everyone(trip: Trip) -> list[Fields]:
    """The fields of the trip's members and of those who passed nearby (`unvalidated.fields_of`)."""
    return [fields_of(m) for m in (*trip.members, *trip.nearby)]


def _companion(subject: Fields, other: Fields, everyone: list[Fields], regulars: frozenset[str],
               adult_age: int) -> Companion:
    subject_key, other_key = subject["key"], other["key"]
    family_adult = any(
        m["key"] != subject_key and m["key"] != other_key and may_be_adult(m["age"], adult_age)
        and family_in(m, other)
        for m in everyone
    )
    return new(Companion, {
        "key": other_key, "event_id": other["event_id"], "age": other["age"], "sex": other["sex"],
        "nationality": other["nationality"], "family": family_in(subject, other),
        "family_name": family_name_in(subject, other), "surname": surname_in(subject, other),
        "family_adult": family_adult, "households": household_marks_in(other),
        "regular": other["event_id"] in regulars,
    })


def trip_record(trip: Trip, subject: Member, cfg: PatternConfig) -> TripRecord:
    """`trip` as seen by `subject`; companions beyond `max_companions_kept` are not kept."""
    # Every field is read once from each model's dict (`fields_of`), not per companion through attributes.
    t, s = fields_of(trip), fields_of(subject)
    everyone = _everyone(trip)
    members: tuple[Member, ...] = t["members"]
    key = s["key"]
    others = [m for m in everyone[:len(members)] if m["key"] != key][: cfg.max_companions_kept]
    regulars: frozenset[str] = t["regulars"]
    linked = t["linked_by"]
    unaccompanied: dict[str, float] = t["unaccompanied"]
    beside = cfg.co_crossing_window
    # Made without validation: every value is a validated model's field, or of the field's type.
    return new(TripRecord, {
        "trip_id": "",
        "checkpoint_id": t["checkpoint_id"],
        "checkpoint_country": t["checkpoint_country"],
        "direction": t["direction"],
        "at": s["at"],
        "event_id": s["event_id"],
        "age": s["age"],
        "sex": s["sex"],
        "nationality": s["nationality"],
        "linked_by": linked,
        "organised": len(members) > cfg.max_escort_group,
        "complete": t["complete"] or linked != "co_crossing",
        "companions": tuple(_companion(s, m, everyone, regulars, cfg.adult_age) for m in others),
        "unaccompanied_share": unaccompanied.get(s["event_id"]),
        "line": frozenset(m["key"] for m in everyone[len(members):] if abs(m["at"] - s["at"]) <= beside),
    })
