"""Date of birth: exact, partial dates, day/month swaps, year off by one, estimated age ranges."""

from __future__ import annotations

from agents.matching.features.base import Comparison, Context
from agents.matching.prepared import PartialDob, PreparedPerson, format_dob

#: Two full dates that differ beyond a swap or a one-digit typo: strong evidence of another person.
CONTRADICTION = -1.0


def _range_text(year_range: tuple[int, int]) -> str:
    return f"{year_range[0]}..{year_range[1]}"


def _digit_typo(a: int | None, b: int | None) -> bool:
    """Two-digit month or day values that differ in one digit (06/08, 01/11) or by swapped digits (12/21)."""
    if a is None or b is None:
        return False
    if 0 <= a < 100 and 0 <= b < 100:
        # The two digits read off by arithmetic, not formatted (asked for namesakes born in the
        # traveller's year and month): tens and units as `f"{n:02d}"` writes them.
        a_tens, a_units, b_tens, b_units = a // 10, a % 10, b // 10, b % 10
        return (a_tens == b_tens) != (a_units == b_units) or (a_tens == b_units and a_units == b_tens)
    x, y = f"{a:02d}", f"{b:02d}"
    return (x[0] == y[0]) != (x[1] == y[1]) or (x[0] == y[1] and x[1] == y[0])


def compare_dates(q: PartialDob, c: PartialDob) -> float:
    """Score of two dates of birth known at least to the year (see `date_of_birth`)."""
    qy, qm, qd = q
    cy, cm, cd = c
    months_known = qm is not None and cm is not None
    days_known = months_known and qd is not None and cd is not None
    if qy == cy:
        if not months_known:
            return 0.5
        if qm == cm:
            if not days_known:
                return 0.7
            if qd == cd:
                return 1.0
            # One mistyped day digit is tolerated; another day is another person (namesakes).
            return 0.1 if _digit_typo(qd, cd) else CONTRADICTION
        if days_known and qd == cm and qm == cd:
            return 0.8  # day and month swapped
        if days_known and qd == cd and _digit_typo(qm, cm):
            return 0.1  # one mistyped month digit
        return CONTRADICTION if days_known else -0.5
    if abs(qy - cy) == 1:
        if days_known and qm == cm and qd == cd:
            return 0.6
        if days_known and qd == cm and qm == cd:
            return 0.3
        if not days_known and (not months_known or qm == cm):
            return 0.2
        return CONTRADICTION if days_known else -0.6
    if abs(qy - cy) == 2 and not days_known:
        return -0.3
    return -1.0


#: How much each kind of date agreement (a `compare_dates` / `year_in_range` score) says, in bits:
#: log2 of how much likelier that agreement is for the same person than for another one. The same day
#: is shared by about one person in 20,000 (a day in some sixty birth years) and is how the same person
#: is recorded; a swapped day and month or a year off by one are each shared by about as few people,
#: but are how one record in a hundred or so is written, so they say less. A mistyped digit says less
#: still: about a dozen of a month's days (or most months) are one digit from a given one, so it is
#: shared by over ten times as many people as the same day. A birth year alone is shared by one person
#: in sixty; an estimated range by one in a few.
AGREEMENT_BITS = {
    1.0: 14.0,  # the same day
    0.8: 8.0,  # day and month swapped
    0.7: 9.0,  # the same year and month (one record has no day)
    0.6: 7.0,  # year off by one, same day and month
    0.5: 6.0,  # the same year (one record has only the year)
    0.3: 4.0,  # year off by one, day and month swapped
    0.25: 2.5,  # a year inside an estimated range
    0.2: 2.0,  # year off by one on a partial date, or overlapping estimated ranges
    0.1: 4.0,  # one mistyped digit of the day or month
}


def date_bits(score: float) -> float:
    """Bits of evidence a date-of-birth agreement of this score carries (0 when it does not agree)."""
    return AGREEMENT_BITS.get(score, 0.0) if score > 0.0 else 0.0


def year_in_range(year: int, year_range: tuple[int, int]) -> float:
    """Score of a birth year against an estimated range of birth years."""
    low, high = year_range
    if low <= year <= high:
        return 0.25
    gap = low - year if year < low else year - high
    if gap <= 1:
        return 0.0
    if gap == 2:
        return -0.3
    return -0.6 if gap <= 5 else -1.0


def date_of_birth(query: PreparedPerson, candidate: PreparedPerson, ctx: Context) -> Comparison | None:
    """Dates of birth agree: exact or partial dates, day and month swapped, birth year off by one,
    or a birth year inside the estimated range of a suspected victim. Clearly different dates count
    against."""
    # The last pair's verdict (ctx.dob_pair, a PairVerdict), read and filled here: a direct call of the
    # comparison, not one through a function object.
    memo = ctx.dob_pair
    if memo.query is query and memo.candidate is candidate:
        return memo.found
    found = _date_of_birth(query, candidate)
    memo.query, memo.candidate, memo.found = query, candidate, found
    return found


def _date_of_birth(query: PreparedPerson, candidate: PreparedPerson) -> Comparison | None:
    if query.dob is not None and candidate.dob is not None:
        score = compare_dates(query.dob, candidate.dob)
        return Comparison(score, format_dob(query.dob), format_dob(candidate.dob))
    if query.dob is not None and candidate.year_range is not None:
        score = year_in_range(query.dob[0], candidate.year_range)
        return Comparison(score, format_dob(query.dob), _range_text(candidate.year_range))
    if candidate.dob is not None and query.year_range is not None:
        score = year_in_range(candidate.dob[0], query.year_range)
        return Comparison(score, _range_text(query.year_range), format_dob(candidate.dob))
    if query.year_range is not None and candidate.year_range is not None:
        overlap = min(query.year_range[1], candidate.year_range[1]) - max(query.year_range[0], candidate.year_range[0])
        score = 0.2 if overlap >= 0 else (-0.2 if overlap >= -2 else -0.8)
        return Comparison(score, _range_text(query.year_range), _range_text(candidate.year_range))
    return None
