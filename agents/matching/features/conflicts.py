"""Evidence that rules a namesake out: another passport of the same kind, another birthday."""

from __future__ import annotations

from agents.matching.features.base import Comparison, Context
from agents.matching.features.dates import CONTRADICTION, compare_dates, date_of_birth
from agents.matching.features.documents import travel_document
from agents.matching.prepared import PreparedPerson, format_dob, full_date

#: A document score at least this high is the same document (same number, or OCR look-alikes).
AGREES = 0.95


def other_document_number(query: PreparedPerson, candidate: PreparedPerson, ctx: Context) -> Comparison | None:
    """The traveller's document and the listed one are of the same type and issuing country but
    carry different numbers, and the dates of birth do not support the person (unknown on the list,
    or different): someone else with the same name. The listed person on a renewed passport is still
    recognised by a date of birth that agrees, even only by year."""
    document = travel_document(query, candidate, ctx)
    if document is None or document.score >= 0.0:
        return None
    dob = date_of_birth(query, candidate, ctx)
    if dob is not None and dob.score > 0.0:
        return None
    return Comparison(-1.0, document.query, document.candidate)


def other_birth_date(query: PreparedPerson, candidate: PreparedPerson, ctx: Context) -> Comparison | None:
    """Both dates of birth are complete and clearly different (not a day/month swap, a mistyped
    digit or a year off by one), and no travel document number agrees: another person who shares
    the name. However close the name, the match stays below every list's threshold."""
    seen, listed = full_date(query.dob), full_date(candidate.dob)
    if seen is None or listed is None or compare_dates(seen, listed) > CONTRADICTION:
        return None
    document = travel_document(query, candidate, ctx) if query.documents and candidate.documents else None
    if document is not None and document.score >= AGREES:
        return None
    return Comparison(CONTRADICTION, format_dob(seen), format_dob(listed))
