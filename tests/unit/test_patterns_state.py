"""Pattern state: bounded, serialisable (Faust tables store it as JSON), and co-crossing queues."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from agents.patterns import (
    CheckpointState,
    PatternConfig,
    PersonState,
    Trip,
    add_crossing,
    close_due,
    member_of,
    observe,
)
from agents.patterns.trips import co_crossing_window
from schemas.events import BorderCrossing
from tests.patterns_factories import T0, cross, days, minutes, person

CFG = PatternConfig()


def _trips_for(crossings: list[BorderCrossing], cfg: PatternConfig = CFG) -> tuple[CheckpointState, list[Trip]]:
    """The trips as they finally stand (each trip is passed on again as it grows: the latest counts)."""
    state = CheckpointState(checkpoint_id="THA-MSI", checkpoint_country="THA")
    trips: dict[str, Trip] = {}
    for c in crossings:
        state, sent = add_crossing(state, member_of(c), c.travel_group_id, c.occurred_at, cfg)
        trips.update((trip.trip_id, trip) for trip, _, _ in sent)
    state, sent = close_due(state, crossings[-1].occurred_at + cfg.group_complete_after, cfg)
    trips.update((trip.trip_id, trip) for trip, _, _ in sent)
    return state, list(trips.values())


def test_group_members_form_one_trip_until_nobody_joins() -> None:
    a, b = person("A", "1980"), person("B", "2015")
    state, trips = _trips_for([cross(a, T0, group="g"), cross(b, T0 + minutes(2.5), group="g")])
    assert [len(t.members) for t in trips] == [2]
    assert trips[0].linked_by == "group"
    assert state.groups == {}


def test_co_crossers_within_the_window_travel_together() -> None:
    a, b, c = person("A", "1980"), person("B", "2015"), person("C", "1990")
    _, trips = _trips_for([cross(a, T0), cross(b, T0 + minutes(1)), cross(c, T0 + minutes(10))])
    assert [(t.linked_by, len(t.members)) for t in trips] == [("co_crossing", 2), ("alone", 1)]


def test_a_queue_says_nothing_about_who_is_with_whom() -> None:
    crowd = [cross(person(f"P{i}", "2015" if i % 2 else "1980"), T0 + dt.timedelta(seconds=15 * i))
             for i in range(CFG.max_escort_group + 3)]
    state, trips = _trips_for(crowd)
    assert all(t.linked_by == "queue" and len(t.members) == 1 for t in trips)
    assert len(trips) == len(crowd)
    assert state.baseline == {}  # minors in a queue are neither counted nor flagged


def test_in_a_long_queue_each_trip_names_who_passed_beside_them_but_not_as_company() -> None:
    """A queue longer than a party: each member travels alone, and their trip, as it finally stands, names
    the nearest of those who passed within the co-crossing window before or after them (no more than the
    rest of a party), as the line they were in; the queue keeps only its latest members."""
    crowd = [cross(person(f"P{i}", "1980"), T0 + dt.timedelta(seconds=10 * i)) for i in range(3 * CFG.max_escort_group)]
    state, trips = _trips_for(crowd)
    by_member = {t.members[0].event_id: t for t in trips}
    assert all(t.linked_by == "queue" and len(t.members) == 1 for t in trips) and len(trips) == len(crowd)
    ids = [c.event_id for c in crowd]
    middle = by_member[ids[12]]
    beside = {m.event_id for m in middle.nearby}
    assert len(beside) == CFG.max_co_crossing_group - 1 == 4
    assert beside == set(ids[10:12] + ids[13:15])  # the nearest, before and after
    assert {m.event_id for m in by_member[ids[-1]].nearby} == set(ids[-5:-1])  # nobody after the last
    assert state.groups == {}


def test_a_long_queue_keeps_only_its_latest_members() -> None:
    state = CheckpointState(checkpoint_id="THA-MSI", checkpoint_country="THA")
    for i in range(200):
        c = cross(person(f"P{i}", "1980"), T0 + dt.timedelta(seconds=2 * i))
        state, _ = add_crossing(state, member_of(c), None, c.occurred_at, CFG)
    (queue,) = state.groups.values()
    assert queue.queue and 0 < len(queue.members) <= 4 * CFG.max_escort_group


def test_a_short_queue_is_two_parties_split_where_the_line_paused_longest() -> None:
    """More than `max_co_crossing_group` within a minute of each other, but few: when the line ends, two
    parties back to back, each with the other nearby (a parent may have passed a little apart)."""
    gaps = [0, 20, 20, 20, 50, 20, 20]  # seconds after the one before
    at = [T0 + dt.timedelta(seconds=sum(gaps[: i + 1])) for i in range(len(gaps))]
    crowd = [cross(person(f"P{i}", "2015" if i % 2 else "1980"), at[i]) for i in range(len(gaps))]
    assert CFG.max_co_crossing_group < len(crowd) <= CFG.max_escort_group
    state, trips = _trips_for(crowd)
    ids = [c.event_id for c in crowd]
    split = sorted(([m.event_id for m in t.members], [m.event_id for m in t.nearby]) for t in trips
                   if t.linked_by == "queue" and t.complete)
    assert split == [(ids[:4], ids[4:]), (ids[4:], ids[:4])]
    assert state.baseline == {}  # minors in a queue are neither counted nor flagged
    assert state.groups == {}


def test_each_crossing_is_passed_on_at_once_to_the_adults_in_the_group() -> None:
    adult, child, other = person("A", "1980"), person("B", "2015"), person("C", "2014")
    state = CheckpointState(checkpoint_id="THA-MSI", checkpoint_country="THA")
    sent = []
    for i, p in enumerate((adult, child, other)):
        c = cross(p, T0 + minutes(0.2 * i), group="g")
        state, out = add_crossing(state, member_of(c), c.travel_group_id, c.occurred_at, CFG)
        sent.append([(len(trip.members), trip.complete, [m.event_id for m in to]) for trip, to, _ in out])
    ids = [m.event_id for g in state.groups.values() for m in g.members]
    assert sent == [[(1, False, [ids[0]])], [(2, False, [ids[0]])], [(3, False, [ids[0]])]]


def test_redelivered_crossing_is_ignored_by_the_checkpoint() -> None:
    c = cross(person("A", "1980"), T0, group="g")
    _, trips = _trips_for([c, c])
    assert [len(t.members) for t in trips] == [1]


def test_state_round_trips_through_json() -> None:
    adult = person("Somchai", "1975", nationality="THA", doc="AA1")
    child = person("Ma Hla", "2015-04", nationality="MMR", sex="F")
    _, trips = _trips_for([cross(adult, T0, group="g"), cross(child, T0 + minutes(0.2), group="g")])
    state, _ = observe(PersonState(), trips[0], trips[0].members[0], T0 + minutes(5), CFG)
    assert PersonState.model_validate_json(state.model_dump_json()) == state
    checkpoint, _ = _trips_for([cross(adult, T0, group="h")])
    assert CheckpointState.model_validate_json(checkpoint.model_dump_json()) == checkpoint


def test_person_state_holds_no_names_or_document_numbers() -> None:
    adult = person("Somchai Jaidee", "1975-02-03", nationality="THA", doc="AA1234567")
    child = person("Ma Hla Phyu", "2015-04", nationality="MMR", sex="F")
    _, trips = _trips_for([cross(adult, T0, group="g"), cross(child, T0 + minutes(0.2), group="g")])
    for member in trips[0].members:
        state, _ = observe(PersonState(), trips[0], member, T0 + minutes(5), CFG)
        text = state.model_dump_json().lower()
        assert "somchai" not in text and "jaidee" not in text and "aa1234567" not in text and "phyu" not in text
        assert "1975-02-03" not in text


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 90), st.booleans(), st.integers(0, 5)), min_size=1, max_size=60))
def test_person_state_is_bounded(steps: list[tuple[float, bool, int]]) -> None:
    """Whatever the travel, the state keeps no trip older than the horizon and at most max_trips_kept."""
    cfg = PatternConfig(max_trips_kept=10)
    me = person("Somchai", "1975", nationality="THA", doc="AA1")
    state = PersonState()
    now = T0
    for offset, exit_, companion in sorted(steps):
        now = max(now, T0 + days(offset))
        party = [cross(me, now, group=f"g{offset}", direction="exit" if exit_ else "entry")]
        if companion:
            party.append(cross(person(f"C{companion}", "2014", nationality="LAO"), now, group=f"g{offset}"))
        _, trips = _trips_for(party, cfg)
        mine = next(m for m in trips[0].members if m.event_id == party[0].event_id)
        state, _ = observe(state, trips[0], mine, now, cfg)
        assert len(state.trips) <= cfg.max_trips_kept
        assert all(now - t.at <= cfg.horizon for t in state.trips)
        assert all(now - a.opened_at < cfg.window(p) for p, a in state.alerts.items())


def test_a_child_who_crossed_here_alone_is_a_regular_in_a_later_party() -> None:
    child, stranger = person("Kid", "2014-02-02", nationality="MMR"), person("Stranger", "1980", surname="S")
    first = [cross(child, T0)]  # alone: nobody within the co-crossing window
    later = [cross(stranger, T0 + days(2)), cross(child, T0 + days(2) + minutes(0.5))]
    state, trips = _trips_for(first + later)
    party = next(t for t in trips if len(t.members) == 2)
    assert party.regulars == {later[1].event_id}
    assert len(state.solo) == 1
    # Forgotten after `baseline_days`; an adult crossing alone is not remembered at all.
    _, trips = _trips_for([cross(child, T0), cross(stranger, T0 + days(CFG.baseline_days + 1)),
                           cross(child, T0 + days(CFG.baseline_days + 1) + minutes(0.5))])
    assert all(t.regulars == frozenset() for t in trips)
    state, _ = _trips_for([cross(stranger, T0)])
    assert state.solo == {}


def test_a_checkpoint_state_copied_on_the_hot_path_is_what_model_copy_gives() -> None:
    """`trips._evolve` replaces pydantic's generic copy on every crossing: the same model, fields and JSON."""
    from agents.patterns.trips import _evolve

    adult, child = person("Somchai", "1975", doc="AA1"), person("Ma Hla", "2015-04", nationality="MMR")
    state, _ = _trips_for([cross(adult, T0, group="g"), cross(child, T0 + minutes(0.2), group="g")])
    update = {"recent": {**state.recent, "evt-x": T0}, "solo": {"abc": 7}}
    copied, evolved = state.model_copy(update=update), _evolve(state, update)
    assert evolved == copied and evolved.model_fields_set == copied.model_fields_set
    assert evolved.model_dump_json(exclude_defaults=True) == copied.model_dump_json(exclude_defaults=True)
    assert evolved.groups is state.groups and state.solo == {}  # the rest shared, the original unchanged


