"""A crossing reduced to what the pattern detectors need about the traveller."""

from __future__ import annotations

from agents.alerting.ids import best_document
from agents.patterns.age import age_range
from agents.patterns.identity import family_tokens, key_from_parts
from agents.patterns.models import Member
from agents.patterns.unvalidated import new
from schemas.events import BorderCrossing

__all__ = ["Member", "member_of"]


def member_of(crossing: BorderCrossing, salt: str = "") -> Member:
    person = crossing.traveler
    all_names = person.names()
    family, names = family_tokens(person, salt, all_names)
    document = best_document(person)
    # The crossing is validated, and each value is of its field's type: the member is made without validation.
    return new(Member, {
        "key": key_from_parts(document, all_names, person.date_of_birth, salt, fallback=crossing.event_id),
        "event_id": crossing.event_id,
        "at": crossing.occurred_at,
        "direction": crossing.direction,
        "age": age_range(person.date_of_birth, crossing.occurred_at.date(), person.birth_year_range),
        "sex": person.sex,
        "nationality": person.nationality,
        "family": family,
        "names": names,
        "has_surname": bool(person.surname),
        "display_name": all_names[0] if all_names else None,
        "document": document.number if document is not None else None,
    })
