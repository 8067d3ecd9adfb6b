"""A child passing without an adult is judged unaccompanied only once no adult can still join them, and
not where an adult passed within the booth's reach of their party (agents/patterns/trips.py `_hold`)."""

from __future__ import annotations

import datetime as dt

from agents.patterns import PatternConfig, PatternRunner
from agents.patterns.models import CheckpointState
from agents.patterns.trips import co_crossing_window, unaccompanied_reach
from bench.patterns.generator import generate
from schemas.alerts import Alert
from schemas.events import BorderCrossing
from tests.patterns_factories import T0, cross, days, person
from tests.unit.test_patterns_steps import _through_steps

CFG = PatternConfig()
AT = T0 + days(2)
WINDOW = CFG.co_crossing_window.total_seconds()
#: A booth whose travel groups pass a parent and child mostly 20 s apart, one in twelve `SLOW` s: the
#: window stays the configured one, the reach is the slow pause (with the window's margin).
SLOW = 120
SLOW_BOOTH = [20] * 11 + [SLOW]
REACH = SLOW * CFG.window_over_gaps
QUICK_BOOTH = [15]


def _background(gaps: list[int]) -> list[BorderCrossing]:
    """An ordinary checkpoint: children cross with a parent (travel groups, `gaps` s apart in turn),
    almost never alone."""
    out = []
    for i in range(80):
        at = T0 + dt.timedelta(minutes=30 * i)
        parent = person(f"Parent {i}", "1980", nationality="THA", surname=f"F{i}")
        child = person(f"Child {i}", "2016", nationality="THA", surname=f"F{i}")
        out += [cross(parent, at, checkpoint="THA-ORD", group=f"f{i}"),
                cross(child, at + dt.timedelta(seconds=gaps[i % len(gaps)]), checkpoint="THA-ORD", group=f"f{i}")]
    return out


def _unaccompanied(line: list[tuple[float, dict[str, object]]], booth: list[int] = SLOW_BOOTH) -> list[Alert]:
    """Unaccompanied-minor alerts after the background and `line`: (seconds after AT, traveller), no
    travel group ids."""
    runner = PatternRunner(CFG)
    crossings = _background(booth) + [cross(who, AT + dt.timedelta(seconds=s), checkpoint="THA-ORD")
                                      for s, who in line]
    out = [a for c in sorted(crossings, key=lambda c: c.occurred_at) for a in runner.add(c)] + runner.finish()
    return [a for a in out if a.pattern is not None and a.pattern.name == "unaccompanied_minor"]


def _mother() -> dict[str, object]:
    return person("Mother", "1985", nationality="THA", sex="F", surname="Srisuk")


def _child(name: str = "Daughter") -> dict[str, object]:
    return person(name, "2016", nationality="THA", sex="F", surname="Srisuk")


def test_the_reach_is_the_widest_pause_the_booths_parties_show() -> None:
    runner = PatternRunner(CFG)
    for c in _background(SLOW_BOOTH):
        runner.add(c)
    state = runner.checkpoints["THA-ORD"]
    assert co_crossing_window(state, CFG) == CFG.co_crossing_window
    assert unaccompanied_reach(state, CFG).total_seconds() == REACH
    fresh = CheckpointState(checkpoint_id="THA-NEW", checkpoint_country="THA")
    assert unaccompanied_reach(fresh, CFG) == CFG.group_complete_after  # not learnt yet: the widest there is


def test_a_child_whose_parent_passed_a_longer_pause_before_is_not_unaccompanied() -> None:
    assert _unaccompanied([(0, _mother()), (WINDOW + 40, _child())]) == []


def test_a_child_whose_parent_passes_a_longer_pause_after_is_not_unaccompanied() -> None:
    assert _unaccompanied([(0, _child()), (WINDOW + 40, _mother())]) == []


def test_where_parties_pass_close_together_an_adult_a_long_pause_away_is_no_company() -> None:
    assert len(_unaccompanied([(0, _child()), (WINDOW + 40, _mother())], booth=QUICK_BOOTH)) == 1


def test_a_child_with_no_adult_within_the_reach_is_still_flagged() -> None:
    assert len(_unaccompanied([(0, _mother()), (REACH + 30, _child())])) == 1
    assert len(_unaccompanied([(0, _child())])) == 1


def test_children_passing_one_after_another_share_the_parent_after_the_last_of_them() -> None:
    # the parent passes beyond the reach after the first child, within it after the second
    step = REACH * 0.6
    assert _unaccompanied([(0, _child("Elder")), (step, _child("Younger")), (2 * step, _mother())]) == []


def test_children_held_wait_while_the_party_after_them_is_still_passing() -> None:
    # the first child's wait ends while the second child's party is still passing; the parent then joins it
    second = REACH - 10
    line = [(0, _child("Elder")), (second, _child("Younger")), (second + WINDOW - 5, _child("Youngest")),
            (second + 2 * WINDOW - 10, _mother())]
    assert second + 2 * WINDOW - 10 > CFG.group_complete_after.total_seconds()
    assert _unaccompanied(line) == []


def test_a_child_a_pause_after_the_last_of_their_party_is_not_unaccompanied() -> None:
    # both parents pass beyond the reach before the child, the party's last member (a sibling) within it
    father = person("Father", "1977", nationality="LAO", surname="Phimmasone")
    mother = person("Mother", "1979", nationality="THA", sex="F", surname="Suwannarat")
    sibling = person("Son", "2018", nationality="LAO", surname="Phimmasone")
    child = person("Daughter", "2016", nationality="LAO", sex="F", surname="Phimmasone")
    last = 20 + WINDOW - 5
    line = [(0, father), (20, mother), (last, sibling), (last + REACH - 50, child)]
    assert line[-1][0] - REACH > 20
    assert _unaccompanied(line) == []


def test_a_long_line_of_children_is_a_queue_and_none_of_them_is_judged() -> None:
    # a school class passing without its travel group, a pupil every 100 s, the teacher long before
    pupils = CFG.max_co_crossing_group + 2
    line = [(0, person("Teacher", "1980", nationality="THA"))] + [
        (REACH + 10 + 100 * i, person(f"Pupil {i}", "2012", nationality="THA")) for i in range(pupils)]
    assert _unaccompanied(line) == []


def test_a_checkpoint_state_stored_before_held_children_still_loads() -> None:
    stored = b'{"checkpoint_id":"THA-ORD","checkpoint_country":"THA","groups":{"c\\u001fexit":' \
             b'{"linked_by":"co_crossing","direction":"exit","last_at":"2026-06-01T08:00:00Z"}}}'
    state = CheckpointState.model_validate_json(stored)
    assert state.adult_until == {}
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
    assert held or any(s.adult_until for s in runner.checkpoints.values())


def test_an_adult_in_a_travel_group_is_no_company_for_a_child_passing_without_one() -> None:
    runner = PatternRunner(CFG)
    crossings = [*_background(SLOW_BOOTH),
                 cross(_mother(), AT, checkpoint="THA-ORD", group="their own"),
                 cross(_child(), AT + dt.timedelta(seconds=WINDOW - 20), checkpoint="THA-ORD")]
    out = [a for c in sorted(crossings, key=lambda c: c.occurred_at) for a in runner.add(c)] + runner.finish()
    assert [a.pattern.name for a in out if a.pattern is not None] == ["unaccompanied_minor"]
