"""Document checks for `border.document-checks`: MRZ validity and agreement with the document and holder."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from agents.documents.mrz import LAYOUTS, Mrz, parse_mrz, resolve_birth_year, resolve_expiry
from agents.documents.names import latin_tokens, names_agree
from schemas.person import Document, Person

_NUMBER_NOISE = re.compile(r"[\s\-<./]+")


def check_document(document: Document, mrz: list[str] | str | None, holder: Person, at: dt.date) -> list[str]:
    """Flag codes (see `agents.documents.flags`) for a document inspected on day `at`; [] when all is well.

    No MRZ is normal for border passes and many ID cards, so its absence is flagged only for passports.
    """
    flags: list[str] = []
    if _expired(document.expiry_date, at):
        flags.append("document_expired")
    if mrz is None or (isinstance(mrz, list | str) and not mrz):
        if document.type.strip().upper().startswith("P"):
            flags.append("mrz_missing")
        return flags
    result = parse_mrz(mrz)
    if result is None:
        flags.append("mrz_unreadable")
        return flags
    flags.extend(result.flags)
    flags.extend(_agreement_flags(result.mrz, document, holder, at))
    if "document_expired" not in flags:
        expiry = resolve_expiry(result.mrz.expiry_date)
        if expiry is not None and expiry < at:
            flags.append("document_expired")
    return list(dict.fromkeys(flags))


def _agreement_flags(mrz: Mrz, document: Document, holder: Person, at: dt.date) -> list[str]:
    flags: list[str] = []
    if _NUMBER_NOISE.sub("", document.number.upper()) != mrz.document_number.replace(" ", ""):
        flags.append("mrz_number_mismatch")
    if document.issuing_country and document.issuing_country != mrz.issuing_country:
        flags.append("mrz_issuing_country_mismatch")
    expiry, birth = document.expiry_date, holder.date_of_birth
    if expiry and not _partial_date_agrees(expiry, mrz.expiry_date, birth=False, at=at):
        flags.append("mrz_expiry_mismatch")
    if birth and not _partial_date_agrees(birth, mrz.birth_date, birth=True, at=at):
        flags.append("mrz_dob_mismatch")
    if holder.sex and mrz.sex in ("M", "F", "X") and holder.sex != mrz.sex:
        flags.append("mrz_sex_mismatch")
    if holder.nationality and holder.nationality != mrz.nationality:
        flags.append("mrz_nationality_mismatch")
    if _name_mismatch(mrz, holder):
        flags.append("mrz_name_mismatch")
    return flags


def _name_mismatch(mrz: Mrz, holder: Person) -> bool:
    mrz_tokens = latin_tokens(f"{mrz.surname} {mrz.given_names}")
    if mrz_tokens is None:
        return False
    width = LAYOUTS[mrz.format][1]
    name_room = width if mrz.format == "TD1" else width - 5
    # A name that fills its field to the last character may have been cut short by the issuer.
    truncated = len(mrz.surname) + 2 + len(mrz.given_names) >= name_room
    forms = [f"{holder.surname or ''} {holder.given_names or ''}", *holder.names()]
    holder_forms = [tokens for tokens in map(latin_tokens, forms) if tokens is not None]
    if not holder_forms:
        return False  # nothing comparable in Latin script: say nothing rather than guess
    return not any(names_agree(mrz_tokens, tokens, truncated=truncated) for tokens in holder_forms)


def _partial_date_agrees(partial: str, yymmdd: str, *, birth: bool, at: dt.date) -> bool:
    """Compare a schema PartialDate ("YYYY[-MM[-DD]]") with an MRZ YYMMDD on the parts both know."""
    parts = partial.split("-")
    yy = yymmdd[0:2]
    if not yy.isdigit():
        return True
    year = resolve_birth_year(int(yy), at) if birth else 2000 + int(yy)
    if int(parts[0]) != year:
        return False
    for mine, theirs in zip(parts[1:], (yymmdd[2:4], yymmdd[4:6]), strict=False):
        if theirs.isdigit() and int(mine) != int(theirs):
            return False
    return True


def _expired(expiry: str | None, at: dt.date) -> bool:
    """A partial expiry ("2026-05" / "2026") runs to the end of that month / year."""
    if not expiry:
        return False
    parts = [int(p) for p in expiry.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return dt.date(year, month, day) < at
