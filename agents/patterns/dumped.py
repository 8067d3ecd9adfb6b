"""The JSON of a checkpoint's state and of a trip record, byte for byte as pydantic writes it.

Both are written on every crossing (the checkpoint's state to its table, each member's record into their
message), and pydantic's `model_dump_json(exclude_defaults=True)` walks every field of every nested model
through its generic serialiser. Here the same document is built from the fields as plain values and
written by orjson: fields in the models' order, a field equal to its default left out, sorted sets as
sorted lists, age ranges and booth paces as arrays, times as pydantic writes them (`Z` for UTC). Stored
formats do not change: a test holds both to pydantic's bytes, field by field and on generated traffic.
A field added to one of these models must be added here too (the test fails until it is).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import orjson

from agents.patterns.models import BoothPace, CheckpointState, Companion, Member, OpenGroup, TripRecord
from agents.patterns.unvalidated import fields_of

_OPTIONS = orjson.OPT_UTC_Z
_COMPANION_FLAGS = ("family", "family_name", "surname", "family_adult")
_GROUP_FLAGS = ("queue", "line", "held", "near")
#: Members' JSON by event id, with the member it was written from (`_member_json`); emptied when full.
_WRITTEN: dict[str, tuple[Member, Any]] = {}
_WRITTEN_KEPT = 4096
#: Times' JSON by the identity of the datetime, with the datetime (so no other object has that identity
#: while it is kept): the same objects (a member's time) come back in every state and record written
#: while their group is open, and orjson asks each one's offset through Python.
_TIMES: dict[int, tuple[dt.datetime, Any]] = {}
#: Per checkpoint, the JSON of the fields and open groups of the state written last, each with the value it
#: was written from (`_reused`); emptied when full.
_LAST: dict[str, dict[str, tuple[Any, Any]]] = {}
_LAST_KEPT = 4096


def _member_json(m: Member) -> Any:
    """The member's JSON (an `orjson.Fragment`), written once: a member stays in their open group while
    others join it, so the checkpoint's state is written with them again on every crossing there."""
    hit = _WRITTEN.get(m.event_id)
    if hit is not None and hit[0] is m:
        return hit[1]
    if len(_WRITTEN) >= _WRITTEN_KEPT:
        _WRITTEN.clear()
    written = orjson.Fragment(orjson.dumps(_member(m), option=_OPTIONS))
    _WRITTEN[m.event_id] = (m, written)
    return written


def _time(at: dt.datetime) -> Any:
    """`at` as pydantic writes it (an `orjson.Fragment`)."""
    hit = _TIMES.get(id(at))
    if hit is not None and hit[0] is at:
        return hit[1]
    if len(_TIMES) >= _WRITTEN_KEPT:
        _TIMES.clear()
    written = orjson.Fragment(orjson.dumps(at, option=_OPTIONS))
    _TIMES[id(at)] = (at, written)
    return written


def _times(times: dict[str, dt.datetime]) -> dict[str, Any]:
    return {key: _time(at) for key, at in times.items()}


def _member(m: Member) -> dict[str, Any]:
    f = fields_of(m)
    age = f["age"]
    out: dict[str, Any] = {"key": f["key"], "event_id": f["event_id"], "at": f["at"], "direction": f["direction"],
                           "age": None if age is None else [age[0], age[1]]}
    if f["sex"] is not None:
        out["sex"] = f["sex"]
    if f["nationality"] is not None:
        out["nationality"] = f["nationality"]
    if f["family"]:
        out["family"] = sorted(f["family"])
    if f["names"]:
        out["names"] = sorted(f["names"])
    if f["has_surname"]:
        out["has_surname"] = True
    if f["display_name"] is not None:
        out["display_name"] = f["display_name"]
    if f["document"] is not None:
        out["document"] = f["document"]
    return out


def _reused(last: dict[str, tuple[Any, Any]], now: dict[str, tuple[Any, Any]], name: str, value: Any,
            write: Callable[[Any], Any]) -> Any:
    """`write(value)` as an `orjson.Fragment`, the one written last time for this checkpoint when `value` is
    the very object it was written from. A checkpoint's state is written on every crossing there, and most
    of its fields (the groups nobody joined, the baseline, the gaps) are the objects written the last time:
    the models are frozen and a field's value is replaced, never changed in place. (One state's values per
    checkpoint, which the worker keeps parsed anyway: `parsed.ParsedStates`.)"""
    hit = last.get(name)
    if hit is not None and hit[0] is value:
        now[name] = hit
        return hit[1]
    written = orjson.Fragment(orjson.dumps(write(value), option=_OPTIONS))
    now[name] = (value, written)
    return written


