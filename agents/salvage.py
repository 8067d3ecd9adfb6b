"""Screening what remains of an event with bad fields: no crossing escapes screening over one field.

A checkpoint that sends a date of birth in 1877, a two-letter country code, a malformed expiry date
or no `occurred_at` still saw a person. Strict validation would dead-letter the whole crossing, and
the traveller would pass unscreened. Here the invalid fields are dropped (or, for the few the event
cannot exist without, replaced by an explicit "unknown"), the rest is validated as strictly as ever,
and every dropped field is named, so the officer and the data-quality record say what was missing.

Only a message that yields no person is rejected: not JSON, not an object, no traveller, or a
traveller without any name or document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import orjson
from pydantic import ValidationError

from agents.decode import Rejected, decode_event
from schemas import BorderCrossing, DocumentCheck, ScreeningEvent

#: Passes of drop-and-revalidate: each pass drops every field pydantic reported; a nested drop can
#: make its parent invalid (a document without its number), which the next pass drops in turn.
MAX_PASSES = 6
SUBJECT_FIELDS = ("traveler", "holder")
#: Placeholders for the event fields an event cannot be validated without; an officer reading the
#: alert sees "unknown", never a plausible made-up value.
UNKNOWN: Mapping[str, str] = MappingProxyType({
    "checkpoint_id": "unknown",
    "checkpoint_country": "XXX",  # ICAO 9303's code for an unspecified state
    "direction": "entry",  # validated as a placeholder, then cleared to None (unknown)
})


@dataclass(frozen=True, slots=True)
class Salvaged:
    """An event screened without some of its fields: `problems` names each (path and reason, never values)."""

    event: ScreeningEvent
    problems: tuple[str, ...]


def decode_screenable(raw: bytes | None, model: type[BorderCrossing] | type[DocumentCheck], max_bytes: int,
                      now: dt.datetime) -> ScreeningEvent | Salvaged | Rejected:
    """The event as sent when it is valid; else what can be screened of it; else why nothing can."""
    decoded = decode_event(raw, model, max_bytes)
    if not isinstance(decoded, Rejected) or decoded.reason != "invalid_schema" or raw is None:
        return decoded
    return salvage(raw, model, now) or decoded


def salvage(raw: bytes, model: type[BorderCrossing] | type[DocumentCheck], now: dt.datetime) -> Salvaged | None:
    """Drop the invalid fields of an event until it validates; None when no person remains."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    problems: list[str] = []
    unknown_direction = False
    for _ in range(MAX_PASSES):
        try:
            event = model.model_validate(data)
        except ValidationError as error:
            for issue in error.errors(include_input=False, include_url=False):
                loc = tuple(issue["loc"])
                if not loc or loc in {(name,) for name in SUBJECT_FIELDS}:
                    return None  # the message itself, or the person as a whole (no name, no document)
                target = _existing_prefix(data, loc) or loc[:1]
                if target == ("direction",):
                    unknown_direction = True
                problems.append(f"{_path(target)}: {_reason(issue, loc, target)}")
                if not _repair(data, target, model, now, raw):
                    return None
            _drop_marked(data)
            continue
        if unknown_direction:
            event = event.model_copy(update={"direction": None})
        return Salvaged(event, tuple(dict.fromkeys(problems)))
    return None


def _existing_prefix(data: dict[str, Any], loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The longest part of an error's location present in the message: the field to drop. A missing
    required field (a document without its number) so takes its parent; a union's branch tags stop it."""
    node: Any = data
    path: list[Any] = []
    for step in loc:
        present = (isinstance(node, dict) and isinstance(step, str) and step in node) or (
            isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node))
        if not present:
            break
        node = node[step]
        path.append(step)
    return tuple(path)


def _repair(data: dict[str, Any], target: tuple[Any, ...], model: type[BorderCrossing] | type[DocumentCheck],
            now: dt.datetime, raw: bytes) -> bool:
    """Drop the field at `target` (or, for one the event needs, mark it unknown); False when it is the person."""
    if len(target) == 1:
        return _replace_top_level(data, str(target[0]), model, now, raw)
    parent: Any = data
    for step in target[:-1]:
        parent = parent[step]
    last = target[-1]
    if isinstance(parent, dict):
        parent.pop(last, None)
    elif isinstance(parent, list):
        parent[last] = _DROPPED  # removed after the pass, so the other indices of this pass stay valid
    return True


_DROPPED = object()


def _drop_marked(node: Any) -> None:
    if isinstance(node, dict):
        for value in node.values():
            _drop_marked(value)
    elif isinstance(node, list):
        node[:] = [item for item in node if item is not _DROPPED]
        for item in node:
            _drop_marked(item)


def _replace_top_level(data: dict[str, Any], name: str, model: type[BorderCrossing] | type[DocumentCheck],
                       now: dt.datetime, raw: bytes) -> bool:
    if name in SUBJECT_FIELDS or (name == "document" and model is DocumentCheck):
        return False
    if name == "event_id":
        data[name] = "unidentified-" + hashlib.sha256(raw).hexdigest()[:32]
    elif name == "event_type":
        data[name] = "document_check" if model is DocumentCheck else "border_crossing"
    elif name == "occurred_at":
        data[name] = now.isoformat()
    elif name in UNKNOWN:
        data[name] = UNKNOWN[name]
    else:
        data.pop(name, None)
    return True


def _path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)


def _reason(issue: Any, loc: tuple[Any, ...], target: tuple[Any, ...]) -> str:
    """Why a field was dropped, in words an officer reads: never the value itself."""
    if target == ("occurred_at",):
        return "missing or invalid; screened as of the time it was received"
    if issue["type"] == "missing":
        return "missing" if loc == target else f"{_path(loc[len(target):])} missing"
    if issue["type"] == "string_pattern_mismatch":
        return "not in the expected format"
    return str(issue["msg"]).removeprefix("Value error, ")
