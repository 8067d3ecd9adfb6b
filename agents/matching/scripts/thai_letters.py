"""Thai names spelled letter by letter, as many Thai families spell them in passports.

Many official spellings are etymological rather than RTGS: every written consonant is kept with its
Sanskrit/Pali value (ภ bh, ธ dh, ว v, ศ/ษ s), the inherent vowels of Indic compounds are written out
(รัตน Ratana, ศิลป Silpa) and final letters keep their own value (ราช Rach, โรจน์ Roj). RTGS
(pythainlp's royin engine, agents/matching/scripts/thai.py) drops or re-values those letters, so
this spelling is produced beside it. The phonetic skeleton comparison absorbs what differs between
the two families of spellings (vowel letters, aspiration, implicit vowels).

Not a full Thai syllabifier: a table of letter values, pre-posed vowels moved after their
consonant, letters under the silence mark (karan) dropped, an implicit "a" between two consonants
with no written vowel, and a final ร read n (สมร Samorn, อมร Amorn).
"""

from __future__ import annotations

from functools import lru_cache

#: Letter values of the etymological spellings (ISO 11940 read as English letters).
_CONS = {
    "ก": "k", "ข": "kh", "ฃ": "kh", "ค": "kh", "ฅ": "kh", "ฆ": "kh", "ง": "ng", "จ": "j", "ฉ": "ch",
    "ช": "ch", "ซ": "s", "ฌ": "ch", "ญ": "y", "ฎ": "d", "ฏ": "t", "ฐ": "th", "ฑ": "th", "ฒ": "th",
    "ณ": "n", "ด": "d", "ต": "t", "ถ": "th", "ท": "th", "ธ": "dh", "น": "n", "บ": "b", "ป": "p",
    "ผ": "ph", "ฝ": "f", "พ": "ph", "ฟ": "f", "ภ": "bh", "ม": "m", "ย": "y", "ร": "r", "ล": "l",
    "ว": "v", "ศ": "s", "ษ": "s", "ส": "s", "ห": "h", "ฬ": "l", "อ": "", "ฮ": "h",
}  # fmt: skip
#: Vowel signs written after (or above, below) their consonant.
_POST = {
    "ะ": "a", "ั": "a", "า": "a", "ำ": "am", "ิ": "i", "ี": "i", "ึ": "ue", "ื": "ue", "ุ": "u",
    "ู": "u", "ๅ": "",
}  # fmt: skip
#: Vowel signs written before their consonant.
_PRE = {"เ": "e", "แ": "ae", "โ": "o", "ไ": "ai", "ใ": "ai"}
#: A pre-posed vowel with what follows its consonant: เ-ีย, เ-ือ, เ-า, เ-อ, เ-ิ, ...
_COMBINED = {
    ("เ", "ีย"): "ia", ("เ", "ือ"): "uea", ("เ", "าะ"): "o", ("เ", "า"): "ao", ("เ", "อ"): "oe",
    ("เ", "ิ"): "oe", ("เ", "็"): "e", ("เ", "ะ"): "e", ("แ", "็"): "ae", ("แ", "ะ"): "ae",
    ("โ", "ะ"): "o",
}  # fmt: skip
_INDEPENDENT = {"ฤ": "ri", "ฦ": "lue"}
_KARAN = "\u0e4c"
_MARKS = frozenset("\u0e48\u0e49\u0e4a\u0e4b\u0e47\u0e4d\u0e4e\u0e46")  # tone marks, maitaikhu, nikhahit, mai yamok
_RR = "รร"


def _drop_silent(word: str) -> str:
    """The word without the letters the karan silences (the consonant before it, and a vowel sign
    written on that consonant: ศักดิ์ -> ศัก, จันทร์ -> จันท)."""
    out = list(word)
    i = 0
    while i < len(out):
        if out[i] == _KARAN:
            j = i - 1
            while j >= 0 and (out[j] in _POST or out[j] in _MARKS):
                j -= 1
            del out[max(j, 0) : i + 1]
            i = max(j, 0)
            continue
        i += 1
    return "".join(out)


#: Letters read n at the end of a syllable even in letter-preserving spellings (ขวัญ Kwan, บัญญัติ Banyat).
_FINAL = {"ญ": "n"}
#: True clusters: the second consonant (ร, ล, ว) after these first ones is spoken with it (ประ, กลาง,
#: ขวัญ), and the Sanskrit ศร/สร of names (ศรี Sri).
_CLUSTERS = {"ร": frozenset("กขคตทปพผบฟศส"), "ล": frozenset("กขคปพผบฟ"), "ว": frozenset("กขค")}
_STOPS = frozenset("ตทชจดกปพบ")
#: ทร before a vowel is one sound, s (ทรง Song, ทรัพย์ Sap, ทราย Sai).
_THOR_RUEA = "ทร"


def _ror_han_closed(chars: list[str], i: int) -> bool:
    """รร (ror han) at `i`, after a consonant without a vowel, is the vowel a: closed by the consonant
    after it when that consonant carries no vowel of its own (ธรรม Dham, วรรณ Van), else read an and
    the next consonant starts its own syllable (สวรรค์ Savan, กรรณิการ์ Kannika)."""
    after = chars[i + 2] if i + 2 < len(chars) else ""
    beyond = chars[i + 3] if i + 3 < len(chars) else ""
    return after in _CONS and (beyond == "" or beyond in _CONS)


