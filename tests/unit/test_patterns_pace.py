"""How far apart a booth passes a party, learnt from children passing without a travel group."""

from __future__ import annotations

from agents.patterns.pace import BoothPace, passed

REACH = 180


def _line(*people: tuple[int, str]) -> list[int]:
    """Pauses learnt from a line of (seconds, 'adult' | 'child' | 'grouped child' | 'unknown')."""
    pace: BoothPace | None = None
    learnt: list[int] = []
    for at, who in people:
        pace, more = passed(pace, at, adult=who == "adult", child=who == "child", reach=REACH)
        learnt += more
    return learnt


def test_a_child_after_an_adult_is_measured_by_the_longest_pause_between_them() -> None:
    # the adult, a sibling 30 s later, the child 50 s after the sibling: the window must span 50 s
    assert _line((0, "adult"), (30, "unknown"), (80, "child"), (500, "adult")) == [50]


def test_a_child_before_an_adult_is_measured_to_the_adult_after_them() -> None:
    assert _line((0, "child"), (70, "adult")) == [70]


def test_the_nearer_adult_counts() -> None:
    assert _line((0, "adult"), (100, "child"), (120, "adult")) == [20]
    assert _line((0, "adult"), (20, "child"), (120, "adult")) == [20]


def test_a_child_with_no_adult_in_reach_teaches_nothing() -> None:
    assert _line((0, "child"), (REACH + 1, "adult")) == []
    assert _line((0, "adult"), (REACH + 1, "child"), (2 * REACH + 2, "adult")) == []


def test_a_child_in_a_travel_group_is_not_measured() -> None:
    assert _line((0, "adult"), (40, "grouped child"), (60, "adult")) == []


def test_a_crossing_reported_late_does_not_lengthen_a_pause() -> None:
    assert _line((100, "adult"), (90, "child"), (130, "adult")) == [0]
