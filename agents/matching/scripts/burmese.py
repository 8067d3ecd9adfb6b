"""Burmese (Myanmar script) to the conventional Latin spelling of names (Aung, Kyaw, Hlaing, Htun...).

ICU's Myanmar-Latin is a letter-by-letter transliteration ("hkain" for ခင်, "Khin" in passports), so
names are romanized here syllable by syllable with the spelling Burmese passports and lists use.
"""

from __future__ import annotations

from functools import lru_cache

_INITIALS = {
    "က": "k", "ခ": "kh", "ဂ": "g", "ဃ": "g", "င": "ng", "စ": "s", "ဆ": "hs", "ဇ": "z", "ဈ": "z",
    "ည": "ny", "ဉ": "ny", "ဋ": "t", "ဌ": "ht", "ဍ": "d", "ဎ": "d", "ဏ": "n", "တ": "t", "ထ": "ht",
    "ဒ": "d", "ဓ": "d", "န": "n", "ပ": "p", "ဖ": "hp", "ဗ": "b", "ဘ": "b", "မ": "m", "ယ": "y",
    "ရ": "y", "လ": "l", "ဝ": "w", "သ": "th", "ဟ": "h", "ဠ": "l", "အ": "",
}  # fmt: skip
_INDEPENDENT = {"ဣ": "i", "ဤ": "i", "ဥ": "u", "ဦ": "u", "ဧ": "e", "ဩ": "aw", "ဪ": "aw"}
_ASAT = "်"
_VIRAMA = "္"
_MEDIAL_Y = ("ျ", "ြ")
_MEDIAL_W = "ွ"
_MEDIAL_H = "ှ"
_TONES = {"့", "း"}
_VOWEL_SIGNS = {"ါ", "ာ", "ိ", "ီ", "ု", "ူ", "ေ", "ဲ", "ံ"}

#: Rhyme = (vowel signs in canonical order, final consonant class) -> conventional spelling.
_OPEN = {
    "": "a", "ာ": "a", "ါ": "a", "ိ": "i", "ီ": "i", "ု": "u", "ူ": "u", "ေ": "e", "ဲ": "e",
    "ော": "aw", "ေါ": "aw", "ို": "o", "ံ": "an", "ုံ": "on", "ိံ": "ein",
}  # fmt: skip
_FINAL_CLASS = {
    "င": "ng", "က": "k", "ဂ": "k", "စ": "c", "ည": "ny", "ဉ": "ny", "တ": "t", "ဒ": "t", "ဋ": "t",
    "န": "n", "ဏ": "n", "ပ": "p", "ဗ": "p", "မ": "m", "ယ": "y", "လ": "n", "သ": "t",
}  # fmt: skip
_CLOSED = {
    ("", "ng"): "in", ("ော", "ng"): "aung", ("ေါ", "ng"): "aung", ("ို", "ng"): "aing", ("ိ", "ng"): "ein",
    ("", "k"): "et", ("ော", "k"): "auk", ("ေါ", "k"): "auk", ("ို", "k"): "aik",
    ("", "c"): "it", ("", "ny"): "i", ("ိ", "ny"): "in",
    ("", "t"): "at", ("ိ", "t"): "eik", ("ု", "t"): "ok",
    ("", "n"): "an", ("ိ", "n"): "ein", ("ု", "n"): "on",
    ("", "p"): "at", ("ိ", "p"): "eik", ("ု", "p"): "ok",
    ("", "m"): "an", ("ိ", "m"): "ein", ("ု", "m"): "on",
    ("", "y"): "e",
}  # fmt: skip
_VOWEL_ORDER = "ေါာိီုူဲံ"


def _is_consonant(ch: str) -> bool:
    return "\u1000" <= ch <= "\u1021"


def _syllables(word: str) -> list[str]:
    out: list[str] = []
    for i, ch in enumerate(word):
        j = i + 1
        while j < len(word) and word[j] in _TONES:
            j += 1
        nxt = word[j] if j < len(word) else ""
        prev = word[i - 1] if i > 0 else ""
        starts = (_is_consonant(ch) and nxt not in (_ASAT, _VIRAMA)) or ch in _INDEPENDENT
        starts = starts or (prev == _VIRAMA and _is_consonant(ch))
        if starts or not out:
            out.append(ch)
        else:
            out[-1] += ch
    return out


