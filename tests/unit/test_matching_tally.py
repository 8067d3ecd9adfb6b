"""Blocking's key-hit tally (agents/matching/blocking/tally.py, and tally.c built in its place): the
entries born near the traveller are counted, ranked by hits in first-counted order, and the C
build gives exactly what the Python reference gives."""

from __future__ import annotations

from array import array
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.matching.blocking import postings
from agents.matching.blocking import tally as loaded
from agents.matching.blocking.keys import NO_MONTH_DAY, NO_YEAR, pack_month_day
from agents.matching.blocking.prefilter import HIGH_SHIFT, MONTH_DAY_MASK, MONTH_DAY_SHIFT, YEAR_MASK, slot_code
from tests.c_twins import implementations, python_twin, require_c

SOURCE = python_twin(loaded)
IMPLEMENTATIONS = implementations(loaded, SOURCE)


def _posting(*entries: tuple[int, int]) -> array[int]:
    """(year, slot) pairs as an ordered posting (month and day 0)."""
    return array("Q", sorted(postings.pack(year, slot, 0) for year, slot in entries))


def _slots(ranked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(postings.slot_of(packed), n) for packed, n in ranked]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_counts_the_year_window_and_the_entries_of_unknown_year(impl: ModuleType) -> None:
    tally = impl.Tally()
    tally.add(_posting((NO_YEAR, 1), (1979, 2), (1980, 3), (1985, 4), (1986, 5), (1990, 6)), (1980, 1986), 1)
    assert sorted(_slots(tally.ranked(1, 10))) == [(1, 1), (3, 1), (4, 1), (5, 1)]
    assert len(tally) == 4


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_adds_weights_and_ranks_most_hits_first_ties_in_first_counted_order(impl: ModuleType) -> None:
    tally = impl.Tally()
    tally.add(_posting((1980, 7), (1981, 8), (1981, 10)), (1980, 1981), 1)
    tally.add(_posting((1981, 8), (1981, 9)), (1980, 1981), 2)
    assert _slots(tally.ranked(1, 10)) == [(8, 3), (9, 2), (7, 1), (10, 1)]
    assert tally.best() == 3
    assert _slots(tally.ranked(2, 10)) == [(8, 3), (9, 2)]
    assert _slots(tally.ranked(1, 3)) == [(8, 3), (9, 2), (7, 1)]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_without_years_counts_every_entry(impl: ModuleType) -> None:
    tally = impl.Tally()
    tally.add(_posting((NO_YEAR, 1), (1950, 2), (2010, 3)), None, 1)
    assert _slots(tally.ranked(1, 10)) == [(1, 1), (2, 1), (3, 1)]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_a_one_entry_posting_is_its_packed_int(impl: ModuleType) -> None:
    inside, outside, unknown = postings.pack(1984, 1, 0), postings.pack(1970, 2, 0), postings.pack(NO_YEAR, 3, 0)
    tally = impl.Tally()
    for one in (inside, outside, unknown):
        tally.add(one, (1980, 1986), 2)
    assert _slots(tally.ranked(1, 10)) == [(1, 2), (3, 2)]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_add_new_counts_only_absent_entries_and_discard_forgets_one(impl: ModuleType) -> None:
    tally = impl.Tally()
    tally.add(_posting((1980, 1), (1980, 2)), None, 2)
    tally.add_new(array("Q", [postings.pack(1980, 2, 0), postings.pack(1980, 3, 0)]))
    tally.add_new([postings.pack(1980, 4, 0), postings.pack(1980, 1, 0)])
    tally.discard(postings.pack(1980, 2, 0))
    tally.discard(postings.pack(1999, 9, 0))  # never counted: nothing happens
    assert _slots(tally.ranked(1, 10)) == [(1, 2), (3, 1), (4, 1)]
    assert len(tally) == 3
    tally.add(postings.pack(1980, 2, 0), None, 1)  # counted anew, after the others
    assert _slots(tally.ranked(1, 10)) == [(1, 2), (3, 1), (4, 1), (2, 1)]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_an_empty_tally(impl: ModuleType) -> None:
    tally = impl.Tally()
    assert (len(tally), tally.best(), tally.ranked(1, 5)) == (0, 0, [])
    tally.discard(postings.pack(1980, 1, 0))
    assert len(tally) == 0


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_ranked_by_date_adds_the_bonus_for_the_year_and_twice_for_the_birthday(impl: ModuleType) -> None:
    may_5, june_1 = pack_month_day(5, 5), pack_month_day(6, 1)
    codes = array("Q", [0] * 2 * 8)
    codes[2 * 4] = slot_code(1984, 1990, NO_MONTH_DAY, 0, 0, 0)  # estimated 1984-1990: the year may match
    codes[2 * 5] = slot_code(1960, 1965, NO_MONTH_DAY, 0, 0, 0)  # estimated, too early
    tally = impl.Tally()
    for slot, (year, day) in enumerate([(1985, may_5), (1985, june_1), (1970, may_5), (1986, 0)]):
        tally.add(postings.pack(year, slot, day), None, 3)
    for slot in (4, 5, 6):  # unknown or estimated years are filed under NO_YEAR
        tally.add(postings.pack(NO_YEAR, slot, 0), None, 3)
    # Counts after the bonus: 7, 5, 5, 5, then 3, 3, 3.
    assert tally.ranked_by_date(1, 10, codes, 1984, 1986, (may_5,), 2, 10) == [0, 1, 3, 4, 2, 5, 6]
    assert tally.ranked_by_date(1, 3, codes, 1984, 1986, (may_5,), 2, 2) == [0, 1]
    assert tally.ranked_slots(1, 3, codes) == [0, 1, 2]  # by hits alone: all tied


