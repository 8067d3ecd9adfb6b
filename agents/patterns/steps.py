"""The two keyed steps of the worker's pattern stage, as pure functions over stored bytes.

A Faust table keeps each state as bytes (a checkpoint's as JSON, fields at their defaults left out; a
person's as `stored` writes it); a step takes the
stored bytes (None: nothing yet) and one message, and returns the bytes to store (None: unchanged)
and what to send on.

- `checkpoint_step`, keyed by checkpoint id: a crossing or a clock tick in; the state, and one message
  per member each trip (as it stands) is for, keyed by the member's hashed identity, out: that member's
  record of the trip (`messages`, made once where the whole trip is at hand); the children and young people
  seen crossing there alone are entries of their own (`agents/patterns/solo.py`): those it needs are read
  through `seen`, those it noted returned (keyed by checkpoint and traveller where stored);
- `person_step`, keyed by hashed identity: one such message in; the state and the alerts out. A record
  that cannot decide anything is folded into the stored bytes as they are (`stored.fold_line`); the
  others take the full path (state parsed, detectors run, state written).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import orjson
from pydantic import ValidationError

from agents.patterns import messages
from agents.patterns.alerts import build_pattern_alert
from agents.patterns.config import PatternConfig
from agents.patterns.dumped import checkpoint_json
from agents.patterns.member import member_of, shared_offset
from agents.patterns.memo import Memo
from agents.patterns.messages import Traveller
from agents.patterns.models import CheckpointState, Member, PersonState, TripMessage, TripRecord
from agents.patterns.parsed import ParsedStates
from agents.patterns.person import observe_record
from agents.patterns.records import trip_record
from agents.patterns.solo import Seen, cached, nothing
from agents.patterns.stored import Loaded, dump, fold, fold_line, load, record_of
from agents.patterns.trips import Delivery, add_crossing, close_due, co_crossing_window, due, unaccompanied_reach
from agents.patterns.unvalidated import evolve
from schemas.alerts import Alert
from schemas.events import BorderCrossing

TICK = b"tick"


class BadMessage(ValueError):
    """A message a step cannot use; it is skipped (the screening path dead-letters bad crossings)."""


def tick(now: dt.datetime) -> bytes:
    """The value of a clock tick: closes the groups nobody joined for `group_complete_after`."""
    return orjson.dumps({"tick": now.isoformat()})


def _load_checkpoint(stored: bytes | None, checkpoint_id: str, country: str,
                     parsed: ParsedStates[CheckpointState] | None) -> CheckpointState:
    if stored is None:
        return CheckpointState(checkpoint_id=checkpoint_id, checkpoint_country=country)
    if parsed is None:
        return CheckpointState.model_validate_json(stored)
    return parsed.load(checkpoint_id, stored, CheckpointState.model_validate_json)


def _store(state: CheckpointState, key: str, parsed: ParsedStates[CheckpointState] | None, memo: Memo) -> bytes:
    stored = checkpoint_json(state, memo)
    if parsed is not None:
        parsed.keep(key, stored, state)
    return stored


def _trip_messages(deliveries: list[Delivery], now: dt.datetime, cfg: PatternConfig,
                   memo: Memo) -> list[tuple[bytes, bytes]]:
    """One message per member a trip is for: that member's record of it (`messages`)."""
    out: list[tuple[bytes, bytes]] = []
    clock = orjson.dumps(now)
    for trip, to, by in deliveries:
        out.extend((m.key.encode(), messages.encode(clock, by, m, trip_record(trip, m, cfg), cfg, memo))
                   for m in to)
    return out


def _tick_of(value: bytes) -> dict[str, object] | None:
    """A tick as `tick` writes it, or None (anything else is read as a crossing)."""
    if not value.startswith(b'{"tick":'):
        return None
    try:
        raw = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    return raw if isinstance(raw, dict) and set(raw) == {"tick"} else None


