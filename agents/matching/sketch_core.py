"""The name-frequency sketch's cell reads and its conservative update (agents/matching/population.py
explains the sketch).

Every traveller screened is counted under a few keys, each a cell per row of a table of 16-bit
counters, and a name's commonness reads its cells in every partition's sketch. `agents/matching/sketch_core.c`
is the same two functions in C, built with the compiled matcher (agents/matching/native.py) and
loaded in place of this file when the build is current: read through Python, every counter became
an int object on the way. This file is the reference and runs wherever the build does not; a test
holds the two to the same results.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence


def smallest(table: array[int], cells: Sequence[int]) -> int:
    """The smallest counter at `cells` (not empty): a key's count-min estimate."""
    return min(table[c] for c in cells)


def raise_to(table: array[int], cells: Sequence[int], count: int, ceiling: int) -> None:
    """Conservative update: each counter at `cells` (one per row) raised to the smallest of them plus
    `count`, at most `ceiling`; none is lowered."""
    wanted = min(smallest(table, cells) + count, ceiling)
    for c in cells:
        if table[c] < wanted:
            table[c] = wanted
