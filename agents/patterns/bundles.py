"""Many keyed messages in one Kafka record: how the pattern stage's hops carry crossings and trip records.

Every record a worker sends or reads through Kafka costs it far more than a step of the detectors, and
the stage has two hops (crossings to their checkpoint, trip records to their person). So a hop carries,
per partition, one record holding every message bound for that partition, in the order they were made.
The consumer handles each key's messages in that order and writes each key's state once.

Format B1:

    B1
    [[key length, value length], ...]     (JSON, one pair per message)
    <the keys and values, concatenated in that order>

Lengths, not separators, because a value may be any bytes (a crossing's JSON may hold newlines).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import orjson

FORMAT = b"B1"


class BadBundle(ValueError):
    """Not a bundle of this format, or one cut short."""


def encode(items: Sequence[tuple[bytes, bytes]]) -> bytes:
    """`items` ((key, value) pairs) as one record's value."""
    head = orjson.dumps([[len(k), len(v)] for k, v in items])
    return b"".join((FORMAT, b"\n", head, b"\n", *(part for item in items for part in item)))


def pack(items: Sequence[tuple[bytes, bytes]], max_bytes: int) -> list[bytes]:
    """`items` as bundles of at most about `max_bytes` each (the broker refuses records over its limit), in
    order; an item larger than that alone goes in a bundle of its own."""
    out: list[bytes] = []
    start, size = 0, 0
    for i, (key, value) in enumerate(items):
        item_size = len(key) + len(value) + 24  # and its pair of lengths in the header
        if i > start and size + item_size > max_bytes:
            out.append(encode(items[start:i]))
            start, size = i, 0
        size += item_size
    if start < len(items):
        out.append(encode(items[start:]))
    return out


def unpack(key: bytes | None, value: bytes) -> list[tuple[bytes, bytes]]:
    """The messages of a record: a bundle's, or the record itself (a tick, or a message sent one by one
    before bundles). Raises BadBundle on a malformed bundle."""
    return decode(value) if is_bundle(value) else [(key or b"", value)]


def is_bundle(value: bytes) -> bool:
    return value[:3] == FORMAT + b"\n"


def decode(value: bytes) -> list[tuple[bytes, bytes]]:
    """The (key, value) pairs of a bundle, in order. Raises BadBundle on anything else."""
    if not is_bundle(value):
        raise BadBundle("not a bundle")
    end = value.find(b"\n", 3)
    try:
        sizes = orjson.loads(value[3:end]) if end > 0 else None
    except orjson.JSONDecodeError:
        sizes = None
    if not isinstance(sizes, list) or not all(
            isinstance(s, list) and len(s) == 2 and all(type(n) is int and n >= 0 for n in s) for s in sizes):
        raise BadBundle("bad bundle header")
    items: list[tuple[bytes, bytes]] = []
    at = end + 1
    for key_size, value_size in sizes:
        key_end = at + key_size
        items.append((value[at:key_end], value[key_end:key_end + value_size]))
        at = key_end + value_size
    if at != len(value):
        raise BadBundle("bundle length does not match its header")
    return items


def by_partition(items: Iterable[tuple[bytes, bytes]], partition_of: Callable[[bytes], int],
                 ) -> dict[int, list[tuple[bytes, bytes]]]:
    """The items per partition of their key (`partition_of`: the producer's partitioner), order kept."""
    out: dict[int, list[tuple[bytes, bytes]]] = {}
    for key, value in items:
        out.setdefault(partition_of(key), []).append((key, value))
    return out


def by_key(items: Iterable[tuple[bytes, bytes]]) -> dict[bytes, list[bytes]]:
    """Each key's values in the order they came, keys in the order first seen: a step runs per key, and
    the order between keys never matters (each key is its own state)."""
    out: dict[bytes, list[bytes]] = {}
    for key, value in items:
        out.setdefault(key, []).append(value)
    return out
