"""The index's counts of name tokens: how much a token that agrees tells (token_bits)."""

from __future__ import annotations

from agents.matching import MatcherConfig, build_index
from agents.matching.scripts.phonetic import count_key, skeleton
from tests.factories import entry, person


def test_one_syllable_tokens_are_counted_apart_by_their_vowel() -> None:
    # Thi, Thu and To share one skeleton: a list of fifty Nguyen Thi does not make To common.
    index = build_index([entry(f"E{i}", person(f"Nguyen Thi Lan{i}", nationality="VNM")) for i in range(50)]
                        + [entry("T", person("Tran Thu To", nationality="VNM"))], MatcherConfig())
    assert skeleton("thi") == skeleton("to")
    assert index.token_bits(count_key("to")) > index.token_bits(count_key("thi")) + 4
    assert index.token_bits(count_key("thoo")) == index.token_bits(count_key("thu"))  # one vowel, spelled twice


def test_token_counts_follow_updates_and_removals() -> None:
    index = build_index([entry("A", person("Aung Win", nationality="MMR"))], MatcherConfig())
    index.upsert(entry("B", person("Kyaw Win", nationality="MMR")))
    twice = index.token_bits(count_key("win"))
    assert twice < index.token_bits(count_key("kyaw"))  # Win: two entries of two, Kyaw: one
    index.upsert(entry("B", person("Kyaw Than", nationality="MMR")))  # B renamed: one Win again
    assert index.token_bits(count_key("win")) == index.token_bits(count_key("kyaw"))
    index.remove("A")
    assert index.token_bits(count_key("win")) == index.token_bits(count_key("zaw"))  # nobody left
