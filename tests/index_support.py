"""What the tests of the watchlist index's builds share: entries decoded as the worker decodes them, and
everything an index holds, to compare two builds of the same entries."""

from __future__ import annotations

from typing import Any

import orjson

from agents.decode import decode_entry
from agents.matching import WatchlistIndex
from schemas import WatchlistEntry


def snapshot(index: WatchlistIndex) -> dict[str, Any]:
    """The index's postings, common skeletons, entries, slots, columns and prepared persons."""
    return {
        "postings": {k: v if isinstance(v, int) else tuple(v) for k, v in index._postings.items()},
        "common": set(index._common),
        "entries": list(index._entries),
        "ids": dict(index._ids),
        "columns": [bytes(c) for c in (index._lists, index._sort_year, index._name_bits, index._codes,
                                       index._valid_until)],
        "prepared": list(index._prepared),
        "nations": dict(index._nation_codes),
    }


def entries(dicts: list[dict[str, Any]]) -> list[WatchlistEntry]:
    """The valid entries among `dicts`, decoded from their JSON."""
    out = [decode_entry(orjson.dumps(d)) for d in dicts]
    return [e for e in out if isinstance(e, WatchlistEntry)]
