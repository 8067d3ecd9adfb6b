"""The phonetic skeleton of one token, uncached (agents/matching/scripts/phonetic.py caches and explains it).

Skeletons of every token and joined token pair are computed while a million-entry index is built,
and of a traveller's new joined tokens at every event. `agents/matching/scripts/phonetic_core.c` is the
same function in C, built with the compiled matcher (agents/matching/native.py) and loaded in
place of this file when the build is current: in Python it is several times slower per joined token,
which shows in screening and in a million-entry build (bench/profile_matcher.py,
bench/speed_matcher.py). This file is the reference and runs wherever the build does not; a test
holds the two to the same results. It uses string methods and regular expressions with literal
replacements (which run in C) rather than template or callable replacements (which run Python code
per match).
"""

from __future__ import annotations

import re

#: Applied in order; none of the replacements produces an "h".
_DIGRAPHS = (
    ("tch", "C"), ("tsh", "C"), ("sch", "s"), ("ch", "C"), ("zh", "C"), ("tz", "C"), ("ts", "C"),
    ("sh", "s"), ("hs", "s"), ("ph", "p"), ("hp", "p"), ("th", "t"), ("ht", "t"), ("kh", "k"),
    ("hk", "k"), ("gh", "g"), ("dh", "d"), ("bh", "b"), ("ck", "k"), ("qu", "kw"),
)  # fmt: skip
#: The digraphs without an "h", in the same relative order: all a token without "h" can contain,
#: since no replacement introduces one.
_DIGRAPHS_NO_H = tuple((src, dst) for src, dst in _DIGRAPHS if "h" not in src)
#: Single letters, as chained replacements (faster than str.translate on short tokens): no output is
#: an input of a later one, so the chain equals one simultaneous translation.
_LETTERS = (("j", "C"), ("q", "C"), ("z", "C"), ("c", "k"), ("x", "s"), ("v", "w"))
#: A final e after one consonant after a vowel is silent in English-style spellings of the region's
#: names (Thane/Thein, Khine, Phone/Phon, Sone): "VCe" at the end of a token of 4 letters or more.
_SILENT_E_VOWELS = frozenset("aeiou")
_SILENT_E_CONSONANTS = frozenset("bcdfgjklmnpqrstvxz")
_VOWEL_RUN = re.compile(r"[aeiouy]+|(?<=[aeiouy])w(?![aeiouy])")
#: The second and further letters of a run of one letter (deleting them collapses the run).
_REPEATS = re.compile(r"(?<=(.))\1+")
#: Final consonants as spoken in the region's languages: Thai/Lao/Khmer final l and r sound n
#: (Noppadol/Nopphadon, Kamol/Kamon), final d sounds t (Sawad/Sawat, Sisoulid/Sisoulit); after a vowel.
_FINALS = {"l": "n", "r": "n", "d": "t"}


def has_silent_final_e(token: str) -> bool:
    """The token ends in vowel + consonant + e, 4 letters or more (Thane, Khine, Phone, Sone)."""
    return len(token) >= 4 and token[-1] == "e" and token[-2] in _SILENT_E_CONSONANTS and token[-3] in _SILENT_E_VOWELS


def collapse_repeats(text: str) -> str:
    """Every run of one repeated character reduced to one ("aabbbc" -> "abc")."""
    return _REPEATS.sub("", text)


def raw_skeleton(token: str) -> str:
    """`skeleton`, uncached."""
    if not token:
        return ""
    text = token
    if has_silent_final_e(text):
        text = text[:-1]
    for src, dst in _DIGRAPHS if "h" in text else _DIGRAPHS_NO_H:
        if src in text:
            text = text.replace(src, dst)
    for src, dst in _LETTERS:
        if src in text:
            text = text.replace(src, dst)
    text = text[0] + text[1:].replace("h", "")
    head = ""
    if len(text) > 1 and text[0] == "y" and text[1] in "aeiou":
        head, text = "y", text[1:]  # initial y is a consonant (Ye, Yin, Yao)
    text = _VOWEL_RUN.sub("a", text)
    if "aa" in text or "aw" in text:  # else a second pass would change nothing
        text = _VOWEL_RUN.sub("a", text)
    # Runs collapse before the final is read: a doubled final is one final (Nariddh as Naridh, Russell
    # as Russel), and is spoken as a single one is.
    text = collapse_repeats(head + text)
    last = text[-1]
    if last in _FINALS and len(text) > 1 and text[-2] == "a":
        text = text[:-1] + _FINALS[last]
    return text.replace("C", "c")
