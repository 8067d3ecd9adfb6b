"""The watchlist as every worker holds it: decoded from the compacted topic, indexed, swapped whole.

No Kafka: `build_from_records` turns topic records (key, value) into a fresh index with compaction
semantics (last value per key wins, a null value removes), `WatchlistStore.apply` keeps it current.
A big build may share its work with a helper process (agents/key_helper.py); it reads the Thai words
of its values ahead, in batches (agents/matching/scripts/thai_ahead.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import structlog

from agents.decode import Invalid, decode_entry
from agents.key_helper import KeyHelper, helped_count
from agents.matching import MatcherConfig, WatchlistIndex, build_index
from agents.matching.blocking.bulk_build import PreparedShare
from agents.matching.scripts.thai_ahead import reading_ahead
from schemas import WatchlistEntry

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Upserted:
    entry: WatchlistEntry
    previous: WatchlistEntry | None = None


@dataclass(frozen=True, slots=True)
class Removed:
    entry_id: str
    existed: bool


WatchlistChange = Upserted | Removed | Invalid


def compact_into(latest: dict[bytes, bytes], records: Iterable[tuple[bytes | None, bytes | None]]) -> None:
    """Compaction semantics: the last value per key wins; a null value (tombstone) removes the key."""
    for key, value in records:
        if key is None:
            continue
        if value is None:
            latest.pop(key, None)
        else:
            latest[key] = value


def latest_values(records: Iterable[tuple[bytes | None, bytes | None]]) -> dict[bytes, bytes]:
    latest: dict[bytes, bytes] = {}
    compact_into(latest, records)
    return latest


def build_from_latest(latest: dict[bytes, bytes], config: MatcherConfig,
                      *, helper: bool = False) -> tuple[WatchlistIndex, int]:
    """A fresh index from the compacted values; returns (index, number of invalid records skipped).

    Consumes `latest`: each raw value is dropped from it as soon as its entry is indexed (or handed
    to the helper and built there), so the raw watchlist (hundreds of MB at a million entries) and
    the index never sit in memory in full together, nor do a million validated models. `helper`: a
    big build leaves its last entries to a helper process, on another core (agents/key_helper.py).
    """
    invalid = [0]
    keys = list(latest)

    def valid_entries(part: list[bytes]) -> Iterator[WatchlistEntry]:
        for key in part:
            decoded = decode_entry(latest.pop(key))
            if isinstance(decoded, Invalid):
                invalid[0] += 1
            else:
                yield decoded

    cut = len(keys) - helped_count(len(keys)) if helper else len(keys)
    started = time.monotonic()
    head, tail = keys[:cut], keys[cut:]
    assistant = KeyHelper.start([latest[key] for key in tail]) if tail else None
    if assistant is None:
        with reading_ahead(latest.values()):
            return build_index(valid_entries(keys), config, long_lived=True), invalid[0]

    def tail_share() -> PreparedShare | None:
        # Waits as long again as the worker's own part took: a helper that slow is not helping.
        share = assistant.result(timeout_s=max(30.0, time.monotonic() - started))
        if share is not None:
            invalid[0] += assistant.invalid
            for key in tail:  # built by the helper: the raw values go now, not with the build
                del latest[key]
        return share

    try:
        # The helper reads the Thai words of its own values: the two cores read theirs at once.
        with reading_ahead(latest[key] for key in head):
            index = build_index(valid_entries(head), config, long_lived=True,
                                rest=valid_entries(tail), rest_share=tail_share)
    finally:
        assistant.close()
    log.info("watchlist.build_helper", values=len(keys), given=len(tail), delivered=assistant.delivered,
             waited_s=round(assistant.waited_s, 2), helper_peak_rss_mib=round(assistant.peak_rss_mib))
    return index, invalid[0]


def build_from_records(records: Iterable[tuple[bytes | None, bytes | None]],
                       config: MatcherConfig) -> tuple[WatchlistIndex, int]:
    """A fresh index from the topic's records (compaction applied); returns (index, invalid count)."""
    return build_from_latest(latest_values(records), config)


@dataclass
class WatchlistStore:
    """Owns the current index. Replaced whole after a bulk (re)build; updated in place between events.

    All mutation happens on the event loop between two `await`s, so a screening call always sees
    one consistent version.
    """

    config: MatcherConfig
    index: WatchlistIndex = field(init=False)
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.index = build_index([], self.config)

    def replace(self, index: WatchlistIndex) -> None:
        self.index = index
        self.ready.set()

    def apply(self, key: bytes | None, value: bytes | None) -> WatchlistChange:
        if key is None:
            return Invalid("watchlist record without a key (entry_id)")
        if value is None:
            entry_id = key.decode("utf-8", "replace")
            return Removed(entry_id, self.index.remove(entry_id))
        decoded = decode_entry(value)
        if isinstance(decoded, Invalid):
            return decoded
        if decoded.entry_id != key.decode("utf-8", "replace"):
            return Invalid("record key differs from entry_id")
        previous = self.index.get(decoded.entry_id)
        self.index.upsert(decoded)
        return Upserted(decoded, previous)
