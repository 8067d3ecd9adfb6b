"""ICAO 9303 part 3 check digits: weights 7-3-1 repeating, sum modulo 10.

Values: digits are themselves, A..Z are 10..35, the filler `<` is 0. Any other character makes the
digit uncomputable (None) rather than raising, because MRZ text comes from OCR and may be garbage.
"""

from __future__ import annotations

_WEIGHTS = (7, 3, 1)


def char_value(char: str) -> int | None:
    if "0" <= char <= "9":
        return ord(char) - ord("0")
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    return None


def check_digit(field: str) -> str | None:
    """The check digit of `field` as a character, or None if it holds a character outside [0-9A-Z<]."""
    total = 0
    for position, char in enumerate(field):
        value = char_value(char)
        if value is None:
            return None
        total += value * _WEIGHTS[position % 3]
    return str(total % 10)


def is_valid(field: str, digit: str, *, filler_ok: bool = False) -> bool:
    """True when `digit` is the check digit of `field`.

    `filler_ok`: ICAO lets an all-filler optional field carry `<` instead of `0` as its check digit.
    """
    if filler_ok and digit == "<" and set(field) <= {"<"}:
        return True
    return check_digit(field) == digit
