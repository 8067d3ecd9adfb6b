"""Identity evidence beside the name: full date of birth, sex and nationality all the same."""

from __future__ import annotations

from agents.matching.features.base import Comparison, Context
from agents.matching.features.name import specificity_bound
from agents.matching.prepared import PreparedPerson, format_dob, full_date

#: The lists this evidence counts for (scorer.evaluation_plan leaves it out elsewhere): people looked
#: for to be protected, where a missed hit costs more than a second look. Suspects favour precision.
IDENTITY_LISTS = frozenset({"missing_person", "suspected_victim"})


def identity_agrees(query: PreparedPerson, candidate: PreparedPerson, ctx: Context) -> Comparison | None:
    """Date of birth to the day, sex and nationality are all the same: together they leave few
    people, so for a missing person or a suspected victim a rare name spelled another way (another
    romanization of the same name in the passport) is enough to look. Counts less as the name is
    more common (namesakes sharing a common family name are many)."""
    day = full_date(query.dob)
    if (
        day is None
        or day != full_date(candidate.dob)
        or query.sex is None
        or query.sex != candidate.sex
        or query.nationality is None
        or query.nationality != candidate.nationality
    ):
        return None
    # Scaled by how specific the names could be (the bound needs no alignment): with a common name
    # the same birthday, sex and nationality are shared by look-alikes, not only by the same person.
    score = specificity_bound(query, candidate, ctx)
    if score <= 0.0:
        return None
    text = f"{format_dob(query.dob)} {query.sex} {query.nationality}"
    return Comparison(round(score, 4), text, text)
