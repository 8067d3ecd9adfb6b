"""Blocking's key-hit tally: how many of the traveller's name keys each candidate entry shares.

Entries are packed posting entries (agents/matching/blocking/postings.py), counted in the order first
seen so that ties break the same way every run. `agents/matching/blocking/tally.c` is the same class in
C, built with the compiled matcher (agents/matching/native.py) and loaded in place of this file
when the build is current: counting a few hundred posting entries per event through a dict made
each one an int object, a hash and two lookups, a large share of screening's time at a million
entries (bench/profile_matcher.py measures the candidates stage; bench/results/matcher-1m.md).
This file is the reference and runs wherever the build does not; a test holds the two to the
same results.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable
from operator import itemgetter

from agents.matching.blocking.keys import NO_YEAR
from agents.matching.blocking.postings import FIRST_KNOWN, YEAR_SHIFT, Posting, month_day_of, slot_of, year_start
from agents.matching.blocking.prefilter import HIGH_SHIFT, MONTH_DAY_MASK, MONTH_DAY_SHIFT, YEAR_MASK


class Tally:
    """Key-hit counts by packed entry, in first-counted order."""

    __slots__ = ("_counts",)

    def __init__(self) -> None:
        self._counts: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._counts)

    def add(self, posting: Posting, years: tuple[int, int] | None, weight: int) -> None:
        """Adds `weight` to the count of each entry of `posting` born within `years` (low, high),
        and of each of unknown or estimated birth year; of all of them when `years` is None."""
        counts = self._counts
        if isinstance(posting, int):
            year = posting >> YEAR_SHIFT
            if years is None or year == NO_YEAR or years[0] <= year <= years[1]:
                counts[posting] = counts.get(posting, 0) + weight
            return
        if years is None:
            window: Iterable[int] = posting
        else:
            unknown = bisect_left(posting, FIRST_KNOWN)
            start = bisect_left(posting, year_start(years[0]), unknown)
            end = bisect_left(posting, year_start(years[1] + 1), start)
            window = [*posting[:unknown], *posting[start:end]]
        for packed in window:
            counts[packed] = counts.get(packed, 0) + weight

    def add_new(self, packed: Iterable[int]) -> None:
        """Counts 1 for each entry not counted yet."""
        counts = self._counts
        for one in packed:
            if one not in counts:
                counts[one] = 1

    def discard(self, packed: int) -> None:
        """Forgets an entry (found otherwise, by its document)."""
        self._counts.pop(packed, None)

    def best(self) -> int:
        """The highest count (0 when nothing is counted)."""
        return max(self._counts.values(), default=0)

    def ranked(self, floor: int, keep: int) -> list[tuple[int, int]]:
        """(entry, count) of the entries counted at least `floor`, most first (ties in the order
        first counted), at most `keep` of them."""
        top = [item for item in self._counts.items() if item[1] >= floor]
        top.sort(key=itemgetter(1), reverse=True)
        return top[: max(keep, 0)]

    def ranked_slots(self, floor: int, keep: int, codes: array[int]) -> list[int]:
        """The slots of `ranked(floor, keep)`. The C build also prefetches their `codes` (the
        index's per-slot codes), which the prefilter reads next."""
        return [slot_of(packed) for packed, _ in self.ranked(floor, keep)]

    def ranked_by_date(self, floor: int, keep: int, codes: array[int], low: int, high: int,
                       days: tuple[int, ...], bonus: int, take: int) -> list[int]:
        """The slots of `ranked(floor, keep)` with `bonus` added to the count of each entry born
        within low..high, twice when, besides, its month and day are one of `days`; ranked again
        (ties keep their order), at most `take` of them (codes prefetched, as `ranked_slots`).

        An entry filed under its exact year carries year and birthday; one of unknown or estimated
        year is looked up in `codes`, the index's per-slot codes (agents/matching/blocking/prefilter.py)."""
        twice = 2 * bonus
        out: list[tuple[int, int]] = []
        for packed, n in self.ranked(floor, keep):
            year = packed >> YEAR_SHIFT
            if year != NO_YEAR:
                if low <= year <= high:
                    n += twice if month_day_of(packed) in days else bonus
            else:
                code = codes[2 * slot_of(packed)]
                first = code & YEAR_MASK
                if first != NO_YEAR and first <= high and low <= (code >> HIGH_SHIFT) & YEAR_MASK:
                    n += twice if (code >> MONTH_DAY_SHIFT) & MONTH_DAY_MASK in days else bonus
            out.append((packed, n))
        out.sort(key=itemgetter(1), reverse=True)
        return [slot_of(packed) for packed, _ in out[: max(take, 0)]]


def sharing_name_bits(posting: Posting | None, bits: array[int], wanted: int) -> list[int]:
    """The entries of `posting` whose slot's name bits (`bits`, keys.name_bits per slot) overlap
    `wanted`: those that may share a name skeleton with the traveller. The C build prefetches the
    bits of every entry before testing the first (one scattered read each, at a million entries)."""
    if posting is None:
        return []
    if isinstance(posting, int):
        return [posting] if bits[slot_of(posting)] & wanted else []
    return [packed for packed in posting if bits[slot_of(packed)] & wanted]


def sort_packed(posting: array[int]) -> None:
    """Put a posting's array in ascending order, in place (the end of a bulk build). The C build
    sorts the machine words where they are, where `sorted` made an int object of every entry of
    every posting of the index."""
    posting[:] = array("Q", sorted(posting))

