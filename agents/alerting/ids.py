"""Deterministic identifiers: alert ids and hashed traveller identity keys."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid

from schemas.person import Document, Person

#: Fixed namespace: changing it would change every alert id and break de-duplication downstream.
ALERT_NAMESPACE = uuid.UUID("6f1c2a7e-3b4d-5e8f-9a0b-1c2d3e4f5a6b")
_NUMBER_NOISE = re.compile(r"[\s\-<./]+")
_SEPARATOR = "\x1f"  # cannot appear in ids we build keys from, so ("a", "bc") != ("ab", "c")


def alert_id(event_id: str, entry_id: str) -> str:
    """Same event + same entry -> same id, on every worker and after every replay."""
    return str(uuid.uuid5(ALERT_NAMESPACE, f"{event_id}{_SEPARATOR}{entry_id}"))


def normalize_document_number(number: str) -> str:
    return _NUMBER_NOISE.sub("", number.upper())


def normalize_name(name: str) -> str:
    """Case-, accent-, spacing- and order-insensitive form ("Nguyễn Văn A" == "A NGUYEN VAN")."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(sorted(letters.casefold().split()))


def best_document(person: Person, inspected: Document | None = None) -> Document | None:
    """The document that best identifies a traveller: the one inspected, else a passport, else any."""
    if inspected is not None:
        return inspected
    passports = [d for d in person.documents if d.type.strip().upper().startswith("P")]
    candidates = passports or person.documents
    return candidates[0] if candidates else None


def traveller_key(
    *,
    document_number: str | None,
    name: str | None,
    date_of_birth: str | None,
    salt: str = "",
    fallback: str = "",
) -> str:
    """Hashed traveller identity: best document number, else normalized name + DOB, else `fallback`.

    Only the hash is ever stored, never the document number or name it came from.
    """
    number = normalize_document_number(document_number) if document_number else ""
    if number:
        material = f"doc{_SEPARATOR}{number}"
    elif name and normalize_name(name):
        material = f"name{_SEPARATOR}{normalize_name(name)}{_SEPARATOR}{date_of_birth or ''}"
    else:
        material = f"unknown{_SEPARATOR}{fallback}"  # nothing to correlate on: never merge with others
    return hashlib.blake2b(material.encode(), key=salt.encode()[:64], digest_size=16).hexdigest()


def composite_key(*parts: str) -> str:
    """Opaque fixed-size key over several ids (used for state keys, JSON-safe)."""
    return hashlib.blake2b(_SEPARATOR.join(parts).encode(), digest_size=16).hexdigest()