def test_the_c_build_packs_entries_and_codes_as_the_python_modules_do() -> None:
    require_c(loaded)
    assert (loaded.YEAR_SHIFT, loaded.SLOT_SHIFT, loaded.SLOT_BITS, loaded.NO_YEAR) == (
        postings.YEAR_SHIFT, postings.SLOT_SHIFT, postings.SLOT_BITS, NO_YEAR)
    assert (loaded.CODE_HIGH_SHIFT, loaded.CODE_MONTH_DAY_SHIFT, loaded.CODE_YEAR_MASK,
            loaded.CODE_MONTH_DAY_MASK) == (HIGH_SHIFT, MONTH_DAY_SHIFT, YEAR_MASK, MONTH_DAY_MASK)


def test_the_c_build_refuses_a_posting_of_another_type() -> None:
    require_c(loaded)
    with pytest.raises(TypeError):
        loaded.Tally().add(array("I", [1, 2]), None, 1)
    with pytest.raises(TypeError):
        loaded.Tally().add(b"12345678", None, 1)


_entry = st.builds(postings.pack, st.sampled_from([NO_YEAR, 1950, 1979, 1980, 1981, 1985, 2001]),
                   st.integers(0, 40), st.sampled_from([NO_MONTH_DAY, pack_month_day(1, 2), pack_month_day(2, 1)]))
#: Codes of slots 0..40 for ranking by date: unknown, estimated and exact years.
CODES = array("Q", [w for slot in range(41) for w in (
    slot_code(*((0, 0) if slot % 3 == 0 else (1975 + slot % 7, 1980 + slot % 5) if slot % 3 == 1
                else (1980, 1980)), pack_month_day(1, 2) if slot % 2 else NO_MONTH_DAY, 0, 0, 0), 0)])
_step = st.one_of(
    st.tuples(st.just("add"), st.lists(_entry, max_size=60),
              st.one_of(st.none(), st.tuples(st.integers(1940, 2005), st.integers(1940, 2005))),
              # key-hit weights, and weights far apart (the C ranking then sorts another way)
              st.one_of(st.integers(1, 3), st.integers(1, 50_000))),
    st.tuples(st.just("add_new"), st.lists(_entry, max_size=20)),
    st.tuples(st.just("discard"), _entry),
)


@settings(max_examples=300, deadline=None)
@given(steps=st.lists(_step, max_size=30), floor=st.integers(0, 6), keep=st.integers(-1, 50))
def test_the_c_build_counts_and_ranks_exactly_as_the_python_reference(
        steps: list[tuple[object, ...]], floor: int, keep: int) -> None:
    require_c(loaded)
    reference, built = SOURCE.Tally(), loaded.Tally()
    for step in steps:
        for tally in (reference, built):
            if step[0] == "add":
                _, entries, years, weight = step
                assert isinstance(entries, list)
                one = sorted(set(entries))
                tally.add(one[0] if len(one) == 1 else array("Q", one), years, weight)
            elif step[0] == "add_new":
                tally.add_new(step[1])
            else:
                tally.discard(step[1])
    assert (len(built), built.best()) == (len(reference), reference.best())
    assert built.ranked(floor, keep) == reference.ranked(floor, keep)
    for low, high, days in ((1979, 1981, (pack_month_day(1, 2),)), (1940, 2005, (1 * 32 + 2, 2 * 32 + 1)),
                            (1985, 1984, ())):
        assert (built.ranked_by_date(floor, keep, CODES, low, high, days, 3, keep // 2)
                == reference.ranked_by_date(floor, keep, CODES, low, high, days, 3, keep // 2))
    assert built.ranked_slots(floor, keep, CODES) == reference.ranked_slots(floor, keep, CODES)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_sharing_name_bits_keeps_the_entries_whose_name_bits_overlap(impl: ModuleType) -> None:
    bits = array("Q", [0b0001, 0b0110, 0, 1 << 61])
    posting = _posting((1980, 0), (1981, 1), (1982, 2), (1983, 3))
    assert _slots_of(impl.sharing_name_bits(posting, bits, 0b0011)) == [0, 1]
    assert _slots_of(impl.sharing_name_bits(posting, bits, 1 << 61 | 0b100)) == [1, 3]
    assert impl.sharing_name_bits(postings.pack(1980, 1, 0), bits, 0b0010) == [postings.pack(1980, 1, 0)]
    assert impl.sharing_name_bits(postings.pack(1980, 2, 0), bits, 0b1111) == []
    assert impl.sharing_name_bits(None, bits, 0b1111) == []
    with pytest.raises(IndexError):
        impl.sharing_name_bits(_posting((1980, 9)), bits, 0b1111)


def _slots_of(packed: list[int]) -> list[int]:
    return [postings.slot_of(p) for p in packed]


@settings(max_examples=300, deadline=None)
@given(entries=st.lists(_entry, max_size=40), wanted=st.integers(0, (1 << 62) - 1),
       bits=st.lists(st.integers(0, (1 << 62) - 1), min_size=41, max_size=41))
def test_the_c_build_filters_name_bits_exactly_as_the_python_reference(
        entries: list[int], wanted: int, bits: list[int]) -> None:
    require_c(loaded)
    one = sorted(set(entries))
    posting = None if not one else one[0] if len(one) == 1 else array("Q", one)
    table = array("Q", bits)
    assert loaded.sharing_name_bits(posting, table, wanted) == SOURCE.sharing_name_bits(posting, table, wanted)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=60))
def test_sort_packed_orders_an_array_in_place_as_sorted_does(impl: ModuleType, values: list[int]) -> None:
    posting = array("Q", values)
    kept = posting
    impl.sort_packed(posting)
    assert posting is kept and posting.tolist() == sorted(values)
