"""Letter-preserving Thai spellings (agents/matching/scripts/thai_letters.py) and how they meet real
etymological passport spellings through the name comparison."""

from __future__ import annotations

import pytest

from agents.matching.scripts.phonetic import consonants
from agents.matching.scripts.romanize import romanize_word
from agents.matching.scripts.thai_letters import spell_thai_letters


@pytest.mark.parametrize(
    ("thai", "spelled"),
    [
        ("ภักดี", "bhakdi"),  # ภ keeps its Sanskrit value; no vowel invented between two syllables
        ("สุรศักดิ์", "sursak"),  # the letters under the karan are silent
        ("อรุณ", "arun"),  # อ carries an implicit a
        ("เกรียง", "kriang"),  # a true cluster: the pre-posed vowel goes after both consonants
        ("สมร", "samon"),  # a final ร is read n
        ("ขวัญ", "khvan"),  # ญ closing a syllable is n
    ],
)
def test_letters_are_kept_with_their_own_values(thai: str, spelled: str) -> None:
    assert spell_thai_letters(thai) == spelled


@pytest.mark.parametrize(
    ("thai", "spelled"),
    [
        ("ธรรม", "dham"),  # รร is the vowel a, closed by the consonant after it
        ("วรรณ", "van"),
        ("สวรรค์", "savan"),  # nothing after it: read an
        ("จารุวรรณ", "jaruvan"),  # the consonant before it starts that syllable
        ("กรรณิการ์", "kannika"),  # the consonant after it carries its own vowel: an
    ],
)
def test_ror_han_is_read_as_a_vowel(thai: str, spelled: str) -> None:
    assert spell_thai_letters(thai) == spelled


def test_a_single_final_ror_is_still_read_n() -> None:
    assert spell_thai_letters("พร") == "phon"
    assert "on" in spell_thai_letters("ถาวร")


def test_keep_silent_keeps_the_letters_under_the_karan() -> None:
    assert spell_thai_letters("ไกรฤกษ์") == "krairik"
    assert consonants(spell_thai_letters("ไกรฤกษ์", keep_silent=True)) == consonants("krairiksh")


@pytest.mark.parametrize(
    ("thai", "official"),
    [
        ("ศิลปอาชา", "silpaarcha"),
        ("ภักดีนฤนาถ", "bhakdinarinath"),
        ("กาญจนรัตน์", "karnjanarat"),
        ("ศิริสุนทร", "sirisoontorn"),
    ],
)
def test_an_etymological_spelling_shares_the_consonants_of_a_romanization(thai: str, official: str) -> None:
    ours = {consonants(tok) for alt in romanize_word(thai) for tok in alt}
    assert consonants(official) in ours


def test_a_non_rhotic_r_is_not_a_consonant() -> None:
    assert consonants("karnjana") == consonants("kanchana")
    assert consonants("supisarn") == consonants("suphisan")
    assert consonants("prasart") == consonants("prasat")
    assert consonants("prakan") != consonants("pakan")  # an r before a vowel is spoken


def test_sri_thor_ruea_and_closed_syllables() -> None:
    assert spell_thai_letters("ศรีวิราช") == "srivirach"  # ศร is the Sanskrit cluster of Sri
    assert spell_thai_letters("ทรงกิตติ") == "songkitti"  # ทร before a vowel is s; ง closes ทรง
    assert spell_thai_letters("สุนทร") == "sunathon"  # a final ทร stays letters


def test_long_tokens_with_the_same_consonants_are_nearly_the_same_name() -> None:
    from agents.matching.features.name import LONG_CONSONANTS_SIM, token_similarity

    assert token_similarity("sirisoontorn", "sirisunathon") >= LONG_CONSONANTS_SIM
    # four consonants are not enough to say so much
    assert consonants("kanchana") == consonants("karnjana")
    assert token_similarity("kanchana", "karnjana") < LONG_CONSONANTS_SIM


def test_a_two_word_thai_name_crosses_the_spellings_of_its_words() -> None:
    from agents.matching.scripts.romanize import MIXED_VARIANTS, romanize_name

    spellings = romanize_name("อภิชาติ ศิริสุนทร")
    royin_given, letters_surname = spellings[0][0], spellings[1][1]
    assert (royin_given, letters_surname) in spellings  # RTGS given name with a letter-preserving surname
    assert len(spellings) <= MIXED_VARIANTS
    assert len(romanize_name("Guiying Dong")) == 2  # Latin names are not crossed


def test_voiced_and_voiceless_stops_meet_in_long_consonant_skeletons_only() -> None:
    assert consonants("chaivisuttigul") == consonants("chaiwisutthikun")  # Sanskrit g, RTGS k
    assert consonants("sindhuprai") == consonants("sinthuphrai")
    assert consonants("bat") != consonants("pat")  # three consonants or fewer keep them apart


def test_a_sanskrit_r_after_a_stop_stays_r() -> None:
    assert spell_thai_letters("ชินวัตร").endswith("vatr")  # Shinawatra
    assert spell_thai_letters("จักรพันธ์").startswith("jakra")  # Chakrapan
    assert spell_thai_letters("ถาวร") == "thavon"  # after ว the final ร is still n