def _groups_passing(gap_s: float, count: int) -> list[BorderCrossing]:
    """`count` travel groups of two at one booth, an hour apart, the second member `gap_s` after the first."""
    out: list[BorderCrossing] = []
    for i in range(count):
        start = T0 + dt.timedelta(hours=i)
        out += [cross(person(f"G{i}a", "1980"), start, group=f"g{i}"),
                cross(person(f"G{i}b", "2012"), start + dt.timedelta(seconds=gap_s), group=f"g{i}")]
    return out


def test_a_booth_whose_travel_groups_pass_further_apart_widens_its_co_crossing_window() -> None:
    later = T0 + dt.timedelta(hours=CFG.learn_window_from + 1)
    adult, child = person("Adult", "1980"), person("Child", "2014")
    pair = [cross(adult, later), cross(child, later + dt.timedelta(seconds=100))]  # no travel group

    slow, trips = _trips_for(_groups_passing(100, CFG.learn_window_from) + pair)
    assert co_crossing_window(slow, CFG) > dt.timedelta(seconds=100)
    assert [len(t.members) for t in trips if t.linked_by == "co_crossing"] == [2]  # one party

    fast, trips = _trips_for(_groups_passing(20, CFG.learn_window_from) + pair)
    assert co_crossing_window(fast, CFG) == CFG.co_crossing_window  # never narrower than configured
    assert not [t for t in trips if t.linked_by == "co_crossing"]  # two travellers alone

    few, _ = _trips_for(_groups_passing(100, CFG.learn_window_from - 1))
    assert co_crossing_window(few, CFG) == CFG.co_crossing_window  # too few groups seen to judge by

    slowest, _ = _trips_for(_groups_passing(170, CFG.learn_window_from))
    assert co_crossing_window(slowest, CFG) == CFG.group_complete_after  # at most a travel group's wait


