"""Lao script to Latin in the spelling Lao passports use (French-influenced: ou, ph, x, v).

ICU has no Lao-Latin transform and anyascii drops most vowels, so this is a small table-driven
romanizer: pre-posed vowels are moved after their consonant, consonants closing a syllable take
their final value, and silent ອ carries vowels. Initial ຍ is written y as in passports (Souliya,
Bounyavong; "nh"/"gn" spellings meet it through the phonetic skeleton), and the vowel ົວ (and
ວ between consonants) oua, French style like ou (Boualapha, Douangsavanh).
"""

from __future__ import annotations

from functools import lru_cache

_CONS = {
    "ກ": "k", "ຂ": "kh", "ຄ": "kh", "ງ": "ng", "ຈ": "ch", "ສ": "s", "ຊ": "x", "ຍ": "y", "ດ": "d",
    "ຕ": "t", "ຖ": "th", "ທ": "th", "ນ": "n", "ບ": "b", "ປ": "p", "ຜ": "ph", "ຝ": "f", "ພ": "ph",
    "ຟ": "f", "ມ": "m", "ຢ": "y", "ຣ": "r", "ລ": "l", "ວ": "v", "ຫ": "h", "ອ": "", "ຮ": "h",
    "ໜ": "n", "ໝ": "m",
}  # fmt: skip
_FINAL = {
    "ກ": "k", "ງ": "ng", "ດ": "t", "ນ": "n", "ບ": "p", "ມ": "m", "ຍ": "y", "ວ": "o", "ສ": "s",
    "ຕ": "t", "ປ": "p", "ລ": "n", "ຊ": "t", "ຈ": "t",
}  # fmt: skip
#: ແ is written e, as in the French-based spellings of Lao names (the è of the BGN/PCGN system, accent
#: dropped: ແສງ Seng, ແກ້ວ Keo), not the ae of Thai RTGS.
_PRE = {"ເ": "e", "ແ": "e", "ໂ": "o", "ໄ": "ai", "ໃ": "ai"}
#: The unrounded back vowels ຶ ື, ເິ ເີ and ເືອ as Lao passports write them, French-style eu (ສະເຫຼີມ Saleum,
#: ເມືອງ Meuang, ເຫຼືອ Leua), not the Thai RTGS u / oe / ua.
_POST = {
    "ະ": "a", "ັ": "a", "າ": "a", "ິ": "i", "ີ": "i", "ຶ": "eu", "ື": "eu", "ຸ": "ou", "ູ": "ou",
    "ົ": "o", "ຽ": "ia", "ຳ": "am", "ໍ": "o",
}  # fmt: skip
_COMBINED = {
    ("e", "າ"): "ao", ("e", "ັ"): "e", ("e", "ິ"): "eu", ("e", "ີ"): "eu",
    ("e", "ື"): "eua", ("e", "ຽ"): "ia", ("o", "ະ"): "o", ("e", "ະ"): "e",
}  # fmt: skip
_IGNORED = {"່", "້", "໊", "໋", "໌", "ໆ"}
#: The cancellation mark (karan): the letter it stands on, and any vowel sign on that letter, is silent
#: (ກຸປຣະສິທທິ໌ Kouprasith).
_KARAN = "໌"
_SIGNS_ABOVE = frozenset("ັິີຶືຸູົໍ")
#: Finals written by the etymological spelling (module docstring of `romanize_lao_spellings`): a
#: Sanskrit l kept as l (ກຸລ -coul), a Sanskrit s or t sound as th (ວິເສສ Viseth).
_ETYMOLOGICAL_FINAL = {"ລ": "l", "ສ": "th"}
_MEDIAL_L = "ຼ"


def _drop_cancelled(word: str) -> str:
    """The word without the letters the cancellation mark silences."""
    while _KARAN in word:
        k = word.index(_KARAN)
        j = k - 1
        while j >= 0 and word[j] in _SIGNS_ABOVE | _IGNORED:
            j -= 1
        word = word[: max(j, 0)] + word[k + 1 :]
    return word


def _is_cons(ch: str) -> bool:
    return ch in _CONS


