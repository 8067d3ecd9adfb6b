"""Building a watchlist index from many entries at once, and the share of it a helper process builds.

`build_index` fills an empty index in bulk: entries are stored slot after slot, their blocking keys
filed unsorted, the pair keys of common skeletons added once at the end, and every posting list
ordered by birth year once. The result is the index one `WatchlistIndex.upsert` per entry reaches
(tests/unit/test_key_helper.py, tests/unit/test_matching_prefilter.py), built in a fraction of the
time. `prepared_share` is the part a helper process can do on another core for the last entries of
a build (agents/key_helper.py): it prepares them (name forms, dates, documents: most of a build's
time) and files their keys, and the build stores what it hands over instead of doing it again.
"""

from __future__ import annotations

import gc
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import chain
from typing import TypeAlias

from agents.matching.blocking import postings
from agents.matching.blocking.index import WatchlistIndex, expiry, list_code, stored_json
from agents.matching.blocking.keys import birth_columns, birthday_keys, document_keys, name_token_keys, pair_key
from agents.matching.blocking.postings import SLOT_SHIFT, Posting
from agents.matching.blocking.tally import sort_packed
from agents.matching.config import MatcherConfig
from agents.matching.names import NameForm
from agents.matching.prepared import PartialDob, PreparedDocument, PreparedPerson, prepare_person
from schemas.watchlist import WatchlistEntry

#: A prepared person as plain values (tuples, strings, ints: what marshal carries between processes):
#: forms as (tokens, skeletons), date of birth, birth-year range, sex, nationality, documents as
#: (kind, number, country, ocr), latin.
PlainPerson: TypeAlias = (
    "tuple[tuple[tuple[tuple[str, ...], tuple[str, ...]], ...], PartialDob | None, tuple[int, int] | None, "
    "str | None, str | None, tuple[tuple[str, str, str | None, str], ...], bool]"
)
#: One slot of a helper's share: entry id, stored JSON, list code, expiry, prepared person.
SlotRecord: TypeAlias = "tuple[str, bytes, int, float, PlainPerson]"
#: A helper's share of a build, its slots numbered from 0: (number of slots, their records in slot
#: order, then (key, posting) pairs by name token key ("t" + skeleton), then by every other key), read in that order.
PreparedShare: TypeAlias = (
    "tuple[int, Iterable[SlotRecord], Iterable[tuple[str, Posting]], Iterable[tuple[str, Posting]]]"
)

#: Iterations of a long compiled loop between two offers of the GIL: short enough that the event loop
#: and the Kafka heartbeat thread keep running during a build (bench/gil_stalls.py measures the stalls).
YIELD_EVERY = 1024


def build_index(
    entries: Iterable[WatchlistEntry],
    config: MatcherConfig,
    *,
    long_lived: bool = False,
    rest: Iterable[WatchlistEntry] = (),
    rest_share: Callable[[], PreparedShare | None] | None = None,
) -> WatchlistIndex:
    """Build an index from many entries at once (one version step for the whole batch).

    `long_lived`: the process keeps this index for its lifetime (a worker's watchlist), so it is
    frozen out of cyclic garbage collection once built (see `_gc_paused`). `rest` entries take the
    slots after `entries`; `rest_share`, asked once `entries` are in, may hand them over prepared
    and filed by a helper process (`prepared_share`), and then `rest` is never read. The index is
    the same either way."""
    index = WatchlistIndex(config)
    index._sorted = False
    with _gc_paused(freeze=long_lived):
        _bulk_load(index, entries, rest, rest_share)
        _order_postings(index)
    index.version += 1
    return index


def prepared_share(entries: Iterable[WatchlistEntry]) -> PreparedShare | None:
    """What a bulk build stores and files for `entries` as the first slots of a fresh index: the
    records of their slots and their blocking keys (`PreparedShare`, postings unsorted). None when an
    entry id repeats (the build then leaves its bulk mode, which a helper cannot do).

    A helper process runs this on its own copy of the raw values of a build's last entries while
    the worker builds the first ones (agents/key_helper.py); `build_index(rest_share=...)` takes it
    and moves its slots up to follow the worker's own."""
    by_token: dict[str, Posting] = {}
    others: dict[str, Posting] = {}

    def add_other(key: str, packed: int) -> None:
        others[key] = postings.added(others.get(key), packed, ordered=False)

    seen: set[str] = set()
    records: list[SlotRecord] = []
    for entry in entries:
        if entry.entry_id in seen:
            return None
        seen.add(entry.entry_id)
        prepared = prepare_person(entry.person)
        _lo, _hi, year, day = birth_columns(prepared)
        _file_keys(prepared, postings.pack(year, len(records), day), by_token, add_other)
        records.append((entry.entry_id, stored_json(entry), list_code(entry), expiry(entry), plain_person(prepared)))
    return len(records), records, by_token.items(), others.items()


