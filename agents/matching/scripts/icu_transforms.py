"""ICU transliterators (PyICU), created once per process and cached; absent ICU degrades to None."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=16)
def _transliterator(transform_id: str, suffix: str = "; Latin-ASCII; Lower") -> Any:
    try:
        import icu
    except ImportError:  # pragma: no cover - PyICU is a declared dependency
        return None
    try:
        return icu.Transliterator.createInstance(f"{transform_id}{suffix}")
    except Exception:  # pragma: no cover - transform missing from this ICU build
        return None


@lru_cache(maxsize=65536)
def transliterate(transform_id: str, text: str) -> str | None:
    """Apply an ICU transform (e.g. "Thai-Latin", "Han-Latin/Names") then fold to lower-case ASCII."""
    trans = _transliterator(transform_id)
    if trans is None:
        return None
    return str(trans.transliterate(text))


@lru_cache(maxsize=65536)
def transliterate_raw(transform_id: str, text: str) -> str | None:
    """Apply an ICU transform as it is (e.g. "Hans-Hant": simplified to traditional characters)."""
    trans = _transliterator(transform_id, "")
    if trans is None:
        return None
    return str(trans.transliterate(text))
