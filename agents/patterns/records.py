"""What per-person state remembers of each trip: no names, no document numbers, no dates of birth."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from agents.patterns.age import AgeRange
from agents.patterns.config import PatternConfig
from agents.patterns.family import household_marks, plausibly_family, shares_family_name, shares_surname
from agents.patterns.member import Member
from agents.patterns.ordered import SortedSet
from agents.patterns.trips import Linked, Passage, Trip


class Companion(BaseModel):
    """Someone on the same trip, and how they relate to the person whose state this is."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    event_id: str
    age: AgeRange | None
    sex: Literal["F", "M", "X"] | None = None
    nationality: str | None = None
    family: bool = False  # plausibly family of the person (family name or nationality shared)
    family_name: bool = False  # shares a family name with the person (generous: any name part if none recorded)
    surname: bool = False  # shares a recorded surname with the person
    family_adult: bool = False  # another possible adult on the trip is plausibly their family
    households: SortedSet = frozenset()  # shared by possible siblings (family.household_marks)
    regular: bool = False  # crosses this checkpoint alone too (trips.Trip.regulars)


class TripRecord(Passage):
    """One trip of one person, as their state keeps it (identified by `event_id`, their crossing)."""

    trip_id: str = ""  # not kept: a person's record is one of their crossings, whichever trip it was on
    event_id: str
    age: AgeRange | None
    sex: Literal["F", "M", "X"] | None = None
    nationality: str | None = None
    linked_by: Linked = "alone"
    organised: bool = False  # a group too large to be one adult's escort (school class, tour)
    complete: bool = True  # False: a party without a travel group that more may still join
    companions: tuple[Companion, ...] = ()
    unaccompanied_share: float | None = None  # set when flagged: the checkpoint's usual share

    def is_adult(self, cfg: PatternConfig) -> bool:
        return self.age is not None and self.age.certainly_at_least(cfg.adult_age)


def companion(subject: Member, other: Member, trip: Trip, cfg: PatternConfig) -> Companion:
    family_adult = any(
        m.key not in (subject.key, other.key) and m.may_be_adult(cfg.adult_age) and plausibly_family(m, other)
        for m in (*trip.members, *trip.nearby)
    )
    return Companion(
        key=other.key, event_id=other.event_id, age=other.age, sex=other.sex, nationality=other.nationality,
        family=plausibly_family(subject, other), family_name=shares_family_name(subject, other),
        surname=shares_surname(subject, other),
        family_adult=family_adult, households=household_marks(other), regular=other.event_id in trip.regulars,
    )


def trip_record(trip: Trip, subject: Member, cfg: PatternConfig) -> TripRecord:
    """`trip` as seen by `subject`; companions beyond `max_companions_kept` are not kept."""
    others = [m for m in trip.members if m.key != subject.key][: cfg.max_companions_kept]
    return TripRecord(
        checkpoint_id=trip.checkpoint_id,
        checkpoint_country=trip.checkpoint_country,
        direction=trip.direction,
        at=subject.at,
        event_id=subject.event_id,
        age=subject.age,
        sex=subject.sex,
        nationality=subject.nationality,
        linked_by=trip.linked_by,
        organised=len(trip.members) > cfg.max_escort_group,
        complete=trip.complete or trip.linked_by != "co_crossing",
        companions=tuple(companion(subject, m, trip, cfg) for m in others),
        unaccompanied_share=trip.unaccompanied.get(subject.event_id),
    )
