"""The worker's two keyed steps (bytes in Faust tables) give the same alerts as the in-memory runner."""

from __future__ import annotations

import orjson
import pytest

from agents.patterns import PATTERNS, PatternConfig, PatternRunner, messages
from agents.patterns.member import member_of
from agents.patterns.parsed import ParsedStates
from agents.patterns.person import may_add_evidence
from agents.patterns.records import TripRecord, trip_record
from agents.patterns.solo import entry_key
from agents.patterns.steps import (
    BadMessage,
    TripMessage,
    checkpoint_of,
    checkpoint_step,
    checkpoint_steps,
    crossings_by_checkpoint,
    person_step,
    person_steps,
    tick,
)
from agents.patterns.stored import Loaded, load_state, record_line, record_of
from agents.patterns.trips import CheckpointState, add_crossing
from bench.patterns.generator import generate
from schemas.alerts import Alert
from schemas.events import BorderCrossing
from tests.patterns_factories import T0, cross, days, minutes, person

CFG = PatternConfig()


def _crossings() -> list:  # type: ignore[type-arg]
    adult = person("Somchai", "1975-02-03", nationality="THA", surname="Jaidee", doc="AA100")
    out = []
    for n, at in enumerate((T0, T0 + days(4), T0 + days(9))):
        child = person(["Ma Hla Phyu", "Ma Thiri Zin", "Ma Su Myat"][n], "2015", nationality="MMR", sex="F")
        out += [cross(adult, at, group=f"g{n}"), cross(child, at + minutes(0.5), group=f"g{n}"),
                cross(person(f"Other {n}", "1990", nationality="LAO"), at + minutes(30), checkpoint="LAO-X",
                      country="LAO")]
    return out


def _step(checkpoints: dict[bytes, bytes], alone: dict[str, int], key: bytes,
          value: bytes) -> list[tuple[bytes, bytes]]:
    """One checkpoint step as the worker's stage runs it: the checkpoint's entries of children and young
    people seen alone kept apart (`alone`, by `solo.entry_key`), the state and the entries it notes stored."""
    name = key.decode()
    stored, messages, noted = checkpoint_step(checkpoints.get(key), name, value, CFG,
                                              seen=lambda k: alone.get(entry_key(name, k)))
    alone.update((entry_key(name, k), day) for k, day in noted.items())
    if stored is not None:
        checkpoints[key] = stored
    return messages


def _through_steps(crossings: list, parsed: bool = False) -> tuple[dict[bytes, bytes], list[Alert]]:  # type: ignore[type-arg]
    """The worker's steps, ticking every checkpoint before each crossing (as the runner closes groups)."""
    checkpoints: dict[bytes, bytes] = {}
    alone: dict[str, int] = {}
    persons: dict[bytes, bytes] = {}
    got: list[Alert] = []
    kept: ParsedStates[Loaded] | None = ParsedStates(50) if parsed else None

    def deliver(messages: list[tuple[bytes, bytes]]) -> None:
        for key, value in messages:
            persons[key], alerts = person_step(persons.get(key), value, CFG, parsed=kept)
            got.extend(alerts)

    for c in crossings:
        value = c.model_dump_json().encode()
        for other in list(checkpoints):
            deliver(_step(checkpoints, alone, other, tick(c.occurred_at)))
        deliver(_step(checkpoints, alone, checkpoint_of(value), value))
    return persons, got


@pytest.mark.parametrize("parsed", [False, True])
def test_person_states_stored_by_the_steps_equal_the_runners(parsed: bool) -> None:
    """Most trips are folded into the stored bytes without building the state (agents/patterns/stored.py);
    the states read back equal those the runner builds, and the alerts are the same."""
    world = generate(3, 6, 0.05)
    crossings = [BorderCrossing.model_validate(raw) for raw in world.events]
    runner = PatternRunner(CFG)
    expected = [a for c in crossings for a in runner.add(c)]
    persons, got = _through_steps(crossings, parsed)
    assert [(a.alert_id, a.update) for a in got] == [(a.alert_id, a.update) for a in expected]
    assert persons.keys() == {k.encode() for k in runner.persons}
    for key, stored in persons.items():
        assert load_state(stored) == runner.persons[key.decode()]


