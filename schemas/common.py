"""Shared field types and model bases for the wire contract."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

MAX_NAME = 200
MAX_ID = 128

#: ISO 3166-1 alpha-3 as printed in passports (ICAO 9303 also allows "D<<" for Germany), in any case
#: and with surrounding whitespace; stored stripped and upper-cased. pydantic-core checks the pattern
#: on the input as received, so it admits the case and the whitespace it then normalises. All native:
#: the Python upper-casing validator this replaced also moved the pattern into a Python wrapper, two
#: Python calls per code, 15 % of decoding a watchlist entry.
CountryCode = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True,
                                               pattern=r"^\s*[A-Za-z][A-Za-z<]{2}\s*$")]
Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ID)]
ShortText = Annotated[str, StringConstraints(max_length=MAX_NAME)]

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


# Cached: a watchlist holds the same dates of birth many times over, and the check is a Python call
# per date. Bounded without a maxsize: only valid dates are cached (a refused one raises, and
# exceptions are not cached), and 1900..2100 has ~76,000 of them with the partial forms.
@functools.cache
def _check_partial_date(value: str) -> str:
    match = _PARTIAL_DATE.match(value)
    if match is None:
        raise ValueError("date must be YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = match.groups()
    if not 1900 <= int(year) <= 2100:
        raise ValueError("year out of range 1900..2100")
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError("month out of range 01..12")
    if day is not None:
        dt.date(int(year), int(month), int(day))  # raises ValueError on 2001-02-30
    return value


#: "YYYY-MM-DD" | "YYYY-MM" | "YYYY": partial dates are common for victims and old records.
PartialDate = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_check_partial_date)]


def _require_tz(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("timestamp must carry a UTC offset (RFC 3339)")
    return value


#: RFC 3339 timestamp with an explicit offset.
Timestamp = Annotated[dt.datetime, AfterValidator(_require_tz)]


class Inbound(BaseModel):
    """Base of models we consume: unknown fields are ignored so producers may add fields."""

    model_config = ConfigDict(extra="ignore", frozen=True, str_max_length=4096)


class Outbound(BaseModel):
    """Base of models we publish: unknown fields are refused so nothing leaks by accident."""

    model_config = ConfigDict(extra="forbid", frozen=True)


__all__ = [
    "CountryCode",
    "Field",
    "Identifier",
    "Inbound",
    "Outbound",
    "PartialDate",
    "ShortText",
    "Timestamp",
]
