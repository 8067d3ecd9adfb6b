"""Which blocking candidates could still reach their list's threshold, from a few per-slot codes.

At a million entries most blocking candidates of a traveller are namesakes that the cheap
features (date of birth, documents, sex, nationality) rule out whatever their name. `prescore_pair`
finds that by running the features; this finds it from small per-slot codes the index keeps (birth
year, month and day, sex, nationality, a document signature), without touching the entry's
prepared form: a few table lookups per candidate instead of four feature calls.

It only ever over-estimates: for each feature it takes the best score the pair could get (exact
for dates of birth, sex and nationality; for documents, whether a one-character typo is possible
at all; the features that only count against a namesake, features/conflicts.py, it leaves out), so a
candidate it drops is one `prescore_pair` drops too (tests/unit/test_matching_prefilter.py checks that
on the evaluation set and on random people). Entries sharing a document number with the traveller are
never passed here: they are candidates whatever their date.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable
from functools import lru_cache
from typing import Final

from agents.matching.config import MatcherConfig
from agents.matching.features.dates import compare_dates, year_in_range
from agents.matching.features.demographics import OTHER_NATIONALITY, OTHER_SEX, SAME_NATIONALITY, SAME_SEX
from agents.matching.features.documents import MIN_TYPO_LENGTH, TYPO_SCORE
from agents.matching.prepared import PreparedDocument, PreparedPerson, full_date
from agents.matching.scorer import CORROBORATING

#: Document signature of a slot (two uint16 columns, head and tail): no document at all.
DOC_NONE = 0
#: Documents the signature cannot summarize (several, or a number too short to be a key): any score.
DOC_ANY = 1
#: One document too short for the typo rule: it can only agree exactly (a document key) or count against.
DOC_NO_TYPO = 2
_FIRST_HASH = 3
#: Letters at each end of a number that a signature hashes. Two numbers of 7 or more characters one
#: edit apart (substitution, insertion, deletion, adjacent swap) agree on their first three or
#: their last three characters: the edit is at most at one end.
_END = 3
assert MIN_TYPO_LENGTH >= 2 * _END + 1

SEX_CODES = {"F": 1, "M": 2}
NO_CODE = 0
#: Nationality code of a slot whose nationality is not in the index's code table (it is full).
NATION_OTHER = 255

#: Year gaps the date tables tell apart (3 = three years or more).
_GAPS = 4
#: Packed month/day values (index.pack_month_day: month * 32 + day; day 0 = not known).
_MONTH_DAYS = 13 * 32


def _end_hash(text: str) -> int:
    return _FIRST_HASH + zlib.crc32(text.encode()) % (65536 - _FIRST_HASH)


def document_signature(documents: tuple[PreparedDocument, ...]) -> tuple[int, int]:
    """(head, tail) of an entry's documents: DOC_NONE, DOC_ANY, DOC_NO_TYPO, or hashes of the
    first and last three characters of its one number (OCR-folded)."""
    if not documents:
        return DOC_NONE, DOC_NONE
    if len(documents) > 1:
        return DOC_ANY, DOC_ANY
    number = documents[0].ocr
    if len(number) < 3:
        return DOC_ANY, DOC_ANY  # no document key for it: an exact match is not found by blocking
    if len(number) < MIN_TYPO_LENGTH:
        return DOC_NO_TYPO, DOC_NO_TYPO
    return _end_hash(number[:_END]), _end_hash(number[-_END:])


#: Per slot, the index keeps two words in one array("Q") (`codes`, at 2 * slot and 2 * slot + 1),
#: what the prefilter and the ranking by birth date read of a candidate. Packed: one cache line
#: per candidate, where eight per-slot columns were eight cache misses at a million entries.
#: Word one: earliest and latest birth year (16 bits each), packed month and day (9), sex (2),
#: nationality (8), list code (8). Word two: the document signature, head | tail << 16.
HIGH_SHIFT: Final = 16
MONTH_DAY_SHIFT: Final = 32
_SEX_SHIFT: Final = 41
_NATION_SHIFT: Final = 43
_LIST_SHIFT: Final = 51
YEAR_MASK: Final = 0xFFFF
MONTH_DAY_MASK: Final = 0x1FF
_TAIL_SHIFT: Final = 16


def slot_code(low: int, high: int, month_day: int, sex: int, nation: int, list_code: int) -> int:
    """The first word of a slot's codes (years as keys.clip_year stores them)."""
    return (low | high << HIGH_SHIFT | month_day << MONTH_DAY_SHIFT | sex << _SEX_SHIFT | nation << _NATION_SHIFT
            | list_code << _LIST_SHIFT)


