"""Khmer script to Latin in the spelling Cambodian documents use (Sok, Chan, Sophal, Srey...).

ICU has no Khmer-Latin transform and anyascii keeps silent letters, so this table follows the
usual name romanization: consonants of the first series carry an inherent "a", of the second "o";
subscript consonants (coeng) form clusters; consonants closing a syllable take their final value.
"""

from __future__ import annotations

from functools import lru_cache

_CONS = {
    "ក": ("k", 1), "ខ": ("kh", 1), "គ": ("k", 2), "ឃ": ("kh", 2), "ង": ("ng", 2), "ច": ("ch", 1),
    "ឆ": ("chh", 1), "ជ": ("ch", 2), "ឈ": ("chh", 2), "ញ": ("nh", 2), "ដ": ("d", 1), "ឋ": ("th", 1),
    "ឌ": ("d", 2), "ឍ": ("th", 2), "ណ": ("n", 1), "ត": ("t", 1), "ថ": ("th", 1), "ទ": ("t", 2),
    "ធ": ("th", 2), "ន": ("n", 2), "ប": ("b", 1), "ផ": ("ph", 1), "ព": ("p", 2), "ភ": ("ph", 2),
    "ម": ("m", 2), "យ": ("y", 2), "រ": ("r", 2), "ល": ("l", 2), "វ": ("v", 2), "ស": ("s", 1),
    "ហ": ("h", 1), "ឡ": ("l", 1), "អ": ("", 1),
}  # fmt: skip
_FINAL = {
    "ក": "k", "ខ": "k", "គ": "k", "ឃ": "k", "ង": "ng", "ច": "ch", "ជ": "ch", "ញ": "nh", "ដ": "t",
    "ត": "t", "ទ": "t", "ធ": "t", "ថ": "t", "ណ": "n", "ន": "n", "ប": "p", "ព": "p", "ផ": "p",
    "ភ": "p", "ម": "m", "យ": "y", "រ": "", "ល": "l", "វ": "v", "ស": "s", "ហ": "h",
}  # fmt: skip
_VOWELS = {
    "ា": ("a", "ea"), "ិ": ("e", "i"), "ី": ("ei", "i"), "ឹ": ("oe", "eu"), "ឺ": ("eu", "eu"),
    "ុ": ("o", "u"), "ូ": ("ou", "ou"), "ួ": ("uo", "uo"), "ើ": ("aeu", "eu"), "ឿ": ("oea", "oea"),
    "ៀ": ("ie", "ie"), "េ": ("e", "e"), "ែ": ("ae", "ae"), "ៃ": ("ai", "ey"), "ោ": ("ao", "o"),
    "ៅ": ("au", "ov"), "ំ": ("am", "um"), "ះ": ("ah", "eah"), "ៈ": ("a", "ea"),
    "័": ("a", "oa"),  # samyok sannya: the short a of Pali/Sanskrit words (ច័ន្ទ Chan, រ័ត្ន Rath)
}  # fmt: skip
_INDEPENDENT = {
    "ឥ": "e",
    "ឦ": "ei",
    "ឧ": "o",
    "ឩ": "ou",
    "ឪ": "ov",
    "ឫ": "rue",
    "ឭ": "lue",
    "ឯ": "ae",
    "ឱ": "ao",
    "ឲ": "ao",
    "ឳ": "au",
}
#: Vowel sign + nikahit or reahmuk read as one rhyme (ុំ is "om"/"um", not "o" + "am").
_COMPOUND_VOWELS = {
    "ុំ": ("om", "um"), "ាំ": ("am", "oam"), "ុះ": ("oh", "uh"), "េះ": ("eh", "eh"), "ោះ": ("aoh", "uoh"),
    "ិះ": ("eh", "ih"),
}  # fmt: skip
_COENG = "្"
#: Series shifters: musikatoan makes a second-series consonant first series, triisap the reverse.
_TO_FIRST, _TO_SECOND = "៉", "៊"
_IGNORED = {"់", "៍", "៎", "៏", "៌", "៑", "៓", "៝"}