def plain_person(prepared: PreparedPerson) -> PlainPerson:
    """A prepared person as plain values (`PlainPerson`)."""
    return (
        tuple((form.tokens, form.skeletons) for form in prepared.forms),
        prepared.dob,
        prepared.year_range,
        prepared.sex,
        prepared.nationality,
        tuple((doc.kind, doc.number, doc.country, doc.ocr) for doc in prepared.documents),
        prepared.latin,
    )


class _Unplain:
    """Rebuilds prepared persons from plain values, sharing equal name forms, dates and ranges
    between entries as preparing them here would (through its caches): a million prepared entries
    hold far fewer distinct ones. Strings arrive interned (marshal keeps it)."""

    __slots__ = ("_dobs", "_forms", "_ranges")

    def __init__(self) -> None:
        self._forms: dict[tuple[str, ...], NameForm] = {}
        self._dobs: dict[PartialDob, PartialDob] = {}
        self._ranges: dict[tuple[int, int], tuple[int, int]] = {}

    def person(self, plain: PlainPerson) -> PreparedPerson:
        plain_forms, dob, year_range, sex, nationality, plain_docs, latin = plain
        forms: list[NameForm] = []
        for tokens, skeletons in plain_forms:
            form = self._forms.get(tokens)
            if form is None:
                form = self._forms[tokens] = NameForm(tokens, skeletons)
            forms.append(form)
        if dob is not None:
            dob = self._dobs.setdefault(dob, dob)
        if year_range is not None:
            year_range = self._ranges.setdefault(year_range, year_range)
        docs = tuple(PreparedDocument(kind, number, country, ocr) for kind, number, country, ocr in plain_docs)
        return PreparedPerson(tuple(forms), dob, year_range, sex, nationality, docs, latin)


def _bulk_load(index: WatchlistIndex, entries: Iterable[WatchlistEntry], rest: Iterable[WatchlistEntry] = (),
               rest_share: Callable[[], PreparedShare | None] | None = None) -> None:
    """Fill an empty, unsorted index with `entries` then `rest`, leaving the pair keys to
    `_end_bulk_load`. The slots of `rest` come from `rest_share` when it has them (a helper process
    prepared and filed them while this one built the first slots: agents/key_helper.py), else are
    built here from `rest`.

    Without removals, the state this reaches is the one `upsert` one entry at a time reaches:
    a skeleton is common exactly when its final posting list outgrows `max_posting` (lists only
    grow), and every pair posting list ends up in slot order (it starts with the back-fill, in
    slot order, when its second skeleton becomes common, then grows with each later entry).
    Computing pairs once at the end saves the per-entry pair sets and the back-fills' second
    computation of name keys. Token postings are kept apart from the other keys until then
    (`_end_bulk_load`). A repeated entry id (an update within the batch) ends
    the bulk mode: the pairs are added and the rest goes through `upsert`.
    """
    by_token: dict[str, Posting] = {}
    remaining = iter(entries)
    for entry in remaining:
        if entry.entry_id in index._ids:
            _end_with_upserts(index, by_token, chain([entry], remaining, rest))
            return
        slot = index._new_slot(entry.entry_id)
        _file_keys(index._store(slot, entry), index.packed(slot), by_token, index._add_packed)
    share = rest_share() if rest_share is not None else None
    if share is not None:
        _take_share(index, share, by_token)
        return
    remaining = iter(rest)
    for entry in remaining:
        if entry.entry_id in index._ids:
            _end_with_upserts(index, by_token, chain([entry], remaining))
            return
        slot = index._new_slot(entry.entry_id)
        _file_keys(index._store(slot, entry), index.packed(slot), by_token, index._add_packed)
    _end_bulk_load(index, by_token)


