"""Name structure: name forms of a person, titles and Burmese honorifics, spacing variants.

A name form is one romanized spelling of one recorded name, as lower-case ASCII tokens with their
phonetic skeletons. Order is kept for display but comparisons ignore it (family-name-first and
given-name-first records must meet).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache

from agents.matching.scripts.phonetic import skeleton
from agents.matching.scripts.romanize import romanize_name

#: Titles that are never part of a name.
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mdm", "dr", "prof", "mister", "madam"})
#: Burmese (and Shan, Karen, Kachin) honorifics and kinship prefixes written before the name.
#: They are also ordinary name syllables ("Maung Maung"), so a form without them is added, never forced.
HONORIFICS = frozenset(
    {"u", "daw", "ko", "maung", "ma", "saw", "nang", "nan", "mi", "naw", "sai", "khun", "mahn",
     "sayar", "sayama", "bo", "thra", "thramu", "nai"}
)  # fmt: skip
#: Standard abbreviations of honorifics in Myanmar records.
ABBREVIATIONS = {"mg": "maung", "dw": "daw"}
#: Tokens a romanization is rewritten for (most have none, and are then used as they are).
_REWRITTEN = TITLES | frozenset(ABBREVIATIONS)
MAX_FORMS = 10


# Its own __init__ (init=False), not frozen: a dataclass's generated __init__ runs as interpreted Python
# even in the compiled matcher (a frozen one sets each field through object.__setattr__), and forms
# are made for every new name screened and every entry indexed; this one is compiled with the class.
# Never modified once made: hashed and compared by its fields, as a frozen dataclass is.
@dataclass(slots=True, init=False, unsafe_hash=True)
class NameForm:
    """One spelling of one name: tokens in record order and their phonetic skeletons."""

    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]

    def __init__(self, tokens: tuple[str, ...], skeletons: tuple[str, ...]) -> None:
        self.tokens = tokens
        self.skeletons = skeletons

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def _form(tokens: tuple[str, ...]) -> NameForm:
    # Interned: a million entries share a few hundred thousand distinct tokens (skeletons come interned).
    return NameForm(tuple(map(sys.intern, tokens)), tuple(map(skeleton, tokens)))


@lru_cache(maxsize=262144)
def name_forms(name: str) -> tuple[NameForm, ...]:
    """Every form of one written name: each romanization, with and without a leading honorific."""
    out: list[NameForm] = []
    for variant in romanize_name(name):
        tokens = variant
        if not _REWRITTEN.isdisjoint(variant):
            tokens = tuple(ABBREVIATIONS.get(t, t) for t in variant if t not in TITLES)
        if not tokens:
            continue
        candidates = [tokens]
        if len(tokens) >= 2 and tokens[0] in HONORIFICS:
            candidates.append(tokens[1:])
        for cand in candidates:
            form = _form(cand)
            if form not in out:
                out.append(form)
    return tuple(out)


def person_name_forms(names: list[str]) -> tuple[NameForm, ...]:
    """Forms of all names of a person (full name, given + surname, aliases), de-duplicated."""
    if len(names) == 1:
        forms = name_forms(names[0])
        if len(forms) == 1:
            return forms  # nothing to de-duplicate against
    out: list[NameForm] = []
    seen: set[frozenset[str]] = set()
    for name in names:
        for form in name_forms(name):
            key = frozenset((*form.tokens, "".join(sorted(form.tokens))))
            if key in seen:
                continue
            seen.add(key)
            out.append(form)
            if len(out) >= MAX_FORMS:
                return tuple(out)
    return tuple(out)
