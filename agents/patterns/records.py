"""What per-person state remembers of each trip: no names, no document numbers, no dates of birth."""

from __future__ import annotations

from agents.patterns.adults import may_be_adult
from agents.patterns.config import PatternConfig
from agents.patterns.family import household_marks, plausibly_family, shares_family_name, shares_surname
from agents.patterns.models import Companion, Member, Trip, TripRecord
from agents.patterns.unvalidated import new

__all__ = ["Companion", "TripRecord", "companion", "trip_record"]


def companion(subject: Member, other: Member, trip: Trip, cfg: PatternConfig) -> Companion:
    subject_key, other_key, adult_age = subject.key, other.key, cfg.adult_age  # (read once, not per member)
    family_adult = any(
        m.key != subject_key and m.key != other_key and may_be_adult(m.age, adult_age) and plausibly_family(m, other)
        for m in (*trip.members, *trip.nearby)
    )
    return new(Companion, {
        "key": other_key, "event_id": other.event_id, "age": other.age, "sex": other.sex,
        "nationality": other.nationality, "family": plausibly_family(subject, other),
        "family_name": shares_family_name(subject, other), "surname": shares_surname(subject, other),
        "family_adult": family_adult, "households": household_marks(other), "regular": other.event_id in trip.regulars,
    })


def trip_record(trip: Trip, subject: Member, cfg: PatternConfig) -> TripRecord:
    """`trip` as seen by `subject`; companions beyond `max_companions_kept` are not kept."""
    others = [m for m in trip.members if m.key != subject.key][: cfg.max_companions_kept]
    # Made without validation: every value is a validated model's field, or of the field's type.
    return new(TripRecord, {
        "trip_id": "",
        "checkpoint_id": trip.checkpoint_id,
        "checkpoint_country": trip.checkpoint_country,
        "direction": trip.direction,
        "at": subject.at,
        "event_id": subject.event_id,
        "age": subject.age,
        "sex": subject.sex,
        "nationality": subject.nationality,
        "linked_by": trip.linked_by,
        "organised": len(trip.members) > cfg.max_escort_group,
        "complete": trip.complete or trip.linked_by != "co_crossing",
        "companions": tuple(companion(subject, m, trip, cfg) for m in others),
        "unaccompanied_share": trip.unaccompanied.get(subject.event_id),
    })
