"""Posting lists: the entries of one blocking key, each packed with its birth year and birthday.

A posting entry is one int, ``year << 33 | slot << 9 | month_day``: the year the slot is filed
under (`keys.sort_year`; NO_YEAR first), the slot, and its packed month and day. A posting list
is an ``array("Q")`` of them in ascending order, so by birth year, then slot; a key only one entry
has holds that entry's int alone.

Why packed: at a million entries the per-slot arrays and the slot int objects are scattered over
hundreds of megabytes, and reading them to bisect a posting by birth year or to rank candidates
by birth date was a cache miss each (a fifth of screening's time). Packed, a window by birth year
is a bisection of one contiguous array and the ranking reads the bits it already holds.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, insort
from typing import TypeAlias

from agents.matching.blocking.keys import NO_YEAR

SLOT_BITS = 24
#: Slots must stay below this (16.7 million entries per index).
MAX_SLOTS = 1 << SLOT_BITS
SLOT_SHIFT = 9
YEAR_SHIFT = SLOT_SHIFT + SLOT_BITS
_SLOT_MASK = MAX_SLOTS - 1
_MONTH_DAY_MASK = (1 << SLOT_SHIFT) - 1
#: The first packed value of an entry filed under a known year.
FIRST_KNOWN = (NO_YEAR + 1) << YEAR_SHIFT

#: A posting: packed entries in ascending order, or the one packed entry of a one-entry key.
Posting: TypeAlias = "int | array[int]"


def pack(year: int, slot: int, month_day: int) -> int:
    """One posting entry (`year` as `keys.sort_year` files it, `month_day` as `keys.month_day`)."""
    return (year << YEAR_SHIFT) | (slot << SLOT_SHIFT) | month_day


def slot_of(packed: int) -> int:
    return (packed >> SLOT_SHIFT) & _SLOT_MASK


def year_of(packed: int) -> int:
    return packed >> YEAR_SHIFT


def month_day_of(packed: int) -> int:
    return packed & _MONTH_DAY_MASK


def size(posting: Posting | None) -> int:
    if posting is None:
        return 0
    return 1 if isinstance(posting, int) else len(posting)


def entries(posting: Posting | None) -> list[int]:
    """The packed entries of a posting, in order."""
    if posting is None:
        return []
    return [posting] if isinstance(posting, int) else posting.tolist()


def slots(posting: Posting | None) -> list[int]:
    """The slots of a posting, in order."""
    return [slot_of(packed) for packed in entries(posting)]


def year_start(year: int) -> int:
    """The lowest packed entry filed under `year` (or under the first known year, if lower)."""
    return max(year, NO_YEAR + 1) << YEAR_SHIFT


def in_years(posting: Posting, low: int, high: int) -> list[int] | array[int]:
    """The entries whose exact birth year is within low..high."""
    if isinstance(posting, int):
        year = posting >> YEAR_SHIFT
        return [posting] if year != NO_YEAR and low <= year <= high else []
    start = bisect_left(posting, year_start(low))
    return posting[start : bisect_left(posting, year_start(high + 1), start)]


def added(posting: Posting | None, packed: int, *, ordered: bool) -> Posting:
    """The posting with one more entry (in order, or appended while a bulk build fills it)."""
    if posting is None:
        return packed
    if isinstance(posting, int):
        return array("Q", (posting, packed) if packed > posting or not ordered else (packed, posting))
    if ordered:
        insort(posting, packed)
    else:
        posting.append(packed)
    return posting


def joined(first: Posting | None, second: Posting) -> Posting:
    """`first` followed by the entries of `second`, unsorted (bulk builds; may extend `first`)."""
    if first is None:
        return second
    out = array("Q", (first,)) if isinstance(first, int) else first
    if isinstance(second, int):
        out.append(second)
    else:
        out.extend(second)
    return out


def removed(posting: Posting, packed: int) -> Posting | None:
    """The posting without one entry (the same posting when it does not hold it)."""
    if isinstance(posting, int):
        return None if posting == packed else posting
    try:
        posting.remove(packed)
    except ValueError:
        return posting
    return posting[0] if len(posting) == 1 else posting
