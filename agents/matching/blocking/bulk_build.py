"""Building a watchlist index from many entries at once, and the keys a helper process files for it.

`build_index` fills an empty index in bulk: entries are stored slot after slot, their blocking keys
filed unsorted, the pair keys of common skeletons added once at the end, and every posting list
ordered by birth year once. The result is the index one `WatchlistIndex.upsert` per entry reaches
(tests/unit/test_key_helper.py, tests/unit/test_matching_prefilter.py), built in a fraction of the
time. `filed_keys` is the share a helper process can do on another core (agents/key_helper.py).
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import chain
from typing import TypeAlias

from agents.matching.blocking import postings
from agents.matching.blocking.index import WatchlistIndex
from agents.matching.blocking.keys import birth_columns, birthday_keys, document_keys, name_token_keys, pair_key
from agents.matching.blocking.postings import Posting
from agents.matching.config import MatcherConfig
from agents.matching.prepared import PreparedPerson, prepare_person
from schemas.watchlist import WatchlistEntry

#: Blocking keys filed for the first slots of a bulk build (see `filed_keys`): the number of
#: entries, then (key, posting) pairs by bare name skeleton, then by every other key, read in order.
FiledKeys: TypeAlias = "tuple[int, Iterable[tuple[str, Posting]], Iterable[tuple[str, Posting]]]"

#: Iterations of a long compiled loop between two offers of the GIL: short enough that the event loop
#: and the Kafka heartbeat thread keep running during a build (bench/gil_stalls.py measures the stalls).
YIELD_EVERY = 1024


def build_index(
    entries: Iterable[WatchlistEntry],
    config: MatcherConfig,
    *,
    long_lived: bool = False,
    helped: Iterable[WatchlistEntry] = (),
    helped_keys: Callable[[], FiledKeys | None] | None = None,
) -> WatchlistIndex:
    """Build an index from many entries at once (one version step for the whole batch).

    `long_lived`: the process keeps this index for its lifetime (a worker's watchlist), so it is
    frozen out of cyclic garbage collection once built (see `_gc_paused`). `helped` entries take
    the first slots, and their blocking keys come from `helped_keys` when it returns them for
    exactly those slots (see `filed_keys`); the index is the same either way."""
    index = WatchlistIndex(config)
    index._sorted = False
    with _gc_paused(freeze=long_lived):
        _bulk_load(index, entries, helped, helped_keys)
        _order_postings(index)
    index.version += 1
    return index


def filed_keys(entries: Iterable[WatchlistEntry]) -> FiledKeys | None:
    """What a bulk build files under blocking keys for `entries` as the first slots of a fresh
    index: (number of entries, (skeleton, posting) pairs, (other key, posting) pairs), each posting
    unsorted. None when an entry id repeats (the build then leaves its bulk mode).

    A helper process runs this on its own copy of the raw watchlist while the worker prepares
    the same entries' slots (agents/key_helper.py); `build_index(helped_keys=...)` takes it."""
    by_skeleton: dict[str, Posting] = {}
    others: dict[str, Posting] = {}

    def add_other(key: str, packed: int) -> None:
        others[key] = postings.added(others.get(key), packed, ordered=False)

    seen: set[str] = set()
    slot = 0
    for entry in entries:
        if entry.entry_id in seen:
            return None
        seen.add(entry.entry_id)
        prepared = prepare_person(entry.person)
        _lo, _hi, year, day = birth_columns(prepared)
        _file_keys(prepared, postings.pack(year, slot, day), by_skeleton, add_other)
        slot += 1
    return slot, by_skeleton.items(), others.items()


def _bulk_load(index: WatchlistIndex, entries: Iterable[WatchlistEntry], helped: Iterable[WatchlistEntry] = (),
               helped_keys: Callable[[], FiledKeys | None] | None = None) -> None:
    """Fill an empty, unsorted index with `helped` then `entries`, leaving the pair keys to
    `_end_bulk_load`. The blocking keys of the `helped` entries come from `helped_keys` (a
    helper process files them while this one prepares every slot: agents/key_helper.py), or
    are filed here when it has none for exactly those slots.

    Without removals, the state this reaches is the one `upsert` one entry at a time reaches:
    a skeleton is common exactly when its final posting list outgrows `max_posting` (lists only
    grow), and every pair posting list ends up in slot order (it starts with the back-fill, in
    slot order, when its second skeleton becomes common, then grows with each later entry).
    Computing pairs once at the end saves the per-entry pair sets and the back-fills' second
    computation of name keys. Token postings are kept by bare skeleton until then, so no
    "t"-prefixed key is built per entry. A repeated entry id (an update within the batch) ends
    the bulk mode: the pairs are added and the rest goes through `upsert`.
    """
    by_skeleton: dict[str, Posting] = {}
    remaining = iter(helped)
    for entry in remaining:
        if entry.entry_id in index._ids:
            _file_stored(index, len(index._entries), by_skeleton)
            _end_with_upserts(index, by_skeleton, chain([entry], remaining, entries))
            return
        index._store(index._new_slot(entry.entry_id), entry)
    helped_end = len(index._entries)
    remaining = iter(entries)
    for entry in remaining:
        if entry.entry_id in index._ids:
            _file_helped(index, helped_end, helped_keys, by_skeleton)
            _end_with_upserts(index, by_skeleton, chain([entry], remaining))
            return
        slot = index._new_slot(entry.entry_id)
        _file_keys(index._store(slot, entry), index.packed(slot), by_skeleton, index._add_packed)
    _file_helped(index, helped_end, helped_keys, by_skeleton)
    _end_bulk_load(index, by_skeleton)


def _file_stored(index: WatchlistIndex, end: int, by_skeleton: dict[str, Posting]) -> None:
    """File the slots 0..end, stored without their blocking keys (the helper's share)."""
    for slot in range(end):
        prepared = index._prepared[slot]
        if prepared is not None:
            _file_keys(prepared, index.packed(slot), by_skeleton, index._add_packed)


def _file_helped(index: WatchlistIndex, end: int, helped_keys: Callable[[], FiledKeys | None] | None,
                 by_skeleton: dict[str, Posting]) -> None:
    """The blocking keys of slots 0..end: the helper's when it filed exactly those slots (it
    numbers them from 0, as this empty index did), else filed here."""
    filed = helped_keys() if helped_keys is not None and end > 0 else None
    if filed is None or filed[0] != end:
        _file_stored(index, end, by_skeleton)
        return
    _count, skeletons, others = filed
    pace = _GilOffers()
    for tok, posting in skeletons:
        pace.tick()
        by_skeleton[tok] = postings.joined(by_skeleton.get(tok), posting)
    stored = index._postings
    for key, posting in others:
        pace.tick()
        existing = stored.get(key)
        if existing is None:
            stored[sys.intern(key)] = posting
        else:
            stored[key] = postings.joined(existing, posting)


def _end_with_upserts(index: WatchlistIndex, by_skeleton: dict[str, Posting],
                      rest: Iterable[WatchlistEntry]) -> None:
    _end_bulk_load(index, by_skeleton)
    for later in rest:
        index._upsert(later)


def _end_bulk_load(index: WatchlistIndex, by_skeleton: dict[str, Posting]) -> None:
    """Move the token postings under their "t" keys, mark the common skeletons, add the pairs.

    Each is popped as it moves: the bare skeletons of joined tokens are then freed while their
    "t" keys are made, rather than a few million of both being alive at the build's peak."""
    limit = index.config.max_posting
    common_of: dict[int, list[str]] = {}
    pace = _GilOffers()
    while by_skeleton:
        tok, posting = by_skeleton.popitem()
        pace.tick()
        index._postings[sys.intern("t" + tok)] = posting
        if postings.size(posting) > limit:
            index._common.add(tok)
            for slot in postings.slots(posting):
                pace.tick()
                common_of.setdefault(slot, []).append(tok)
    for slot in sorted(common_of):
        pace.tick()
        common = common_of[slot]
        for i, a in enumerate(common):
            for b in common[i + 1 :]:
                index._add(pair_key(a, b), slot)


def _order_postings(index: WatchlistIndex) -> None:
    """Order every posting list by birth year (after a bulk build)."""
    stored = index._postings
    pace = _GilOffers()
    for key, posting in stored.items():
        pace.tick()
        if not isinstance(posting, int):
            stored[key] = postings.ordered(posting)
    index._sorted = True


def _file_keys(prepared: PreparedPerson, packed: int, by_skeleton: dict[str, Posting],
               add_other: Callable[[str, int], object]) -> None:
    """File one entry under its blocking keys, unsorted: name tokens by bare skeleton into
    `by_skeleton`, documents and birthdays through `add_other`."""
    for key in document_keys(prepared) | birthday_keys(prepared):
        add_other(key, packed)
    for tok in name_token_keys(prepared):
        by_skeleton[tok] = postings.added(by_skeleton.get(tok), packed, ordered=False)


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