@lru_cache(maxsize=32768)
def romanize_khmer(word: str) -> tuple[str, ...]:
    """Romanize one Khmer word, e.g. សុខ -> "sok", ចាន់ -> "chan", ស្រី -> "srei".

    Returns the series-aware spelling (ដារា "darea"), the plain one ("dara") and the series-aware
    vowels with plain inherent vowels, when they differ. Plain inherent vowels are all "a" (វណ្ណារិន
    Vannarin, not Vonnarin) and a subscript t after n is d (ចិន្តា Chenda), as many passports write.
    """
    out = [_romanize(word, series_aware=True)]
    plain = _romanize(word, series_aware=False)
    if plain.endswith("ao"):
        plain = plain[:-2] + "or"  # a final ោ written English-style (ហោ Hor, សោ Sor)
    for text in (plain, _romanize(word, series_aware=True, plain_inherent=True)):
        if text not in out:
            out.append(text)
    return tuple(out)


def _lone_final(chars: list[str], j: int) -> bool:
    """chars[j] is a consonant standing alone at the end of the word (a final, not an initial)."""
    return j < len(chars) and chars[j] in _CONS and (j + 1 >= len(chars) or chars[j + 1].isspace())


def _romanize(word: str, *, series_aware: bool, plain_inherent: bool = False) -> str:
    plain = plain_inherent or not series_aware

    def _inherent(series: int) -> str:
        return "a" if series == 1 or plain else "o"

    chars = [c for c in word if c not in _IGNORED]
    out: list[str] = []
    series = 1
    state = 0  # 0: expecting an initial; 1: initial seen, no vowel; 2: vowel seen
    i = 0
    while i < len(chars):
        ch = chars[i]
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if ch in _CONS:
            roman, ser = _CONS[ch]
            if ch == "ប" and nxt in (_TO_FIRST, _COENG):
                roman = "p"  # ប with musikatoan (ប៉ា Pa) or first in a cluster (ប្រ Pra) is spoken p
            if nxt == _COENG and i + 2 < len(chars) and chars[i + 2] in _CONS:
                sub, sub_ser = _CONS[chars[i + 2]]
                if plain and roman == "n" and sub == "t":
                    sub = "d"  # ន្ត, ន្ទ: Chenda, Sondara
                if state == 0:
                    out.append(roman + sub)
                    series = sub_ser if ser == 1 and sub_ser == 2 and not roman else ser
                    state = 1
                else:
                    if state == 1:
                        out.append(_inherent(series))
                    out.append(_FINAL.get(ch, roman))
                    if i + 3 >= len(chars) or chars[i + 3].isspace():
                        state = 0  # a subscript closing the word after a final is silent (ច័ន្ទ Chan)
                    else:
                        out.append(sub)
                        series = sub_ser
                        state = 1
                i += 3
                continue
            if state == 0:
                out.append(roman)
                series = ser
                state = 1
            else:
                is_final = (
                    nxt == ""
                    or nxt.isspace()
                    or nxt in _INDEPENDENT
                    or (nxt in _CONS and not _lone_final(chars, i + 1))
                )
                if is_final:
                    if state == 1:
                        out.append(_inherent(series))
                    out.append(_FINAL.get(ch, roman))
                    state = 0
                else:
                    if state == 1:
                        out.append(_inherent(series))
                    out.append(roman)
                    series = ser
                    state = 1
        elif ch in (_TO_FIRST, _TO_SECOND):
            series = 1 if ch == _TO_FIRST else 2
        elif ch + nxt in _COMPOUND_VOWELS:
            out.append(_COMPOUND_VOWELS[ch + nxt][0 if series == 1 or not series_aware else 1])
            state = 2
            i += 2
            continue
        elif ch in _VOWELS:
            out.append(_VOWELS[ch][0 if series == 1 or not series_aware else 1])
            state = 2
        elif ch in _INDEPENDENT:
            out.append(_INDEPENDENT[ch])
            state = 2
        elif ch.isspace():
            if state == 1:
                out.append(_inherent(series))
            out.append(" ")
            state = 0
        i += 1
    if state == 1:
        out.append(_inherent(series))
    return "".join(out)