def _families_passing(gap_s: float, count: int) -> list[BorderCrossing]:
    """`count` parents each with a child `gap_s` behind, an hour apart, none with a travel group id."""
    out: list[BorderCrossing] = []
    for i in range(count):
        start = T0 + dt.timedelta(hours=i)
        out += [cross(person(f"P{i}a", "1980"), start),
                cross(person(f"P{i}b", "2012"), start + dt.timedelta(seconds=gap_s))]
    return out


def test_a_booth_sending_no_travel_groups_learns_its_window_from_children_and_the_nearest_adult() -> None:
    later = T0 + dt.timedelta(hours=CFG.learn_window_from + 1)
    adult, child = person("Adult", "1980"), person("Child", "2014")
    pair = [cross(adult, later), cross(child, later + dt.timedelta(seconds=100))]

    slow, trips = _trips_for(_families_passing(100, CFG.learn_window_from) + pair)
    assert co_crossing_window(slow, CFG) > dt.timedelta(seconds=100)
    assert [len(t.members) for t in trips if t.linked_by == "co_crossing"][-1] == 2  # the child is with the adult

    fast, trips = _trips_for(_families_passing(20, CFG.learn_window_from) + pair)
    assert co_crossing_window(fast, CFG) == CFG.co_crossing_window  # never narrower than configured
    assert [len(t.members) for t in trips if t.linked_by == "co_crossing"] == [2] * CFG.learn_window_from

    unlearnt = CFG.model_copy(update={"pace_quantile": None})
    assert co_crossing_window(slow, unlearnt) == CFG.co_crossing_window

    few, _ = _trips_for(_families_passing(100, CFG.learn_window_from - 1))
    assert co_crossing_window(few, CFG) == CFG.co_crossing_window