def _cluster(first: str, second: str) -> bool:
    return first in _CLUSTERS.get(second, ())


def _vowel_mark(ch: str) -> bool:
    return ch in _POST


@lru_cache(maxsize=65536)
def spell_thai_letters(word: str, keep_silent: bool = False) -> str:
    """The letter-preserving spelling of one Thai word (lower case), e.g. ศิลปอาชา -> "silapaacha",
    ภักดี -> "bhakdi", สุนทร -> "sunthon". With `keep_silent`, letters under the karan stay
    (ไกรฤกษ์ Krairiksh, พงษ์ Pongse)."""
    text = word.replace("\u0e4d\u0e32", "\u0e33")
    if not keep_silent:
        text = _drop_silent(text)
    chars = [c for c in text if c not in _MARKS and c != _KARAN]
    out: list[str] = []
    pending = ""  # a pre-posed vowel waiting for its consonant (and cluster)
    # "s" word start, "c" an initial consonant without a vowel yet, "v" a vowel written,
    # "f" a consonant closing a syllable.
    state = "s"
    i = 0
    n = len(chars)
    while i < n:
        ch = chars[i]
        nxt = chars[i + 1] if i + 1 < n else ""
        if ch in _PRE:
            pending = ch
        elif ch in _CONS:
            value = _CONS[ch]
            after = chars[i + 2] if i + 2 < n else ""
            if ch + nxt == _THOR_RUEA and (_vowel_mark(after) or (state == "s" and after in _CONS)):
                value = "s"
                i += 1
                nxt = chars[i + 1] if i + 1 < n else ""
            if not pending and state in ("v", "f") and "".join(chars[i + 1 : i + 3]) == _RR:
                out.append(value)  # a consonant before รร starts the syllable รร is the vowel of (จารุวรรณ)
                state = "c"
            elif pending:
                out.append(value)
                # a cluster (เกรียง, ไกร, แสวง): the vowel goes after its second consonant
                if _cluster(ch, nxt) and (i + 2 >= n or chars[i + 2] not in _CONS or pending in "ไใ"):
                    out.append(_CONS[nxt])
                    i += 1
                rest = "".join(chars[i + 1 : i + 3])
                vowel = _PRE[pending]
                for length in (2, 1):
                    combined = _COMBINED.get((pending, rest[:length]))
                    if combined is not None:
                        vowel = combined
                        i += length
                        break
                out.append(vowel)
                pending = ""
                state = "v"
            elif state == "s":
                if value:
                    out.append(value)
                    state = "c"
                else:  # อ carries the vowel written on it, or an implicit "a" (อนันต Anant)
                    if not _vowel_mark(nxt):
                        out.append("a")
                    state = "v" if not _vowel_mark(nxt) else "c"
            elif state == "c":
                if _cluster(chars[i - 1], ch) and _vowel_mark(nxt):
                    out.append(value)  # ประ, ตระ, ขวัญ
                elif ch + nxt == _RR:
                    closed = _ror_han_closed(chars, i)
                    out.append("a" if closed else "an")
                    i += 1
                    state = "v" if closed else "f"
                elif ch == "ร" and (nxt == "" or nxt in _CONS):
                    out.append("on")  # a final ร after an implicit vowel is read n (สมร, พร, ศร)
                    state = "f"
                elif ch == "ว" and nxt in _CONS and "".join(chars[i + 1 : i + 3]) != _RR:
                    out.append("ua")  # ว as the vowel between consonants (สวน, ขวด)
                    state = "v"
                elif ch == "อ" and not _vowel_mark(nxt):
                    out.append("o")  # อ as the vowel between consonants (สมอ, ก่อน)
                    state = "v"
                elif nxt == "" or (nxt in _CONS and (_vowel_mark(after) or after in _PRE)):
                    out.append("o" + value)  # closing a syllable after an implicit o (ทรง Song, สมชาย Somchai)
                    state = "f"
                else:
                    out.append("a" + value)  # the inherent vowel of the consonant before (รัตน ratana)
                    state = "c" if _vowel_mark(nxt) or nxt in _CONS else "f"
            elif state == "v":
                if _vowel_mark(nxt):
                    out.append(value)
                    state = "c"
                else:
                    out.append(_FINAL.get(ch, value))
                    state = "f"
            else:  # after a closing consonant
                if ch == "ร" and chars[i - 1] in _STOPS and (nxt == "" or nxt in _CONS):
                    out.append("r" if nxt == "" else "ra")  # the Sanskrit r of วัตร Watra, บุตร Butr, จักร Chakra
                elif ch == "ร" and (nxt == "" or nxt in _CONS):
                    out.append("on")  # ถาวร thawon
                elif _vowel_mark(nxt):
                    out.append(value)
                    state = "c"
                else:
                    out.append("a" + value)
                    state = "c" if nxt in _CONS else "f"
        elif ch in _POST:
            if ch == "ั" and nxt == "ว":
                out.append("ua")
                i += 1
            else:
                out.append(_POST[ch])
            state = "v"
        elif ch in _INDEPENDENT:
            out.append(_INDEPENDENT[ch])
            state = "v"
        i += 1
    if pending:
        out.append(_PRE[pending])
    return "".join(out)
