"""`Person.names`: every name recorded for a person, as the matcher reads them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import Person

WORDS = st.sampled_from(["", " ", "Nguyen", "Van An", "Nguyen Van An", "Van An Nguyen", "An", "Wang Li"])


def names_as_first_written(person: Person) -> list[str]:
    """The definition `Person.names` had with generators (held equal to the plain one)."""
    out: list[str] = []
    if person.full_name:
        out.append(person.full_name)
    parts = " ".join(p for p in (person.given_names, person.surname) if p)
    if parts and parts not in out:
        out.append(parts)
    out.extend(a for a in person.aliases if a and a not in out)
    return out


@settings(max_examples=300, deadline=None)
@given(full=st.none() | WORDS, given_names=st.none() | WORDS, surname=st.none() | WORDS,
       aliases=st.lists(WORDS, max_size=4))
def test_names_are_the_full_name_given_names_and_surname_then_aliases_each_once(
        full: str | None, given_names: str | None, surname: str | None, aliases: list[str]) -> None:
    person = Person.model_construct(full_name=full, given_names=given_names, surname=surname, aliases=aliases,
                                    documents=[])
    assert person.names() == names_as_first_written(person)


def test_names_of_a_validated_person() -> None:
    person = Person(given_names="Van An", surname="Nguyen", full_name="Nguyen Van An",
                    aliases=["Van An Nguyen", "Nguyen Van An", "An"])
    assert person.names() == ["Nguyen Van An", "Van An Nguyen", "An"]