def test_steps_match_the_runner() -> None:
    crossings = _crossings()
    runner = PatternRunner(CFG)
    expected = [a for c in crossings for a in runner.add(c)] + runner.finish()

    checkpoints: dict[bytes, bytes] = {}
    alone: dict[str, int] = {}
    persons: dict[bytes, bytes] = {}
    got: list[Alert] = []

    def deliver(messages: list[tuple[bytes, bytes]]) -> None:
        for key, value in messages:
            persons[key], alerts = person_step(persons.get(key), value, CFG)
            got.extend(alerts)

    for c in crossings:
        value = c.model_dump_json().encode()
        key = checkpoint_of(value)
        # the worker's timer ticks every checkpoint it holds; here: before each crossing
        for other in list(checkpoints):
            deliver(_step(checkpoints, alone, other, tick(c.occurred_at)))
        deliver(_step(checkpoints, alone, key, value))
    end = crossings[-1].occurred_at + CFG.group_complete_after
    for other in list(checkpoints):
        deliver(_step(checkpoints, alone, other, tick(end)))

    assert [(a.alert_id, a.hit_count, a.update) for a in got] == [(a.alert_id, a.hit_count, a.update) for a in expected]
    assert len(expected) == 2


def test_redelivered_trip_message_republishes_the_same_alert() -> None:
    crossings = _crossings()[:5]
    checkpoints: dict[bytes, bytes] = {}
    persons: dict[bytes, bytes] = {}
    first: list[Alert] = []
    deciding: tuple[bytes, bytes] | None = None
    for c in crossings:
        value = c.model_dump_json().encode()
        key = checkpoint_of(value)
        checkpoints[key], messages, _ = checkpoint_step(checkpoints.get(key), key.decode(), value, CFG)  # type: ignore[assignment]
        for person_key, message in messages:
            persons[person_key], alerts = person_step(persons.get(person_key), message, CFG)
            if alerts:
                deciding = (person_key, message)
            first += alerts
    # The second child's crossing decided it, with no group complete yet.
    assert len(first) == 1 and deciding is not None
    key, value = deciding
    _, again = person_step(persons[key], value, CFG)
    assert [(a.alert_id, a.hit_count) for a in again] == [(first[0].alert_id, first[0].hit_count)]


def test_bad_messages_are_refused_clearly() -> None:
    with pytest.raises(BadMessage):
        checkpoint_step(None, "X", b"{not json", CFG)
    with pytest.raises(BadMessage):
        checkpoint_step(None, "X", b'{"event_type": "border_crossing"}', CFG)
    with pytest.raises(BadMessage):
        person_step(None, b'{"now": 1}', CFG)
    assert checkpoint_of(b"garbage") == b"?"
    assert checkpoint_step(None, "X", tick(T0), CFG) == (None, [], {})


def test_a_record_message_carries_the_members_record_and_what_it_may_add() -> None:
    adult = person("Somchai", "1975-02-03", nationality="THA", surname="Jaidee", doc="AA100")
    child = person("Ma Hla Phyu", "2015", nationality="MMR", sex="F")
    stored, _, _ = checkpoint_step(None, "THA-MSI", cross(adult, T0, group="g").model_dump_json().encode(), CFG)
    _, sent, _ = checkpoint_step(stored, "THA-MSI",
                              cross(child, T0 + minutes(0.5), group="g").model_dump_json().encode(), CFG)
    (key, value), = sent  # the adult: the child is not told about the group it joined
    decoded = messages.decode(value)
    record = TripRecord.model_validate_json(record_of(decoded.line))
    assert key.decode() == decoded.traveller.key and decoded.traveller.document == "AA100"
    assert decoded.by != record.event_id and decoded.now == T0 + minutes(0.5)
    assert [c.age for c in record.companions] == [(10, 11)] and not record.companions[0].family
    assert decoded.may == tuple(p for p in PATTERNS if may_add_evidence(p, record, CFG))
    assert "repeat_escort_of_minors" in decoded.may and "unaccompanied_minor" not in decoded.may
    assert record_line(record) == decoded.line  # the line the person's state keeps, as it would write it
    for bad in (b"R1\n{}\n-x1\t2\t3\t4\t{}", b"R1\nnot json\n" + decoded.line, b"R1\n" + value.split(b"\n")[1]):
        with pytest.raises(BadMessage):
            person_step(None, bad, CFG)


