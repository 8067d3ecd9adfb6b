"""A person prepared for comparison: name forms, parsed dates, normalized documents (computed once)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache

from agents.matching.names import NameForm, person_name_forms
from agents.matching.scripts.normalize import doc_number, doc_type, ocr_fold
from agents.matching.scripts.romanize import script_of
from schemas.person import Document, Person

PartialDob = tuple[int, int | None, int | None]


# PreparedDocument and PreparedPerson have their own __init__, and are not frozen, for the reason
# NameForm has (agents/matching/names.py): one of each is made per traveller screened and per entry
# indexed. Never modified once made: hashed and compared by their fields, as frozen dataclasses are.
@dataclass(slots=True, init=False, unsafe_hash=True)
class PreparedDocument:
    kind: str
    number: str
    country: str | None
    #: The number with OCR look-alikes folded (the same string object when nothing folds).
    ocr: str

    def __init__(self, kind: str, number: str, country: str | None, ocr: str) -> None:
        self.kind = kind
        self.number = number
        self.country = country
        self.ocr = ocr

    @property
    def text(self) -> str:
        return f"{self.kind}:{self.country or '?'}:{self.number}"


@dataclass(slots=True, init=False, unsafe_hash=True)
class PreparedPerson:
    forms: tuple[NameForm, ...]
    dob: PartialDob | None
    year_range: tuple[int, int] | None
    sex: str | None
    nationality: str | None
    documents: tuple[PreparedDocument, ...]
    #: Every name was written in Latin letters (not romanized here from Thai, Burmese, Han...).
    latin: bool

    def __init__(self, forms: tuple[NameForm, ...], dob: PartialDob | None, year_range: tuple[int, int] | None,
                 sex: str | None, nationality: str | None, documents: tuple[PreparedDocument, ...],
                 latin: bool = True) -> None:
        self.forms = forms
        self.dob = dob
        self.year_range = year_range
        self.sex = sex
        self.nationality = nationality
        self.documents = documents
        self.latin = latin


@lru_cache(maxsize=65536)
def parse_dob(value: str | None) -> PartialDob | None:
    """ "1990-05-17" -> (1990, 5, 17); "1990-05" -> (1990, 5, None); "1990" -> (1990, None, None).

    Cached: a million entries have some 25,000 distinct dates of birth, so entries born on the
    same day share one tuple (64 bytes each otherwise)."""
    if not value:
        return None
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else None
        day = int(parts[2]) if len(parts) > 2 else None
    except ValueError:
        return None
    return (year, month, day)


def full_date(dob: PartialDob | None) -> tuple[int, int, int] | None:
    """(year, month, day) of a date of birth known to the day, else None."""
    if dob is None:
        return None
    year, month, day = dob
    return None if month is None or day is None else (year, month, day)


@lru_cache(maxsize=65536)
def format_dob(dob: PartialDob | None) -> str | None:
    if dob is None:
        return None
    year, month, day = dob
    text = f"{year:04d}"
    if month is not None:
        text += f"-{month:02d}"
        if day is not None:
            text += f"-{day:02d}"
    return text


def prepare_document(document: Document) -> PreparedDocument | None:
    number = doc_number(document.number)
    if not number:
        return None
    country = document.issuing_country.replace("<", "") or None if document.issuing_country else None
    folded = ocr_fold(number)
    return PreparedDocument(
        kind=sys.intern(doc_type(document.type)),
        number=number,
        country=sys.intern(country) if country else None,
        ocr=number if folded == number else folded,
    )


def prepare_person(person: Person, extra_document: Document | None = None) -> PreparedPerson:
    """Everything the features compare, computed once per person."""
    docs: list[PreparedDocument] = []
    for document in [*person.documents, *([extra_document] if extra_document is not None else [])]:
        prepared = prepare_document(document)
        if prepared is not None and prepared not in docs:
            docs.append(prepared)
    year_range = person.birth_year_range
    names = person.names()  # builds a list each call: asked once
    return PreparedPerson(
        forms=person_name_forms(names),
        dob=parse_dob(person.date_of_birth),
        year_range=_year_range(year_range[0], year_range[1]) if year_range else None,
        sex=person.sex if person.sex in ("F", "M") else None,
        # Interned: a million prepared entries hold six or so distinct codes, not a million strings.
        nationality=sys.intern(person.nationality) if person.nationality else None,
        documents=tuple(docs),
        latin=all(written_in_latin(name) for name in names),
    )


def written_in_latin(name: str) -> bool:
    """Every word of the name is in Latin letters (with or without diacritics)."""
    # Not cached: `script_of` decides at a word's first letter, and a traveller's names are mostly
    # new to any cache (a miss cost a lookup, an insertion and an eviction, and the cache held names).
    return all(script_of(word) == "latin" for word in name.split())


@lru_cache(maxsize=4096)
def _year_range(low: int, high: int) -> tuple[int, int]:
    """One shared tuple per estimated birth-year range (suspected victims share a few hundred)."""
    return (low, high)
