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
from typing import Any

import orjson

from agents.patterns.memo import KEPT, MAPS_KEPT, Memo
from agents.patterns.models import BoothPace, CheckpointState, Companion, Member, OpenGroup, TripRecord
from agents.patterns.unvalidated import fields_of

_OPTIONS = orjson.OPT_UTC_Z
_COMPANION_FLAGS = ("family", "family_name", "surname", "family_adult")
_GROUP_FLAGS = ("queue", "line", "held", "near")


def _member_json(m: Member, memo: Memo) -> Any:
    """The member's JSON (an `orjson.Fragment`), written once: a member stays in their open group while
    others join it, so the checkpoint's state is written with them again on every crossing there."""
    written = memo.members
    hit = written.get(m.event_id)
    if hit is not None and hit[0] is m:
        return hit[1]
    if len(written) >= KEPT:
        written.clear()
    fragment = orjson.Fragment(orjson.dumps(_member(m), option=_OPTIONS))
    written[m.event_id] = (m, fragment)
    return fragment


def _time(at: dt.datetime, memo: Memo | None) -> Any:
    """`at` as pydantic writes it (an `orjson.Fragment`): kept in `memo` by identity, as the same objects (a
    member's time) come back in every state and record written while their group is open, and orjson asks
    each one's offset through Python."""
    if memo is None:
        return orjson.Fragment(orjson.dumps(at, option=_OPTIONS))
    times = memo.times
    hit = times.get(id(at))
    if hit is not None and hit[0] is at:
        return hit[1]
    if len(times) >= KEPT:
        times.clear()
    fragment = orjson.Fragment(orjson.dumps(at, option=_OPTIONS))
    times[id(at)] = (at, fragment)
    return fragment


def _map(value: dict[str, Any], checkpoint_id: str, kept: dict[str, tuple[Any, Any]]) -> Any:
    """A map of plain values (an `orjson.Fragment`), written once while it is the same object (`kept`: the
    last one written per checkpoint, `Memo.baselines`): a checkpoint's baseline is replaced only when it
    changes, and its state is written on every crossing there."""
    hit = kept.get(checkpoint_id)
    if hit is not None and hit[0] is value:
        return hit[1]
    if hit is None and len(kept) >= MAPS_KEPT:
        kept.clear()
    fragment = orjson.Fragment(orjson.dumps(value, option=_OPTIONS))
    kept[checkpoint_id] = (value, fragment)
    return fragment


def _times(times: dict[str, dt.datetime], memo: Memo) -> dict[str, Any]:
    return {key: _time(at, memo) for key, at in times.items()}


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


def _group(g: OpenGroup, memo: Memo) -> dict[str, Any]:
    f = fields_of(g)
    out: dict[str, Any] = {"linked_by": f["linked_by"], "direction": f["direction"],
                           "last_at": _time(f["last_at"], memo)}
    if f["members"]:
        out["members"] = [_member_json(m, memo) for m in f["members"]]
    for flag in _GROUP_FLAGS:
        if f[flag]:
            out[flag] = True
    return out


def checkpoint_json(state: CheckpointState, memo: Memo | None = None) -> bytes:
    """`state.model_dump_json(exclude_defaults=True)`, encoded (`memo`: the caller's, kept between states)."""
    if memo is None:
        memo = Memo()
    f = fields_of(state)
    out: dict[str, Any] = {"checkpoint_id": f["checkpoint_id"], "checkpoint_country": f["checkpoint_country"]}
    groups: dict[str, OpenGroup] = f["groups"]
    if groups:
        out["groups"] = {key: _group(g, memo) for key, g in groups.items()}
    if f["recent"]:
        out["recent"] = _times(f["recent"], memo)
    if f["baseline"]:
        out["baseline"] = _map(f["baseline"], f["checkpoint_id"], memo.baselines)
    if f["solo"]:  # (the steps store these apart and write none: `agents/patterns/solo.py`)
        out["solo"] = f["solo"]
    if f["party_gaps"]:
        out["party_gaps"] = f["party_gaps"]
    pace: dict[str, BoothPace] = f["pace"]
    if pace:
        out["pace"] = {direction: [p.last_at, p.adult_at, p.since_adult, [list(w) for w in p.waiting]]
                       for direction, p in pace.items()}
    if f["child_pauses"]:
        out["child_pauses"] = f["child_pauses"]
    if f["adult_until"]:
        out["adult_until"] = _times(f["adult_until"], memo)
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


def record_json(record: TripRecord, memo: Memo | None = None) -> bytes:
    """`record.model_dump_json(exclude_defaults=True)`, encoded (`memo`: the caller's, if any)."""
    f = fields_of(record)
    age = f["age"]
    out: dict[str, Any] = {}
    if f["trip_id"]:  # (a field of `Passage`, so first; records made now leave it empty)
        out["trip_id"] = f["trip_id"]
    out["checkpoint_id"] = f["checkpoint_id"]
    out["checkpoint_country"] = f["checkpoint_country"]
    out["direction"] = f["direction"]
    out["at"] = _time(f["at"], memo)
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
    if f["line"]:
        out["line"] = sorted(f["line"])
    return orjson.dumps(out, option=_OPTIONS)
