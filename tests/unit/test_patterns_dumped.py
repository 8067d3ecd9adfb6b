"""The per-crossing path's shortcuts are exact: the JSON of `agents/patterns/dumped.py` is pydantic's, byte for
byte; the compiled age tests (`adults`) are the models' methods; the identity from its parts is `identity_key`;
the memo of a booth's quantile answers for the gaps it is given; a model made or copied without validation
shares no set of fields it could change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from agents.alerting.ids import best_document
from agents.patterns import (
    PATTERNS,
    CheckpointState,
    PatternConfig,
    add_crossing,
    adults,
    member,
    member_of,
    pace,
    person,
    stored,
    trips,
)
from agents.patterns.age import AgeRange
from agents.patterns.dumped import checkpoint_json, record_json
from agents.patterns.identity import family_tokens, identity_key, key_from_parts
from agents.patterns.memo import Memo
from agents.patterns.models import BoothPace, Companion, Member, OpenGroup, TripRecord, Waiting
from agents.patterns.records import trip_record
from agents.patterns.unvalidated import evolve, new
from bench.patterns.generator import generate
from schemas.events import BorderCrossing

CFG = PatternConfig()
AT = dt.datetime(2026, 3, 1, 8, 30, 5, 120, tzinfo=dt.UTC)


def _pydantic(model: CheckpointState | TripRecord) -> bytes:
    return model.model_dump_json(exclude_defaults=True).encode()


def _member(event_id: str, **fields: object) -> Member:
    return Member.model_validate({"key": "k-" + event_id, "event_id": event_id, "at": AT, "direction": "exit",
                                  "age": (30, 31), **fields})


def test_generated_states_and_records_are_written_as_pydantic_writes_them() -> None:
    states = records = 0
    memo = Memo()  # one for the run, as a worker's: members and times written before are written from it
    for one_sided in (False, True):
        world = generate(3, 6, 0.05, one_sided=one_sided)
        kept: dict[str, CheckpointState] = {}
        for raw in world.events:
            crossing = BorderCrossing.model_validate(raw)
            state = kept.get(crossing.checkpoint_id) or CheckpointState(
                checkpoint_id=crossing.checkpoint_id, checkpoint_country=crossing.checkpoint_country)
            assert checkpoint_json(state, memo) == _pydantic(state)
            state, deliveries = add_crossing(state, member_of(crossing, CFG.identity_salt),
                                             crossing.travel_group_id, crossing.occurred_at, CFG, memo)
            kept[crossing.checkpoint_id] = state
            assert checkpoint_json(state, memo) == checkpoint_json(state) == _pydantic(state)
            states += 1
            for trip, to, _ in deliveries:
                for m in to:
                    record = trip_record(trip, m, CFG)
                    assert record_json(record, memo) == record_json(record) == _pydantic(record)
                    records += 1
    assert states > 500 and records > 500


def test_every_field_is_written_as_pydantic_writes_it() -> None:
    everything = _member("e1", sex="F", nationality="MMR", family=["b", "a"], names=["c", "a", "b"],
                         has_surname=True, display_name="Daw Khin \u1000\x1f\"q\"", document="MA123")
    bare = _member("e2", age=None)
    state = CheckpointState(
        checkpoint_id="MMR-1", checkpoint_country="MMR",
        groups={"c\x1fexit": OpenGroup(linked_by="co_crossing", direction="exit", last_at=AT,
                                       members=(everything, bare), queue=True, line=True, held=True, near=True),
                "g\x1fentry\x1fG1": OpenGroup(linked_by="group", direction="entry", last_at=AT)},
        recent={"e1": AT, "e2": AT.astimezone(dt.timezone(dt.timedelta(hours=7)))},
        baseline={"2026-03-01": (4, 1)}, solo={"abc": 739000}, party_gaps=(3, 5), child_pauses=(7,),
        pace={"exit": BoothPace(10, None, 3, (Waiting(9, None, 1), Waiting(8, 2, 0))), "entry": BoothPace(4, 4, 0)},
        adult_until={"exit": AT})
    assert checkpoint_json(state) == _pydantic(state)
    empty = CheckpointState(checkpoint_id="MMR-1", checkpoint_country="MMR")
    assert checkpoint_json(empty) == _pydantic(empty) == b'{"checkpoint_id":"MMR-1","checkpoint_country":"MMR"}'

    companion = Companion(key="k2", event_id="e2", age=AgeRange(9, 10), sex="M", nationality="THA", family=True,
                          family_name=True, surname=True, family_adult=True, households=frozenset({"z", "y"}),
                          regular=True)
    record = TripRecord(trip_id="t1", checkpoint_id="MMR-1", checkpoint_country="MMR", direction="entry", at=AT,
                        event_id="e1", age=None, sex="X", nationality="MMR", linked_by="queue", organised=True,
                        complete=False, companions=(companion, Companion(key="k3", event_id="e3", age=None)),
                        unaccompanied_share=0.05263157894736842)
    assert record_json(record) == _pydantic(record)
    plain = TripRecord(checkpoint_id="MMR-1", checkpoint_country="MMR", direction="exit", at=AT, event_id="e1",
                       age=AgeRange(40, 41))
    assert record_json(plain) == _pydantic(plain)


def test_a_member_written_before_is_written_again_when_it_is_another_object() -> None:
    memo = Memo()
    first = _member("e1", display_name="A")
    state = CheckpointState(checkpoint_id="X-1", checkpoint_country="XXX", groups={
        "c\x1fexit": OpenGroup(linked_by="co_crossing", direction="exit", last_at=AT, members=(first,))})
    assert checkpoint_json(state, memo) == _pydantic(state)
    assert memo.members["e1"][0] is first  # kept for the next state written
    other = _member("e1", display_name="B")  # the same event id, another member (a test, a recovery)
    changed = state.model_copy(update={"groups": {"c\x1fexit": OpenGroup(
        linked_by="co_crossing", direction="exit", last_at=AT, members=(other,))}})
    assert checkpoint_json(changed, memo) == _pydantic(changed)
    assert b'"display_name":"B"' in checkpoint_json(changed, memo)


def test_a_time_written_before_is_written_again_when_it_is_another_object() -> None:
    memo = Memo()
    state = CheckpointState(checkpoint_id="X-1", checkpoint_country="XXX", recent={"e1": AT})
    assert checkpoint_json(state, memo) == _pydantic(state)
    assert memo.times[id(AT)][0] is AT
    # Another datetime under the kept one's identity (as when the kept one was freed and its memory reused).
    later = AT + dt.timedelta(hours=1)
    memo.times[id(later)] = memo.times.pop(id(AT))
    moved = evolve(state, {"recent": {"e1": later}})
    assert checkpoint_json(moved, memo) == _pydantic(moved)
    assert b"09:30:05" in checkpoint_json(moved, memo)


def test_a_checkpoints_baseline_is_written_once_while_it_is_the_same_object() -> None:
    memo = Memo()
    solo = {f"{i:012x}": 739000 + i % 7 for i in range(3000)}  # as a state written before they were stored apart
    state = CheckpointState(checkpoint_id="X-1", checkpoint_country="XXX", solo=solo,
                            baseline={"2026-03-01": (4, 1)})
    assert checkpoint_json(state, memo) == _pydantic(state)
    kept = memo.baselines["X-1"]
    crossed = evolve(state, {"recent": {"e1": AT}})  # another crossing: the same maps
    assert checkpoint_json(crossed, memo) == _pydantic(crossed)
    assert memo.baselines["X-1"][1] is kept[1]  # not written again
    noted = evolve(crossed, {"solo": {**solo, "fff": 739010}, "baseline": {"2026-03-01": (5, 2)}})  # replaced
    assert checkpoint_json(noted, memo) == _pydantic(noted)
    assert b'"fff":739010' in checkpoint_json(noted, memo) and b"[5,2]" in checkpoint_json(noted, memo)
    assert memo.baselines["X-1"][0] is noted.baseline  # the map replaced is let go
    # Another checkpoint's state with the same maps, and with others.
    other = evolve(noted, {"checkpoint_id": "X-2"})
    assert checkpoint_json(other, memo) == _pydantic(other)
    again = evolve(other, {"solo": {"abc": 1}, "baseline": {}})
    assert checkpoint_json(again, memo) == _pydantic(again)
    assert checkpoint_json(noted, memo) == _pydantic(noted)


def test_a_checkpoint_state_is_written_as_pydantic_writes_it_as_its_fields_are_replaced() -> None:
    group = OpenGroup(linked_by="co_crossing", direction="exit", last_at=AT, members=(_member("e1"),))
    state = CheckpointState(checkpoint_id="X-2", checkpoint_country="XXX", groups={"c\x1fexit": group},
                            baseline={"2026-03-01": (4, 1)}, solo={"abc": 739000}, party_gaps=(3, 5),
                            child_pauses=(7,), pace={"exit": BoothPace(10, None, 3, (Waiting(9, None, 1),))},
                            adult_until={"exit": AT})
    memo = Memo()
    assert checkpoint_json(state, memo) == _pydantic(state)
    # The same objects again, then each field replaced by another object.
    same = evolve(state, {"recent": {"e1": AT}})
    assert checkpoint_json(same, memo) == _pydantic(same)
    replaced = evolve(same, {
        "groups": {"c\x1fexit": evolve(group, {"queue": True}),
                   "c\x1fentry": OpenGroup(linked_by="co_crossing", direction="entry", last_at=AT)},
        "baseline": {"2026-03-01": (5, 1)}, "solo": {}, "party_gaps": (3, 5, 8), "child_pauses": (7, 2),
        "pace": {"exit": BoothPace(11, 11, 0)}, "adult_until": {"entry": AT}})
    assert checkpoint_json(replaced, memo) == _pydantic(replaced)
    # Another checkpoint's state holding the same objects; then the first one's, parsed anew.
    other = evolve(replaced, {"checkpoint_id": "X-3"})
    assert checkpoint_json(other, memo) == _pydantic(other)
    parsed = CheckpointState.model_validate_json(checkpoint_json(replaced, memo))
    assert checkpoint_json(parsed, memo) == _pydantic(parsed) == _pydantic(replaced)


@pytest.mark.parametrize("age", [None, AgeRange(0, 0), AgeRange(17, 17), AgeRange(17, 18), AgeRange(18, 18),
                                 AgeRange(15, 25), AgeRange(14, 26), AgeRange(40, 41)])
def test_the_compiled_age_tests_are_the_methods(age: AgeRange | None) -> None:
    member = _member("e1", age=age)
    for years in (15, 18, 25):
        assert adults.is_adult(age, years) == member.is_adult(years)
        assert adults.is_minor(age, years) == member.is_minor(years)
        assert adults.may_be_adult(age, years) == member.may_be_adult(years)
    assert adults.within(age, 15, 25) == (age is not None and age.within(15, 25))
    record = TripRecord(checkpoint_id="X-1", checkpoint_country="XXX", direction="exit", at=AT, event_id="e1",
                        age=age)
    assert adults.is_adult(age, CFG.adult_age) == record.is_adult(CFG)


def test_the_identity_from_its_parts_is_identity_key() -> None:
    for raw in generate(2, 3, 0.05).events[:300]:
        person = BorderCrossing.model_validate(raw).traveler
        names = person.names()
        assert key_from_parts(best_document(person), names, person.date_of_birth, "s", "f") == identity_key(
            person, "s", "f")
        assert family_tokens(person, "s", names) == family_tokens(person, "s")


def test_a_booths_quantile_answers_for_the_gaps_given() -> None:
    memo = Memo()
    gaps = tuple(range(1, 40))
    assert trips._quantile(memo, gaps, 0.9) == pace.quantile(gaps, 0.9)
    longer = (*gaps[1:], 500)  # a gap added: another tuple
    assert trips._quantile(memo, longer, 0.9) == pace.quantile(longer, 0.9) != pace.quantile(gaps, 0.9)
    assert trips._quantile(memo, gaps, 0.9) == pace.quantile(gaps, 0.9)
    assert trips._quantile(memo, gaps, 0.95) == pace.quantile(gaps, 0.95)


def test_models_made_without_validation_share_no_set_they_change() -> None:
    made = new(OpenGroup, {"linked_by": "group", "direction": "exit", "last_at": AT, "members": (), "queue": False,
                           "line": False, "held": False, "near": False})
    assert made.model_fields_set == set(OpenGroup.model_fields)
    copied = evolve(made, {"queue": True})
    assert copied.queue and not made.queue and copied.model_fields_set == made.model_fields_set
    validated = OpenGroup(linked_by="group", direction="exit", last_at=AT)
    grown = evolve(validated, {"held": True})
    assert validated.model_fields_set == {"linked_by", "direction", "last_at"}  # the original's is unchanged
    assert grown.model_fields_set == {"linked_by", "direction", "last_at", "held"}
    assert evolve(grown, {"held": False}).model_fields_set == grown.model_fields_set


def test_a_checkpoints_window_follows_its_gaps() -> None:
    memo = Memo()  # one for every question, as a worker's
    state = CheckpointState(checkpoint_id="X-1", checkpoint_country="XXX", party_gaps=tuple([10] * 40))
    assert trips.co_crossing_window(state, CFG, memo) == CFG.co_crossing_window  # gaps narrower than the window
    wide = evolve(state, {"party_gaps": tuple([200] * 40)})
    assert trips.co_crossing_window(wide, CFG, memo) == min(dt.timedelta(seconds=200 * CFG.window_over_gaps),
                                                            CFG.group_complete_after)
    other = CFG.model_copy(update={"learn_window_from": 1000})  # another config: not learnt yet
    assert trips.co_crossing_window(wide, other, memo) == other.co_crossing_window
    assert trips.co_crossing_window(state, CFG, memo) == CFG.co_crossing_window
    paced = evolve(state, {"party_gaps": (), "child_pauses": tuple([300] * 40)})  # only the pauses learnt
    assert trips.co_crossing_window(paced, CFG, memo) == trips.co_crossing_window(paced, CFG) > CFG.co_crossing_window


def test_a_window_back_in_microseconds_is_the_instant_a_window_back() -> None:
    windows = (CFG.horizon, CFG.shuttle_window, CFG.minors_window, dt.timedelta(hours=49, microseconds=7))
    parsed = TripRecord.model_validate_json(b'{"checkpoint_id":"X-1","checkpoint_country":"XXX","direction":"exit",'
                                            b'"at":"2026-03-29T01:30:00.5+07:00","event_id":"e1","age":null}').at
    dst = dt.datetime(2026, 3, 30, 1, 30, tzinfo=ZoneInfo("Europe/Berlin"))  # a window back crosses a DST change
    for now in (parsed, parsed.astimezone(dt.UTC), parsed.astimezone(dt.timezone(dt.timedelta(hours=-3))), dst):
        for window in windows:
            assert stored._before(now, stored.micros(now), window) == stored.micros(now - window)


def test_times_of_one_offset_share_their_tzinfo_and_print_as_before() -> None:
    raw = (b'{"checkpoint_id":"X-1","checkpoint_country":"XXX","direction":"exit","at":"%s","event_id":"e1",'
           b'"age":null}')
    for text in (b"2026-03-29T01:30:00.5+07:00", b"2026-03-29T01:31:00+07:00", b"2026-03-29T01:30:00Z",
                 b"2026-03-29T01:30:00-03:30"):
        parsed = TripRecord.model_validate_json(raw % text)
        shared = member.shared_offset(parsed.at)
        assert shared == parsed.at and shared.utcoffset() == parsed.at.utcoffset()
        assert evolve(parsed, {"at": shared}).model_dump_json() == parsed.model_dump_json()
    first = member.shared_offset(TripRecord.model_validate_json(raw % b"2026-03-29T01:30:00+07:00").at)
    second = member.shared_offset(TripRecord.model_validate_json(raw % b"2026-03-29T09:00:00+07:00").at)
    assert first.tzinfo is second.tzinfo  # compared field by field, without asking each for its offset


def test_the_patterns_a_record_may_add_are_may_add_evidences() -> None:
    seen: set[str] = set()
    for one_sided in (False, True):
        kept: dict[str, CheckpointState] = {}
        for raw in generate(3, 10, 0.05, one_sided=one_sided).events:
            crossing = BorderCrossing.model_validate(raw)
            state = kept.get(crossing.checkpoint_id) or CheckpointState(
                checkpoint_id=crossing.checkpoint_id, checkpoint_country=crossing.checkpoint_country)
            state, deliveries = add_crossing(state, member_of(crossing, CFG.identity_salt),
                                             crossing.travel_group_id, crossing.occurred_at, CFG)
            kept[crossing.checkpoint_id] = state
            for trip, to, _ in deliveries:
                for m in (*to, *trip.members):
                    record = trip_record(trip, m, CFG)
                    may = person.patterns_it_may_add(record, CFG)
                    assert may == tuple(p for p in PATTERNS if person.may_add_evidence(p, record, CFG))
                    seen.update(may)
    assert seen == set(PATTERNS)  # every pattern asked for


@pytest.mark.parametrize("at", [0, 7, 10, 1788222857123456, -1, -1788222857123456])
def test_a_stored_lines_time_is_read_as_written(at: int) -> None:
    line = b"cx%d\t35\t\"THA\"\t\"e1\"\t{}" % at
    assert stored._line_at(line) == at == int(line[2:line.index(b"\t")])
    record = TripRecord(checkpoint_id="X-1", checkpoint_country="XXX", direction="exit", at=AT, event_id="e1",
                        age=None)
    assert stored._line_at(stored.record_line(record)) == stored.micros(AT)


def test_a_window_is_the_trips_after_its_start_with_or_without_older_ones() -> None:
    lines = [b"cx%d\t35\t\"THA\"\t\"e%d\"\t{}" % (at, at) for at in (10, 20, 30, 40)]
    mine = b"-n50\t35\t\"THA\"\t\"e50\"\t{}"
    assert stored._since(lines, mine, 5) == [*lines, mine]  # the window starts before every kept trip
    assert stored._since(lines, mine, 20) == [*lines[2:], mine]
    assert stored._since(lines, mine, 60) == []
    assert stored._since([], mine, 5) == [mine]
