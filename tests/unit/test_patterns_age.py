"""Age ranges from dates of birth of any precision; minors and adults only when certain."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from agents.patterns.age import AgeRange, age_on, age_range, birth_bounds

DAY = dt.date(2026, 6, 15)


def test_full_date_gives_one_age() -> None:
    assert age_range("2008-06-15", DAY) == AgeRange(18, 18)
    assert age_range("2008-06-16", DAY) == AgeRange(17, 17)


def test_year_only_spans_two_ages_and_is_not_certainly_a_minor() -> None:
    ages = age_range("2008", DAY)
    assert ages == AgeRange(17, 18)
    assert not ages.certainly_under(18)
    assert not ages.certainly_at_least(18)
    assert age_range("2009", DAY) == AgeRange(16, 17)
    assert age_range("2009", DAY).certainly_under(18)  # type: ignore[union-attr]


def test_month_precision() -> None:
    assert age_range("2008-06", DAY) == AgeRange(17, 18)
    assert age_range("2008-05", DAY) == AgeRange(18, 18)
    assert age_range("2008-07", DAY) == AgeRange(17, 17)


def test_birth_year_range_and_unknowns() -> None:
    assert age_range(None, DAY, (2010, 2012)) == AgeRange(13, 16)
    assert age_range(None, DAY) is None
    assert age_range("2030", DAY) is None  # born after the crossing: no age at all
    assert age_range("2026-12", DAY) is None
    assert age_range("garbage", DAY) is None


def test_leap_day_birthday() -> None:
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18


@given(st.dates(dt.date(1920, 1, 1), dt.date(2026, 6, 15)), st.sampled_from([4, 7, 10]))
def test_every_possible_birth_date_falls_inside_the_range(birth: dt.date, precision: int) -> None:
    """Whatever the true birth date behind a partial DOB, the true age is inside the range."""
    partial = birth.isoformat()[:precision]
    ages = age_range(partial, DAY)
    assert ages is not None
    assert ages.low <= age_on(birth, DAY) <= ages.high
    earliest, latest = birth_bounds(partial)  # type: ignore[misc]
    assert earliest <= birth <= latest
    assert ages.high - ages.low <= 1
