"""A set of strings that is written in sorted order.

A Python set iterates in an order that follows the process's hash seed, so a state or message serialized from
one would be different bytes in different workers, and a state read and written back unchanged would not
compare equal as bytes. Every set kept in pattern state or sent between the pattern steps is this type."""

from __future__ import annotations

from typing import Annotated

from pydantic import PlainSerializer

SortedSet = Annotated[frozenset[str], PlainSerializer(sorted, return_type=list[str])]
