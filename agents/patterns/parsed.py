"""The states a worker parsed last, reused while their stored bytes are unchanged.

A Faust table hands each step its state as bytes; parsing them is most of a step's cost. The same
state is often read again moments after it was written (every crossing at a checkpoint; an adult whose
party members cross one after another), so the object behind the bytes just written is kept and used
again when exactly those bytes come back. Any other bytes (another worker wrote them, a restart, a
recovery from the changelog) are parsed as usual. Bounded: the least recently used are forgotten.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

_S = TypeVar("_S")


class ParsedStates(Generic[_S]):
    """key -> (stored bytes, the state they hold), at most `size` of them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, tuple[bytes, _S]] = OrderedDict()

    def has(self, key: str, stored: bytes) -> bool:
        hit = self._items.get(key)
        return hit is not None and hit[0] == stored

    def load(self, key: str, stored: bytes, parse: Callable[[bytes], _S]) -> _S:
        hit = self._items.get(key)
        if hit is not None and hit[0] == stored:
            self._items.move_to_end(key)
            return hit[1]
        return parse(stored)

    def keep(self, key: str, stored: bytes, state: _S) -> None:
        self._items[key] = (stored, state)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