def _syllable(syl: str) -> str:
    head = syl[0]
    if head in _INDEPENDENT:
        initial = _INDEPENDENT[head]
        rest = syl[1:]
        is_vowel_initial = True
    else:
        initial = _INITIALS.get(head, "")
        rest = syl[1:]
        is_vowel_initial = False
    medial_y = medial_w = medial_h = creaky = False
    vowels = ""
    final = ""
    i = 0
    while i < len(rest):
        ch = rest[i]
        if ch in _MEDIAL_Y:
            medial_y = True
        elif ch == _MEDIAL_W:
            medial_w = True
        elif ch == _MEDIAL_H:
            medial_h = True
        elif ch in _VOWEL_SIGNS:
            vowels += ch
        elif _is_consonant(ch):
            final = _FINAL_CLASS.get(ch, "")
        elif ch == "့":
            creaky = True
        i += 1
    if is_vowel_initial:
        return initial + (_CLOSED.get(("", final), "") if final else "")
    vowels = "".join(sorted(vowels, key=_VOWEL_ORDER.find))
    if final:
        if medial_w and not vowels and final in ("n", "m"):
            rhyme, medial_w = "un", False
        elif medial_w and not vowels and final in ("t", "p"):
            rhyme, medial_w = "ut", False
        else:
            rhyme = _CLOSED.get((vowels, final), _OPEN.get(vowels, "a") + final[:1])
            if vowels == "ို" and final == "n" and syl.endswith("လ်"):
                rhyme = "o"  # ို + လ် is the o of loanwords and titles (ဗိုလ် Bo)
        if creaky and rhyme in ("in", "un"):
            rhyme += "t"  # a creaky nasal rhyme is written with a t (မြင့် Myint, ညွန့် Nyunt)
        elif creaky and final == "ny" and not vowels:
            rhyme = "ae"  # ည့် is written ae (ပြည့် Pyae), ည် i (ကြည် Kyi)
    else:
        rhyme = _OPEN.get(vowels, "a")
        if not initial and rhyme == "i":
            rhyme = "ei"  # အိ, အီ alone are written Ei in names (Ei Ei, Ei Mon), never a bare I
        elif not initial and rhyme == "e" and vowels == "ေ":
            rhyme = "aye"  # အေ alone is written Aye in names (Aye Aye, Aye Mya)
        if medial_w and vowels == "ေ":
            rhyme, medial_w = "we", False
    if medial_y:  # ချ ch, ကျ ky, ငြ ny (Nyein)
        initial = {"kh": "ch", "g": "gy", "hp": "hpy", "ng": "ny"}.get(initial, initial + "y")
        if initial == "ky" and rhyme == "i" and syl.endswith("း"):
            initial = "gy"  # ကြီး "big" is written Gyi in names (Aung Gyi, Maung Gyi)
    if medial_h:
        initial = "sh" if initial == "y" else "h" + initial
    if medial_w:
        initial += "w"
    return initial + rhyme


#: Other spellings of some rhymes common in passports: open ေ as ay (Htay, Nay), ိုင် as ai (Shan Sai,
#: Hsai), open ို as oe (Moe, Soe).
_PASSPORT_RHYMES = (("aing", "ai"), ("e", "ay"), ("o", "oe"))
#: Syllables whose passport spelling is a word of its own: ဝေ is written Wai (Wai Phyo Aung, Tin Wai,
#: Khin Saw Wai in the Hluttaw's member lists), not Way.
_PASSPORT_SYLLABLES = {"we": "wai"}


def passport_spelling(syllables: tuple[str, ...]) -> tuple[str, ...]:
    """`romanize_burmese`'s syllables with the rhymes of `_PASSPORT_RHYMES` spelled the other way, and
    the syllables of `_PASSPORT_SYLLABLES` as passports write them."""
    out: list[str] = []
    for syl in syllables:
        if syl in _PASSPORT_SYLLABLES:
            out.append(_PASSPORT_SYLLABLES[syl])
            continue
        for rhyme, other in _PASSPORT_RHYMES:
            if syl.endswith(rhyme) and not syl.endswith(("aw", "we", "oe")):
                syl = syl[: -len(rhyme)] + other
                break
        out.append(syl)
    return tuple(out)


@lru_cache(maxsize=32768)
def romanize_burmese(word: str) -> tuple[str, ...]:
    """Romanize one Burmese word into its syllables, e.g. မောင်မောင် -> ("maung", "maung")."""
    return tuple(s for s in (_syllable(x) for x in _syllables(word)) if s)