def document_code(signature: tuple[int, int]) -> int:
    """The second word of a slot's codes, from its `document_signature`."""
    head, tail = signature
    return head | tail << _TAIL_SHIFT


#: `code >> IDENTITY_SHIFT` is a slot's sex, nationality and list (`identity_code`).
IDENTITY_SHIFT: Final = _SEX_SHIFT


def identity_code(sex: int, nation: int, list_code: int) -> int:
    """Sex, nationality and list codes as `code >> IDENTITY_SHIFT` holds them."""
    return sex | nation << (_NATION_SHIFT - _SEX_SHIFT) | list_code << (_LIST_SHIFT - _SEX_SHIFT)


def month_day_of_code(code: int) -> int:
    return (code >> MONTH_DAY_SHIFT) & MONTH_DAY_MASK


@lru_cache(maxsize=16)
def _limits(thresholds: tuple[float, ...], epsilon: float) -> tuple[float, ...]:
    """Per list code (schemas.watchlist.LISTS order), the score a pair must reach; unused codes: never."""
    return tuple(t - epsilon for t in thresholds) + (float("inf"),) * (256 - len(thresholds))


@lru_cache(maxsize=512)
def _date_table(month: int, day: int) -> tuple[tuple[float, ...], ...]:
    """The date-of-birth score (features.dates.compare_dates) of a traveller born on `month`/`day`
    against an entry's date known to the year, by year gap (0..3+) and the entry's packed month/day
    (day 0: a year and month; month and day 0: a year alone). Computed by the feature itself, once
    per day of the year on first use."""
    year = 2000  # any: the score depends on the gap only
    return tuple(
        tuple(
            compare_dates((year, month, day), (year + gap, md >> 5 or None, md & 31 or None))
            if md == 0 or md >> 5
            else -1.0  # no month but a day: never packed
            for md in range(_MONTH_DAYS)
        )
        for gap in range(_GAPS)
    )


def reach_test(
    query: PreparedPerson,
    codes: array[int],
    config: MatcherConfig,
    *,
    nation_code: int | None,
    name_only_ceiling: Callable[[], float],
    epsilon: float,
) -> ReachTest:
    """A test of one slot: could the pair reach its list's threshold with an identical name?

    `nation_code` is the traveller's nationality in the index's code table (None when unknown;
    NATION_OTHER when not in the table: then only slots of unknown or untabled nationality can
    agree). `name_only_ceiling` gives the score a pair cannot exceed when neither a date of birth
    nor a document corroborates the name (scorer.name_only_ceiling: a common name is capped); it is
    asked at most once, and only when a slot needs it (most travellers' candidates never do)."""
    return ReachTest(query, codes, config, nation_code, name_only_ceiling, epsilon)


