"""What a worker's pattern stage (or a runner) remembers between its steps to spare repeated work.

The checkpoint step writes a checkpoint's state on every crossing there, and asks its co-crossing window
several times per crossing, while most of what it writes or asks about is the same objects as last time:
a member stays in their open group while others join it, a time comes back in every state written while
its group is open, a booth's gaps are the same tuple until one is added, and its baseline the same map
until it changes. So the answers are kept with the object they were made from
(by that object's identity, or per checkpoint), and checked by identity first (no other object can have
its identity while it is kept): hashing or writing them anew costs more than that.

One `Memo` is owned by whoever runs the steps (the worker's stage, `PatternRunner`) and passed in; the
steps make one of their own when given none, which then lasts a single call. It holds nothing but
answers the functions that fill it would give again: dropping it changes no decision and no byte written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from agents.patterns.config import PatternConfig
from agents.patterns.models import Member

#: How many members' and times' JSON are kept; both are emptied when full (the open groups of one worker's
#: checkpoints are far fewer).
KEPT = 4096
#: How many checkpoints' maps' JSON are kept (as many checkpoints as the stage keeps parsed); emptied when full.
MAPS_KEPT = 1024


class Memo:
    """The answers kept (see the module's docstring); filled by `dumped` and `trips`."""

    def __init__(self) -> None:
        #: Members' JSON (an `orjson.Fragment`) by event id, with the member it was written from (`dumped`).
        self.members: dict[str, tuple[Member, Any]] = {}
        #: Times' JSON (an `orjson.Fragment`) by the datetime's identity, with the datetime (`dumped`).
        self.times: dict[int, tuple[dt.datetime, Any]] = {}
        #: A checkpoint's baseline as JSON (an `orjson.Fragment`), with the map it was written from, by
        #: checkpoint id (`dumped`): it is replaced only when it changes, and is written with every crossing
        #: there. Kept per checkpoint, not by the map's identity, so a map replaced is let go at once.
        self.baselines: dict[str, tuple[dict[str, Any], Any]] = {}
        #: The last co-crossing window asked: (gaps, pauses, cfg, window) (`trips.co_crossing_window`).
        self.window: tuple[tuple[int, ...], tuple[int, ...], PatternConfig, dt.timedelta] | None = None
        #: Per quantile, the last gaps it was taken of and its value (`trips._quantile`).
        self.quantiles: dict[float, tuple[tuple[int, ...], int]] = {}


__all__ = ["KEPT", "MAPS_KEPT", "Memo"]
