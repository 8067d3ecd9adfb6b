"""Identity of a traveller and the plausible-family test (names that do and don't carry a family name)."""

from __future__ import annotations

from agents.patterns import Member, PatternConfig, identity_key, member_of, plausibly_family, shares_family_name
from schemas.person import Person
from tests.patterns_factories import T0, cross, person


def _member(traveller: dict[str, object]) -> Member:
    return member_of(cross(traveller, T0))


def test_identity_from_document_ignores_name_spelling() -> None:
    a = Person.model_validate(person("Nguyen Van An", "1990-01-01", nationality="VNM", doc="C123-4567"))
    b = Person.model_validate(person("NGUYEN VAN AN", "1990", nationality="VNM", doc="c1234567"))
    assert identity_key(a) == identity_key(b)


def test_identity_separates_same_number_from_different_issuers() -> None:
    a = Person.model_validate(person("A", "1990", nationality="VNM", doc="1234567"))
    b = Person.model_validate(person("A", "1990", nationality="LAO", doc="1234567"))
    assert identity_key(a) != identity_key(b)


def test_identity_without_document_is_name_and_dob() -> None:
    a = Person.model_validate(person("Somchai Jaidee", "1980-03-04"))
    b = Person.model_validate(person("jaidee  somchai", "1980-03-04"))
    c = Person.model_validate(person("Somchai Jaidee", "1981-03-04"))
    assert identity_key(a) == identity_key(b) != identity_key(c)


def test_identity_keys_hold_no_personal_data() -> None:
    p = Person.model_validate(person("Somchai Jaidee", "1980-03-04", doc="AA1234567"))
    key = identity_key(p)
    assert "1234567" not in key and "somchai" not in key.lower()
    assert len(key) == 32


def test_shared_surname_or_nationality_is_plausible_family() -> None:
    father = _member(person("Somchai", "1980", nationality="THA", surname="Jaidee"))
    son = _member(person("Niran", "2015", nationality="THA", surname="Jaidee"))
    assert shares_family_name(father, son) and plausibly_family(father, son)


def test_chinese_mother_keeps_her_own_surname() -> None:
    mother = _member(person("Fang", "1985", nationality="CHN", surname="Wang", sex="F"))
    child = _member(person("Wei", "2016", nationality="CHN", surname="Zhang"))
    assert not shares_family_name(mother, child)
    assert plausibly_family(mother, child)  # same nationality


def test_burmese_names_without_surnames_still_plausible_by_nationality() -> None:
    mother = _member(person("Daw Khin Mya", "1984", nationality="MMR", sex="F"))
    son = _member(person("Mg Kyaw Zaw", "2014", nationality="MMR"))
    assert not shares_family_name(mother, son)  # honorifics are not family names
    assert plausibly_family(mother, son)


def test_stranger_of_other_nationality_and_name_is_not_family() -> None:
    adult = _member(person("Somchai", "1980", nationality="THA", surname="Jaidee"))
    child = _member(person("Mg Aung Htet", "2016", nationality="MMR"))
    assert not plausibly_family(adult, child)


def test_unknown_nationality_counts_as_possibly_shared() -> None:
    adult = _member(person("Somchai", "1980", nationality=None, surname="Jaidee"))
    child = _member(person("Mg Aung Htet", "2016", nationality="MMR"))
    assert plausibly_family(adult, child)


def test_member_age_is_judged_on_the_crossing_day() -> None:
    cfg = PatternConfig()
    seventeen_or_eighteen = _member(person("X", "2008", nationality="THA"))
    assert not seventeen_or_eighteen.is_minor(cfg.adult_age)
    assert not seventeen_or_eighteen.is_adult(cfg.adult_age)
    assert seventeen_or_eighteen.may_be_adult(cfg.adult_age)
