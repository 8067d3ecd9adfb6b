"""A crossing reduced to what the pattern detectors need about the traveller."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from agents.alerting.ids import best_document
from agents.patterns.age import AgeRange, age_range
from agents.patterns.identity import family_tokens, identity_key
from agents.patterns.ordered import SortedSet
from schemas.events import BorderCrossing


class Member(BaseModel):
    """One traveller on one crossing: hashed identity and family-name tokens, age range, sex, nationality.

    `display_name` and `document` are kept only while the traveller's group is being assembled (a few
    minutes), to word an alert about them; per-person state never stores them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    event_id: str
    at: dt.datetime
    direction: Literal["entry", "exit"]
    age: AgeRange | None
    sex: Literal["F", "M", "X"] | None = None
    nationality: str | None = None
    family: SortedSet = frozenset()
    names: SortedSet = frozenset()
    has_surname: bool = False  # `family` is a recorded surname, not every part of a one-field name
    display_name: str | None = None
    document: str | None = None

    def is_minor(self, adult_age: int) -> bool:
        return self.age is not None and self.age.certainly_under(adult_age)

    def is_adult(self, adult_age: int) -> bool:
        return self.age is not None and self.age.certainly_at_least(adult_age)

    def may_be_adult(self, adult_age: int) -> bool:
        """Unknown age counts as a possible adult: a minor next to them is not called unaccompanied."""
        return self.age is None or self.age.high >= adult_age


def member_of(crossing: BorderCrossing, salt: str = "") -> Member:
    person = crossing.traveler
    family, names = family_tokens(person, salt)
    document = best_document(person)
    all_names = person.names()
    return Member(
        key=identity_key(person, salt, fallback=crossing.event_id),
        event_id=crossing.event_id,
        at=crossing.occurred_at,
        direction=crossing.direction,
        age=age_range(person.date_of_birth, crossing.occurred_at.date(), person.birth_year_range),
        sex=person.sex,
        nationality=person.nationality,
        family=family,
        names=names,
        has_surname=bool(person.surname),
        display_name=all_names[0] if all_names else None,
        document=document.number if document is not None else None,
    )