def test_the_trip_messages_sent_before_record_messages_are_still_read() -> None:
    """Messages of the older form (the whole trip) in the topic when the worker is upgraded: the same state
    and alerts as the record messages that replace them."""
    state = CheckpointState(checkpoint_id="THA-MSI", checkpoint_country="THA")
    persons_new: dict[bytes, bytes] = {}
    persons_old: dict[bytes, bytes] = {}
    new_alerts: list[Alert] = []
    old_alerts: list[Alert] = []
    for c in _crossings():
        if c.checkpoint_id != "THA-MSI":
            continue
        state, deliveries = add_crossing(state, member_of(c), c.travel_group_id, c.occurred_at, CFG)
        for trip, to, by in deliveries:
            for m in to:
                old = TripMessage(now=c.occurred_at, trip=trip, member=m.event_id, by=by).model_dump_json().encode()
                new = messages.encode(orjson.dumps(c.occurred_at), by, m, trip_record(trip, m, CFG), CFG)
                key = m.key.encode()
                persons_old[key], found = person_step(persons_old.get(key), old, CFG)
                old_alerts += found
                persons_new[key], found = person_step(persons_new.get(key), new, CFG)
                new_alerts += found
    assert persons_old == persons_new
    assert len(new_alerts) == 2 and [a.model_dump() for a in old_alerts] == [a.model_dump() for a in new_alerts]


def test_a_bundle_of_crossings_at_a_checkpoint_is_the_same_as_one_by_one_and_skips_only_the_bad_one() -> None:
    values = [c.model_dump_json().encode() for c in _crossings() if c.checkpoint_id == "THA-MSI"]
    one_by_one: bytes | None = None
    sent_one_by_one: list[tuple[bytes, bytes]] = []
    for value in values:
        stored, sent, _ = checkpoint_step(one_by_one, "THA-MSI", value, CFG)
        one_by_one = stored if stored is not None else one_by_one
        sent_one_by_one += sent
    with_bad = [*values[:2], b"{not json", tick(T0), *values[2:]]
    stored, sent, bad, _ = checkpoint_steps(None, "THA-MSI", with_bad, CFG)
    assert stored == one_by_one and sent == sent_one_by_one and len(sent) >= len(values) - 1
    assert bad == ["not a border crossing"]
    assert checkpoint_steps(stored, "THA-MSI", [tick(T0)], CFG) == (None, [], [], {})  # nothing due: unchanged


def test_a_bundle_of_records_for_a_person_is_the_same_as_one_by_one() -> None:
    values = [c.model_dump_json().encode() for c in _crossings() if c.checkpoint_id == "THA-MSI"]
    _, sent, _, _ = checkpoint_steps(None, "THA-MSI", values, CFG)
    adult = sent[0][0]
    records = [value for key, value in sent if key == adult]
    assert len(records) >= 3
    state, alerts = None, []
    for value in records:
        state, found = person_step(state, value, CFG)
        alerts += found
    stored, together, bad = person_steps(None, [records[0], b"R1\nbroken", *records[1:]], CFG)
    assert stored == state and bad == ["not a record message"]
    assert [a.alert_id for a in together] == [a.alert_id for a in alerts] and alerts
    assert person_steps(state, [], CFG) == (None, [], [])


def test_crossings_are_keyed_by_checkpoint_for_routing_in_order_and_those_without_one_left_out() -> None:
    values = [c.model_dump_json().encode() for c in _crossings()]
    routed = crossings_by_checkpoint([values[0], b'{"checkpoint_id": " "}', b"{bad", *values[1:]])
    assert routed == [(checkpoint_of(v), v) for v in values]


def test_messages_from_several_checkpoints_are_put_in_time_order_for_their_travellers() -> None:
    earlier, later = _crossings()[3:5], _crossings()[6:8]  # the adult's trips on day 4 and day 9
    at_a, at_b = (checkpoint_steps(None, cp, [c.model_dump_json().encode() for c in trip], CFG)[1]
                  for cp, trip in (("A", later), ("B", earlier)))
    bundle = [*at_a, *at_b, (b"k", b"not a record message")]  # checkpoint A's (day 9) made first
    ordered = messages.in_time_order(bundle)
    clocks = [messages.decode(v).now for _, v in ordered if messages.is_record_message(v)]
    assert clocks == sorted(clocks) and clocks != [messages.decode(v).now for _, v in bundle[:-1]]
    assert sorted(ordered) == sorted(bundle)
    assert messages.in_time_order(at_a) == at_a  # already in order: unchanged