@lru_cache(maxsize=32768)
def romanize_lao_spellings(word: str) -> tuple[str, ...]:
    """`romanize_lao`, the spelling with an initial ຍ written nh when it has one (ບຸນຍັງ
    Bounyang, Bounnhang: the palatal nasal the French-based spellings write nh or gn), and the
    etymological one when it differs: an initial ລ written r (the 1970s spelling reform wrote ລ for
    the ຣ of Pali and Sanskrit words, and family names kept the r: ລັດຕະນະ Rattana, ລາດ Rath), a final
    ລ written l and a final ສ th (ກຸລ -coul, ວິເສສ Viseth), as the Sanskrit words they come from; and
    those etymological finals with the initial ລ kept l, since a family writes its name's ending the
    old way whatever it did with the initial (ລຳພຸທທະກຸລ Lamphouthacoul, not Ramphouthacoul)."""
    out = [romanize_lao(word)]
    for other in (romanize_lao(word, nyo="nh"), romanize_lao(word, lo="r"), romanize_lao(word, etymological=True)):
        if other not in out:
            out.append(other)
    return tuple(out)


@lru_cache(maxsize=32768)
def romanize_lao(word: str, nyo: str = "y", lo: str = "l", etymological: bool | None = None) -> str:
    """Romanize one Lao word, e.g. ສົມພອນ -> "somphon", ສຸກສະຫວັນ -> "souksavan"; an initial ຍ is
    written `nyo`, an initial ລ `lo`; `etymological`: the finals of `_ETYMOLOGICAL_FINAL` (by default
    with an initial ລ written r)."""
    # NFKC splits the vowel AM (ຳ) into NIGGAHITA + AA: put it back together.
    chars = [c for c in _drop_cancelled(word.replace("\u0ecd\u0eb2", "\u0eb3")) if c not in _IGNORED]
    if etymological is None:
        etymological = lo == "r"
    finals = {**_FINAL, **_ETYMOLOGICAL_FINAL} if etymological else _FINAL
    out: list[str] = []
    pending_pre = ""
    has_vowel = False  # the current syllable already has a vowel (or an initial to carry one)
    has_initial = False
    i = 0
    while i < len(chars):
        ch = chars[i]
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if ch in _PRE:
            pending_pre = _PRE[ch]
            has_vowel = has_initial = False
        elif ch == "ົ" and nxt == "ວ" and not pending_pre:
            out.append("oua")  # the vowel ົວ (ບົວ "boua"), not ົ + final ວ
            has_vowel = True
            i += 1
        elif ch in _POST:
            vowel = _POST[ch]
            if pending_pre:
                vowel = _COMBINED.get((pending_pre, ch), pending_pre + vowel)
                pending_pre = ""
            out.append(vowel)
            has_vowel = True
            if ch == "ະ":
                has_initial = False
        elif ch == _MEDIAL_L:
            out.append("l")
            has_initial = True
        elif _is_cons(ch):
            closes = has_initial and (nxt == "" or _is_cons(nxt) or nxt in _PRE)
            if ch == "ຫ" and nxt in ("ລ", "ນ", "ມ", "ວ", "ຍ", "ງ", _MEDIAL_L):
                has_initial = has_vowel = False  # ຫ only marks the tone class of the next consonant
            elif closes and ch in ("ວ", "ອ") and not has_vowel:
                out.append("oua" if ch == "ວ" else "o")
                has_vowel = True
            elif closes and has_vowel:
                final = finals.get(ch, _CONS[ch])
                if len(final) == 2 and final.endswith("h") and _CONS.get(nxt) == final:
                    # a doubled aspirate of a Pali spelling (ພຸທທະ): the first closes the syllable
                    # as the plain stop, as in Vatthana, never "ththa"
                    final = final[0]
                out.append(final)
                has_initial = has_vowel = False
            elif closes:
                out.append("o" + finals.get(ch, _CONS[ch]))
                has_initial = has_vowel = False
            else:
                out.append(nyo if ch == "ຍ" else lo if ch == "ລ" else _CONS[ch])
                has_initial = True
                has_vowel = False
                if pending_pre and (nxt == "" or _is_cons(nxt) or nxt in _PRE):
                    out.append(pending_pre)
                    pending_pre = ""
                    has_vowel = True
        elif ch.isspace():
            out.append(" ")
            has_initial = has_vowel = False
        i += 1
    if pending_pre:
        out.append(pending_pre)
    return "".join(out)