class ReachTest:
    """`reach_test` of one traveller: called with a slot (or its `reaches`, a native call in the
    compiled build). A class rather than a closure: compiled, its fields are read as plain C
    values, where a closure's variables were boxed objects read through its environment for each
    of the dozen or so candidates of every event."""

    __slots__ = ("_any_document", "_ceiling", "_codes", "_date_table", "_dob_applies", "_dob_needed",
                 "_doc_needed", "_docs_apply", "_has_table", "_heads", "_limits", "_name_only_ceiling",
                 "_qnat", "_qsex", "_qy", "_tails", "_w_dob", "_w_doc", "_w_identity", "_w_name", "_w_nat",
                 "_w_sex")

    def __init__(self, query: PreparedPerson, codes: array[int], config: MatcherConfig, nation_code: int | None,
                 name_only_ceiling: Callable[[], float], epsilon: float) -> None:
        self._codes = codes
        self._limits: tuple[float, ...] = _limits(config.list_thresholds, epsilon)
        w_name, w_dob, w_doc, w_sex, w_nat = config.feature_weights
        self._w_name: float = w_name
        self._w_dob: float = w_dob
        self._w_doc: float = w_doc
        self._w_sex: float = w_sex
        self._w_nat: float = w_nat
        # Counts only with a date of birth to the day (features/identity.py): added whenever the date
        # agrees, whatever the list and sex, which over-estimates as this test must.
        self._w_identity: float = config.weight("identity")
        self._ceiling = -1.0  # not asked yet
        self._name_only_ceiling = name_only_ceiling
        self._dob_needed: float = CORROBORATING["date_of_birth"]
        self._doc_needed: float = CORROBORATING["document"]
        self._dob_applies = bool(w_dob) and (query.dob is not None or query.year_range is not None)
        date = full_date(query.dob)
        self._has_table = date is not None
        self._date_table: tuple[tuple[float, ...], ...] = _date_table(date[1], date[2]) if date is not None else ()
        self._qy: int = date[0] if date is not None else 0
        self._docs_apply = bool(w_doc) and bool(query.documents)
        self._any_document = any(len(doc.ocr) < 3 for doc in query.documents)  # no key: any slot may share it
        heads: set[int] = set()
        tails: set[int] = set()
        for doc in query.documents:
            if len(doc.ocr) >= MIN_TYPO_LENGTH:
                head, tail = document_signature((doc,))
                heads.add(head)
                tails.add(tail)
        self._heads = heads
        self._tails = tails
        # NO_CODE (0) for none: sex and nationality codes start at 1.
        sex = SEX_CODES.get(query.sex or "") if w_sex else None
        self._qsex: int = NO_CODE if sex is None else sex
        self._qnat: int = NO_CODE if nation_code is None or not w_nat else nation_code

    def __call__(self, slot: int) -> bool:
        return self.reaches(slot)

    def reaches(self, slot: int) -> bool:
        codes = self._codes
        code = codes[2 * slot]
        total = self._w_name
        corroborated = False
        if self._dob_applies:
            hi = (code >> HIGH_SHIFT) & YEAR_MASK
            if hi:  # the entry has some date: else the feature does not apply
                lo = code & YEAR_MASK
                if not self._has_table or not lo:
                    dob = 1.0
                elif lo == hi:
                    qy = self._qy
                    gap = lo - qy if lo >= qy else qy - lo
                    row = self._date_table[gap if gap < _GAPS else _GAPS - 1]
                    dob = row[(code >> MONTH_DAY_SHIFT) & MONTH_DAY_MASK]
                else:
                    dob = year_in_range(self._qy, (lo, hi))
                total += self._w_dob * dob
                corroborated = dob >= self._dob_needed
                if dob >= 1.0:
                    total += self._w_identity
        if self._docs_apply:
            signature = codes[2 * slot + 1]
            head = signature & 0xFFFF
            if head == DOC_ANY or self._any_document:
                document = 1.0
            elif head >= _FIRST_HASH and (head in self._heads or signature >> _TAIL_SHIFT in self._tails):
                document = TYPO_SCORE
            else:
                document = 0.0  # no document, or one that can at most count against
            total += self._w_doc * document
            corroborated = corroborated or document >= self._doc_needed
        qsex = self._qsex
        if qsex != NO_CODE:
            sex = (code >> _SEX_SHIFT) & 3
            if sex:
                total += self._w_sex * (SAME_SEX if sex == qsex else OTHER_SEX)
        qnat = self._qnat
        if qnat != NO_CODE:
            nat = (code >> _NATION_SHIFT) & 0xFF
            if nat:
                total += self._w_nat * (SAME_NATIONALITY if nat in (qnat, NATION_OTHER) else OTHER_NATIONALITY)
        limit = self._limits[code >> _LIST_SHIFT]
        if total < limit:
            return False
        if corroborated:
            return True
        if self._ceiling < 0.0:
            self._ceiling = self._name_only_ceiling()
        return self._ceiling >= limit
