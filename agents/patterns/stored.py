"""A person's state as the worker stores it, updated without parsing it when no detector can fire.

Stored bytes (format P2), one line each:

    P2
    {"alerts": {...}}                                  (the open alerts, JSON; {} when none)
    <c|-><x|n><at>\t<age>\t<country>\t<event id>\t<the trip record>    (one per kept trip, in time order)

`c`: the trip had companions and was no organised group (the only kind a shuttle's round trip can count);
`x`/`n`: exit or entry; at: µs since 1970; age: the youngest the person can have been (- unknown); the
checkpoint's country, the event id and the record as JSON. JSON never holds a raw tab or newline, so the
fields split safely. The prefix is what the shuttle bound below needs, so it reads no record.

Most trips a person's state receives cannot complete a pattern: a commuter crossing alone, a parent
with their own children. Parsing the state is most of a step's cost, so such a trip is folded into the
stored bytes as they are (the same trimming as `person.observe`: the horizon, one record per crossing
(a party that grew replaces the record sent as it was), `max_trips_kept`, expired alerts dropped),
reading only the line prefixes it needs. A trip that may add evidence, or a redelivered one (its alert
is sent again), takes the full path. A state stored as plain JSON (before P2) is read too. The checkpoint
step sends each person their record already as such a line (`messages`), so folding it parses nothing.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic_core import TzInfo

from agents.patterns.age import AgeRange
from agents.patterns.config import PatternConfig
from agents.patterns.dumped import record_json
from agents.patterns.memo import Memo
from agents.patterns.person import PersonState, patterns_it_may_add
from agents.patterns.records import TripRecord
from agents.patterns.unvalidated import fields_of
from schemas.alerts import PatternName

FORMAT = b"P2"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_US = dt.timedelta(microseconds=1)
_FIXED_OFFSETS = (dt.timezone, TzInfo)
_COMPANIONS = ord("c")
_EXIT = ord("x")
# A companion's key in a record's JSON (a trip record has no "key" of its own; a quote inside a JSON
# string is escaped, so no other value can hold this)
_COMPANION_KEY = re.compile(rb'"key":"([^"]*)"')
# A companion in a record's JSON, as `Companion` writes it (key, event id, age, then the rest; no nested
# object): its key, age range (empty when unknown) and the rest. (The event id's string is matched as runs
# of plain characters between escapes: the same strings as one character or escape at a time, and faster.)
_COMPANION = re.compile(rb'\{"key":"([^"]*)","event_id":"[^"\\]*(?:\\.[^"\\]*)*",'
                        rb'"age":(?:null|\[(\d+),(\d+)\])([^{}]*)\}')
_SEX = re.compile(rb'"sex":"([^"]*)"')


def micros(at: dt.datetime) -> int:
    """`at` as whole microseconds since 1970 (UTC): orders and compares exactly as the datetimes do."""
    since = at - _EPOCH  # (read field by field: dividing by a microsecond converts both to integers first)
    return (since.days * 86400 + since.seconds) * 1_000_000 + since.microseconds


def _before(now: dt.datetime, now_us: int, window: dt.timedelta) -> int:
    """`micros(now - window)`, from `now_us` (`micros(now)`) where `now` has a fixed UTC offset, as every time
    read off the stream has (RFC 3339): there a window back is as many µs back (two datetime sums fewer)."""
    if type(now.tzinfo) in _FIXED_OFFSETS:
        return now_us - ((window.days * 86400 + window.seconds) * 1_000_000 + window.microseconds)
    return micros(now - window)


def record_line(record: TripRecord, memo: Memo | None = None) -> bytes:
    """`record` as one stored line (see the module's docstring; `memo`: the caller's, if any)."""
    f = fields_of(record)  # (one line per member of every trip: fields read from the dict)
    age: AgeRange | None = f["age"]
    flags = (b"c" if f["companions"] and not f["organised"] else b"-") + (b"x" if f["direction"] == "exit" else b"n")
    return b"%s%d\t%s\t%s\t%s\t%s" % (
        flags, micros(f["at"]), b"-" if age is None else b"%d" % age.low,
        orjson.dumps(f["checkpoint_country"]), orjson.dumps(f["event_id"]),
        record_json(record, memo))


def _line_at(line: bytes) -> int:
    return int(line[2:line.index(b"\t")])


def _order(line: bytes) -> tuple[int, str]:
    return _line_at(line), orjson.loads(line.split(b"\t", 4)[3])


def _since(lines: list[bytes], mine: bytes, since: int) -> list[bytes]:
    """The kept trips and `mine` later than `since` (µs), in the order kept (time, then event id)."""
    # Kept in time order, and most windows start before the oldest kept trip: then no bisection.
    first = 0 if not lines or _line_at(lines[0]) > since else bisect.bisect_right(lines, since, key=_line_at)
    window = lines[first:]
    mine_at = _line_at(mine)
    if mine_at > since:
        if window and _line_at(window[-1]) >= mine_at:
            window.insert(bisect.bisect_right(window, _order(mine), key=_order), mine)
        else:
            window.append(mine)
    return window


def record_of(line: bytes) -> bytes:
    return line.split(b"\t", 4)[4]


def _header(state: PersonState) -> bytes:
    return PersonState(alerts=state.alerts).model_dump_json(exclude_defaults=True).encode()


@dataclass
class Loaded:
    """A parsed state and the stored line of each of its trip records (written again as they are)."""

    state: PersonState
    lines: dict[str, tuple[TripRecord, bytes]] = field(default_factory=dict)


def dump(state: PersonState, lines: dict[str, tuple[TripRecord, bytes]] | None = None) -> bytes:
    """`state` as stored; `lines`: records already stored, reused when the state holds the same object."""
    out = [FORMAT, _header(state)]
    for trip in state.trips:
        kept = lines.get(trip.event_id) if lines else None
        out.append(kept[1] if kept is not None and kept[0] is trip else record_line(trip))
    return b"\n".join(out)


def load(stored: bytes) -> Loaded:
    if stored[:1] == b"{":  # plain JSON, as stored before P2
        return Loaded(PersonState.model_validate_json(stored))
    parts = stored.split(b"\n")
    header, lines = parts[1], parts[2:]
    records = b",".join(record_of(line) for line in lines)
    whole = b'{"trips":[' + records + (b"]}" if header == b"{}" else b"]," + header[1:])
    state = PersonState.model_validate_json(whole)
    return Loaded(state, {t.event_id: (t, line) for t, line in zip(state.trips, lines, strict=True)})


def load_state(stored: bytes) -> PersonState:
    return load(stored).state


def expired(stored: bytes, now: dt.datetime, cfg: PatternConfig) -> bool:
    """Nothing in this traveller's state can count any more: every kept trip is older than the horizon
    and every pattern alert's window has passed. A traveller who stopped crossing keeps such a state
    until it is deleted (a new crossing would start afresh, as for someone never seen)."""
    if stored[:1] == b"{":  # plain JSON, as stored before P2
        state = PersonState.model_validate_json(stored)
        return (all(now - trip.at > cfg.horizon for trip in state.trips)
                and all(now - alert.opened_at >= cfg.window(p) for p, alert in state.alerts.items()))
    start = stored.index(b"\n") + 1
    end = stored.find(b"\n", start)
    header = stored[start:] if end < 0 else stored[start:end]
    # Trips are kept in time order: the newest is the last line.
    if end >= 0 and _line_at(stored[stored.rfind(b"\n") + 1:]) >= micros(now - cfg.horizon):
        return False
    if header == b"{}":
        return True
    alerts = orjson.loads(header)["alerts"]
    return all(now - _at(alert, "opened_at") >= cfg.window(pattern) for pattern, alert in alerts.items())


def _at(raw: dict[str, Any], key: str = "at") -> dt.datetime:
    return dt.datetime.fromisoformat(raw[key])


def _may_shuttle(mine: bytes, lines: list[bytes], now: dt.datetime, now_us: int, cfg: PatternConfig) -> bool:
    """Whether a shuttle could be counted with the trip `mine` in (`lines`: the other kept trips): at least as many
    round trips as `detectors.shuttle_trips` could count, from the line prefixes. The same round trips (an
    adult's exit in the window, back into that country within `shuttle_return_within`), each with someone
    on its legs not on an earlier round trip's, before any companion is set aside (co-crossers not seen
    on the other side, one's own children): setting companions aside only ever counts fewer. Only trips
    in the window take part (a round trip starts in it; its legs follow)."""
    since = _before(now, now_us, cfg.shuttle_window)
    window = _since(lines, mine, since)
    with_companions = [0]  # trips with companions among the first k of the window
    for line in window:
        with_companions.append(with_companions[-1] + (line[0] == _COMPANIONS))
    if with_companions[-1] < cfg.shuttle_min_round_trips:
        return False  # each round trip counted has a leg of its own with companions
    # The round trips themselves, from the prefixes alone first (most travellers with companions make
    # fewer in the window): then no companion is read.
    fields = [line.split(b"\t", 3) for line in window]
    following = [-1] * len(window)  # the next trip in or out of the same country
    last: dict[bytes, int] = {}
    for k in range(len(window) - 1, -1, -1):
        following[k] = last.get(fields[k][2], -1)
        last[fields[k][2]] = k
    back_within = cfg.shuttle_return_within // _US
    spans: list[tuple[int, int]] = []
    for i, line in enumerate(window):
        if line[1] != _EXIT or fields[i][1] == b"-" or int(fields[i][1]) < cfg.adult_age:
            continue
        j = following[i]
        if j < 0 or window[j][1] == _EXIT or int(fields[j][0][2:]) - int(fields[i][0][2:]) > back_within:
            continue
        if with_companions[j + 1] > with_companions[i]:  # a round trip alone never counts
            spans.append((i, j))
    if len(spans) < cfg.shuttle_min_round_trips:
        return False
    # A companion's key is matched in the whole line: the prefix's JSON strings escape any quote in them.
    keys: list[frozenset[bytes] | None] = [None] * len(window)
    rounds = 0
    seen: set[bytes] = set()
    for i, j in spans:
        everyone: set[bytes] = set()
        for k in range(i, j + 1):
            found = keys[k]
            if found is None:
                found = keys[k] = (frozenset(_COMPANION_KEY.findall(window[k])) if window[k][0] == _COMPANIONS
                                   else frozenset())
            everyone |= found
        if everyone and seen.isdisjoint(everyone):
            rounds += 1
            if rounds >= cfg.shuttle_min_round_trips:
                return True
        seen |= everyone
    return False


def _companions(records: bytes) -> list[tuple[bytes, int, int, bytes]] | None:
    """(key, youngest, oldest, the rest of the companion's JSON) of each companion of known age in records'
    JSON; None when that cannot be read from the text (then nothing is ruled out)."""
    found = _COMPANION.findall(records)
    if len(found) != records.count(b'{"key":"'):  # every companion, and only they, start so
        return None
    return [(key, int(low), int(high), rest) for key, low, high, rest in found if low]


def _may_escort(pattern: PatternName, mine: bytes, lines: list[bytes], now: dt.datetime, now_us: int,
                cfg: PatternConfig) -> bool:
    """Whether an escort pattern could be found with `record` in, from the trips in its window: enough of
    an adult's trips with companions (no organised group), with enough different people on them who could
    count (a child with no family flag; a young person (15-25) of known sex, counted per sex), before
    anything else is checked (never seen before, travelled together, age gap, households, surname, the
    trips they were on): checking more only ever counts fewer."""
    minors = pattern == "repeat_escort_of_minors"
    since = _before(now, now_us, cfg.minors_window if minors else cfg.young_window)
    min_trips, min_people = ((cfg.minors_min_trips, cfg.minors_min_distinct) if minors
                             else (cfg.young_min_trips, cfg.young_min_distinct))
    legs = [fields[4] for line in _since(lines, mine, since) if line[0] == _COMPANIONS
            and (fields := line.split(b"\t", 4))[1] != b"-" and int(fields[1]) >= cfg.adult_age]
    if len(legs) < min_trips:
        return False
    companions = _companions(b"\n".join(legs))
    if companions is None:
        return True
    people: dict[bytes, set[bytes]] = {}  # minors: one pool (b""); young people: per sex
    for key, low, high, rest in companions:
        if minors:
            if high >= cfg.adult_age or b'"family":true' in rest or b'"family_adult":true' in rest:
                continue
            pool = b""
        else:
            sex = _SEX.search(rest)
            if sex is None or low < cfg.young_age_low or high > cfg.young_age_high:
                continue
            pool = sex.group(1)
        people.setdefault(pool, set()).add(key)
    return any(len(keys) >= min_people for keys in people.values())


def _may_decide(may: tuple[PatternName, ...], mine: bytes, lines: list[bytes], now: dt.datetime, now_us: int,
                cfg: PatternConfig, with_companions: int) -> bool:
    """Some detector could find something with the trip `mine` in (as `person.observe` would run them;
    `may`: the patterns the trip can add evidence for; `now_us`: `micros(now)`; `with_companions`: at least
    as many trips with companions as the state and `mine` hold, in any window)."""
    for pattern in may:
        if pattern == "shuttle_trips" and (with_companions < cfg.shuttle_min_round_trips
                                           or not _may_shuttle(mine, lines, now, now_us, cfg)):
            continue  # (each round trip counted has a leg of its own with companions)
        if pattern in ("repeat_escort_of_minors", "escort_of_young_adults") and (
                with_companions < (cfg.minors_min_trips if pattern == "repeat_escort_of_minors"
                                   else cfg.young_min_trips)
                or not _may_escort(pattern, mine, lines, now, now_us, cfg)):
            continue
        return True
    return False


def fold(stored: bytes | None, record: TripRecord, now: dt.datetime, cfg: PatternConfig) -> bytes | None:
    """The stored state with `record` in, or None when the full path must run (`person.observe`)."""
    return fold_line(stored, record_line(record), patterns_it_may_add(record, cfg), now, cfg)


def fold_line(stored: bytes | None, mine: bytes, may: tuple[PatternName, ...], now: dt.datetime,
              cfg: PatternConfig) -> bytes | None:
    """`fold` for a record given as its stored line (`record_line`) and the patterns it can add evidence for."""
    if stored and stored[:1] == b"{":
        return None  # stored before P2: the full path writes it anew
    parts = stored.split(b"\n") if stored else [FORMAT, b"{}"]
    header, lines = parts[1], parts[2:]
    fields = mine.split(b"\t", 4)
    eid, record_json = fields[3], fields[4]
    marker = b"\t" + eid + b"\t"  # a whole field: the event id's (or, by chance, the country's)
    before = None
    if stored and marker in stored:
        before = next((i for i in range(len(lines) - 1, -1, -1)
                       if marker in lines[i] and lines[i].split(b"\t", 4)[3] == eid), None)
    if before is not None:
        if record_of(lines[before]) == record_json:
            return None  # redelivered: its alert (if any) is sent again
        del lines[before]
    now_us = micros(now)
    # The trips with companions in the whole state bound those in any pattern's window, and need no window:
    # fewer than a pattern needs, and its bound (below) is not read at all.
    with_companions = int(mine[0] == _COMPANIONS)
    for line in lines:
        if line[0] == _COMPANIONS:
            with_companions += 1
    if _may_decide(may, mine, lines, now, now_us, cfg, with_companions):
        return None
    oldest = _before(now, now_us, cfg.horizon)
    # Kept in time order: the old ones lead (and mostly none is that old: then no bisection)
    first = 0 if not lines or _line_at(lines[0]) >= oldest else bisect.bisect_left(lines, oldest, key=_line_at)
    kept = lines[first:]
    at = _line_at(mine)
    if at >= oldest:
        kept.append(mine)
        if len(kept) > 1 and _line_at(kept[-2]) >= at:
            kept.sort(key=_order)
    kept = kept[-cfg.max_trips_kept:]
    if header != b"{}":
        alerts = orjson.loads(header)["alerts"]
        current = {p: a for p, a in alerts.items() if now - _at(a, "opened_at") < cfg.window(p)}
        if len(current) < len(alerts):
            header = orjson.dumps({"alerts": current}) if current else b"{}"
    return b"\n".join([FORMAT, header, *kept])
