"""The watchlist index: entries, blocking keys (documents, phonetic name tokens), birth years.

Per entry: the entry itself as compact JSON bytes (a validated pydantic object costs many times
its compact JSON; it is rebuilt only for matches), its list, expiry and birth years in compact
arrays, its slot in the posting lists, and its prepared form (romanized name forms, parsed dates,
normalized documents), computed once at upsert.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator
from datetime import datetime

from agents.matching.blocking import postings
from agents.matching.blocking.keys import (
    NO_MONTH_DAY,
    NO_YEAR,
    birth_columns,
    birthday_keys,
    document_keys,
    name_bits,
    name_token_keys,
    pair_key,
    syllable_keys,
)
from agents.matching.blocking.postings import MAX_SLOTS, Posting
from agents.matching.blocking.prefilter import (
    DOC_NONE,
    NATION_OTHER,
    NO_CODE,
    SEX_CODES,
    document_code,
    document_signature,
    month_day_of_code,
    slot_code,
)
from agents.matching.config import MatcherConfig
from agents.matching.prepared import PreparedPerson, prepare_person
from schemas.watchlist import LISTS, WatchlistEntry

NO_LIST = 255
NO_EXPIRY = 0.0
#: The codes of an empty slot: no birth date, sex, nationality or document, and no list.
EMPTY_CODES = (
    slot_code(NO_YEAR, NO_YEAR, NO_MONTH_DAY, NO_CODE, NO_CODE, NO_LIST),
    document_code((DOC_NONE, DOC_NONE)),
)
#: Token frequencies are smoothed as if the index also held this many entries without the token.
PRIOR_ENTRIES = 1000
#: Skeleton counts `WatchlistIndex._token_df` remembers before it starts over.
DF_MEMO = 1 << 16


def stored_json(entry: WatchlistEntry) -> bytes:
    """An entry as its slot stores it (compact JSON without nulls)."""
    return WatchlistEntry.__pydantic_serializer__.to_json(entry, exclude_none=True)


def list_code(entry: WatchlistEntry) -> int:
    return LISTS.index(entry.list)


def expiry(entry: WatchlistEntry) -> float:
    """The entry's valid_until as a timestamp, NO_EXPIRY without one."""
    return entry.valid_until.timestamp() if entry.valid_until else NO_EXPIRY


