"""Could two travellers be family? Deliberately generous: a false "family" costs a missed alert, a false
"stranger" accuses a parent.

A family name alone is not enough either way: Burmese names have no family name, and Chinese and
Vietnamese mothers keep their own, so a mother and her children often share no name at all. A shared
nationality, a shared name part, or having travelled together before each make a family plausible.
"""

from __future__ import annotations

import functools
from typing import Any

from agents.alerting.ids import composite_key
from agents.patterns.member import Member
from agents.patterns.unvalidated import fields_of

Fields = dict[str, Any]  # a member's fields by name (`unvalidated.fields_of`)


def shares_family_name(a: Member, b: Member) -> bool:
    """One traveller's family name appears among the other's names."""
    return family_name_in(fields_of(a), fields_of(b))


def shares_surname(a: Member, b: Member) -> bool:
    """Both have a recorded surname, and it is the same: a relative, not a coincidence of name parts."""
    return surname_in(fields_of(a), fields_of(b))


def shares_nationality(a: Member, b: Member) -> bool:
    """Same nationality; an unknown nationality could be the same, so it counts as shared."""
    return nationality_in(fields_of(a), fields_of(b))


def plausibly_family(a: Member, b: Member) -> bool:
    """A shared family name or a shared nationality: a parent, grandparent, aunt or sibling is possible."""
    return family_in(fields_of(a), fields_of(b))


# The same tests over two members' fields (`unvalidated.fields_of`), for a caller that tests many pairs of
# the same members (each member's fields read once, not per pair).


def family_name_in(a: Fields, b: Fields) -> bool:
    """`shares_family_name` (no set is made to ask)."""
    return not a["family"].isdisjoint(b["names"]) or not b["family"].isdisjoint(a["names"])


def surname_in(a: Fields, b: Fields) -> bool:
    """`shares_surname`."""
    return a["has_surname"] and b["has_surname"] and not a["family"].isdisjoint(b["family"])


def nationality_in(a: Fields, b: Fields) -> bool:
    """`shares_nationality`."""
    return a["nationality"] is None or b["nationality"] is None or a["nationality"] == b["nationality"]


def family_in(a: Fields, b: Fields) -> bool:
    """`plausibly_family`."""
    return family_name_in(a, b) or nationality_in(a, b)


def household_marks(member: Member) -> frozenset[str]:
    """Nationality + family-name part, per part: children who share one may be siblings (one household).

    Without a family name (Burmese names) every name part counts, so siblings sharing a name part are
    taken as one household too; children counted as one household are one family, not several escorted."""
    return household_marks_in(fields_of(member))


def household_marks_in(member: Fields) -> frozenset[str]:
    """`household_marks` of a member's fields."""
    return _household_marks(member["nationality"] or "", member["family"])


@functools.lru_cache(maxsize=4096)
def _household_marks(nationality: str, family: frozenset[str]) -> frozenset[str]:
    # The same member's marks are asked for on every message of each trip they are on: hashed once.
    return frozenset(composite_key("household", nationality, token)[:12] for token in family)
