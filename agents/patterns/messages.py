"""The message the checkpoint step sends a person step: that person's record of a trip, made once.

Format R1, three lines:

    R1
    {"now": ..., "by": ..., "key": ..., "name": ..., "doc": ..., "may": [...]}   (JSON)
    <the record as a person's stored state keeps it: one line of format P2, `stored.record_line`>

`now`: the stream's clock; `by`: the crossing that passed the trip on; `key`: the person's hashed identity;
`name`, `doc`: to word an alert about them (never stored in their state); `may`: the patterns this trip
can add evidence for (`person.may_add_evidence`). The checkpoint has every member of the trip at hand and
the person step needs only this person's view of it, so the record, its stored line and what it may add
are made once, where the trip is, and a trip the person's state cannot decide anything with is folded
into the stored bytes without parsing the message's record or the state. A line of P2 holds no raw newline,
so the three lines split safely. A trip message of the older form (the whole trip as JSON) is still read.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import orjson

from agents.patterns.config import PATTERNS, PatternConfig
from agents.patterns.member import Member
from agents.patterns.memo import Memo
from agents.patterns.person import patterns_it_may_add
from agents.patterns.records import TripRecord
from agents.patterns.stored import record_line
from schemas.alerts import PatternName

FORMAT = b"R1"
_NO_CLOCK = dt.datetime.min.replace(tzinfo=dt.UTC)
_PATTERNS = frozenset(PATTERNS)


class BadRecordMessage(ValueError):
    """Not a message of this format."""


class Traveller:
    """Who the record is about, as far as an alert words it."""

    # A plain class with final fields, not a frozen dataclass: compiled, it is made as a struct, where a
    # frozen dataclass's initialiser sets each field through `object.__setattr__` (one is made per message).
    def __init__(self, key: str, display_name: str | None, document: str | None) -> None:
        self.key: Final = key
        self.display_name: Final = display_name
        self.document: Final = document


class RecordMessage:
    """A message of this format, read (`decode`)."""

    def __init__(self, now: dt.datetime, by: str, traveller: Traveller, may: tuple[PatternName, ...],
                 line: bytes) -> None:
        self.now: Final = now
        self.by: Final = by
        self.traveller: Final = traveller
        self.may: Final = may
        self.line: Final = line  # the record's stored line (`stored.record_line`)


def encode(now: bytes, by: str, member: Member, record: TripRecord, cfg: PatternConfig,
           memo: Memo | None = None) -> bytes:
    """The message for `member` (`now`: the clock as orjson writes it, shared by a trip's messages; `memo`: the
    caller's, if any)."""
    may = patterns_it_may_add(record, cfg)
    head = orjson.dumps({"by": by, "key": member.key, "name": member.display_name, "doc": member.document,
                         "may": may})
    return b"%s\n{\"now\":%s,%s\n%s" % (FORMAT, now, head[1:], record_line(record, memo))


def in_time_order(sent: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Messages made at several checkpoints (each list in its own time order) in the order of their clocks,
    so a traveller seen at two of them gets their trips in the order they happened; a message without a
    readable clock keeps its place relative to its neighbours (the sort is stable)."""
    if len(sent) < 2:
        return sent
    return sorted(sent, key=lambda message: _clock_of(message[1]))


def _clock_of(value: bytes) -> dt.datetime:
    start = value.find(b'"now":"', 3, 16) if is_record_message(value) else -1
    if start > 0:
        try:
            return dt.datetime.fromisoformat(value[start + 7:value.find(b'"', start + 7)].decode())
        except (ValueError, UnicodeDecodeError):
            pass
    return _NO_CLOCK


def is_record_message(value: bytes) -> bool:
    return value[:3] == FORMAT + b"\n"


def decode(value: bytes) -> RecordMessage:
    """Raises BadRecordMessage on anything but a well-formed message of this format."""
    parts = value.split(b"\n", 2)
    if len(parts) != 3 or parts[0] != FORMAT or parts[2].count(b"\t") < 4:
        raise BadRecordMessage("not a record message")
    try:
        head = orjson.loads(parts[1])
        now = dt.datetime.fromisoformat(head["now"])
        may = tuple(head["may"])
        traveller = Traveller(head["key"], head["name"], head["doc"])
        by = head["by"]
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise BadRecordMessage("bad record message header") from exc
    if (now.tzinfo is None or not isinstance(by, str) or not isinstance(traveller.key, str)
            or not _PATTERNS.issuperset(may)):
        raise BadRecordMessage("bad record message header")
    return RecordMessage(now, by, traveller, may, parts[2])
