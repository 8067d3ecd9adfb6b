"""Chinese names (Hanzi) to Latin: Hanyu Pinyin via pypinyin, ICU's name readings, Wade-Giles
spellings, and the Hong Kong Government Cantonese romanization (cantonese-romanisation's tables).

A Chinese name is written family name first; the given name's syllables are usually joined in
passports ("Wang Xiaoming"). Compound family names (欧阳, 司马...) are kept together.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin, pinyin

from agents.matching.native import PACKAGE_DIR
from agents.matching.scripts.icu_transforms import transliterate, transliterate_raw

#: Two-character family names (a general table of Chinese compound surnames, not of persons).
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "端木",
        "歐陽",
        "諸葛",
        "東方",
        "長孫",
        "司徒",
        "夏侯",
    ]
)

#: Pinyin -> Wade-Giles per syllable (initials then finals), apostrophes dropped as in passports.
_WG_SYLLABLE = {
    "zhi": "chih", "chi": "chih", "shi": "shih", "ri": "jih", "zi": "tzu", "ci": "tzu", "si": "ssu",
    "you": "yu", "yan": "yen", "ye": "yeh", "er": "erh",
}  # fmt: skip
_WG_INITIAL = (
    ("b", "p"),
    ("d", "t"),
    ("g", "k"),
    ("zh", "ch"),
    ("ch", "ch"),
    ("sh", "sh"),
    ("x", "hs"),
    ("q", "ch"),
    ("j", "ch"),
    ("z", "ts"),
    ("c", "ts"),
    ("r", "j"),
)
_WG_FINAL = (("ong", "ung"), ("ian", "ien"), ("ie", "ieh"), ("ui", "uei"), ("e", "o"))


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=65536)
def wade_giles(syllable: str) -> str:
    """Wade-Giles spelling of one pinyin syllable (without apostrophes), e.g. xiao -> hsiao."""
    if syllable in _WG_SYLLABLE:
        return _WG_SYLLABLE[syllable]
    for src, dst in _WG_INITIAL:
        if syllable.startswith(src):
            syllable = dst + syllable[len(src) :]
            break
    for src, dst in _WG_FINAL:
        if syllable.endswith(src) and len(syllable) > len(src):
            return syllable[: -len(src)] + dst
    return syllable


@lru_cache(maxsize=1)
def _cantonese_table() -> Any:
    try:
        from cantoroman import Cantonese
    except ImportError:  # pragma: no cover - declared dependency
        return None
    return Cantonese()


@lru_cache(maxsize=65536)
def cantonese(char: str) -> str | None:
    """Hong Kong Government Cantonese romanization of one character (Chan, Lee, Wong...), if known."""
    table = _cantonese_table()
    if table is None:
        return None
    for form in (char, transliterate_raw("Hans-Hant", char) or char):
        readings = table.getRoman(form)
        if readings and readings[0]:
            return str(readings[0][0])
    return None


_PY_INITIALS = (
    "zh",
    "ch",
    "sh",
    "b",
    "p",
    "m",
    "f",
    "d",
    "t",
    "n",
    "l",
    "g",
    "k",
    "h",
    "j",
    "q",
    "x",
    "r",
    "z",
    "c",
    "s",
    "y",
    "w",
    "",
)
_PY_FINALS = frozenset(
    {
        "a",
        "o",
        "e",
        "i",
        "u",
        "v",
        "ai",
        "ei",
        "ui",
        "ao",
        "ou",
        "iu",
        "ie",
        "ve",
        "ue",
        "er",
        "an",
        "en",
        "in",
        "un",
        "vn",
        "ang",
        "eng",
        "ing",
        "ong",
        "ia",
        "iao",
        "ian",
        "iang",
        "iong",
        "ua",
        "uo",
        "uai",
        "uan",
        "uang",
    }
)


@lru_cache(maxsize=65536)
def pinyin_syllables(token: str) -> tuple[str, ...] | None:
    """Split a Latin token into pinyin syllables ("xiaoming" -> xiao, ming), or None if it is not pinyin."""
    return split_syllables(token, _PY_SYLLABLES)


def split_syllables(token: str, syllables: frozenset[str], *,
                    consonant_after_first: bool = False) -> tuple[str, ...] | None:
    """`token` as a sequence of `syllables`, the longest that fits first (None: it is not made of them).
    `consonant_after_first`: every syllable after the first starts with a consonant (a name written
    without apostrophes: Xian is one syllable, not Xi-an)."""
    if not token:
        return ()
    for size in range(min(6, len(token)), 0, -1):
        head = token[:size]
        if head in syllables:
            rest = token[size:]
            if consonant_after_first and rest and rest[0] in "aeiou":
                continue
            tail = split_syllables(rest, syllables, consonant_after_first=consonant_after_first)
            if tail is not None:
                return (head, *tail)
    return None


_PY_SYLLABLES = frozenset(i + f for i in _PY_INITIALS for f in _PY_FINALS)


def pinyin_shapes() -> frozenset[str]:
    """Every initial with every final: the shapes a pinyin syllable can take, real or typed."""
    return _PY_SYLLABLES


def _is_pinyin(syllable: str) -> bool:
    return syllable in _PY_SYLLABLES


def wade_giles_token(token: str) -> str | None:
    """The Wade-Giles spelling of a Latin token that reads as pinyin (Guiying -> kueiying), else None."""
    syllables = pinyin_syllables(token)
    if not syllables:
        return None
    out = "".join(wade_giles(s) for s in syllables)
    return out if out != token else None


def _split(word: str, syllables: list[str]) -> tuple[str, ...]:
    """Family name then the given name's syllables joined: 王小明 -> ("wang", "xiaoming")."""
    han = [c for c in word if is_han(c)]
    if len(syllables) != len(han) or len(syllables) < 2:
        return ("".join(syllables),) if syllables else ()
    family = 2 if "".join(han[:2]) in COMPOUND_SURNAMES and len(han) > 2 else 1
    return ("".join(syllables[:family]), "".join(syllables[family:]))


