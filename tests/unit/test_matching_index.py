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


def test_tokens_are_counted_as_written_per_nationality_and_sex() -> None:
    # Thu and Thuy share a count key; the exact counts tell them apart, per nationality and sex.
    index = build_index([entry(f"E{i}", person(f"Nguyen Thi Thu{'y' * (i % 2)}", sex="F", nationality="VNM"))
                         for i in range(6)]
                        + [entry("M", person("Nguyen Van Huy", sex="M", nationality="VNM")),
                           entry("C", person("Ding Wei", sex="M", nationality="CHN"))], MatcherConfig())
    assert count_key("thu") == count_key("thuy")
    assert index.token_entries("thu", "VNM", "F") == (3, 6)
    assert index.token_entries("thuy", "VNM", "F") == (3, 6)
    assert index.token_entries("huy", "VNM", "F") == (0, 6)  # a man's name
    assert index.token_entries("huy", "VNM", "M") == (1, 1)
    assert index.token_entries("ding", "VNM", "M") == (0, 1)  # a Chinese family name, no Vietnamese one
    assert index.token_entries("ding", "CHN", "M") == (1, 1)
    assert index.token_entries("ding", "LAO", "M") == (0, 0)
    assert index.token_entries("nguyen", "VNM", None) == (7, 7)  # sex unknown: both
    assert index.token_entries("ding", None, None) == (1, 8)  # nothing known: every entry
    index.upsert(entry("E1", person("Nguyen Thi Lan", sex="F", nationality="VNM")))  # E1 (a Thuy) renamed
    assert index.token_entries("thuy", "VNM", "F") == (2, 6)
    index.remove("C")
    assert index.token_entries("ding", "CHN", "M") == (0, 0)
