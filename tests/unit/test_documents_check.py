"""check_document: flags for a document and its holder, against the MRZ read at the checkpoint."""

from __future__ import annotations

import datetime as dt

import pytest

from agents.documents import check_document, describe
from schemas.person import Document, Person

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
BEFORE_EXPIRY = dt.date(2012, 4, 1)


def doc(**overrides: object) -> Document:
    fields: dict[str, object] = {"type": "P", "number": "L898902C3", "issuing_country": "UTO"}
    fields.update(overrides)
    return Document.model_validate(fields)


def holder(**overrides: object) -> Person:
    fields: dict[str, object] = {
        "surname": "Eriksson",
        "given_names": "Anna Maria",
        "date_of_birth": "1974-08-12",
    }
    fields.update(overrides)
    return Person.model_validate(fields)


def test_consistent_document_has_no_flags() -> None:
    assert check_document(doc(), TD3, holder(), BEFORE_EXPIRY) == []


def test_number_mismatch_ignores_formatting() -> None:
    assert check_document(doc(number="l898-902 c3"), TD3, holder(), BEFORE_EXPIRY) == []
    assert check_document(doc(number="L898902C4"), TD3, holder(), BEFORE_EXPIRY) == ["mrz_number_mismatch"]


def test_expired_from_mrz_and_from_document() -> None:
    assert check_document(doc(), TD3, holder(), dt.date(2012, 4, 15)) == []  # valid on its expiry day
    assert check_document(doc(), TD3, holder(), dt.date(2012, 4, 16)) == ["document_expired"]
    # printed expiry, partial dates run to the end of their month / year
    assert check_document(doc(type="BP", expiry_date="2026-05"), None, holder(), dt.date(2026, 5, 31)) == []
    assert check_document(doc(type="BP", expiry_date="2026-05"), None, holder(), dt.date(2026, 6, 1)) == [
        "document_expired"
    ]
    assert check_document(doc(type="BP", expiry_date="2026"), None, holder(), dt.date(2026, 12, 31)) == []


def test_expiry_mismatch() -> None:
    flags = check_document(doc(expiry_date="2013-04-15"), TD3, holder(), BEFORE_EXPIRY)
    assert flags == ["mrz_expiry_mismatch"]
    assert check_document(doc(expiry_date="2012-04"), TD3, holder(), BEFORE_EXPIRY) == []


@pytest.mark.parametrize(
    ("dob", "flagged"),
    [
        ("1974-08-12", False),
        ("1974-08", False),
        ("1974", False),
        ("1975-08-12", True),
        ("1974-09", True),
        ("1974-08-13", True),
    ],
)
def test_dob_mismatch_on_known_parts(dob: str, flagged: bool) -> None:
    flags = check_document(doc(), TD3, holder(date_of_birth=dob), BEFORE_EXPIRY)
    assert ("mrz_dob_mismatch" in flags) is flagged


@pytest.mark.parametrize(
    ("name", "flagged"),
    [
        ({"surname": "ERIKSSON", "given_names": "ANNA"}, False),  # middle name omitted
        ({"full_name": "Anna Maria Eriksson"}, False),  # order differs
        ({"full_name": "Ánna María Eriksson"}, False),  # accents
        ({"full_name": "Maria Svensson"}, True),
        ({"full_name": "สมชาย ใจดี"}, False),  # not Latin script: not compared rather than guessed
    ],
)
def test_name_mismatch(name: dict[str, str], flagged: bool) -> None:
    flags = check_document(
        doc(), TD3, Person.model_validate({**name, "date_of_birth": "1974-08-12"}), BEFORE_EXPIRY
    )
    assert ("mrz_name_mismatch" in flags) is flagged


def test_vietnamese_name_matches_icao_transliteration() -> None:
    l1 = "P<VNMNGUYEN<<VAN<DUC<<<<<<<<<<<<<<<<<<<<<<<<"
    person = Person(full_name="Nguyễn Văn Đức", date_of_birth="1974-08-12")
    flags = check_document(doc(), [l1, TD3[1]], person, BEFORE_EXPIRY)
    assert "mrz_name_mismatch" not in flags


def test_sex_nationality_issuer_mismatch() -> None:
    flags = check_document(doc(issuing_country="THA"), TD3, holder(sex="M", nationality="LAO"), BEFORE_EXPIRY)
    assert set(flags) == {"mrz_issuing_country_mismatch", "mrz_sex_mismatch", "mrz_nationality_mismatch"}


def test_tampered_mrz_flags_the_field() -> None:
    tampered = [TD3[0], TD3[1].replace("7408122", "7508122")]  # year changed, check digit left alone
    flags = check_document(doc(), tampered, holder(), BEFORE_EXPIRY)
    assert "mrz_check_digit_failed:birth_date" in flags
    assert "mrz_check_digit_failed:composite" in flags
    assert "mrz_dob_mismatch" in flags
    assert "wrong" in describe("mrz_check_digit_failed:birth_date")


def test_unreadable_and_missing() -> None:
    assert check_document(doc(), "P<UTO garbage", holder(), BEFORE_EXPIRY) == ["mrz_unreadable"]
    assert check_document(doc(), None, holder(), BEFORE_EXPIRY) == ["mrz_missing"]  # passports carry one
    assert check_document(doc(type="BP"), None, holder(), BEFORE_EXPIRY) == []  # border passes may not
    assert check_document(doc(), [], holder(), BEFORE_EXPIRY) == ["mrz_missing"]


def test_flags_are_unique_and_describable() -> None:
    flags = check_document(doc(expiry_date="2000-01-01", number="X"), ["bad"], holder(), dt.date(2030, 1, 1))
    assert len(flags) == len(set(flags))
    assert all(describe(flag) != flag for flag in flags)
