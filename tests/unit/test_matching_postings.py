"""Posting lists (agents/matching/postings.py): counting the entries born near the traveller."""

from __future__ import annotations

from array import array

from agents.matching import postings
from agents.matching.keys import NO_YEAR


def _posting(*entries: tuple[int, int]) -> array[int]:
    """(year, slot) pairs as an ordered posting (month and day 0)."""
    return array("Q", sorted(postings.pack(year, slot, 0) for year, slot in entries))


def _slots(hits: dict[int, int]) -> dict[int, int]:
    return {postings.slot_of(packed): n for packed, n in hits.items()}


def test_count_near_counts_the_year_window_and_the_entries_of_unknown_year() -> None:
    posting = _posting((NO_YEAR, 1), (1979, 2), (1980, 3), (1985, 4), (1986, 5), (1990, 6))
    hits: dict[int, int] = {}
    postings.count_near(hits, posting, (1980, 1986), 1)
    assert _slots(hits) == {1: 1, 3: 1, 4: 1, 5: 1}


def test_count_near_adds_its_weight_to_what_is_already_counted_in_first_seen_order() -> None:
    hits: dict[int, int] = {}
    postings.count_near(hits, _posting((1980, 7), (1981, 8)), (1980, 1981), 1)
    postings.count_near(hits, _posting((1981, 8), (1981, 9)), (1980, 1981), 2)
    assert list(_slots(hits).items()) == [(7, 1), (8, 3), (9, 2)]


def test_count_near_without_years_counts_every_entry() -> None:
    hits: dict[int, int] = {}
    postings.count_near(hits, _posting((NO_YEAR, 1), (1950, 2), (2010, 3)), None, 1)
    assert _slots(hits) == {1: 1, 2: 1, 3: 1}


def test_count_near_on_a_one_entry_posting() -> None:
    inside, outside, unknown = postings.pack(1984, 1, 0), postings.pack(1970, 2, 0), postings.pack(NO_YEAR, 3, 0)
    hits: dict[int, int] = {}
    for one in (inside, outside, unknown):
        postings.count_near(hits, one, (1980, 1986), 2)
    assert _slots(hits) == {1: 2, 3: 2}
