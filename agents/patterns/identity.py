"""Who a traveller is, as far as a crossing tells: a hashed identity and hashed family-name tokens.

State keeps only these hashes, never a name, date of birth or document number.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata

from agents.alerting.ids import best_document, normalize_document_number, normalize_name
from schemas.person import Document, Person

_SEPARATOR = "\x1f"

#: Name parts that say nothing about family: Burmese honorifics and gender markers (Burmese names have
#: no family name at all), Vietnamese middle-name gender markers, Malay/Arabic patronymic particles.
NOT_FAMILY_TOKENS = frozenset({
    "u", "daw", "maung", "mg", "ma", "ko", "saw", "naw", "nang", "sai", "nan", "mi", "khun", "nai",
    "van", "thi", "bin", "binti", "binte", "bt", "de", "da", "mr", "mrs", "ms", "miss",
})


def _digest(material: str, salt: str, size: int) -> str:
    return hashlib.blake2b(material.encode(), key=salt.encode()[:64], digest_size=size).hexdigest()


def identity_key(person: Person, salt: str = "", fallback: str = "") -> str:
    """The same traveller on every crossing: issuing country + document number, else name + date of birth.

    A record with neither gets `fallback` (its event id), so it is never merged with anybody else.
    """
    return key_from_parts(best_document(person), person.names(), person.date_of_birth, salt, fallback)


def key_from_parts(document: Document | None, names: list[str], date_of_birth: str | None, salt: str = "",
                   fallback: str = "") -> str:
    """`identity_key` from the person's best document (`best_document`) and names (`Person.names`), for a
    caller that has them already."""
    if document is not None:
        number = normalize_document_number(document.number)
        if number:
            return _digest(f"doc{_SEPARATOR}{document.issuing_country or ''}{_SEPARATOR}{number}", salt, 16)
    name = normalize_name(names[0]) if names else ""
    if name:
        return _digest(f"name{_SEPARATOR}{name}{_SEPARATOR}{date_of_birth or ''}", salt, 16)
    return _digest(f"unknown{_SEPARATOR}{fallback}", salt, 16)


def _tokens(text: str | None) -> list[str]:
    if not text:
        return []
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return [t for t in letters.casefold().split() if t not in NOT_FAMILY_TOKENS]


def family_tokens(person: Person, salt: str = "",
                  names: list[str] | None = None) -> tuple[frozenset[str], frozenset[str]]:
    """(family-name tokens, every name token), hashed.

    The family name is the surname field when there is one. Without it (Burmese names, names written
    in one field) any name part might be the family's, so every part counts: two people who share a
    name part are treated as possibly related, which only ever makes the detectors more cautious.
    """
    return _family_tokens(tuple(person.names() if names is None else names), person.surname, salt)


@functools.lru_cache(maxsize=8192)
def _family_tokens(names: tuple[str, ...], surname: str | None, salt: str) -> tuple[frozenset[str], frozenset[str]]:
    # Commuters and regulars cross again and again under the same names: normalised and hashed once.
    every = {t for name in names for t in _tokens(name)}
    family = set(_tokens(surname)) if surname else every
    return (frozenset(_digest(t, salt, 6) for t in family), frozenset(_digest(t, salt, 6) for t in every))
