"""A person's state as the worker stores it (agents/patterns/stored.py): read back exactly, folded without
parsing only when no detector can fire, and read from the JSON stored before."""

from __future__ import annotations

import datetime as dt

from agents.patterns import CheckpointState, PatternConfig, PersonState, add_crossing, member_of, observe
from agents.patterns.age import AgeRange
from agents.patterns.person import observe_record
from agents.patterns.records import Companion, TripRecord
from agents.patterns.steps import checkpoint_step, tick, wake_at
from agents.patterns.stored import _companions, dump, expired, fold, load, load_state, record_line
from tests.patterns_factories import T0, cross, days, minutes, person

CFG = PatternConfig()


def _record(event_id: str, at: dt.datetime, companions: tuple[Companion, ...] = (), **kw: object) -> TripRecord:
    return TripRecord(checkpoint_id="THA-MSI", checkpoint_country="THA", direction="exit", at=at,
                      event_id=event_id, age=AgeRange(40, 40), companions=companions, **kw)  # type: ignore[arg-type]


def _escort_state() -> tuple[PersonState, list]:  # type: ignore[type-arg]
    adult = person("Somchai", "1975-02-03", nationality="THA", surname="Jaidee", doc="AA100")
    state, states = PersonState(), []
    for n, name in enumerate(("Ma Hla Phyu", "Ma Thiri Zin")):
        child = person(name, "2015", nationality="MMR", sex="F")
        cp = CheckpointState(checkpoint_id="THA-MSI", checkpoint_country="THA")
        at = T0 + days(3 * n)
        for c in (cross(adult, at, group=f"g{n}"), cross(child, at + minutes(0.5), group=f"g{n}")):
            cp, sent = add_crossing(cp, member_of(c), c.travel_group_id, c.occurred_at, CFG)
        trip = sent[-1].trip
        subject = next(m for m in trip.members if m.is_adult(CFG.adult_age))
        state, _ = observe(state, trip, subject, at + minutes(1), CFG)
        states.append(state)
    return state, states


def test_states_read_back_equal_and_the_old_json_is_still_read() -> None:
    state, _ = _escort_state()
    assert state.alerts and state.trips
    stored = dump(state)
    assert stored.startswith(b"P2\n")
    assert load_state(stored) == state
    old = state.model_dump_json(exclude_defaults=True).encode()  # as stored before P2
    assert load_state(old) == state
    assert fold(old, state.trips[-1], T0 + days(4), CFG) is None  # rewritten through the full path
    assert load_state(dump(PersonState())) == PersonState()


def test_unchanged_records_are_written_as_they_were_read() -> None:
    state, _ = _escort_state()
    loaded = load(dump(state))
    assert dump(loaded.state, loaded.lines) == dump(state)


def test_a_trip_alone_is_folded_and_reads_back_as_observe_keeps_it() -> None:
    state, _ = _escort_state()
    later = _record("alone-1", T0 + days(8))
    folded = fold(dump(state), later, T0 + days(8), CFG)
    assert folded is not None
    expected, findings = observe_record(state, later, "adult", T0 + days(8), CFG)
    assert findings == []
    assert load_state(folded) == expected


def test_a_trip_that_may_decide_or_was_redelivered_takes_the_full_path() -> None:
    _, (first, both) = _escort_state()
    second = both.trips[-1]
    assert fold(dump(first), second, second.at, CFG) is None  # the second child: an escort may be found
    assert fold(dump(both), second, second.at, CFG) is None  # redelivered: its alert is sent again


def test_trips_out_of_order_are_kept_in_time_order_and_old_ones_dropped() -> None:
    stored = None
    for i, at in enumerate((T0, T0 + days(40), T0 + days(39), T0 + days(39))):
        stored = fold(stored, _record(f"e{3 - i}", at), T0 + days(40), CFG)
        assert stored is not None
    state = load_state(stored)
    assert [(t.at, t.event_id) for t in state.trips] == [(T0 + days(39), "e0"), (T0 + days(39), "e1"),
                                                          (T0 + days(40), "e2")]


