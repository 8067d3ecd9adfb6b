"""Name comparison between an MRZ and a holder's recorded names.

Only names written in Latin script are compared: MRZ names are an issuing state's own
transliteration (ICAO 9303 part 3 §6), so comparing them with our romanization of Thai, Burmese,
Khmer, Lao or Chinese script would raise false mismatches at exactly the checkpoints we serve.
"""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose to ASCII; the MRZ transliterations from ICAO 9303 part 3 table.
_SPECIAL = str.maketrans(
    {"Đ": "D", "đ": "d", "Ø": "OE", "ø": "oe", "Æ": "AE", "æ": "ae", "ß": "SS", "Þ": "TH", "þ": "th"}
)
_NON_LETTERS = re.compile(r"[^A-Z]+")


def latin_tokens(name: str) -> list[str] | None:
    """Upper-case ASCII tokens of a Latin-script name, or None if the name is not in Latin script."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_SPECIAL))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    if any(c.isalpha() and not c.isascii() for c in stripped):
        return None
    tokens = _NON_LETTERS.sub(" ", stripped.upper()).split()
    return tokens or None


def names_agree(mrz_tokens: list[str], holder_tokens: list[str], *, truncated: bool) -> bool:
    """True when one token list is contained in the other, or both spell the same letters.

    Containment tolerates omitted middle names; `truncated` (the MRZ name field is full) lets the last
    MRZ token be a prefix; equal letters tolerate different splits ("ZHANG SAN" / "ZHANGSAN").
    """
    if "".join(mrz_tokens) == "".join(holder_tokens) or sorted(mrz_tokens) == sorted(holder_tokens):
        return True
    if set(holder_tokens) <= set(mrz_tokens):
        return True
    *whole, last = mrz_tokens
    if any(token not in holder_tokens for token in whole):
        return False
    return last in holder_tokens or (truncated and any(h.startswith(last) for h in holder_tokens))
