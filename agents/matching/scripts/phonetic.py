"""Phonetic skeletons: one key for the many ways a family may spell the same sound in Latin letters.

Aspirates and digraphs collapse (ph/p, th/t, kh/k, ch/j/zh/q/ts, hs/x/s, v/w), every vowel run
becomes one "a", doubled letters collapse, h after the first letter goes (Thanh/Than), and a
silent final e goes (Thane/Than).
"Srisuk", "Srisook" and "Sri-suk" (joined) share the skeleton "srasak".

The uncached steps are agents/matching/scripts/phonetic_core.py (and its C build).
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache

from agents.matching.scripts.phonetic_core import collapse_repeats, has_silent_final_e, raw_skeleton

__all__ = [
    "DOUBLED_VOWELS", "collapse_repeats", "consonants", "count_key", "has_silent_final_e", "one_syllable",
    "plain_vowels", "raw_skeleton", "skeleton", "spelling_key", "vowel_sound",
    "without_non_rhotic_r",
]


@lru_cache(maxsize=262144)
def skeleton(token: str) -> str:
    """Phonetic skeleton of one lower-case ASCII token (see the module docstring), interned: name
    forms of a million entries hold it."""
    return sys.intern(raw_skeleton(token))


_NOT_CONSONANT = str.maketrans(dict.fromkeys("aeiouywh"))
#: Voiced and voiceless stops as one in consonant skeletons of four consonants or more (fewer say too
#: little once merged): Sanskrit spellings of Thai names write bh/dh/g where RTGS writes ph/th/k
#: (Bhakdi/Phakdi, Sindhu/Sinthu, Chaivisuttigul/Chaiwisutthikun).
_VOICELESS = str.maketrans({"b": "p", "d": "t"})
VOICING_MERGE_MIN = 4
#: An r after a vowel and before a consonant (or at the end of the skeleton) that nobody pronounces:
#: English-style spellings of Thai long vowels (Karnjana/Kanchana, Supisarn/Suphisan, Cherdsak/Choetsak,
#: Sirisoontorn/Sirisunthon). Romanizations of the region's scripts never write one.
_NON_RHOTIC_R = re.compile(r"(?<=a)r(?!a)")


def without_non_rhotic_r(sk: str) -> str:
    """A phonetic skeleton without its non-rhotic r (Sorn/Son, Phorn/Phon, Chhorn/Chhon: "sarn" -> "san")."""
    return _NON_RHOTIC_R.sub("", sk) if "ar" in sk else sk


@lru_cache(maxsize=262144)
def consonants(token: str) -> str:
    """Consonant skeleton: the phonetic skeleton without vowels, w, y, h or a non-rhotic r (Thai and
    Burmese names romanized with or without their implicit vowels: Thanaphon/Tanapon/Thonphon ->
    "tnpn"; Karnjana/Kanchana -> "kncn")."""
    sk = without_non_rhotic_r(skeleton(token))  # every vowel run of a skeleton is one "a"
    out = collapse_repeats(sk.translate(_NOT_CONSONANT))
    if len(out) >= VOICING_MERGE_MIN:
        merged = out.translate(_VOICELESS)
        if "g" in merged:
            merged = merged.replace("ng", "N").replace("g", "k").replace("N", "ng")  # ng is a nasal, not a g
        if merged != out:
            out = collapse_repeats(merged)
    return out


#: Magic e: a silent final e after vowel + consonant lengthens that vowel (Thane = Thein, Khine = Khaing).
_MAGIC_SOUND = {"a": "ei", "i": "ai", "o": "o", "u": "u", "e": "i"}
#: Spellings of one vowel sound across the region's romanizations (French ou, Burmese aw/oe,
#: RTGS ae, y written for i): applied left to right on the token's vowel letters.
_SOUNDS = (("y", "i"), ("aw", "o"), ("ow", "o"), ("oe", "o"), ("ae", "e"), ("ou", "u"))


@lru_cache(maxsize=1 << 16)
def vowel_sound(token: str, short: bool = False) -> str:
    """The vowel sound of a one-syllable token, whichever way it is spelled: Thane/Thein "ei",
    Srei/Srey "ei", Boun/Bun "u", Zaw/Zow "o". In `short` syllables (Zhou/Zhu) ou stays ou."""
    if has_silent_final_e(token):
        token = token[:-3] + _MAGIC_SOUND[token[-3]] + token[-2]
    letters = re.sub(r"[^aeiouyw]+", "", token[1:] if token[:1] in ("w", "y") else token)
    letters = re.sub(r"w(?![aeiou]*$)|^w", "", letters)
    for spelled, sound in _SOUNDS:
        if not (short and spelled == "ou"):
            letters = letters.replace(spelled, sound)
    return letters


#: Long vowels written doubled in English-style spellings (Kheen/Khin, Thoo/Thu).
DOUBLED_VOWELS = (("ee", "i"), ("oo", "u"))


def one_syllable(sk: str) -> bool:
    """A skeleton of one syllable (one vowel run): its vowel tells names apart that its consonants do not."""
    return sk.count("a") == 1


# Small: most keys are asked once per entry while an index is built (the skeleton has its own cache).
@lru_cache(maxsize=1 << 14)
def count_key(token: str) -> str:
    """The key a name token is counted under to tell how common it is (how many entries or travellers
    carry it): its phonetic skeleton, and for a one-syllable token also its vowel, interned.

    The skeleton keeps the consonants only, so it is the right key for a long name (Srisuk /
    Srisook) but says little of one syllable: Thi, Thu, To, Thao and Thuy are all "ta", and Vietnamese,
    Burmese, Chinese and Khmer names are made of syllables. Counted by skeleton alone, Nguyen Thi Thu To
    looked as common as every Nguyen Thi. The vowel is read as sounded (Kheen/Khin, Zaw/Zow, Way/Wai
    one key), its first letter only, so that most spellings of one syllable still count together."""
    sk = skeleton(token)
    if not one_syllable(sk):
        return sk
    sound = vowel_sound(token, short=True)
    for spelled, said in DOUBLED_VOWELS:
        sound = sound.replace(spelled, said)
    return sys.intern(f"{sk}|{sound[:1]}") if sound else sk



#: An open final /e/ (Burmese ေ, ဲ) as Burmese passports and lists spell it: Aye / Ei / E, Htay / Htei,
#: Pyay / Pyae / Pye, Shway / Shwe, Yei / Ye (y after a consonant is a medial there, not a vowel).
_OPEN_E = re.compile(r"(?:(?<=[^aeiou])|^)(?:aye|ay|ey|ei|ae)$")
#: An open final /o/ (Burmese ို): Moe / Mo, Phyoe / Phyo, Soe / So.
_OPEN_O = re.compile(r"(?<=[^aeiou])oe$")
#: A silent r or h closing a final vowel, written to mark a long vowel or a heavy tone: Mar / Ma,
#: Thidar / Thida, Nilar / Nila, Myah / Mya. Not after e (Wade-Giles yeh, hsieh spell a vowel).
_SILENT_FINAL_RH = re.compile(r"(?<=[^aeiou][aiou])[rh]$")
#: The rhyme ိုင် /aiN/, conventionally spelled aing, written English-style with a magic e: Khine /
#: Khaing, Pine / Paing.
_AING_AS_INE = re.compile(r"(?<=[^aeiou])ine$")


@lru_cache(maxsize=1 << 16)
def spelling_key(token: str) -> str:
    """The token with the differences that accepted spelling conventions of the region's names make
    set aside: two tokens with one key are one name written two accepted ways, not two resembling names.

    Its long vowels and silent finals written once (`plain_vowels`), and, as the conventional
    (British-era) romanization of Burmese names that Myanmar passports and lists keep spells one
    sound several ways (John Okell, "A Guide to the Romanization of Burmese", 1971; the BGN/PCGN
    romanization of Burmese, 1970, and its notes on conventional spellings): an open /e/ written e,
    ay, aye, ei, ey or ae (Aye / Ei, Htay / Htei, Shway / Shwe), an open /o/ written o or oe (Moe /
    Mo), and the rhyme aing also written ine (Khine / Khaing). Consonants are left as written: those
    conventions never change them."""
    key = _AING_AS_INE.sub("aing", plain_vowels(token))
    key = _OPEN_E.sub("e", key)
    return sys.intern(_OPEN_O.sub("o", key))


def plain_vowels(token: str) -> str:
    """The token with a long vowel written doubled English-style written once, ee as i and oo as u
    (Kheen / Khin, Srisook / Srisuk), and without a silent r or h after its final vowel (Burmese
    conventional spellings: Thidar / Thida, Myah / Mya)."""
    return _SILENT_FINAL_RH.sub("", token.replace("ee", "i").replace("oo", "u"))
