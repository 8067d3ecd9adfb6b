"""The watchlist index build from topic records is pure: compaction semantics, tested without Kafka."""

from __future__ import annotations

from agents.matching import MatcherConfig
from agents.watchlist import Invalid, Removed, Upserted, WatchlistStore, build_from_records
from tests.factories import entry_json


def record(entry_id: str, name: str, list_name: str = "suspect") -> tuple[bytes, bytes]:
    return entry_id.encode(), entry_json(entry_id, {"full_name": name, "date_of_birth": "1980-01-01"}, list=list_name,
                                         source_agency="ATPD", case_ref=f"C-{entry_id}", priority="medium")


def test_last_value_wins_and_tombstones_remove() -> None:
    records = [record("A", "Somchai Srisuk"), record("B", "Malee Thongdee", "missing_person"),
               record("A", "Somchai Srisook"), (b"B", None), record("C", "Wirat Boonma"),
               (b"D", b"{not json"), (None, b"{}")]
    index, invalid = build_from_records(records, MatcherConfig())
    assert len(index) == 2
    assert invalid == 1
    entry = index.get("A")
    assert entry is not None and entry.person.full_name == "Somchai Srisook"
    assert index.get("B") is None
    assert index.counts_by_list().get("suspect") == 2 and not index.counts_by_list().get("missing_person")


def test_store_applies_changes_and_counts_versions() -> None:
    store = WatchlistStore(MatcherConfig())
    index, _ = build_from_records([record("A", "Somchai Srisuk")], MatcherConfig())
    store.replace(index)
    assert store.ready.is_set()
    version = store.index.version
    first = store.apply(*record("B", "Malee Thongdee"))
    assert isinstance(first, Upserted) and first.previous is None
    again = store.apply(*record("B", "Malee Thongdii"))
    assert isinstance(again, Upserted) and again.previous is not None
    assert again.previous.person.full_name == "Malee Thongdee"
    removed = store.apply(b"A", None)
    assert removed == Removed("A", True)
    assert store.apply(b"nope", None) == Removed("nope", False)
    assert isinstance(store.apply(b"X", b"[]"), Invalid)
    key_mismatch = store.apply(b"other-key", record("Z", "Z Z")[1])
    assert isinstance(key_mismatch, Invalid)
    assert len(store.index) == 1 and store.index.version > version