def _take_share(index: WatchlistIndex, share: PreparedShare, by_token: dict[str, Posting]) -> None:
    """Store a helper's slots after the ones built here, then merge its keys moved up to them. An
    entry id of the share already in the index ends the bulk mode as building it here would: the
    share's slots stored so far are filed here, the rest is upserted (from its stored JSON)."""
    count, records, skeletons, others = share
    first = len(index._entries)
    if not _store_share(index, count, records, by_token):
        return
    shift = first << SLOT_SHIFT
    pace = _GilOffers()
    for key, posting in skeletons:
        pace.tick()
        by_token[key] = postings.joined(by_token.get(key), _shifted(posting, shift))
    keyed = index._postings
    for key, posting in others:
        pace.tick()
        keyed[key] = postings.joined(keyed.get(key), _shifted(posting, shift))
    _end_bulk_load(index, by_token)


def _store_share(index: WatchlistIndex, count: int, records: Iterable[SlotRecord],
                 by_token: dict[str, Posting]) -> bool:
    """Store a share's slots; False when an entry id repeats (the bulk mode then ended here). A
    function of its own so that its table of shared name forms is gone before the keys are merged
    and the pairs added (the build's peak of memory)."""
    first = len(index._entries)
    unplain = _Unplain()
    pace = _GilOffers()
    stored = 0
    remaining = iter(records)
    for entry_id, raw, list_index, valid_until, plain in remaining:
        pace.tick()
        if entry_id in index._ids:
            _file_stored(index, first, len(index._entries), by_token)
            _end_with_upserts(index, by_token, chain(
                [WatchlistEntry.model_validate_json(raw)],
                (WatchlistEntry.model_validate_json(r[1]) for r in remaining)))
            return False
        slot = index._new_slot(entry_id)
        index._store_prepared(slot, raw, list_index, valid_until, unplain.person(plain))
        stored += 1
    if stored != count:
        raise ValueError("a helper's share holds another number of slots than it says")
    return True


def _shifted(posting: Posting, shift: int) -> Posting:
    """A posting of slots numbered from 0, moved up by a number of slots (`shift`, packed)."""
    if isinstance(posting, int):
        return posting + shift
    if shift == 0:
        return posting
    return array("Q", [packed + shift for packed in posting])


def _file_stored(index: WatchlistIndex, start: int, end: int, by_token: dict[str, Posting]) -> None:
    """File the slots start..end, stored without their blocking keys."""
    for slot in range(start, end):
        prepared = index._prepared[slot]
        if prepared is not None:
            _file_keys(prepared, index.packed(slot), by_token, index._add_packed)


def _end_with_upserts(index: WatchlistIndex, by_token: dict[str, Posting],
                      rest: Iterable[WatchlistEntry]) -> None:
    _end_bulk_load(index, by_token)
    for later in rest:
        index._upsert(later)


def _end_bulk_load(index: WatchlistIndex, by_token: dict[str, Posting]) -> None:
    """Make the token postings (filed under their "t" keys) the index's own, mark the common
    skeletons, add the pairs.

    The token keys are most of the index's keys, so their table becomes the index's, and the fewer
    other keys (documents, birthdays) are moved into it: moving every token key into the index's table
    instead held two tables of millions of slots at once, at the build's peak of memory."""
    limit = index.config.max_posting
    common: list[tuple[str, Posting]] = []
    pace = _GilOffers()
    for key, posting in by_token.items():
        pace.tick()
        if postings.size(posting) > limit:
            tok = key[1:]
            index._common.add(tok)
            common.append((tok, posting))
    others = index._postings
    for key, posting in others.items():  # documents, birthdays: never a "t" key
        pace.tick()
        by_token[key] = posting
    index._postings = by_token
    others.clear()
    _add_common_pairs(index, common, pace)


#: log2 of the slots grouped together when the pairs are added (`_add_common_pairs`).
_PAIR_BUCKET_BITS = 16
_COMMON_BITS = 32
_COMMON_MASK = (1 << _COMMON_BITS) - 1


