"""Sex and nationality."""

from __future__ import annotations

from agents.matching.features.base import Comparison, Context
from agents.matching.prepared import PreparedPerson

SAME_SEX, OTHER_SEX = 0.1, -1.0
SAME_NATIONALITY, OTHER_NATIONALITY = 0.2, -1.0


def sex(query: PreparedPerson, candidate: PreparedPerson, ctx: Context) -> Comparison | None:
    """Recorded sex differs (counts against); the same sex is only weak support."""
    if query.sex is None or candidate.sex is None:
        return None
    return Comparison(SAME_SEX if query.sex == candidate.sex else OTHER_SEX, query.sex, candidate.sex)


def nationality(query: PreparedPerson, candidate: PreparedPerson, ctx: Context) -> Comparison | None:
    """Nationality is the same (weak support) or different (weak evidence against: people hold
    several nationalities and traffickers use foreign documents)."""
    if query.nationality is None or candidate.nationality is None:
        return None
    same = query.nationality == candidate.nationality
    return Comparison(SAME_NATIONALITY if same else OTHER_NATIONALITY, query.nationality, candidate.nationality)