def test_companions_are_read_from_the_text_or_not_at_all() -> None:
    odd = Companion(key="k1", event_id='a "quoted" {braced}\\ id', age=AgeRange(16, 17), sex="F", family=True)
    unknown = Companion(key="k2", event_id="e2", age=None, sex="M")
    child = Companion(key="k3", event_id="e3", age=AgeRange(5, 5), family_adult=True)
    text = _record("e0", T0, (odd, unknown, child)).model_dump_json(exclude_defaults=True).encode()
    found = _companions(text)
    assert found is not None
    assert [(k, lo, hi) for k, lo, hi, _ in found] == [(b"k1", 16, 17), (b"k3", 5, 5)]
    assert b'"family":true' in found[0][3] and b'"family_adult":true' in found[1][3]
    assert _companions(text.replace(b'"age":[5,5]', b'"age":"five"')) is None  # unreadable: nothing ruled out


def test_a_checkpoint_is_woken_only_once_a_group_may_be_complete() -> None:
    value = cross(person("A", "1980"), T0, group="g").model_dump_json().encode()
    stored, _, _ = checkpoint_step(None, "THA-MSI", value, CFG)
    assert stored is not None
    wake = wake_at(CheckpointState.model_validate_json(stored), CFG)
    assert wake == T0 + CFG.group_complete_after
    assert checkpoint_step(stored, "THA-MSI", tick(wake - dt.timedelta(seconds=1)), CFG) == (None, [], {})
    closed, _, _ = checkpoint_step(stored, "THA-MSI", tick(wake), CFG)
    assert closed is not None and wake_at(CheckpointState.model_validate_json(closed), CFG) is None


def test_a_state_expires_once_no_trip_and_no_open_alert_can_count() -> None:
    state, _ = _escort_state()  # two trips and an open repeat-escort alert
    newest = state.trips[-1].at
    opened = max(alert.opened_at for alert in state.alerts.values())
    gone = max(newest + CFG.horizon, opened + CFG.minors_window) + minutes(1)
    for stored in (dump(state), state.model_dump_json(exclude_defaults=True).encode()):  # P2 and plain JSON
        assert not expired(stored, newest + CFG.horizon, CFG)  # the newest trip still counts (as `fold` keeps it)
        assert expired(stored, gone, CFG)
    trips_only = dump(state.model_copy(update={"alerts": {}}))
    assert expired(trips_only, newest + CFG.horizon + minutes(1), CFG)
    alert_only = dump(state.model_copy(update={"trips": ()}))
    assert not expired(alert_only, opened + CFG.minors_window - minutes(1), CFG)  # the alert still holds
    assert expired(alert_only, opened + CFG.minors_window, CFG)
    assert expired(dump(PersonState()), T0, CFG)


def test_the_sweep_deletes_only_the_states_that_expired() -> None:
    import asyncio

    from streams.stages.patterns import sweep_persons

    state, _ = _escort_state()
    newest = state.trips[-1].at
    later = fold(dump(state.model_copy(update={"alerts": {}})), _record("later-1", newest + days(20)),
                 newest + days(20), CFG)
    assert later is not None
    persons = {"gone": dump(state.model_copy(update={"alerts": {}})).decode(), "back": later.decode()}
    deleted = asyncio.run(sweep_persons(persons, newest + CFG.horizon + minutes(1), CFG, yield_every=1))
    assert deleted == 1 and list(persons) == ["back"]


def test_a_stored_line_is_the_same_bytes_whatever_order_its_sets_were_built_in() -> None:
    marks = [f"mark{n:02d}" for n in range(12)]
    lines = {record_line(_record("e1", T0, (Companion(key="k", event_id="e2", age=AgeRange(9, 9),
                                                      households=frozenset(order)),)))
             for order in (marks, marks[::-1], marks[5:] + marks[:5])}
    (line,) = lines  # a set iterates in the process's hash order: the stored bytes must not
    assert b'"households":[%s]' % b",".join(b'"%s"' % m.encode() for m in marks) in line
