"""What the matcher remembers to screen faster gives the same answers as computing afresh."""

from __future__ import annotations

import hashlib

from agents.matching import MatcherConfig, WatchlistIndex
from agents.matching.population import DEPTH, NameFrequency
from agents.matching.scripts.phonetic import skeleton
from tests.factories import entry, person


def _carrying(index: WatchlistIndex, skel: str) -> tuple[float, float]:
    return index.token_bits(skel), index.token_rarity(skel)


def test_token_counts_follow_every_change_of_the_index() -> None:
    index = WatchlistIndex(MatcherConfig())
    index.upsert(entry("E1", person("Somchai Srisuk", "1980-01-02", nationality="THA")))
    srisuk = skeleton("srisuk")
    one = _carrying(index, srisuk)
    assert _carrying(index, srisuk) == one  # asked again: the same

    index.upsert(entry("E2", person("Anong Srisook", "1985-03-04", nationality="THA")))
    two = _carrying(index, srisuk)
    assert two[0] < one[0] and two[1] < one[1]  # a second carrier: less information, less rare

    fresh = WatchlistIndex(MatcherConfig())
    fresh.upsert(entry("E1", person("Somchai Srisuk", "1980-01-02", nationality="THA")))
    fresh.upsert(entry("E2", person("Anong Srisook", "1985-03-04", nationality="THA")))
    assert _carrying(fresh, srisuk) == two  # as an index that never answered before

    assert index.remove("E2")
    assert _carrying(index, srisuk) == one


def test_a_sketch_hashes_a_name_as_its_persisted_records_were_written() -> None:
    # One little-endian 32-bit word of the key's BLAKE2b digest per row: sketches persisted before
    # must read the same cells.
    sketch = NameFrequency(width_bits=12)
    for key in ("nguyen van an", "srasak samcaj", "", "wang li"):
        digest = hashlib.blake2b(key.encode(), digest_size=4 * DEPTH).digest()
        expected = [row * 4096 + (int.from_bytes(digest[4 * row : 4 * row + 4], "little") & 4095)
                    for row in range(DEPTH)]
        assert sketch._cells(key) == expected
