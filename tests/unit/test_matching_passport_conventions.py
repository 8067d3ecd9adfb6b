"""Passport conventions of Khmer and Burmese names that the romanizers produce as alternatives."""

from __future__ import annotations

from agents.matching.scripts.burmese import romanize_burmese
from agents.matching.scripts.khmer import romanize_khmer


def test_khmer_ba_with_musikatoan_or_in_a_cluster_is_p() -> None:
    assert romanize_khmer("ប៉ា") == ("pa",)
    assert romanize_khmer("ប្រសិទ្ធ")[0].startswith("pr")


def test_khmer_plain_spellings_write_inherent_vowels_a_and_nt_as_nd() -> None:
    assert romanize_khmer("វណ្ណារិន")[0] == "vonnarin"  # the series-aware spelling stays first
    assert "vannarin" in romanize_khmer("វណ្ណារិន")
    assert "chenda" in romanize_khmer("ចិន្តា")


def test_burmese_vowel_initial_e_is_aye_and_the_title_bo() -> None:
    assert romanize_burmese("အေးဗိုလ်") == ("aye", "bo")
    assert romanize_burmese("မောင်မောင်ဝင်း") == ("maung", "maung", "win")  # unchanged


def test_burmese_gyi_and_the_other_spellings_of_some_rhymes() -> None:
    from agents.matching.scripts.burmese import passport_spelling
    from agents.matching.scripts.romanize import romanize_word

    assert romanize_burmese("အောင်ကြီး") == ("aung", "gyi")  # ကြီး in names
    assert romanize_burmese("ကြည်") == ("kyi",)  # another syllable keeps ky
    assert passport_spelling(("saing", "hsaing", "ne", "mo", "aung")) == ("sai", "hsai", "nay", "moe", "aung")
    assert romanize_word("နေဝင်း") == (("ne", "win"), ("nay", "win"))


def test_khmer_samyok_sannya_silent_final_subscript_and_final_o_as_or() -> None:
    assert romanize_khmer("ច័ន្ទ") == ("chan",)  # ័ is a vowel; the subscript closing the word is silent
    assert romanize_khmer("រ័ត្ន")[0].startswith("r")  # ័ keeps រ an initial, not the final of a syllable before
    assert "hor" in romanize_khmer("ហោ")  # a final ោ written English-style


def test_lao_initial_nyo_is_also_spelled_nh() -> None:
    from agents.matching.scripts.lao import romanize_lao_spellings

    assert romanize_lao_spellings("ບຸນຍັງ") == ("bounyang", "bounnhang")
    assert romanize_lao_spellings("ສົມພອນ") == ("somphon",)  # nothing to respell
