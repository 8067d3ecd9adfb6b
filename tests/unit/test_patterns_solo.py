"""Children and young people seen crossing alone: entries of their own per (checkpoint, traveller), read and
written by a step only for the members it looks at, forgotten after `baseline_days` (agents/patterns/solo.py)."""

from __future__ import annotations

import asyncio

from agents.patterns import CheckpointState, PatternConfig, PatternRunner, member_of
from agents.patterns.solo import cached, decode, encode, entry_key, expired
from agents.patterns.steps import checkpoint_step, checkpoint_steps
from agents.patterns.trips import _solo_key
from schemas.events import BorderCrossing
from streams.stages.patterns import sweep_solo
from tests.patterns_factories import T0, cross, days, minutes, person

CFG = PatternConfig()
CP = "THA-MSI"


def _value(c: BorderCrossing) -> bytes:
    return c.model_dump_json().encode()


def _key(c: BorderCrossing) -> str:
    return _solo_key(member_of(c, CFG.identity_salt))


def test_a_child_alone_is_returned_as_an_entry_and_the_state_stored_without_it() -> None:
    child = person("Kid", "2014-02-02", nationality="MMR")
    first = cross(child, T0)
    stored, _, noted = checkpoint_step(None, CP, _value(first), CFG)
    assert noted == {}  # not yet: alone only once nobody joined within the window
    stored, _, noted = checkpoint_step(stored, CP, _value(cross(person("Later", "1970"), T0 + minutes(30))), CFG)
    assert noted == {_key(first): T0.date().toordinal()}
    assert stored is not None and b'"solo"' not in stored
    assert CheckpointState.model_validate_json(stored).solo == {}


def test_a_later_party_reads_the_entry_and_names_the_child_a_regular() -> None:
    child, stranger = person("Kid", "2014-02-02", nationality="MMR"), person("Stranger", "1980", surname="S")
    runner = PatternRunner(CFG)
    for c in (cross(child, T0), cross(stranger, T0 + days(2)), cross(child, T0 + days(2) + minutes(0.5))):
        runner.add(c)
    runner.finish()
    assert list(runner.solo) == [entry_key(CP, _key(cross(child, T0)))]
    assert runner.checkpoints[CP].solo == {}  # kept apart, as the worker's table keeps them


def test_a_step_asks_only_for_the_members_it_looks_at_once_each_and_notes_what_it_read_as_is() -> None:
    """What a bundle reads and writes is bounded by its members, not by how many the checkpoint remembers."""
    child, stranger = person("Kid", "2014-02-02", nationality="MMR"), person("Stranger", "1980", surname="S")
    asked: list[str] = []
    stored_day = (T0 + days(1)).date().toordinal()
    kid = _key(cross(child, T0))

    def seen(key: str) -> int | None:
        asked.append(key)
        return stored_day if key == kid else None

    party = [cross(stranger, T0 + days(2)), cross(child, T0 + days(2) + minutes(0.5)),
             cross(person("Other", "1985"), T0 + days(2) + minutes(30))]
    _, sent, _, noted = checkpoint_steps(None, CP, [_value(c) for c in party], CFG, seen=seen)
    assert sorted(asked) == sorted({kid, _key(party[0])})  # the party's members, each once
    assert noted == {}  # crossed with someone: nothing new to remember
    assert any(b'"regular":true' in v for _, v in sent)  # the stranger's record names the child a regular


def test_an_entry_older_than_baseline_days_does_not_count_and_expires() -> None:
    child, stranger = person("Kid", "2014-02-02", nationality="MMR"), person("Stranger", "1980", surname="S")
    later = T0 + days(CFG.baseline_days + 1)
    kid = _key(cross(child, T0))
    party = [cross(stranger, later), cross(child, later + minutes(0.5))]
    _, sent, _, _ = checkpoint_steps(None, CP, [_value(c) for c in party], CFG,
                                     seen={kid: T0.date().toordinal()}.get)
    assert sent and not any(b'"regular":true' in v for _, v in sent)
    day = T0.date().toordinal()
    assert not expired(day, T0 + days(CFG.baseline_days + 1), CFG)  # a day's margin: a party begun the day before
    assert expired(day, T0 + days(CFG.baseline_days + 2), CFG)


def test_the_sweep_deletes_only_expired_or_unreadable_entries() -> None:
    now = T0 + days(30)
    alone = {entry_key(CP, "old"): encode((now - days(CFG.baseline_days + 2)).date().toordinal()),
             entry_key(CP, "new"): encode((now - days(1)).date().toordinal()),
             entry_key(CP, "bad"): "not a day"}
    assert asyncio.run(sweep_solo(alone, now, CFG, yield_every=1)) == 2
    assert list(alone) == [entry_key(CP, "new")]
    assert decode(None) is None and decode("x") is None and decode(encode(739000)) == 739000


def test_the_runner_drops_expired_entries_once_a_day() -> None:
    runner = PatternRunner(CFG)
    runner.keep_solo({entry_key(CP, "gone"): T0.date().toordinal(), entry_key(CP, "again"): T0.date().toordinal(),
                      entry_key(CP, "kept"): (T0 + days(CFG.baseline_days)).date().toordinal()})
    runner.keep_solo({entry_key(CP, "again"): (T0 + days(5)).date().toordinal()})  # noted again since
    runner.add(cross(person("Adult", "1970"), T0 + days(CFG.baseline_days + 2)))
    assert sorted(runner.solo) == [entry_key(CP, "again"), entry_key(CP, "kept")]
    runner.add(cross(person("Adult", "1970"), T0 + days(CFG.baseline_days + 2.5)))  # not a day later: no sweep
    runner.add(cross(person("Adult", "1970"), T0 + days(CFG.baseline_days + 7.1)))
    assert list(runner.solo) == [entry_key(CP, "kept")]


def test_a_state_written_with_its_solo_map_still_loads_counts_it_and_moves_it_out() -> None:
    """A state written before the entries were stored apart holds them all: they still count, and the first
    step that changes the state returns them to store and writes the state without them."""
    child, stranger = person("Kid", "2014-02-02", nationality="MMR"), person("Stranger", "1980", surname="S")
    kid = _key(cross(child, T0))
    old = CheckpointState(checkpoint_id=CP, checkpoint_country="THA",
                          solo={kid: T0.date().toordinal(), "abcdef012345": T0.date().toordinal()})
    stored = old.model_dump_json(exclude_defaults=True).encode()
    assert b'"solo"' in stored
    party = [cross(stranger, T0 + days(2)), cross(child, T0 + days(2) + minutes(0.5))]
    after, sent, _, noted = checkpoint_steps(stored, CP, [_value(c) for c in party], CFG)
    assert noted == old.solo
    assert after is not None and b'"solo"' not in after
    assert any(b'"regular":true' in v for _, v in sent)


def test_cached_reads_each_key_once() -> None:
    asked: list[str] = []

    def read(key: str) -> int | None:
        asked.append(key)
        return None if key == "a" else 7

    seen = cached(read)
    assert [seen(k) for k in ("a", "b", "a", "b")] == [None, 7, None, 7]
    assert asked == ["a", "b"]
