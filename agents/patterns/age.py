"""Age on a given day from a date of birth of any precision (YYYY, YYYY-MM, YYYY-MM-DD).

A partial date of birth gives an age *range*: someone born "2008" is 17 or 18 on 2026-06-01. A
traveller counts as a minor only if every birth date the record allows makes them younger than the
age of majority, and as an adult only if every one makes them at least that old.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import NamedTuple


class AgeRange(NamedTuple):
    """Whole years, inclusive: the youngest and the oldest the traveller can be on that day."""

    low: int
    high: int

    def certainly_under(self, years: int) -> bool:
        return self.high < years

    def certainly_at_least(self, years: int) -> bool:
        return self.low >= years

    def within(self, low: int, high: int) -> bool:
        """Certainly aged `low`..`high` (inclusive)."""
        return self.low >= low and self.high <= high


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years on `day` (someone born on 29 February turns a year older on 1 March)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birth_bounds(date_of_birth: str | None,
                 birth_year_range: tuple[int, int] | None = None) -> tuple[dt.date, dt.date] | None:
    """Earliest and latest birth dates a record allows; None when it says nothing or is malformed."""
    if date_of_birth:
        parts = date_of_birth.strip().split("-")
        try:
            year = int(parts[0])
            if len(parts) == 1:
                return dt.date(year, 1, 1), dt.date(year, 12, 31)
            month = int(parts[1])
            if len(parts) == 2:
                return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
            day = dt.date(year, month, int(parts[2]))
            return day, day
        except (ValueError, IndexError):
            return None
    if birth_year_range is not None:
        first, last = birth_year_range
        if first > last:
            return None
        return dt.date(first, 1, 1), dt.date(last, 12, 31)
    return None


def age_range(date_of_birth: str | None, day: dt.date,
              birth_year_range: tuple[int, int] | None = None) -> AgeRange | None:
    """The traveller's possible ages on `day`; None when unknown or when the birth date is after `day`."""
    bounds = birth_bounds(date_of_birth, birth_year_range)
    if bounds is None:
        return None
    earliest, latest = bounds
    if earliest > day:
        return None
    return AgeRange(max(0, age_on(latest, day)), age_on(earliest, day))
