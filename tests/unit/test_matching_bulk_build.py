"""agents/matching/blocking/bulk_build.py: a bulk build reaches the index that upserts one by one reach."""

from __future__ import annotations

import pytest

from agents.matching import MatcherConfig, WatchlistIndex, build_index
from bench.evalset.generate import DEFAULT_SEED, synthetic_entry_dicts
from tests.index_support import entries, snapshot


@pytest.mark.parametrize("max_posting", [5, 20, 1000])
def test_a_bulk_build_files_every_key_and_pair_as_upserts_do(max_posting: int) -> None:
    listed = entries(list(synthetic_entry_dicts(600, DEFAULT_SEED + 3)))
    config = MatcherConfig(max_posting=max_posting)
    one_by_one = WatchlistIndex(config)
    for entry in listed:
        one_by_one.upsert(entry)
    bulk = build_index(listed, config)
    assert snapshot(bulk)["postings"] == snapshot(one_by_one)["postings"]
    assert bulk._common == one_by_one._common
    if max_posting < 1000:
        assert bulk._common and any(key.startswith("p") for key in bulk._postings)


def test_pairs_come_out_the_same_whatever_range_of_slots_is_grouped() -> None:
    from agents.matching.blocking import bulk_build

    listed = entries(list(synthetic_entry_dicts(300, DEFAULT_SEED + 4)))
    config = MatcherConfig(max_posting=5)

    def pairs_of(index: WatchlistIndex) -> dict[str, object]:
        return {k: v if isinstance(v, int) else tuple(v) for k, v in index._postings.items() if k.startswith("p")}

    built = pairs_of(build_index(listed, config))
    for bits in (2, 0):  # ranges of four slots; a range per slot
        index = build_index(listed, config)
        common = [(tok, index._postings["t" + tok]) for tok in sorted(index._common)]
        index._postings = {k: v for k, v in index._postings.items() if not k.startswith("p")}
        index._sorted = False
        bulk_build._add_common_pairs(index, common, bulk_build._GilOffers(), bits)
        bulk_build._order_postings(index)
        assert pairs_of(index) == built
    assert built


def test_the_token_keys_table_becomes_the_index_table() -> None:
    """The token keys are filed under their "t" keys from the start, and their table is the one the
    index keeps, the other keys moved into it: no second table of every key at the build's peak. A
    table keeps its keys in the order they came, so the "t" keys come first, then the documents' and
    birthdays' (filed into the index's table as each entry came), then the pairs (added last)."""
    listed = entries(list(synthetic_entry_dicts(200, DEFAULT_SEED + 5)))
    index = build_index(listed, MatcherConfig(max_posting=5))
    kinds = [key[0] for key in index._postings]
    others = min(kinds.index(kind) for kind in "db")
    pairs = kinds.index("p")
    assert set(kinds[:others]) == {"t"} and set(kinds[others:pairs]) == {"d", "b"} and set(kinds[pairs:]) == {"p"}


@pytest.mark.parametrize("bulk", [True, False])
def test_the_index_keys_are_not_interned(bulk: bool) -> None:
    """Each key is one string in the index's table: interning them would add as many slots to the
    interpreter's table of interned strings, at a million entries most of a build's peak."""
    import sys

    listed = entries(list(synthetic_entry_dicts(200, DEFAULT_SEED + 6)))
    config = MatcherConfig(max_posting=5)
    if bulk:
        index = build_index(listed, config)
    else:
        index = WatchlistIndex(config)
        for entry in listed:
            index.upsert(entry)
    kinds = {key[0] for key in index._postings}
    assert {"t", "d", "b", "p"} <= kinds
    for key in index._postings:
        assert sys.intern("".join(key)) is not key  # an equal string interned now is another object
