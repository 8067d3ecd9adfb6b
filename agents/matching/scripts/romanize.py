"""Romanization of names written in any script of the region into lower-case ASCII tokens.

Per script, the best-kept tool that exists: pypinyin (+ ICU "Han-Latin/Names", Wade-Giles) for
Hanzi; pythainlp's Royal Institute romanizer for Thai; own tables for Burmese, Lao and Khmer
(ICU's Myanmar-Latin is letter by letter, and ICU has no Lao or Khmer transform); plain diacritic
folding for Latin (Vietnamese); anyascii for anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import chain, product

from anyascii import anyascii

from agents.matching.scripts.burmese import passport_spelling, romanize_burmese
from agents.matching.scripts.chinese import is_han, pinyin_syllables, romanize_han, wade_giles_token
from agents.matching.scripts.khmer import romanize_khmer
from agents.matching.scripts.lao import romanize_lao_spellings
from agents.matching.scripts.normalize import ascii_tokens, fold_latin, icao_variant, split_words
from agents.matching.scripts.thai import is_thai, romanize_thai, strip_thai_title

MAX_VARIANTS = 4
#: Spellings of a two-word Thai or Khmer name with the words' romanizations crossed (`_add_mixed`).
MIXED_VARIANTS = 6
#: ... of a two-word Khmer name: a one-syllable word has several vowel spellings (khmer._MONOSYLLABLE_VOWELS);
#: names.MAX_FORMS keeps no more.
KHMER_MIXED_VARIANTS = 10

Alternatives = tuple[tuple[str, ...], ...]


def script_of(word: str) -> str:
    """The script of a word: han, thai, lao, khmer, myanmar, latin or other (first decisive letter)."""
    for ch in word:
        if ch.isascii():
            if ch.isalpha():
                return "latin"
            continue
        if is_han(ch):
            return "han"
        if is_thai(ch):
            return "thai"
        if "\u0e80" <= ch <= "\u0eff":
            return "lao"
        if "\u1780" <= ch <= "\u17ff" or "\u19e0" <= ch <= "\u19ff":
            return "khmer"
        if "\u1000" <= ch <= "\u109f" or "\uaa60" <= ch <= "\uaa7f" or "\ua9e0" <= ch <= "\ua9ff":
            return "myanmar"
        if ch.isalpha() and fold_latin(ch).isascii():
            return "latin"
        if ch.isalpha():
            return "other"
    return "latin"


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(ascii_tokens(text))


def _latin(word: str) -> Alternatives:
    plain = _tokens(word)
    alts = [plain]
    icao = icao_variant(word)
    if icao is not None:
        alts.append(_tokens(icao))
    return tuple(a for a in alts if a)


# Smaller than romanize_word's: most words read as no pinyin at all, and the names that do share few words.
@lru_cache(maxsize=1 << 16)
def wade_giles_word(word: str) -> Alternatives | None:
    """The word's alternatives (`romanize_word`) with its pinyin read as Wade-Giles (Guiying Dong /
    Kuei-ying Tung), when it is a Latin word whose tokens all read as pinyin; else None."""
    alts = romanize_word(word)
    if script_of(word) != "latin" or not all(pinyin_syllables(t) for t in alts[0]):
        return None
    wade = tuple(wade_giles_token(t) or t for t in alts[0])
    return (*alts, wade) if wade != alts[0] else alts


def _per_word(words: list[str]) -> list[Alternatives]:
    """Each word's alternatives, with the Wade-Giles reading of its pinyin when the whole name reads as
    pinyin (`wade_giles_word`): a name is Chinese as a whole. Vietnamese, Lao or Thai words that happen
    to parse as pinyin shapes (Doan, Dieu) are no Chinese syllables to respell when the rest of the
    name is not pinyin at all (Van, Nguyen)."""
    out: list[Alternatives] = []
    for word in words:
        alts = wade_giles_word(word)
        if alts is None:
            return [romanize_word(w) for w in words]
        out.append(alts)
    return out


def _thai(word: str) -> Alternatives:
    return tuple(_tokens(v) for v in romanize_thai(strip_thai_title(word)))


def _lao(word: str) -> Alternatives:
    return tuple(_tokens(v) for v in romanize_lao_spellings(word))


def _khmer(word: str) -> Alternatives:
    return tuple(_tokens(v) for v in romanize_khmer(word))


def _burmese(word: str) -> Alternatives:
    syllables = romanize_burmese(word)
    other = passport_spelling(syllables)
    return (syllables,) if other == syllables else (syllables, other)


def _other(word: str) -> Alternatives:
    return (_tokens(anyascii(word)),)


_BY_SCRIPT: dict[str, Callable[[str], Alternatives]] = {
    "latin": _latin,
    "han": romanize_han,
    "thai": _thai,
    "lao": _lao,
    "khmer": _khmer,
    "myanmar": _burmese,
    "other": _other,
}


@lru_cache(maxsize=262144)
def romanize_word(word: str) -> Alternatives:
    """Romanization alternatives of one word, each a tuple of ASCII tokens."""
    alts = _BY_SCRIPT[script_of(word)](word)
    alts = tuple(a for a in alts if a)
    return alts or (_tokens(anyascii(word)),)


def romanize_name(name: str) -> tuple[tuple[str, ...], ...]:
    """Up to MAX_VARIANTS romanizations of a full name, each a tuple of lower-case ASCII tokens.
    Not cached: `names.name_forms`, its only caller, caches the same names.

    MRZ fillers ("NGUYEN<<VAN<AN"), hyphens and dots separate tokens. Variant k takes the k-th
    alternative of each word (or its last one), so the variants stay few.
    """
    words = split_words(name)
    per_word = _per_word(words)
    if not per_word:
        return ()
    count = min(MAX_VARIANTS, max(map(len, per_word)))
    out: list[tuple[str, ...]] = []
    for k in range(count):
        tokens = tuple(chain.from_iterable(alts[k] if k < len(alts) else alts[-1] for alts in per_word))
        if tokens and tokens not in out:
            out.append(tokens)
    if len(per_word) == 2 and len(words) == 2 and max(map(len, per_word)) > 1:
        scripts = set(map(script_of, words))
        if scripts == {"khmer"}:
            _add_mixed(out, per_word[0], per_word[1], KHMER_MIXED_VARIANTS, shorter_first=True)
        elif _MIXED_SCRIPTS.issuperset(scripts):
            _add_mixed(out, per_word[0], per_word[1])
    return tuple(out)


#: Scripts whose given name and surname are each spelled by the family's own scheme (RTGS for one,
#: letter by letter for the other: Apichat Sirisoontorn): their spellings are also crossed.
_MIXED_SCRIPTS = frozenset({"thai", "khmer"})


def _add_mixed(
    out: list[tuple[str, ...]],
    first: Alternatives,
    second: Alternatives,
    limit: int = MIXED_VARIANTS,
    *,
    shorter_first: bool = False,
) -> None:
    """Adds the crossed spellings of a two-word name, closest to the diagonal first, up to `limit`.
    With `shorter_first`, the spellings of the shorter word are tried first (an index step of the
    longer word counts double): a short word's spellings differ in its vowel, which nothing else
    compares, a long word's spellings also meet through their phonetic skeletons."""
    long_first = len("".join(first[0])) > len("".join(second[0]))
    wi, wj = (2, 1) if shorter_first and long_first else (1, 2) if shorter_first else (1, 1)
    pairs = sorted(product(range(len(first)), range(len(second))), key=lambda ij: (wi * ij[0] + wj * ij[1], ij))
    for i, j in pairs:
        if len(out) >= limit:
            return
        tokens = (*first[i], *second[j])
        if tokens not in out:
            out.append(tokens)
