"""Many keyed messages in one Kafka record (agents/patterns/bundles.py): read back exactly, in order, split
under a size, and refused when malformed."""

from __future__ import annotations

import pytest

from agents.patterns import bundles

ITEMS = [(b"THA-MSI", b'{"a": 1}\n'), (b"", b""), (b"LAO-HXY", b"\x00\xff tab\t newline\n"), (b"THA-MSI", b"2")]


def test_a_bundle_reads_back_its_items_in_order_whatever_bytes_they_hold() -> None:
    value = bundles.encode(ITEMS)
    assert bundles.is_bundle(value)
    assert bundles.decode(value) == ITEMS
    assert bundles.unpack(b"k", value) == ITEMS


def test_a_record_that_is_not_a_bundle_is_its_own_one_message() -> None:
    assert bundles.unpack(b"THA-MSI", b'{"tick": "2026-06-01T08:00:00+00:00"}') == [
        (b"THA-MSI", b'{"tick": "2026-06-01T08:00:00+00:00"}')]
    assert bundles.unpack(None, b"R1\n...") == [(b"", b"R1\n...")]


@pytest.mark.parametrize("bad", [
    b"B1\n", b"B1\nnot json\n", b'B1\n{"a": 1}\n', b"B1\n[[1, 2]]\nab", b"B1\n[[1, 2]]\nabcd",
    b"B1\n[[-1, 2]]\nab", b'B1\n[[1, "2"]]\nabc', b"B1\n[[1, 2, 3]]\nabc",
])
def test_a_malformed_bundle_is_refused(bad: bytes) -> None:
    with pytest.raises(bundles.BadBundle):
        bundles.decode(bad)


def test_items_are_split_by_partition_and_key_keeping_their_order() -> None:
    parts = bundles.by_partition(ITEMS, lambda key: len(key) % 2)
    assert parts == {1: [ITEMS[0], ITEMS[2], ITEMS[3]], 0: [ITEMS[1]]}
    assert bundles.by_key(ITEMS) == {b"THA-MSI": [b'{"a": 1}\n', b"2"], b"": [b""],
                                     b"LAO-HXY": [b"\x00\xff tab\t newline\n"]}


def test_packing_keeps_each_bundle_under_the_limit_and_loses_nothing() -> None:
    items = [(b"k%d" % i, b"x" * (100 + i)) for i in range(50)] + [(b"big", b"y" * 5_000)]
    packed = bundles.pack(items, max_bytes=1_000)
    assert [item for value in packed for item in bundles.decode(value)] == items
    assert all(len(value) <= 1_000 + 200 for value in packed[:-1]) and len(packed) > 5
    assert bundles.decode(packed[-1]) == [(b"big", b"y" * 5_000)]  # too large for any bundle: alone
    assert bundles.pack([], 1_000) == []