def _add_common_pairs(index: WatchlistIndex, common: list[tuple[str, Posting]], pace: _GilOffers,
                      bucket_bits: int = _PAIR_BUCKET_BITS) -> None:
    """Add the pair keys of every slot that carries two or more of the `common` skeletons (with their
    postings), slot after slot, so that every pair posting list is in slot order.

    Each (slot, common skeleton) is kept as one 8-byte number in an array per range of slots, and the
    numbers are grouped by slot one range at a time: a list of skeletons per slot for the whole index
    would be the largest thing alive at the end of a big build (the worker's peak of memory).

    A pair is filed under the numbers of its two skeletons until every slot is done, and only then
    under its "p" key: a big index files millions of pairs under a few tens of thousands of keys, and
    making each key's string and looking it up among the index's millions of keys, once per pair
    filed, was most of this step's time. The postings and their keys come out as before."""
    buckets: dict[int, array[int]] = {}
    for number, (_tok, posting) in enumerate(common):
        for packed in (posting,) if isinstance(posting, int) else posting:
            pace.tick()
            slot = postings.slot_of(packed)
            bucket = buckets.get(slot >> bucket_bits)
            if bucket is None:
                bucket = buckets[slot >> bucket_bits] = array("Q")
            bucket.append((slot << _COMMON_BITS) | number)
    width = len(common)
    pairs: dict[int, Posting] = {}  # first number * width + second number -> the pair's posting
    for key in sorted(buckets):
        codes = sorted(buckets.pop(key))
        start = 0
        while start < len(codes):
            slot = codes[start] >> _COMMON_BITS
            end = start + 1
            while end < len(codes) and codes[end] >> _COMMON_BITS == slot:
                end += 1
            pace.tick()
            if end - start > 1:
                packed = index.packed(slot)
                for i in range(start, end - 1):
                    row = (codes[i] & _COMMON_MASK) * width
                    for j in range(i + 1, end):
                        pair = row + (codes[j] & _COMMON_MASK)
                        pairs[pair] = postings.added(pairs.get(pair), packed, ordered=False)
            start = end
    keyed = index._postings
    for pair, posting in pairs.items():  # in the order the pairs were first filed, as before
        pace.tick()
        pkey = pair_key(common[pair // width][0], common[pair % width][0])
        # none is there in a bulk build; were one, it would keep its entries
        keyed[pkey] = postings.joined(keyed.get(pkey), posting)


def _order_postings(index: WatchlistIndex) -> None:
    """Order every posting list by birth year (after a bulk build).

    Each array is sorted where it is (`tally.sort_packed`, without an int object per entry), then
    copied to an array of just its length: a bulk build's arrays grew by appending, with room to spare."""
    stored = index._postings
    pace = _GilOffers()
    for key, posting in stored.items():
        pace.tick()
        if not isinstance(posting, int):
            sort_packed(posting)
            stored[key] = array("Q", posting)
    index._sorted = True


def _file_keys(prepared: PreparedPerson, packed: int, by_token: dict[str, Posting],
               add_other: Callable[[str, int], object]) -> None:
    """File one entry under its blocking keys, unsorted: name tokens under their "t" keys into
    `by_token`, documents and birthdays through `add_other`."""
    for key in document_keys(prepared) | birthday_keys(prepared):
        add_other(key, packed)
    for tok in name_token_keys(prepared):
        key = "t" + tok
        by_token[key] = postings.added(by_token.get(key), packed, ordered=False)


class _GilOffers:
    """Offers the GIL every YIELD_EVERY ticks, counted across all the loops it is ticked in.

    Compiled code never gives it up on its own, and the end of a bulk build loops over millions of
    keys: without this, the worker's event loop and the Kafka client's heartbeat thread stall for
    seconds while a watchlist is indexed off the loop."""

    __slots__ = ("_left",)

    def __init__(self) -> None:
        self._left = YIELD_EVERY

    def tick(self) -> None:
        self._left -= 1
        if self._left == 0:
            self._left = YIELD_EVERY
            time.sleep(0)  # releases the GIL; a thread waiting for it takes it


@contextmanager
def _gc_paused(freeze: bool) -> Iterator[None]:
    """Cyclic garbage collection paused while an index is built: the index is millions of objects
    without reference cycles, and every full collection would walk all of them. With `freeze`,
    everything allocated so far is then exempted from it (`gc.freeze`), so full collections while
    screening do not walk the index either; reference counting still frees an index that is
    replaced."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
