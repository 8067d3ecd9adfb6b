"""Identity evidence (full date of birth, sex and nationality all the same) for missing persons and
suspected victims: it finds candidates whatever the name's spelling and carries a medium name match."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agents.matching import MatcherConfig, WatchlistIndex, build_index, candidates, search
from agents.matching.features.base import Context
from agents.matching.features.identity import identity_agrees
from agents.matching.prepared import prepare_person
from schemas import Person
from tests import factories

AT = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
CONFIG = MatcherConfig()
DOB = "1965-03-28"


def _index(native: str, list_name: str) -> WatchlistIndex:
    fields = {"full_name": native, "date_of_birth": DOB, "sex": "M", "nationality": "THA"}
    entry = factories.entry("e1", fields, list=list_name, source_country="THA", source_agency="RTP", case_ref="C-1",
                            priority="medium", valid_until=None)
    return build_index([entry], CONFIG)


def _traveller(given: str, surname: str, **fields: str | None) -> Person:
    values = {"given_names": given, "surname": surname, "date_of_birth": DOB, "sex": "M", "nationality": "THA",
              **fields}
    return Person.model_validate(values)


@pytest.mark.parametrize(
    ("other", "agrees"),
    [
        ({}, True),
        ({"date_of_birth": "1965-03-27"}, False),
        ({"date_of_birth": "1965-03"}, False),  # not to the day
        ({"sex": "F"}, False),
        ({"sex": None}, False),
        ({"nationality": "LAO"}, False),
        ({"nationality": None}, False),
    ],
)
def test_identity_needs_the_day_sex_and_nationality(other: dict[str, str | None], agrees: bool) -> None:
    entry = prepare_person(_traveller("Somchai", "Srisuk"))
    traveller = prepare_person(_traveller("Somchai", "Srisuk", **other))
    result = identity_agrees(traveller, entry, Context(CONFIG))
    assert (result is not None and result.score == 1.0) is agrees


@pytest.mark.parametrize(("list_name", "alerts"), [("missing_person", True), ("suspected_victim", True),
                                                    ("suspect", False)])
def test_identity_carries_a_medium_name_on_the_lists_of_people_to_protect(list_name: str, alerts: bool) -> None:
    index = _index("เมธัส พิริยจิตรกรกิจ", list_name)  # passport: Maytus Piriyajitakonkij, a medium name match
    matches = search(index, _traveller("MAYTUS", "PIRIYAJITAKONKIJ"), CONFIG, at=AT)
    assert bool(matches) is alerts
    if alerts:
        assert "identity" in [f.name for f in matches[0].features]


def test_the_same_medium_name_without_identity_does_not_alert() -> None:
    index = _index("เมธัส พิริยจิตรกรกิจ", "missing_person")
    assert search(index, _traveller("MAYTUS", "PIRIYAJITAKONKIJ", date_of_birth="1965-03-27"), CONFIG, at=AT) == []
    assert search(index, _traveller("MAYTUS", "PIRIYAJITAKONKIJ", sex=None), CONFIG, at=AT) == []


def test_blocking_finds_an_entry_of_the_same_identity_when_no_name_key_meets() -> None:
    index = _index("นัชนัยน์ รุ่งเหมือนฟ้า", "missing_person")  # passport: Natchanai Roongmuanpha
    assert candidates(index, _traveller("NATCHANAI", "ROONGMUANPHA")) == ["e1"]
    assert candidates(index, _traveller("NATCHANAI", "ROONGMUANPHA", date_of_birth="1965-03-27")) == []
    assert candidates(index, _traveller("NATCHANAI", "ROONGMUANPHA", nationality="LAO")) == []
    assert candidates(_index("นัชนัยน์ รุ่งเหมือนฟ้า", "suspect"), _traveller("NATCHANAI", "ROONGMUANPHA")) == []


def test_identity_counts_less_for_a_common_name() -> None:
    """Namesakes sharing a common family name and a birthday are many: the evidence scales with how
    specific the names could be (the index's information of their tokens)."""
    common = {"ngan|u", "wan|a", "an|a"}  # count keys of Nguyen, Van, An
    ctx = Context(CONFIG, token_bits=lambda sk: 1.0 if sk in common else 12.0, population_bits=20.0)
    dob = {"date_of_birth": DOB, "sex": "M", "nationality": "VNM"}
    nguyen = prepare_person(Person(full_name="Nguyen Van An", **dob))
    assert identity_agrees(prepare_person(Person(given_names="Van An", surname="Nguyen", **dob)), nguyen, ctx) is None
    rare = prepare_person(Person(full_name="Xylophant Quorbin", **dob))
    found = identity_agrees(prepare_person(Person(given_names="Xylofant", surname="Quorbin", **dob)), rare, ctx)
    assert found is not None and found.score == 1.0
