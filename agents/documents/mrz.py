"""Tolerant parsing and validation of ICAO 9303 machine-readable zones (TD1, TD2, TD3).

Written here (~150 lines) rather than taken from the PyPI `mrz` package (0.6.2, last release 2020):
we need typed results, our own flag codes per field, tolerance of OCR-ish input (spaces, lower case,
one string or a list of lines) and a guarantee that no input raises; wrapping the package would cost
about as much code as the checks themselves and add an unmaintained, untyped dependency.

Layouts (0-based offsets), ICAO 9303 parts 4-6:
  TD3 2x44  L1: type 0-1, issuer 2-4, name 5-43
            L2: number 0-8, cd 9, nationality 10-12, birth 13-18, cd 19, sex 20, expiry 21-26, cd 27,
                optional 28-41, cd 42, composite 43 over 0-9 + 13-19 + 21-42
  TD2 2x36  L1: type 0-1, issuer 2-4, name 5-35
            L2: as TD3 up to 27, optional 28-34, composite 35 over 0-9 + 13-19 + 21-34
  TD1 3x30  L1: type 0-1, issuer 2-4, number 5-13, cd 14, optional 15-29
            L2: birth 0-5, cd 6, sex 7, expiry 8-13, cd 14, nationality 15-17, optional 18-28,
                composite 29 over L1 5-29 + L2 0-6 + L2 8-14 + L2 18-28
            L3: name 0-29
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from agents.documents.check_digit import is_valid

MrzFormat = Literal["TD1", "TD2", "TD3"]

#: (line count, line length) of each format.
LAYOUTS: Mapping[MrzFormat, tuple[int, int]] = MappingProxyType(
    {"TD1": (3, 30), "TD2": (2, 36), "TD3": (2, 44)}
)

_CHARSET = re.compile(r"^[A-Z0-9<]+$")
_COUNTRY = re.compile(r"^[A-Z][A-Z<]{2}$")
# A YYMMDD date whose day, or month and day, may be unknown (`<<`): allowed for dates of birth.
_DATE = re.compile(r"^(\d\d)(\d\d|<<)(\d\d|<<)$")
_SPACES = re.compile(r"\s+")
_MAX_RAW = 1000  # anything longer is not an MRZ; refuse before doing work on it


@dataclass(frozen=True, slots=True)
class Mrz:
    """The fields of a parsed MRZ, filler removed; raw dates kept as YYMMDD (`<` for unknown parts)."""

    format: MrzFormat
    document_type: str
    issuing_country: str
    document_number: str
    nationality: str
    birth_date: str
    sex: str
    expiry_date: str
    optional_data: str
    surname: str
    given_names: str


@dataclass(frozen=True, slots=True)
class MrzResult:
    """A parsed MRZ plus its defects as flag codes (empty when the MRZ is valid)."""

    mrz: Mrz
    flags: tuple[str, ...]


def normalize_lines(raw: list[str] | str | None) -> list[str]:
    """Upper-case, strip whitespace inside lines and drop empty lines; split a run-on string by length."""
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = raw.splitlines()
    lines = [_SPACES.sub("", line).upper() for line in raw if isinstance(line, str)]
    lines = [line for line in lines if line]
    if len(lines) == 1:  # one string without newlines: cut it if its length is an exact layout
        joined = lines[0]
        for count, width in LAYOUTS.values():
            if len(joined) == count * width:
                return [joined[i : i + width] for i in range(0, len(joined), width)]
    return lines


def detect_format(lines: list[str]) -> MrzFormat | None:
    for fmt, (count, width) in LAYOUTS.items():
        if len(lines) == count and all(len(line) == width for line in lines):
            return fmt
    return None


def parse_mrz(raw: list[str] | str | None) -> MrzResult | None:
    """Parse and validate an MRZ; None when it cannot be read at all (wrong shape or characters).

    Never raises: the input is whatever a reader produced.
    """
    if isinstance(raw, str) and len(raw) > _MAX_RAW:
        return None
    if isinstance(raw, list) and (len(raw) > 10 or sum(len(x) for x in raw if isinstance(x, str)) > _MAX_RAW):
        return None
    lines = normalize_lines(raw)
    fmt = detect_format(lines)
    if fmt is None or not all(_CHARSET.match(line) for line in lines):
        return None
    if fmt == "TD1":
        return _parse_td1(lines)
    return _parse_td2_td3(fmt, lines)


def _parse_td2_td3(fmt: MrzFormat, lines: list[str]) -> MrzResult:
    l1, l2 = lines
    end = 43 if fmt == "TD3" else 35  # position of the composite check digit
    flags: list[str] = []
    number = l2[0:9]
    _check(flags, "document_number", number, l2[9])
    _check(flags, "birth_date", l2[13:19], l2[19])
    _check(flags, "expiry_date", l2[21:27], l2[27])
    optional = l2[28:42] if fmt == "TD3" else l2[28:35]
    if fmt == "TD3":
        _check(flags, "optional_data", optional, l2[42], filler_ok=True)
    _check(flags, "composite", l2[0:10] + l2[13:20] + l2[21:end], l2[end])
    surname, given = _split_name(l1[5:])
    mrz = Mrz(
        fmt,
        _strip(l1[0:2]),
        l1[2:5],
        _strip(number),
        l2[10:13],
        l2[13:19],
        l2[20],
        l2[21:27],
        _strip(optional),
        surname,
        given,
    )
    return MrzResult(mrz, tuple(flags + _format_flags(mrz)))


def _parse_td1(lines: list[str]) -> MrzResult:
    l1, l2, l3 = lines
    flags: list[str] = []
    number, number_cd, optional = l1[5:14], l1[14], l1[15:30]
    if number_cd == "<" and optional[0] != "<":
        # Document numbers over 9 characters continue in the optional field, check digit at their end.
        rest = optional.split("<", 1)[0]
        number, number_cd = number + rest[:-1], rest[-1]
        optional = optional[len(rest) :]
    _check(flags, "document_number", number, number_cd)
    _check(flags, "birth_date", l2[0:6], l2[6])
    _check(flags, "expiry_date", l2[8:14], l2[14])
    _check(flags, "composite", l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29])
    surname, given = _split_name(l3)
    mrz = Mrz(
        "TD1",
        _strip(l1[0:2]),
        l1[2:5],
        _strip(number),
        l2[15:18],
        l2[0:6],
        l2[7],
        l2[8:14],
        _strip(optional + l2[18:29]),
        surname,
        given,
    )
    return MrzResult(mrz, tuple(flags + _format_flags(mrz)))


def _check(flags: list[str], field: str, value: str, digit: str, *, filler_ok: bool = False) -> None:
    if not is_valid(value, digit, filler_ok=filler_ok):
        flags.append(f"mrz_check_digit_failed:{field}")


def _format_flags(mrz: Mrz) -> list[str]:
    flags: list[str] = []
    if not mrz.document_type or mrz.document_type[0] not in "PIACV":
        flags.append("mrz_format_invalid:document_type")
    if not _COUNTRY.match(mrz.issuing_country):
        flags.append("mrz_format_invalid:issuing_country")
    if not _COUNTRY.match(mrz.nationality):
        flags.append("mrz_format_invalid:nationality")
    if not mrz.document_number:
        flags.append("mrz_format_invalid:document_number")
    if not _valid_date(mrz.birth_date, partial_ok=True):
        flags.append("mrz_format_invalid:birth_date")
    if resolve_expiry(mrz.expiry_date) is None:
        flags.append("mrz_format_invalid:expiry_date")
    if mrz.sex not in ("M", "F", "X", "<"):  # `X` is issued by some states for unspecified
        flags.append("mrz_format_invalid:sex")
    if not mrz.surname:
        flags.append("mrz_format_invalid:name")
    return flags


def _valid_date(yymmdd: str, *, partial_ok: bool) -> bool:
    match = _DATE.match(yymmdd)
    if match is None:
        return False
    _, month, day = match.groups()
    if "<" in month + day:
        # Unknown parts are allowed only for birth dates, and an unknown month implies an unknown day.
        return partial_ok and not (month == "<<" and day != "<<") and (month == "<<" or 1 <= int(month) <= 12)
    try:
        dt.date(2000, int(month), int(day))  # leap year, so 29 Feb is accepted for any YY
    except ValueError:
        return False
    return True


def _split_name(field: str) -> tuple[str, str]:
    """`SURNAME<<GIVEN<NAMES<<<` -> ("SURNAME", "GIVEN NAMES")."""
    surname, _, given = field.partition("<<")
    return _strip(surname), _strip(given)


def _strip(value: str) -> str:
    return " ".join(part for part in value.split("<") if part)


def resolve_birth_year(yy: int, at: dt.date) -> int:
    """Two-digit birth year -> four digits: nobody is born in the future."""
    year = 2000 + yy
    return year if year <= at.year else year - 100


def resolve_expiry(yymmdd: str) -> dt.date | None:
    """Expiry YYMMDD -> date, or None if not a real date; expiries of documents in circulation are 20xx."""
    if len(yymmdd) != 6 or not yymmdd.isdigit():
        return None
    try:
        return dt.date(2000 + int(yymmdd[0:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return None
