"""A child passing without an adult is judged unaccompanied only once no adult who may be theirs can
still pass, and not where one passed close by (agents/patterns/trips.py `_hold`)."""

from __future__ import annotations

import datetime as dt

from agents.patterns import PatternConfig, PatternRunner
from agents.patterns.models import CheckpointState
from bench.patterns.generator import generate
from schemas.alerts import Alert
from schemas.events import BorderCrossing
from tests.patterns_factories import T0, cross, days, person
from tests.unit.test_patterns_steps import _through_steps

CFG = PatternConfig()
AT = T0 + days(2)


def _background() -> list[BorderCrossing]:
    """An ordinary checkpoint: children cross with a parent (travel groups), almost never alone."""
    out = []
    for i in range(80):
        at = T0 + dt.timedelta(minutes=30 * i)
        parent = person(f"Parent {i}", "1980", nationality="THA", surname=f"F{i}")
        child = person(f"Child {i}", "2016", nationality="THA", surname=f"F{i}")
        out += [cross(parent, at, checkpoint="THA-ORD", group=f"f{i}"),
                cross(child, at + dt.timedelta(seconds=15), checkpoint="THA-ORD", group=f"f{i}")]
    return out


def _unaccompanied(line: list[tuple[float, dict[str, object]]]) -> list[Alert]:
    """Unaccompanied-minor alerts after the background and `line`: (seconds after AT, traveller), no
    travel group ids."""
    runner = PatternRunner(CFG)
    crossings = _background() + [cross(who, AT + dt.timedelta(seconds=s), checkpoint="THA-ORD") for s, who in line]
    out = [a for c in sorted(crossings, key=lambda c: c.occurred_at) for a in runner.add(c)] + runner.finish()
    return [a for a in out if a.pattern is not None and a.pattern.name == "unaccompanied_minor"]


def _mother() -> dict[str, object]:
    return person("Mother", "1985", nationality="THA", sex="F", surname="Srisuk")


def _child(name: str = "Daughter") -> dict[str, object]:
    return person(name, "2016", nationality="THA", sex="F", surname="Srisuk")


def test_a_child_whose_parent_passed_a_longer_pause_before_is_not_unaccompanied() -> None:
    gap = CFG.co_crossing_window.total_seconds() + 40  # beyond the window: not linked as one party
    assert _unaccompanied([(0, _mother()), (gap, _child())]) == []


def test_a_child_whose_parent_passes_a_longer_pause_after_is_not_unaccompanied() -> None:
    gap = CFG.co_crossing_window.total_seconds() + 40
    assert _unaccompanied([(0, _child()), (gap, _mother())]) == []


def test_children_passing_one_after_another_share_the_parent_after_the_last_of_them() -> None:
    # the parent passes beyond `group_complete_after` after the first child, within it after the second
    step = CFG.group_complete_after.total_seconds() * 0.6
    assert _unaccompanied([(0, _child("Elder")), (step, _child("Younger")), (2 * step, _mother())]) == []


def test_a_child_with_no_adult_who_may_be_theirs_close_by_is_still_flagged() -> None:
    gap = CFG.co_crossing_window.total_seconds() + 40
    stranger = person("Stranger", "1970", nationality="LAO", surname="Vongsa")  # neither nationality nor name
    assert len(_unaccompanied([(0, stranger), (gap, _child())])) == 1
    assert len(_unaccompanied([(0, _child())])) == 1


def test_a_parent_beyond_the_reach_does_not_excuse_the_child() -> None:
    far = CFG.group_complete_after.total_seconds() + 30
    assert len(_unaccompanied([(0, _mother()), (far, _child())])) == 1


def test_a_checkpoint_state_stored_before_held_children_still_loads() -> None:
    stored = b'{"checkpoint_id":"THA-ORD","checkpoint_country":"THA","groups":{"c\\u001fexit":' \
             b'{"linked_by":"co_crossing","direction":"exit","last_at":"2026-06-01T08:00:00Z"}}}'
    state = CheckpointState.model_validate_json(stored)
    assert state.adults_near == {}
    assert state.groups["c\x1fexit"].held is False and state.groups["c\x1fexit"].near is False


def test_the_worker_steps_hold_children_exactly_as_the_runner() -> None:
    """Without travel group ids and with parties passing far apart, children are held and released."""
    world = generate(5, 3, 0.05, party_gap_s=(5.0, 150.0))
    for raw in world.events:
        raw["travel_group_id"] = None
    crossings = [BorderCrossing.model_validate(raw) for raw in world.events]
    runner = PatternRunner(CFG)
    expected = [a for c in crossings for a in runner.add(c)]
    held = sum(1 for s in runner.checkpoints.values() for g in s.groups.values() if g.held)
    _, got = _through_steps(crossings)
    assert [(a.alert_id, a.update) for a in got] == [(a.alert_id, a.update) for a in expected]
    assert held or any(s.adults_near for s in runner.checkpoints.values())


def test_children_held_wait_while_the_party_after_them_is_still_passing() -> None:
    # the first child's reach ends while the second child's party is still open; the parent then joins it
    reach = CFG.group_complete_after.total_seconds()
    window = CFG.co_crossing_window.total_seconds()
    second = reach - 10
    line = [(0, _child("Elder")), (second, _child("Younger")), (second + window - 5, _child("Youngest")),
            (second + 2 * window - 10, _mother())]
    assert _unaccompanied(line) == []


def test_a_child_a_pause_after_the_last_of_their_party_is_not_unaccompanied() -> None:
    # father, mother of another nationality, a sibling; the child passes beyond the reach of the father
    # but within it of the party's last member
    window = CFG.co_crossing_window.total_seconds()
    father = person("Father", "1977", nationality="LAO", surname="Phimmasone")
    mother = person("Mother", "1979", nationality="THA", sex="F", surname="Suwannarat")
    sibling = person("Son", "2018", nationality="LAO", surname="Phimmasone")
    child = person("Daughter", "2016", nationality="LAO", sex="F", surname="Phimmasone")
    last = 2 * window - 20
    line = [(0, father), (window - 10, mother), (last, sibling), (last + window + 30, child)]
    assert line[-1][0] > CFG.group_complete_after.total_seconds()
    assert _unaccompanied(line) == []