def _advance(state: CheckpointState | None, checkpoint_id: str, value: bytes, cfg: PatternConfig,
             memo: Memo, seen: Seen) -> tuple[CheckpointState | None, list[tuple[bytes, bytes]]]:
    """One crossing or tick applied to a checkpoint's state (None: none yet; returned: unchanged)."""
    raw = _tick_of(value)
    if raw is not None:
        if state is None:
            return None, []
        try:
            now = shared_offset(dt.datetime.fromisoformat(str(raw["tick"])))
        except ValueError as exc:
            raise BadMessage("bad tick time") from exc
        if not due(state, now, cfg, memo):
            return None, []
        state, trips = close_due(state, now, cfg, memo, seen)
        return state, _trip_messages(trips, now, cfg, memo)
    try:
        crossing = BorderCrossing.model_validate_json(value)
    except ValidationError as exc:
        raise BadMessage("not a border crossing") from exc
    if state is None:
        state = CheckpointState(checkpoint_id=checkpoint_id, checkpoint_country=crossing.checkpoint_country)
    member: Member = member_of(crossing, cfg.identity_salt)
    now = member.at  # the crossing's time, its offset's tzinfo shared (`shared_offset`)
    state, trips = add_crossing(state, member, crossing.travel_group_id, now, cfg, memo, seen)
    return state, _trip_messages(trips, now, cfg, memo)


def _solo_out(state: CheckpointState) -> tuple[CheckpointState, dict[str, int]]:
    """The state to store, and the children and young people it noted crossing alone: entries to store apart
    (`agents/patterns/solo.py`; a state written before they were holds them all, moved out so)."""
    if not state.solo:
        return state, {}
    return evolve(state, {"solo": {}}), state.solo


def checkpoint_step(stored: bytes | None, checkpoint_id: str, value: bytes, cfg: PatternConfig,
                    parsed: ParsedStates[CheckpointState] | None = None, memo: Memo | None = None,
                    seen: Seen = nothing) -> tuple[bytes | None, list[tuple[bytes, bytes]], dict[str, int]]:
    """One crossing (or tick) at one checkpoint. Raises BadMessage on a value that is neither.
    `parsed`: the states this worker parsed or wrote last (reused when `stored` is the same bytes); `memo`:
    the answers this worker keeps between steps (`agents/patterns/memo.py`); `seen`: reads the checkpoint's
    stored entries of children and young people seen alone (`agents/patterns/solo.py`). Returns the state
    to store (None: unchanged), the messages to send and the entries to store (short hash -> day)."""
    if memo is None:
        memo = Memo()
    state = None if stored is None else _load_checkpoint(stored, checkpoint_id, "", parsed)
    changed, sent = _advance(state, checkpoint_id, value, cfg, memo, cached(seen))
    if changed is None:
        return None, sent, {}
    changed, noted = _solo_out(changed)
    return _store(changed, checkpoint_id, parsed, memo), sent, noted


def checkpoint_steps(stored: bytes | None, checkpoint_id: str, values: list[bytes], cfg: PatternConfig,
                     parsed: ParsedStates[CheckpointState] | None = None, memo: Memo | None = None,
                     seen: Seen = nothing,
                     ) -> tuple[bytes | None, list[tuple[bytes, bytes]], list[str], dict[str, int]]:
    """Several crossings or ticks at one checkpoint, in order, as `checkpoint_step` one after another,
    with the state and the entries written once at the end. A value that is neither is skipped and the
    reason returned (third item), so one bad message loses nothing else."""
    if memo is None:
        memo = Memo()
    seen = cached(seen)
    state = None if stored is None else _load_checkpoint(stored, checkpoint_id, "", parsed)
    changed = False
    sent: list[tuple[bytes, bytes]] = []
    bad: list[str] = []
    for value in values:
        try:
            after, out = _advance(state, checkpoint_id, value, cfg, memo, seen)
        except BadMessage as error:
            bad.append(str(error))
            continue
        if after is not None:
            state, changed = after, True
        sent.extend(out)
    if not changed or state is None:
        return None, sent, bad, {}
    state, noted = _solo_out(state)
    return _store(state, checkpoint_id, parsed, memo), sent, bad, noted


def person_step(stored: bytes | None, value: bytes, cfg: PatternConfig,
                created_at: dt.datetime | None = None,
                parsed: ParsedStates[Loaded] | None = None) -> tuple[bytes, list[Alert]]:
    """One trip (as it stands) for one person. `created_at` stamps the alerts (default: the trip's clock);
    `parsed` as for `checkpoint_step`."""
    if not messages.is_record_message(value):
        return _person_trip_step(stored, value, cfg, created_at, parsed)
    try:
        message = messages.decode(value)
    except messages.BadRecordMessage as exc:
        raise BadMessage(str(exc)) from exc
    folded = fold_line(stored, message.line, message.may, message.now, cfg)  # the bytes as they are, no objects
    if folded is not None:
        return folded, []
    try:
        record = TripRecord.model_validate_json(record_of(message.line))
    except ValidationError as exc:
        raise BadMessage("bad trip record") from exc
    return _observe(stored, record, message.line, message.traveller, message.now, message.by, cfg, created_at,
                    parsed)


