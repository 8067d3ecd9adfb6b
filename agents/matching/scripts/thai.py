"""Thai names to Latin: the Royal Thai General System (pythainlp's rule-based royin engine and its
thai2rom model) and the letter-preserving spelling many families use
(agents/matching/scripts/thai_letters.py).

Thai script leaves most short vowels unwritten and does not mark where a syllable ends: ณรงค์ is
na-rong, สมหมาย is som-mai. The rule-based engine reads the letters as written (nrong, samahamai),
which no passport prints; pythainlp's thai2rom model (agents/matching/scripts/thai_model.py) restores
the vowels and syllables. The rule-based reading is kept as well, as it is sometimes the nearer one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from agents.matching.scripts.thai_letters import spell_thai_letters
from agents.matching.scripts.thai_model import read_thai, whole_sara_am

#: Titles written before Thai names (Mr, Mrs, Miss, boy, girl, police/army ranks are left alone).
THAI_TITLES = ("นางสาว", "นาย", "นาง", "ด.ช.", "ด.ญ.", "เด็กชาย", "เด็กหญิง", "น.ส.")


def is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


def strip_thai_title(word: str) -> str:
    for title in THAI_TITLES:
        if word.startswith(title) and len(word) > len(title) + 1:
            return word[len(title) :]
    return word


@lru_cache(maxsize=65536)
def romanize_thai(word: str) -> tuple[str, ...]:
    """Romanizations of one Thai word: the Royal Thai General System (pythainlp's royin engine, then
    its thai2rom model), then the letter-preserving spelling, without and with the letters the karan
    silences."""
    word = whole_sara_am(word)
    out: list[str] = []
    for read in (_royin, read_thai):
        try:
            text = read(word) or ""
        except Exception:  # pragma: no cover - a reading that fails leaves the others
            continue
        text = re.sub(r"[^a-z]", "", text.lower())
        if text and text not in out:
            out.append(text)
    for keep_silent in (False, True):
        text = spell_thai_letters(word, keep_silent)
        if text and text not in out:
            out.append(text)
    return tuple(out)


def _royin(word: str) -> str:
    from pythainlp.transliterate import romanize

    return str(romanize(word, engine="royin"))
