"""Text normalization: Unicode NFKC, case and diacritic folding, tokenization, document numbers."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: ICAO 9303 / common Latin expansions that plain diacritic stripping would lose.
_LATIN_SPECIAL = str.maketrans(
    {
        "đ": "d",
        "Đ": "d",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "þ": "th",
        "ð": "d",
        "ı": "i",
    }
)
#: ICAO 9303 MRZ transliteration of umlauts (the alternative spelling, besides plain stripping).
_ICAO_EXPANSIONS = {"ä": "ae", "ö": "oe", "ü": "ue", "å": "aa"}

_TOKEN_SPLIT = re.compile(r"[^0-9a-z]+")
_SEPARATORS = re.compile(r"[\s\-‐-―_.,;:/\\'’`\"()\[\]{}<]+")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def fold_latin(text: str) -> str:
    """Lower-case, strip diacritics (Vietnamese tones too) and map special Latin letters to ASCII."""
    if text.isascii():
        return text.lower()  # ASCII is NFKC/NFKD-stable, has no combining marks and no special letters
    return _fold_non_ascii(text)


@lru_cache(maxsize=65536)
def _fold_non_ascii(text: str) -> str:
    text = nfkc(text).lower().translate(_LATIN_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def icao_variant(text: str) -> str | None:
    """The ICAO MRZ spelling (Ü→UE, Ö→OE, Ä→AE, Å→AA) when the text has such letters, else None."""
    if text.isascii():
        return None  # NFKC keeps ASCII as it is, without any of those letters
    low = nfkc(text).lower()
    if not any(ch in low for ch in _ICAO_EXPANSIONS):
        return None
    for src, dst in _ICAO_EXPANSIONS.items():
        low = low.replace(src, dst)
    return fold_latin(low)


def split_words(text: str) -> list[str]:
    """Split on whitespace, hyphens, dots, MRZ fillers and other separators (keeps non-Latin words whole)."""
    return [w for w in _SEPARATORS.split(nfkc(text)) if w]


def ascii_tokens(text: str) -> list[str]:
    """Lower-case ASCII tokens of an already romanized text."""
    return [t for t in _TOKEN_SPLIT.split(fold_latin(text)) if t]


_DOC_CLEAN = re.compile(r"[^0-9A-Z]")
#: Characters that OCR (and people) confuse in document numbers, folded to one representative.
_OCR_FOLD = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2", "G": "6"})
#: The same as a byte table, for ASCII numbers (bytes.translate is several times faster).
_OCR_FOLD_BYTES = bytes.maketrans(b"OQDILSBZG", b"000115826")


def doc_number(number: str) -> str:
    """Document number upper-cased with spaces, dashes and fillers removed."""
    return _DOC_CLEAN.sub("", fold_latin(number).upper())


def doc_number_ocr(number: str) -> str:
    """Document number with OCR look-alikes folded (O/Q/D→0, I/L→1, S→5, B→8, Z→2, G→6)."""
    return ocr_fold(doc_number(number))


def ocr_fold(normalized: str) -> str:
    """Fold OCR look-alikes of an already normalized document number."""
    if normalized.isascii():
        return normalized.encode("ascii").translate(_OCR_FOLD_BYTES).decode("ascii")
    return normalized.translate(_OCR_FOLD)


_DOC_TYPES = {
    "P": "P",
    "PP": "P",
    "PASSPORT": "P",
    "I": "I",
    "ID": "I",
    "IDCARD": "I",
    "NATIONALID": "I",
    "C": "I",
    "A": "I",
}


@lru_cache(maxsize=1024)
def doc_type(kind: str) -> str:
    """Canonical document type: P (passports, any P* MRZ code), I (identity cards), else as given."""
    key = re.sub(r"[^A-Z]", "", kind.upper())
    if key in _DOC_TYPES:
        return _DOC_TYPES[key]
    if len(key) <= 2 and key.startswith("P"):
        return "P"
    if len(key) <= 2 and key.startswith("I"):
        return "I"
    return key