def person_steps(stored: bytes | None, values: list[bytes], cfg: PatternConfig,
                 created_at: dt.datetime | None = None, parsed: ParsedStates[Loaded] | None = None,
                 ) -> tuple[bytes | None, list[Alert], list[str]]:
    """Several messages for one person, in order, as `person_step` one after another (None: state unchanged);
    a message it cannot use is skipped and the reason returned (third item)."""
    alerts: list[Alert] = []
    bad: list[str] = []
    out = stored
    for value in values:
        try:
            out, found = person_step(out, value, cfg, created_at, parsed)
        except BadMessage as error:
            bad.append(str(error))
            continue
        alerts.extend(found)
    return (None if out is stored else out), alerts, bad


def _observe(stored: bytes | None, record: TripRecord, line: bytes | None, subject: Traveller | Member,
             now: dt.datetime, by: str | None, cfg: PatternConfig, created_at: dt.datetime | None,
             parsed: ParsedStates[Loaded] | None) -> tuple[bytes, list[Alert]]:
    """The full path: the state parsed, the detectors run, the state written (`line`: the record's stored
    line, if at hand)."""
    key = subject.key
    if stored is None:
        loaded = Loaded(PersonState())
    elif parsed is not None:
        loaded = parsed.load(key, stored, load)
    else:
        loaded = load(stored)
    state, findings = observe_record(loaded.state, record, key, now, cfg, by)
    stamp = created_at or now
    alerts = [build_pattern_alert(f, subject, now=stamp, cfg=cfg) for f in findings]
    lines = loaded.lines if line is None else {**loaded.lines, record.event_id: (record, line)}
    out = dump(state, lines)
    if parsed is not None:
        parsed.keep(key, out, Loaded(state, {t.event_id: (t, kept) for t, kept in
                                             zip(state.trips, out.split(b"\n")[2:], strict=True)}))
    return out, alerts


def _person_trip_step(stored: bytes | None, value: bytes, cfg: PatternConfig, created_at: dt.datetime | None,
                      parsed: ParsedStates[Loaded] | None) -> tuple[bytes, list[Alert]]:
    """A trip message of the form sent before `messages` (the whole trip): read after an upgrade."""
    try:
        message = TripMessage.model_validate_json(value)
    except ValidationError as exc:
        raise BadMessage("not a trip message") from exc
    member = next((m for m in message.trip.members if m.event_id == message.member), None)
    if member is None:
        raise BadMessage("trip message for a member not on the trip")
    record = trip_record(message.trip, member, cfg)
    if stored is None or not (parsed is not None and parsed.has(member.key, stored)):
        folded = fold(stored, record, message.now, cfg)
        if folded is not None:
            return folded, []
    return _observe(stored, record, None, member, message.now, message.by, cfg, created_at, parsed)


def wake_at(state: CheckpointState, cfg: PatternConfig, memo: Memo | None = None) -> dt.datetime | None:
    """From when a tick can close a group here (None: nothing open): ticks before it change nothing
    (`memo`: as for `checkpoint_step`)."""
    if memo is None:
        memo = Memo()
    window = co_crossing_window(state, cfg, memo)
    reach = unaccompanied_reach(state, cfg, memo) if any(g.held for g in state.groups.values()) else window
    return min((g.last_at + (reach if g.held else window if g.linked_by == "co_crossing" else cfg.group_complete_after)
                for g in state.groups.values()), default=None)


def crossings_by_checkpoint(values: Iterable[bytes]) -> list[tuple[bytes, bytes]]:
    """Crossings keyed by their checkpoint, in order; one without a checkpoint is left out (nothing to
    assemble it with: screening still reads it)."""
    return [(key, value) for key, value in ((checkpoint_of(v), v) for v in values) if key != b"?"]


def checkpoint_of(value: bytes) -> bytes:
    """The repartition key of a crossing: its checkpoint id (b"?" when it has none: skipped downstream)."""
    try:
        raw = orjson.loads(value)
    except orjson.JSONDecodeError:
        return b"?"
    checkpoint = raw.get("checkpoint_id") if isinstance(raw, dict) else None
    return checkpoint.strip().encode() if isinstance(checkpoint, str) and checkpoint.strip() else b"?"