class WatchlistIndex:
    """Entries by id, posting lists from blocking key to entry slots, birth years per slot.

    Name keys are "t"+skeleton; a skeleton whose posting list outgrows `max_posting` becomes
    common, and from then on every entry carrying two common skeletons also gets a pair key
    "p"+a|b, so names made only of common tokens (Nguyen Van Anh) are still found by pairs.

    Every posting list is kept ordered by birth year (entries without an exact birth year first),
    so screening a traveller born in Y reads only the entries born around Y, plus those whose year
    is unknown, in two slices found by bisection: at a million entries a common given name is
    shared by many entries but by few born within two years of the traveller.
    Posting entries carry their year and birthday with the slot (agents/matching/blocking/postings.py).
    """

    __slots__ = (
        "_codes",
        "_common",
        "_df",
        "_entries",
        "_free",
        "_ids",
        "_lists",
        "_name_bits",
        "_nation_codes",
        "_postings",
        "_prepared",
        "_sort_year",
        "_sorted",
        "_syllables",
        "_tokens",
        "_valid_until",
        "config",
        "version",
    )

    def __init__(self, config: MatcherConfig | None = None) -> None:
        self.config = config or MatcherConfig()
        self.version = 0
        self._entries: list[bytes | None] = []
        self._lists = bytearray()
        self._valid_until = array("d")
        self._sort_year = array("H")
        #: keys.name_bits of each slot's names: which skeletons it may share with a traveller.
        self._name_bits = array("Q")
        #: Two words per slot: birth years, month and day, sex, nationality, list, document signature,
        #: packed as the prefilter reads them (agents/matching/blocking/prefilter.py).
        self._codes = array("Q")
        self._nation_codes: dict[str, int] = {}
        #: False while a bulk build appends (postings are ordered once at the end: bulk_build.py).
        self._sorted = True
        self._ids: dict[str, int] = {}
        self._free: list[int] = []
        #: Blocking key -> packed entries, ordered by birth year (see postings.py). A key of one
        #: entry holds that entry's int alone: most keys are (a passport number, a rare name), and
        #: a one-entry array costs an object more per key, which adds up over a million keys
        #: (bench/results/matcher-1m.md, "one-entry keys as bare slots").
        self._postings: dict[str, Posting] = {}
        self._common: set[str] = set()
        self._prepared: list[PreparedPerson | None] = []
        #: skeleton -> (index version, entries carrying it): see `_token_df`.
        self._df: dict[str, tuple[int, int]] = {}
        #: count key of a one-syllable token -> entries carrying it (`token_bits`): the skeleton's
        #: posting list cannot tell Thi from Thu.
        self._syllables: dict[str, int] = {}
        #: (nationality, sex) ("" unknown) -> name token as written (romanized) -> entries of that
        #: nationality and sex carrying it, "" -> entries of that nationality and sex (`token_entries`):
        #: count keys and skeletons hold a name's one-letter neighbours together (Thu/Thuy, Lan/Loan
        #: share one), a token common in one nation's names can be unheard of in another's (Ding), and
        #: given names are a man's or a woman's (Huy, Thuy).
        self._tokens: dict[tuple[str, str], dict[str, int]] = {}

    # -- public API ---------------------------------------------------------------------------
    def upsert(self, entry: WatchlistEntry) -> None:
        self._upsert(entry)
        self.version += 1

    def remove(self, entry_id: str) -> bool:
        slot = self._ids.pop(entry_id, None)
        if slot is None:
            return False
        self._unindex(slot)
        self._entries[slot] = None
        self._lists[slot] = NO_LIST
        self._sort_year[slot] = NO_YEAR
        self._codes[2 * slot], self._codes[2 * slot + 1] = EMPTY_CODES
        self._name_bits[slot] = 0
        self._prepared[slot] = None
        self._free.append(slot)
        self.version += 1
        return True

    def get(self, entry_id: str) -> WatchlistEntry | None:
        slot = self._ids.get(entry_id)
        return None if slot is None else self.entry_at(slot)

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[WatchlistEntry]:
        return (WatchlistEntry.model_validate_json(e) for e in self._entries if e is not None)

    def counts_by_list(self) -> dict[str, int]:
        lists = self._lists
        return {name: n for code, name in enumerate(LISTS) if (n := lists.count(code))}

    # -- internals used by screening ------------------------------------------------------------
    def entry_at(self, slot: int) -> WatchlistEntry | None:
        raw = self._entries[slot]
        return None if raw is None else WatchlistEntry.model_validate_json(raw)

    def list_at(self, slot: int) -> str | None:
        code = self._lists[slot]
        return None if code == NO_LIST else LISTS[code]

    def expired_at(self, slot: int, at: datetime) -> bool:
        """The entry's valid_until is before `at`."""
        until = self._valid_until[slot]
        return until != NO_EXPIRY and until < at.timestamp()

    def prepared_at(self, slot: int) -> PreparedPerson | None:
        return self._prepared[slot]

    def name_bits(self) -> array[int]:
        """keys.name_bits per slot (the index's own array)."""
        return self._name_bits

    def codes(self) -> array[int]:
        """The per-slot codes the prefilter reads (the index's own array, not a copy)."""
        return self._codes

    def posting(self, key: str) -> list[int]:
        """The slots of a blocking key, ordered by birth year."""
        return postings.slots(self._postings.get(key))

    def lookup(self, key: str) -> Posting | None:
        """The packed posting of a blocking key (read it with agents.matching.blocking.postings)."""
        return self._postings.get(key)

    def packed(self, slot: int) -> int:
        """A slot as its posting entries hold it."""
        return postings.pack(self._sort_year[slot], slot, month_day_of_code(self._codes[2 * slot]))

    def is_common(self, skel: str) -> bool:
        return skel in self._common

    def token_rarity(self, skel: str) -> float:
        """1 for rare name tokens, down to ~0.2 for the most common ones (Nguyen, Wang, Aung)."""
        df = self._token_df(skel)
        return 1.0 / (1.0 + math.log10(1.0 + df / 50.0))

    def token_bits(self, key: str) -> float:
        """Information of a name token's `count_key`: -log2 of the share of entries whose name
        carries it, smoothed towards a prior share (1 in PRIOR_ENTRIES) so a small index does not
        call every token common."""
        df = self._syllables.get(key, 0) if "|" in key else self._token_df(key)
        return math.log2((len(self._ids) + PRIOR_ENTRIES) / (df + 1))

    def token_entries(self, token: str, nationality: str | None, sex: str | None) -> tuple[int, int]:
        """Entries of this nationality and sex whose name carries this very token (as romanized, in any
        of their name forms), and entries of that nationality and sex; a None nationality or sex
        counts every one. Entries whose nationality or sex is not recorded count only then."""
        counts = self._tokens.get((nationality, sex)) if nationality is not None and sex is not None else None
        if counts is not None:
            return counts.get(token, 0), counts.get("", 0)
        carrying = everyone = 0
        for (nation, recorded), counts in self._tokens.items():
            if (nationality is None or nation == nationality) and (sex is None or recorded == sex):
                carrying += counts.get(token, 0)
                everyone += counts.get("", 0)
        return carrying, everyone

    def _token_df(self, skel: str) -> int:
        """Entries carrying a name skeleton. Remembered with the index version it was counted at:
        features ask it for the same skeletons many times per event (every candidate's specificity)
        and across events, and each ask was a new "t" + skeleton string looked up in the index's
        largest dict. Read the version first, so a count taken while an update is under way (a
        retro-screening thread) is filed under the version before it, and never used after it."""
        version = self.version
        seen = self._df.get(skel)
        if seen is not None and seen[0] == version:
            return seen[1]
        df = postings.size(self._postings.get("t" + skel))
        memo = self._df
        if len(memo) >= DF_MEMO:
            memo.clear()
        memo[skel] = (version, df)
        return df

    def population_bits(self) -> float:
        """log2 of the number of entries (bits a name needs to be expected once by chance)."""
        return math.log2(max(1, len(self._ids)))

    # -- indexing -------------------------------------------------------------------------------
    def _upsert(self, entry: WatchlistEntry) -> None:
        slot = self._ids.get(entry.entry_id)
        if slot is not None:
            self._unindex(slot)
        elif self._free:
            slot = self._free.pop()
            self._ids[entry.entry_id] = slot
        else:
            slot = self._new_slot(entry.entry_id)
        self._index(slot, self._store(slot, entry))

    def _new_slot(self, entry_id: str) -> int:
        slot = len(self._entries)
        if slot >= MAX_SLOTS:
            raise OverflowError(f"a watchlist index holds at most {MAX_SLOTS:,} entries")
        self._entries.append(None)
        self._lists.append(NO_LIST)
        self._valid_until.append(NO_EXPIRY)
        self._prepared.append(None)
        self._sort_year.append(NO_YEAR)
        self._codes.extend(EMPTY_CODES)
        self._name_bits.append(0)
        self._ids[entry_id] = slot
        return slot

    def _store(self, slot: int, entry: WatchlistEntry) -> PreparedPerson:
        """Record an entry and its prepared form in its slot (not yet in any posting list)."""
        prepared = prepare_person(entry.person)
        self._store_prepared(slot, stored_json(entry), list_code(entry), expiry(entry), prepared)
        return prepared

    def _store_prepared(self, slot: int, raw: bytes, list_index: int, valid_until: float,
                        prepared: PreparedPerson) -> None:
        """Record an entry already stored as `stored_json`, `list_code`, `expiry` and prepared (by
        this process or a helper's: bulk_build.py) in its slot, not yet in any posting list."""
        self._entries[slot] = raw
        self._lists[slot] = list_index
        self._valid_until[slot] = valid_until
        self._prepared[slot] = prepared
        self._count_name_keys(prepared, 1)
        low, high, year, day = birth_columns(prepared)
        self._sort_year[slot] = year
        self._name_bits[slot] = name_bits(prepared.forms)
        sex = SEX_CODES.get(prepared.sex or "", NO_CODE)
        nation = self.nation_code(prepared.nationality) or NO_CODE
        self._codes[2 * slot] = slot_code(low, high, day, sex, nation, list_index)
        self._codes[2 * slot + 1] = document_code(document_signature(prepared.documents))

    def _count_name_keys(self, prepared: PreparedPerson, step: int) -> None:
        """Add `step` to the counts of the entry's one-syllable keys and of its tokens, each once."""
        _count(self._syllables, syllable_keys(prepared.forms), step)
        counts = self._tokens.setdefault((prepared.nationality or "", prepared.sex or ""), {})
        _count(counts, {token for form in prepared.forms for token in form.tokens} | {""}, step)

    def nation_code(self, nationality: str | None, *, add: bool = True) -> int | None:
        """The code of a nationality in the prefilter column (None when unknown); NATION_OTHER once
        the table is full, or (with add=False, for a traveller) when it is not in the table."""
        if nationality is None:
            return None
        code = self._nation_codes.get(nationality)
        if code is None:
            if not add or len(self._nation_codes) >= NATION_OTHER - 1:
                return NATION_OTHER
            code = self._nation_codes[nationality] = len(self._nation_codes) + 1
        return code

    def _keys(self, prepared: PreparedPerson) -> tuple[set[str], set[str]]:
        tokens = name_token_keys(prepared)
        common = sorted(t for t in tokens if t in self._common)
        pairs = {pair_key(a, b) for i, a in enumerate(common) for b in common[i + 1 :]}
        return tokens, pairs | document_keys(prepared) | birthday_keys(prepared)

    def _add(self, key: str, slot: int) -> int:
        return self._add_packed(key, self.packed(slot))

    def _add_packed(self, key: str, packed: int) -> int:
        posting = self._postings.get(key)
        if posting is None:
            # Not interned (nor any key of the table): each key is one string in one table, and the
            # interpreter's table of interned strings would hold millions more slots for nothing.
            self._postings[key] = packed
            return 1
        posting = postings.added(posting, packed, ordered=self._sorted)
        self._postings[key] = posting
        return postings.size(posting)

    def _index(self, slot: int, prepared: PreparedPerson) -> None:
        tokens, others = self._keys(prepared)
        for key in others:
            self._add(key, slot)
        for tok in tokens:
            size = self._add("t" + tok, slot)
            if size > self.config.max_posting and tok not in self._common:
                self._become_common(tok, slot, prepared)

    def _become_common(self, tok: str, current: int, current_prepared: PreparedPerson) -> None:
        """Back-fill pair keys for the entries of a skeleton that just became common."""
        self._common.add(tok)
        for slot in postings.slots(self._postings["t" + tok]):
            prepared = current_prepared if slot == current else self._prepared[slot]
            if prepared is None:
                continue
            for other in name_token_keys(prepared):
                if other != tok and other in self._common:
                    self._add(pair_key(tok, other), slot)

    def _unindex(self, slot: int) -> None:
        prepared = self.prepared_at(slot)
        if prepared is None:
            return
        self._count_name_keys(prepared, -1)
        tokens, others = self._keys(prepared)
        packed = self.packed(slot)  # before the slot's columns change
        for key in [*others, *("t" + t for t in tokens)]:
            posting = self._postings.get(key)
            if posting is None:
                continue
            left = postings.removed(posting, packed)
            if left is None:
                del self._postings[key]
            elif left is not posting:
                self._postings[key] = left


def _count(counts: dict[str, int], keys: set[str], step: int) -> None:
    """Add `step` to each key's count; a count that reaches 0 is dropped."""
    for key in keys:
        n = counts.get(key, 0) + step
        if n > 0:
            counts[key] = n
        else:
            counts.pop(key, None)