def _as_is(value: Any) -> Any:
    return value


def _paces(pace: dict[str, BoothPace]) -> dict[str, Any]:
    return {direction: [p.last_at, p.adult_at, p.since_adult, [list(w) for w in p.waiting]]
            for direction, p in pace.items()}


def _group(g: OpenGroup) -> dict[str, Any]:
    f = fields_of(g)
    out: dict[str, Any] = {"linked_by": f["linked_by"], "direction": f["direction"], "last_at": _time(f["last_at"])}
    if f["members"]:
        out["members"] = [_member_json(m) for m in f["members"]]
    for flag in _GROUP_FLAGS:
        if f[flag]:
            out[flag] = True
    return out


def checkpoint_json(state: CheckpointState) -> bytes:
    """`state.model_dump_json(exclude_defaults=True)`, encoded."""
    f = fields_of(state)
    checkpoint_id: str = f["checkpoint_id"]
    last = _LAST.get(checkpoint_id) or {}
    now: dict[str, tuple[Any, Any]] = {}
    out: dict[str, Any] = {"checkpoint_id": checkpoint_id, "checkpoint_country": f["checkpoint_country"]}
    groups: dict[str, OpenGroup] = f["groups"]
    if groups:  # (a group's name here: its key, which holds a \x1f no field's name holds)
        out["groups"] = {key: _reused(last, now, key, g, _group) for key, g in groups.items()}
    if f["recent"]:  # (a new event id on every crossing: nothing to reuse)
        out["recent"] = _times(f["recent"])
    for name in ("baseline", "solo", "party_gaps"):
        if f[name]:
            out[name] = _reused(last, now, name, f[name], _as_is)
    if f["pace"]:
        out["pace"] = _reused(last, now, "pace", f["pace"], _paces)
    if f["child_pauses"]:
        out["child_pauses"] = _reused(last, now, "child_pauses", f["child_pauses"], _as_is)
    if f["adult_until"]:
        out["adult_until"] = _reused(last, now, "adult_until", f["adult_until"], _times)
    if len(_LAST) >= _LAST_KEPT and checkpoint_id not in _LAST:
        _LAST.clear()
    _LAST[checkpoint_id] = now
    return orjson.dumps(out, option=_OPTIONS)


def _companion(c: Companion) -> dict[str, Any]:
    f = fields_of(c)
    age = f["age"]
    out: dict[str, Any] = {"key": f["key"], "event_id": f["event_id"], "age": None if age is None else [age[0], age[1]]}
    if f["sex"] is not None:
        out["sex"] = f["sex"]
    if f["nationality"] is not None:
        out["nationality"] = f["nationality"]
    for flag in _COMPANION_FLAGS:
        if f[flag]:
            out[flag] = True
    if f["households"]:
        out["households"] = sorted(f["households"])
    if f["regular"]:
        out["regular"] = True
    return out


def record_json(record: TripRecord) -> bytes:
    """`record.model_dump_json(exclude_defaults=True)`, encoded."""
    f = fields_of(record)
    age = f["age"]
    out: dict[str, Any] = {}
    if f["trip_id"]:  # (a field of `Passage`, so first; records made now leave it empty)
        out["trip_id"] = f["trip_id"]
    out["checkpoint_id"] = f["checkpoint_id"]
    out["checkpoint_country"] = f["checkpoint_country"]
    out["direction"] = f["direction"]
    out["at"] = _time(f["at"])
    out["event_id"] = f["event_id"]
    out["age"] = None if age is None else [age[0], age[1]]
    if f["sex"] is not None:
        out["sex"] = f["sex"]
    if f["nationality"] is not None:
        out["nationality"] = f["nationality"]
    if f["linked_by"] != "alone":
        out["linked_by"] = f["linked_by"]
    if f["organised"]:
        out["organised"] = True
    if not f["complete"]:
        out["complete"] = False
    companions: tuple[Companion, ...] = f["companions"]
    if companions:
        out["companions"] = [_companion(c) for c in companions]
    if f["unaccompanied_share"] is not None:
        out["unaccompanied_share"] = f["unaccompanied_share"]
    return orjson.dumps(out, option=_OPTIONS)
