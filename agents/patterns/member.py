"""A crossing reduced to what the pattern detectors need about the traveller."""

from __future__ import annotations

import datetime as dt
import functools

from agents.alerting.ids import best_document
from agents.patterns.age import AgeRange, age_range
from agents.patterns.identity import family_tokens, key_from_parts
from agents.patterns.models import Member
from agents.patterns.unvalidated import new
from schemas.events import BorderCrossing

__all__ = ["Member", "member_of", "shared_offset"]

def shared_offset(at: dt.datetime) -> dt.datetime:
    """The same instant, its offset held by one tzinfo object per offset. Each parsed time gets a tzinfo
    object of its own, and Python compares or subtracts two aware times field by field only when they
    hold the same tzinfo object; otherwise it asks each for its offset, through a call. A checkpoint
    compares its crossings' times many times per crossing. (Times print as before: the same offset.)"""
    offset = at.utcoffset()
    if offset is None:
        return at
    zone = _zone(offset)
    return at if zone is None else at.replace(tzinfo=zone)


@functools.lru_cache(maxsize=256)  # offsets are few: one tzinfo each, shared by every time read with it
def _zone(offset: dt.timedelta) -> dt.timezone | None:
    try:
        return dt.timezone(offset)
    except ValueError:  # an offset `timezone` cannot hold: such a time is left as it is
        return None


@functools.lru_cache(maxsize=16_384)  # a traveller's age is asked again on each of their crossings that day
def _age(date_of_birth: str | None, day: dt.date, birth_year_range: tuple[int, int] | None) -> AgeRange | None:
    # (`age_range` is plain Python, left out of the compiled build: see `native.NOT_COMPILED`)
    return age_range(date_of_birth, day, birth_year_range)


def member_of(crossing: BorderCrossing, salt: str = "") -> Member:
    person = crossing.traveler
    all_names = person.names()
    family, names = family_tokens(person, salt, all_names)
    document = best_document(person)
    # The crossing is validated, and each value is of its field's type: the member is made without validation.
    return new(Member, {
        "key": key_from_parts(document, all_names, person.date_of_birth, salt, fallback=crossing.event_id),
        "event_id": crossing.event_id,
        "at": shared_offset(crossing.occurred_at),
        "direction": crossing.direction,
        "age": _age(person.date_of_birth, crossing.occurred_at.date(), person.birth_year_range),
        "sex": person.sex,
        "nationality": person.nationality,
        "family": family,
        "names": names,
        "has_surname": bool(person.surname),
        "display_name": all_names[0] if all_names else None,
        "document": document.number if document is not None else None,
    })