@lru_cache(maxsize=65536)
def romanize_han(word: str) -> tuple[tuple[str, ...], ...]:
    """Romanization variants of one Hanzi word: pinyin, ICU name reading, Wade-Giles, Cantonese."""
    pinyin = [s.replace("v", "u") for s in lazy_pinyin(word, style=Style.NORMAL, errors="ignore")]
    pinyin = [s for s in pinyin if s]
    variants: list[tuple[str, ...]] = [_split(word, pinyin)]
    icu = transliterate("Han-Latin/Names", word)
    if icu:
        icu_syllables = [s for s in re.split(r"[^a-z]+", icu) if s]
        if len(icu_syllables) == len(pinyin):
            variants.append(_split(word, icu_syllables))
    variants.append(_split(word, [wade_giles(s) for s in pinyin]))
    canto = [cantonese(c) for c in word if is_han(c)]
    if canto and all(canto):
        variants.append(_split(word, [c for c in canto if c]))
    out: list[tuple[str, ...]] = []
    for v in variants:
        if v and v not in out:
            out.append(v)
    return tuple(out)


def _gb2312_level1(char: str) -> bool:
    """The character (or its simplified form) is among the 3,755 common characters of GB 2312."""
    simplified = transliterate_raw("Hant-Hans", char) or char
    if len(simplified) != 1:
        return False
    try:
        code = simplified.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xB0A1 <= (code[0] << 8 | code[1]) <= 0xD7F9


@lru_cache(maxsize=1)
def mandarin_syllables() -> frozenset[str]:
    """The pinyin syllables of the 3,755 common characters of GB 2312 (level 1), any reading, without
    tones (u for ü): the syllables a Mandarin name is made of."""
    out: set[str] = set()
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                char = bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            for reading in pinyin(char, style=Style.NORMAL, heteronym=True)[0]:
                out.add(reading.replace("v", "u"))
    return frozenset(out)


