"""Thai words to Latin (agents/matching/scripts/thai.py): the readings a passport spelling is compared with."""

from __future__ import annotations

import pytest

from agents.matching.features.name import token_similarity
from agents.matching.scripts.thai import romanize_thai


@pytest.mark.parametrize(
    ("thai", "rtgs"),
    [
        ("สมหมาย", "sommai"),  # two syllables, the first vowel unwritten
        ("ถาวร", "thawon"),  # ว between two vowels is a consonant, a final ร is read n
        ("ยุทธกร", "yutthakon"),  # the a between two syllables is not written
        ("เฉลิมชัย", "chaloemchai"),  # a pre-posed vowel over a consonant cluster
    ],
)
def test_the_vowels_thai_script_leaves_unwritten_are_restored(thai: str, rtgs: str) -> None:
    assert rtgs in romanize_thai(thai)


def test_the_rule_based_reading_and_the_letters_are_kept_too() -> None:
    readings = romanize_thai("ภักดี")
    assert readings[0] == "phakdi"  # royin, as the letters are read
    assert "bhakdi" in readings  # the letter-preserving spelling


@pytest.mark.parametrize(
    ("thai", "passport"),
    [("พิพัฒนาศัย", "pipatanasai"), ("สมหมาย", "sommai"), ("เฉลิมชัย", "chalermchai"), ("ถาวร", "thavorn")],
)
def test_a_passport_spelling_meets_one_of_the_readings(thai: str, passport: str) -> None:
    assert max(token_similarity(passport, reading) for reading in romanize_thai(thai)) >= 0.9


def test_the_model_reads_as_pythainlp_reads_with_it() -> None:
    from pythainlp.transliterate import romanize

    from agents.matching.scripts.thai_model import read_thai

    for word in ("ณรงค์", "พิพัฒนาศัย", "เกียรติไพบูลย์", "ปวโรฬารวิทยา", "ศรีสุข"):
        assert read_thai(word) == romanize(word, engine="thai2rom_onnx")


def test_a_decoder_caught_in_a_loop_keeps_one_turn_of_it() -> None:
    from agents.matching.scripts.thai_model import loop_cut

    read = [7, 1, 2, 1, 2, 1, 2]
    assert read[:loop_cut(read)] == [7, 1, 2]
    assert loop_cut([7, 1, 2, 1, 2]) is None
