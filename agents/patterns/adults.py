"""Who is certainly a minor, certainly an adult, or may be an adult: the tests of `AgeRange` and of the
models' `is_adult`, `is_minor` and `may_be_adult`, as compiled functions of an age range.

The models and `AgeRange` run as Python (pydantic validates them), so each of their methods is an
interpreted call, and the detectors ask these questions of every member and companion of every trip.
The answers are the methods' own: a test holds each function to its method.
"""

from __future__ import annotations

from agents.patterns.age import AgeRange


def is_minor(age: AgeRange | None, adult_age: int) -> bool:
    """Every birth date the record allows makes them younger than `adult_age` (`Member.is_minor`)."""
    return age is not None and age.high < adult_age


def is_adult(age: AgeRange | None, adult_age: int) -> bool:
    """Every birth date the record allows makes them at least `adult_age` (`Member.is_adult`)."""
    return age is not None and age.low >= adult_age


def may_be_adult(age: AgeRange | None, adult_age: int) -> bool:
    """Unknown age counts as a possible adult (`Member.may_be_adult`)."""
    return age is None or age.high >= adult_age


def within(age: AgeRange | None, low: int, high: int) -> bool:
    """Certainly aged `low`..`high`, inclusive (`AgeRange.within`; False when unknown)."""
    return age is not None and age.low >= low and age.high <= high