def build_readings() -> dict[str, list[str]]:
    """Syllable -> the syllables that spell the same common character in another romanization:
    Mandarin (pinyin, Wade-Giles) against Cantonese (every Hong Kong spelling of the reading).

    Derived from pypinyin and cantonese-romanisation for the common characters of GB 2312; shipped
    as READINGS_FILE (regenerate with `python -m agents.matching.scripts.chinese`)."""
    table = _cantonese_table()
    if table is None:
        return {}
    pairs: dict[str, set[str]] = {}
    for char, canto in table.charToRoman.items():
        if not canto or not _gb2312_level1(char):
            continue
        mandarin: set[str] = set()
        for syllable in lazy_pinyin(char, style=Style.NORMAL, errors="ignore"):
            if "v" in syllable:  # ü: "u" in most records, "yu" in passports (吕 Lyu)
                mandarin.add(syllable.replace("v", "yu"))
                syllable = syllable.replace("v", "u")
            mandarin |= {syllable, wade_giles(syllable)}
        spellings = mandarin | {str(c) for c in canto}
        for syllable in spellings:
            pairs.setdefault(syllable, set()).update(spellings)
    return {syllable: sorted(others) for syllable, others in sorted(pairs.items())}


READINGS_FILE = PACKAGE_DIR / "scripts" / "data" / "han_readings.json"  # the source tree, compiled or not


@lru_cache(maxsize=1)
def _readings() -> dict[str, frozenset[str]]:
    try:
        table = json.loads(READINGS_FILE.read_text(encoding="utf-8"))
    except OSError:  # pragma: no cover - package data missing
        table = build_readings()
    return {syllable: frozenset(others) for syllable, others in table.items()}


#: Longest syllable in any romanization (Cantonese "cheung", Wade-Giles "hsiung").
_MAX_SYLLABLE = 6
#: Segmentations tried per token (joined given names rarely split more than one or two ways).
_MAX_SPLITS = 4


@lru_cache(maxsize=1 << 16)
def syllable_splits(token: str) -> tuple[tuple[str, ...], ...]:
    """The ways a Latin token splits into Chinese syllables of any romanization ("manwah" -> man, wah)."""
    known = _readings()
    if not token or len(token) > 4 * _MAX_SYLLABLE or not known:
        return ()
    out: list[tuple[str, ...]] = []

    def walk(at: int, path: tuple[str, ...]) -> None:
        if len(out) >= _MAX_SPLITS:
            return
        if at == len(token):
            out.append(path)
            return
        for size in range(min(_MAX_SYLLABLE, len(token) - at), 0, -1):
            head = token[at : at + size]
            # Inside a longer token a syllable has a vowel and two letters (no stray "o" or "ng").
            if head in known and (head == token or (size >= 2 and any(v in head for v in "aeiou"))):
                walk(at + size, (*path, head))

    walk(0, ())
    fewest = min(map(len, out), default=0)
    return tuple(split for split in out if len(split) == fewest)  # Tuan is one syllable, not Tu-an


def same_characters(a: str, b: str) -> bool:
    """Both tokens spell the same common Chinese characters, syllable by syllable, in Mandarin
    (pinyin, Wade-Giles) or Cantonese (Hong Kong) romanization: Wenhua / Manwah, Qiang / Keung."""
    splits_b = syllable_splits(b)
    if not splits_b:
        return False
    return _same_splits(syllable_splits(a), splits_b, _readings())


def share_characters(tokens: Iterable[str], others: Iterable[str]) -> bool:
    """Some token of `tokens` spells the same characters as some token of `others` (`same_characters`
    of some pair), each token's syllable splits looked up once rather than once per pair."""
    their_splits = [splits for splits in map(syllable_splits, set(others)) if splits]
    if not their_splits:
        return False
    known = _readings()
    for a in set(tokens):
        splits_a = syllable_splits(a)
        if splits_a:
            for splits_b in their_splits:
                if _same_splits(splits_a, splits_b, known):
                    return True
    return False


def _same_splits(splits_a: tuple[tuple[str, ...], ...], splits_b: tuple[tuple[str, ...], ...],
                 known: dict[str, frozenset[str]]) -> bool:
    """Some split of one token reads, syllable by syllable, as some split of the other."""
    for sa in splits_a:
        for sb in splits_b:
            if len(sa) == len(sb) and all(y in known[x] for x, y in zip(sa, sb, strict=True)):
                return True
    return False


if __name__ == "__main__":
    READINGS_FILE.parent.mkdir(exist_ok=True)
    READINGS_FILE.write_text(json.dumps(build_readings(), ensure_ascii=False, separators=(",", ":")) + "\n")
