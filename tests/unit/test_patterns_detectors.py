"""The four detectors end to end through the pure pipeline (trips per checkpoint, then per person),
on a controllable clock: each crossing's time is the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from agents.patterns import PatternConfig, PatternRunner
from schemas.alerts import Alert
from schemas.events import BorderCrossing
from tests.patterns_factories import T0, cross, days, minutes, person

CFG = PatternConfig()


def run(crossings: list[BorderCrossing], cfg: PatternConfig = CFG) -> list[Alert]:
    runner = PatternRunner(cfg)
    out: list[Alert] = []
    for c in sorted(crossings, key=lambda c: c.occurred_at):
        out.extend(runner.add(c))
    return out + runner.finish()


def named(alerts: list[Alert], pattern: str) -> list[Alert]:
    return [a for a in alerts if a.pattern is not None and a.pattern.name == pattern]


def passage(party: list[dict[str, Any]], at: dt.datetime, *, grouped: bool = True, tag: str = "",
            both_sides: bool = True) -> list[BorderCrossing]:
    """The party leaves Thailand at Mae Sai and enters Myanmar at Tachileik 20 minutes later."""
    out = []
    sides = [("THA-MSI", "THA", "exit", at), ("MMR-TCL", "MMR", "entry", at + minutes(20))]
    for checkpoint, country, direction, when in sides[: 2 if both_sides else 1]:
        group = f"{tag}-{checkpoint}" if grouped else None
        out += [cross(p, when + dt.timedelta(seconds=20 * i), checkpoint=checkpoint, country=country,
                      direction=direction, group=group) for i, p in enumerate(party)]
    return out


def coming_back(party: list[dict[str, Any]], at: dt.datetime, tag: str = "") -> list[BorderCrossing]:
    sides = [("MMR-TCL", "MMR", "exit", at), ("THA-MSI", "THA", "entry", at + minutes(20))]
    return [cross(p, when + dt.timedelta(seconds=20 * i), checkpoint=cp, country=country, direction=direction,
                  group=f"{tag}-back-{cp}" if len(party) > 1 else None)
            for cp, country, direction, when in sides for i, p in enumerate(party)]


ADULT = person("Somchai", "1975-02-03", nationality="THA", surname="Jaidee", doc="AA100")


BURMESE = ["Hla Phyu", "Thiri Zin", "Nandar Aye", "Su Myat", "Ei Mon", "Khin Wai", "Yadanar Oo", "Moe Thet"]


def kid(n: int, nationality: str = "MMR", surname: str | None = None, sex: str = "F",
        dob: str = "2015-05-05") -> dict[str, Any]:
    """A child; Burmese children (no surname) get names sharing no part, unless `n` repeats."""
    return person(f"Ma {BURMESE[n % len(BURMESE)]}" if surname is None else f"Child{n}", dob,
                  nationality=nationality, surname=surname, sex=sex)


# Repeat escort of minors ---------------------------------------------------------------------
def test_two_unrelated_children_on_two_trips_is_repeat_escort() -> None:
    alerts = run(passage([ADULT, kid(1)], T0, tag="a") + passage([ADULT, kid(2)], T0 + days(6), tag="b"))
    found = named(alerts, "repeat_escort_of_minors")
    assert [a.update for a in found] == [False]
    alert = found[0]
    assert alert.traveler_document == "AA100"
    assert alert.entry_id == "pattern:repeat_escort_of_minors"
    assert "do not alert the adult" in alert.recommended_action
    assert alert.route_to == ["MMR", "THA"] or alert.route_to == ["THA", "MMR"]
    assert alert.route_to[0] == alert.checkpoint_country
    companions = [c for c in alert.pattern.crossings if c.role == "companion"]  # type: ignore[union-attr]
    assert {c.age_max for c in companions} == {11}


def test_same_child_out_and_back_is_not_repeat_escort() -> None:
    child = kid(1)
    alerts = run(passage([ADULT, child], T0, tag="a") + coming_back([ADULT, child], T0 + days(2), tag="b")
                 + passage([ADULT, child], T0 + days(9), tag="c"))
    assert named(alerts, "repeat_escort_of_minors") == []


def test_children_of_the_adults_nationality_are_plausibly_family() -> None:
    alerts = run(passage([ADULT, kid(1, "THA", "Srisuk")], T0, tag="a")
                 + passage([ADULT, kid(2, "THA", "Boonmee")], T0 + days(6), tag="b"))
    assert named(alerts, "repeat_escort_of_minors") == []


def test_mother_with_her_own_children_of_another_nationality_one_at_a_time() -> None:
    """A Chinese mother keeps her surname; her children are Thai with their father's: one household."""
    mother = person("Fang", "1985", nationality="CHN", surname="Wang", sex="F", doc="E1")
    alerts = run(passage([mother, kid(1, "THA", "Saetang")], T0, tag="a")
                 + passage([mother, kid(2, "THA", "Saetang")], T0 + days(6), tag="b"))
    assert named(alerts, "repeat_escort_of_minors") == []


def test_children_brought_back_are_in_the_adults_care_not_escorted() -> None:
    """A Thai mother of Burmese children (no name part shared) takes one of them over the border and brings
    them back, then takes another: a carer. An escort moves children one way and comes back alone."""
    mother = person("Ploy", "1988", nationality="THA", surname="Kittisak", sex="F", doc="TT1")
    first, second = kid(1), kid(2)
    cared = (passage([mother, first], T0, tag="a") + coming_back([mother, first], T0 + days(2), tag="a")
             + passage([mother, second], T0 + days(6), tag="b"))
    assert named(run(cared), "repeat_escort_of_minors") == []
    escorted = (passage([mother, first], T0, tag="a") + coming_back([mother], T0 + days(2), tag="a")
                + passage([mother, second], T0 + days(6), tag="b"))
    assert len(named(run(escorted), "repeat_escort_of_minors")) == 1
    # Where only one side reports: out and back in through the same checkpoint.
    one_side = [cross(p, T0 + dt.timedelta(seconds=20 * i)) for i, p in enumerate([mother, first])] + [
        cross(p, T0 + days(2) + dt.timedelta(seconds=20 * i), direction="entry") for i, p in enumerate([mother, first])
    ] + [cross(p, T0 + days(6) + dt.timedelta(seconds=20 * i)) for i, p in enumerate([mother, second])]
    assert named(run(one_side), "repeat_escort_of_minors") == []


def test_teenagers_brought_back_are_no_young_adults_escorted() -> None:
    """A mother who kept her own name takes her teenage daughters out and back, then another of them."""
    mother = person("Thi Ngoc", "1985", nationality="VNM", surname="Nguyen", sex="F", doc="VN1")
    daughters = [person(f"Thi {n}", "2009-06-06", nationality="VNM", surname="Le", sex="F") for n in ("Hoa", "Lan")]
    third = person("Thi Mai", "2010-06-06", nationality="VNM", surname="Le", sex="F")
    crossings = (passage([mother, *daughters], T0, tag="a") + coming_back([mother, *daughters], T0 + days(2), tag="a")
                 + passage([mother, third], T0 + days(5), tag="b"))
    assert named(run(crossings), "escort_of_young_adults") == []


def test_burmese_siblings_sharing_a_name_part_are_one_household() -> None:
    mother = person("Ploy", "1988", nationality="THA", surname="Kittisak", sex="F", doc="TT1")
    alerts = run(passage([mother, person("Wai Soe Hnin", "2020", nationality="MMR")], T0, tag="a")
                 + passage([mother, person("Lin Soe", "2011", nationality="MMR")], T0 + days(6), tag="b"))
    assert named(alerts, "repeat_escort_of_minors") == []


def test_child_with_a_parent_in_the_group_is_not_escorted_by_the_other_adult() -> None:
    parent = person("Daw Khin Mya", "1984", nationality="MMR", sex="F")
    alerts = run(passage([ADULT, parent, kid(1)], T0, tag="a") + passage([ADULT, kid(2)], T0 + days(6), tag="b"))
    assert named(alerts, "repeat_escort_of_minors") == []


def test_a_stranger_next_to_the_children_on_one_side_of_the_border_does_not_hide_them_on_the_other() -> None:
    """At the exit booth a Burmese woman passes right before the adult and two Burmese children (she could be
    their mother); at the entry over the border the three pass without her: she was a stranger in the line,
    and the children were escorted by the adult on that passage."""
    stranger = person("Daw Nwe Nwe", "1980", nationality="MMR", sex="F")
    exit_side = passage([stranger, ADULT, kid(1), kid(2)], T0, grouped=False, both_sides=False)
    entry_side = [cross(p, T0 + minutes(20) + dt.timedelta(seconds=20 * i), checkpoint="MMR-TCL", country="MMR",
                        direction="entry", group="a-entry") for i, p in enumerate([ADULT, kid(1), kid(2)])]
    later = passage([ADULT, kid(3)], T0 + days(6), tag="b")
    assert len(named(run(exit_side + entry_side + later), "repeat_escort_of_minors")) == 1
    # One passage is one trip, however its two sides count: one passage with two children is no pattern.
    assert named(run(exit_side + entry_side), "repeat_escort_of_minors") == []


def test_a_parent_a_little_apart_in_a_short_queue_still_counts_as_the_childrens() -> None:
    """One side reports. A Thai mother and a Burmese father pass the booth with their four Burmese children,
    two with each parent, a pause between the two halves: the line is split into two parties, and the
    children with their mother still have their father nearby."""
    mother = person("Ploy", "1988", nationality="THA", surname="Kittisak", sex="F", doc="TT1")
    father = person("U Zaw Lin", "1986", nationality="MMR")
    children = [kid(n) for n in range(4)]
    crossings = []
    for day, (hers, his) in enumerate(((children[:2], children[2:]), (children[2:], children[:2]))):
        line = [mother, *hers, father, *his]
        crossings += [cross(p, T0 + days(4 * day) + dt.timedelta(seconds=20 * i + (40 if i >= 3 else 0)))
                      for i, p in enumerate(line)]
    assert named(run(crossings), "repeat_escort_of_minors") == []


def test_school_class_is_an_organised_group() -> None:
    teacher = ADULT
    first = [kid(i, surname=f"A{i}") for i in range(12)]
    second = [kid(100 + i, surname=f"B{i}") for i in range(12)]
    alerts = run(passage([teacher, *first], T0, tag="a") + passage([teacher, *second], T0 + days(7), tag="b"))
    assert named(alerts, "repeat_escort_of_minors") == []


def test_co_crossing_on_one_side_only_is_not_travelling_together_where_both_sides_report() -> None:
    """The adult's passages are reported on both sides; each child passed the exit booth right after them
    but was not with them at the entry over the border: strangers in the same queue."""
    crossings = []
    for n, at in enumerate((T0, T0 + days(6))):
        both = passage([ADULT, kid(n)], at, grouped=False)
        crossings += [c for c in both if c.checkpoint_id != "MMR-TCL" or c.traveler.documents]
    assert named(run(crossings), "repeat_escort_of_minors") == []
    corroborated = passage([ADULT, kid(1)], T0, grouped=False) + passage([ADULT, kid(2)], T0 + days(6), grouped=False)
    assert len(named(run(corroborated), "repeat_escort_of_minors")) == 1


def test_where_only_one_side_reports_a_small_party_passing_together_counts() -> None:
    one_side = passage([ADULT, kid(1)], T0, grouped=False, both_sides=False) + passage(
        [ADULT, kid(2)], T0 + days(6), grouped=False, both_sides=False)
    assert len(named(run(one_side), "repeat_escort_of_minors")) == 1
    crowd = [person(f"Other{i}", "1980", nationality="LAO", surname=f"O{i}")
             for i in range(CFG.max_uncorroborated_party - 1)]  # the party is one too many
    bigger = passage([ADULT, kid(1), *crowd], T0, grouped=False, both_sides=False) + passage(
        [ADULT, kid(2), *crowd], T0 + days(6), grouped=False, both_sides=False)
    assert named(run(bigger), "repeat_escort_of_minors") == []


def test_where_only_one_side_reports_a_party_right_behind_another_still_counts() -> None:
    """Young women passing the booth with the same adult on two days, each time right behind a family of
    strangers: a short queue, two parties back to back, split where the line paused longest. An organised
    group passing without a travel group id (a long line) is no one's escort."""
    def line(at: dt.datetime, party: list[dict[str, Any]], tag: str) -> list[BorderCrossing]:
        family = [person(f"{tag}{i}", "1980" if i < 2 else "2016", nationality="LAO", surname=f"Fam{tag}")
                  for i in range(3)]
        return [cross(p, at + dt.timedelta(seconds=35 * i)) for i, p in enumerate(family)] + [
            cross(p, at + dt.timedelta(seconds=110 + 15 * i)) for i, p in enumerate(party)]
    crossings = line(T0, [ADULT, young(1), young(2)], "a") + line(T0 + days(4), [ADULT, young(3), young(4)], "b")
    assert len(named(run(crossings), "escort_of_young_adults")) == 1
    tour = [[young(10 * n + i) for i in range(CFG.max_escort_group)] for n in range(2)]
    toured = [cross(p, T0 + days(4 * n) + dt.timedelta(seconds=20 * i))
              for n, members in enumerate(tour) for i, p in enumerate([*members[:2], ADULT, *members[2:]])]
    assert named(run(toured), "escort_of_young_adults") == []


def test_children_further_apart_than_the_window_do_not_add_up() -> None:
    alerts = run(passage([ADULT, kid(1)], T0, tag="a") + passage([ADULT, kid(2)], T0 + days(31), tag="b"))
    assert named(alerts, "repeat_escort_of_minors") == []


def test_a_child_of_uncertain_age_is_not_counted() -> None:
    alerts = run(passage([ADULT, kid(1, dob="2008")], T0, tag="a")
                 + passage([ADULT, kid(2, dob="2008")], T0 + days(6), tag="b"))
    assert named(alerts, "repeat_escort_of_minors") == []


def test_later_evidence_updates_the_same_alert() -> None:
    alerts = run(passage([ADULT, kid(1)], T0, tag="a") + passage([ADULT, kid(2)], T0 + days(6), tag="b")
                 + passage([ADULT, kid(3)], T0 + days(12), tag="c"))
    found = named(alerts, "repeat_escort_of_minors")
    assert len({a.alert_id for a in found}) == 1
    assert [(a.hit_count, a.update) for a in found][:2] == [(1, False), (2, True)]
    assert len({c.event_id for c in found[-1].pattern.crossings if c.role == "companion"}) >= 3  # type: ignore[union-attr]


def test_the_deciding_crossing_raises_the_alert_and_later_members_update_it() -> None:
    """Decided on the crossing that completes the pattern, not when the group is complete; a third child
    joining the same group updates that alert (same id) instead of raising another."""
    runner = PatternRunner(CFG)
    for c in passage([ADULT, kid(1)], T0, tag="a"):
        runner.add(c)
    second = passage([ADULT, kid(2), kid(3)], T0 + days(6), tag="b", both_sides=False)
    assert named(runner.add(second[0]), "repeat_escort_of_minors") == []  # the adult alone: nothing yet
    decided = named(runner.add(second[1]), "repeat_escort_of_minors")  # 20 s later, group still open
    assert [(a.update, a.event_id) for a in decided] == [(False, second[1].event_id)]  # the deciding crossing
    updated = named(runner.add(second[2]), "repeat_escort_of_minors")
    assert [(a.alert_id, a.update, a.hit_count, a.event_id) for a in updated] == [
        (decided[0].alert_id, True, 2, second[2].event_id)]
    assert second[2].event_id in {c.event_id for c in updated[0].pattern.crossings}  # type: ignore[union-attr]
    assert named(runner.finish(), "repeat_escort_of_minors") == []  # completing the group re-alerts nothing


def test_a_one_sided_party_counts_only_once_complete() -> None:
    """Where one side reports, strangers passing together may be the head of a queue: nothing is decided
    before the co-crossing window has passed with nobody else joining."""
    runner = PatternRunner(CFG)
    for c in passage([ADULT, kid(1)], T0, grouped=False, both_sides=False):
        runner.add(c)
    second = passage([ADULT, kid(2)], T0 + days(6), grouped=False, both_sides=False)
    assert named([a for c in second for a in runner.add(c)], "repeat_escort_of_minors") == []
    later = cross(person("Someone", "1970", nationality="LAO"), second[-1].occurred_at + CFG.co_crossing_window
                  + minutes(1), checkpoint="THA-MSI", direction="entry")
    assert len(named(runner.add(later), "repeat_escort_of_minors")) == 1


def test_redelivered_crossing_changes_nothing() -> None:
    crossings = passage([ADULT, kid(1)], T0, tag="a") + passage([ADULT, kid(2)], T0 + days(6), tag="b")
    runner = PatternRunner(CFG)
    first = [a for c in crossings for a in runner.add(c)]
    again = [a for c in crossings[-2:] for a in runner.add(c)] + runner.finish()
    assert len(named(first + again, "repeat_escort_of_minors")) == 1


# Escort of young adults ---------------------------------------------------------------------
def young(n: int, sex: str = "F", nationality: str = "THA", dob: str = "2005-03-03") -> dict[str, Any]:
    return person(f"Young {n}", dob, nationality=nationality, sex=sex, surname=f"Family{n}")


def test_three_young_women_over_two_trips() -> None:
    alerts = run(passage([ADULT, young(1), young(2)], T0, tag="a") + passage([ADULT, young(3)], T0 + days(5), tag="b"))
    found = named(alerts, "escort_of_young_adults")
    assert len(found) == 1 and found[0].traveler_document == "AA100"


def test_same_friends_out_and_back_is_not_escort() -> None:
    friends = [young(1), young(2), young(3)]
    alerts = run(passage([ADULT, *friends], T0, tag="a") + coming_back([ADULT, *friends], T0 + days(3), tag="b"))
    assert named(alerts, "escort_of_young_adults") == []


def test_mixed_sexes_do_not_add_up() -> None:
    alerts = run(passage([ADULT, young(1), young(2, "M")], T0, tag="a")
                 + passage([ADULT, young(3, "M")], T0 + days(5), tag="b"))
    assert named(alerts, "escort_of_young_adults") == []


def test_a_peer_is_not_an_escort() -> None:
    peer = person("Peer", "2003-01-01", nationality="THA", surname="Peer", doc="P1")
    alerts = run(passage([peer, young(1), young(2)], T0, tag="a") + passage([peer, young(3)], T0 + days(5), tag="b"))
    assert named(alerts, "escort_of_young_adults") == []


def test_young_adults_beyond_fourteen_days_do_not_add_up() -> None:
    alerts = run(passage([ADULT, young(1), young(2)], T0, tag="a") + passage([ADULT, young(3)], T0 + days(15), tag="b"))
    assert named(alerts, "escort_of_young_adults") == []


# Shuttle trips ------------------------------------------------------------------------------
def adult(n: int) -> dict[str, Any]:
    return person(f"Passenger {n}", "1990-01-01", nationality="LAO", surname=f"Fam{n}", sex="M")


def shuttle(companions: list[list[dict[str, Any]]], back_after: dt.timedelta, gap: float = 6) -> list[BorderCrossing]:
    out: list[BorderCrossing] = []
    for i, party in enumerate(companions):
        at = T0 + days(gap * i)
        out += passage([ADULT, *party], at, tag=f"s{i}")
        out += coming_back([ADULT], at + back_after)
    return out


def test_three_round_trips_with_different_companions_is_a_shuttle() -> None:
    alerts = run(shuttle([[adult(1)], [adult(2), adult(3)], [adult(4)]], dt.timedelta(hours=20)))
    found = named(alerts, "shuttle_trips")
    assert len(found) == 1 and found[0].traveler_document == "AA100"
    # each round trip: out of Thailand, into Myanmar, out of Myanmar, back into Thailand
    assert len([c for c in found[0].pattern.crossings if c.role == "subject"]) == 12  # type: ignore[union-attr]


def _busy_entry_line(companion: dict[str, Any], at: dt.datetime, n: int) -> list[BorderCrossing]:
    """The shuttle and a companion entering Myanmar in a short queue of strangers, no travel group: the line
    pauses longest just before the companion, 55 s after the shuttle, so they land in its two parties."""
    line = [(adult(100 + n), 0), (ADULT, 15), (adult(110 + n), 30), (companion, 70), (adult(120 + n), 85),
            (adult(130 + n), 100)]
    return [cross(p, at + dt.timedelta(seconds=s), checkpoint="MMR-TCL", country="MMR", direction="entry")
            for p, s in line]


def _long_entry_line(companion: dict[str, Any], at: dt.datetime, n: int) -> list[BorderCrossing]:
    """The shuttle and a companion entering Myanmar 20 s apart, in a queue of strangers longer than any
    party (a busy booth): everyone there travels alone."""
    line = [(adult(100 + n + k), 10 * k) for k in range(12)]
    line[4], line[6] = (ADULT, 40), (companion, 60)
    return [cross(p, at + dt.timedelta(seconds=s), checkpoint="MMR-TCL", country="MMR", direction="entry")
            for p, s in line]


def _first_trip_in_a_busy_line(beside_on_entry: dict[str, Any], entry_line: Callable[..., list[BorderCrossing]]
                               = _busy_entry_line) -> list[BorderCrossing]:
    """Three round trips without travel groups, a different passenger each time; on the first, the passenger
    passes the exit right behind the shuttle, and `beside_on_entry` is in the busy line on the way in."""
    out: list[BorderCrossing] = []
    for i in range(3):
        at = T0 + days(6 * i)
        if i == 0:
            out += [cross(ADULT, at), cross(adult(1), at + dt.timedelta(seconds=20))]
            out += entry_line(beside_on_entry, at + minutes(20), i)
        else:
            out += passage([ADULT, adult(1 + i)], at, grouped=False)
        out += coming_back([ADULT], at + dt.timedelta(hours=20))
    return out


def test_a_companion_split_off_in_a_busy_line_on_one_side_still_counts_for_a_shuttle() -> None:
    """No travel groups. On one round trip the shuttle's passenger passed the exit right behind them, but on
    the other side a line of strangers was split into two parties between them (55 s apart): beside the
    shuttle on both sides, the passenger crossed with them, and the round trip counts."""
    found = named(run(_first_trip_in_a_busy_line(beside_on_entry=adult(1))), "shuttle_trips")
    assert len(found) == 1 and found[0].traveler_document == "AA100"


def test_strangers_beside_a_commuter_in_a_busy_line_on_one_side_only_make_no_shuttle() -> None:
    """The same busy line on the way in, but the one who passed the exit behind the commuter is not in it:
    nobody is beside them on both sides of that round trip, so it does not count."""
    assert named(run(_first_trip_in_a_busy_line(beside_on_entry=adult(9))), "shuttle_trips") == []


def test_a_companion_beside_them_in_a_long_queue_on_one_side_still_counts_for_a_shuttle() -> None:
    """As above, but on the way in the booth was so busy that everyone travelled alone: the passenger passed
    right behind the shuttle there too, so the round trip counts; strangers beside them there do not."""
    found = named(run(_first_trip_in_a_busy_line(adult(1), _long_entry_line)), "shuttle_trips")
    assert len(found) == 1 and found[0].traveler_document == "AA100"
    assert named(run(_first_trip_in_a_busy_line(adult(9), _long_entry_line)), "shuttle_trips") == []


def test_companions_brought_back_each_time_make_no_shuttle() -> None:
    """Out and back within two days three times, with different people each time, who come back too:
    outings (a different relative or friend each time), not a shuttle's passengers, who go one way."""
    out = []
    for i, party in enumerate([[adult(1)], [adult(2), adult(3)], [adult(4)]]):
        at = T0 + days(5 * i)
        out += passage([ADULT, *party], at, tag=f"s{i}") + coming_back([ADULT, *party], at + days(1), tag=f"s{i}")
    assert named(run(out), "shuttle_trips") == []


def test_same_companions_every_time_is_not_a_shuttle() -> None:
    mates = [adult(1)]
    assert named(run(shuttle([mates, mates, mates], dt.timedelta(hours=20))), "shuttle_trips") == []


def test_coming_back_after_more_than_48_hours_is_not_a_shuttle() -> None:
    trips = shuttle([[adult(1)], [adult(2)], [adult(3)]], dt.timedelta(hours=50), gap=7)
    assert named(run(trips), "shuttle_trips") == []


def test_travelling_alone_is_not_a_shuttle() -> None:
    assert named(run(shuttle([[], [], []], dt.timedelta(hours=10))), "shuttle_trips") == []


# Unaccompanied minor ------------------------------------------------------------------------
def _families(checkpoint: str, start: dt.datetime, count: int) -> list[BorderCrossing]:
    out = []
    for i in range(count):
        at = start + minutes(30 * i)
        parent = person(f"Parent {i}", "1980", nationality="THA", surname=f"F{i}")
        child = person(f"Child {i}", "2016", nationality="THA", surname=f"F{i}")
        out += [cross(parent, at, checkpoint=checkpoint, group=f"f{checkpoint}{i}"),
                cross(child, at + dt.timedelta(seconds=15), checkpoint=checkpoint, group=f"f{checkpoint}{i}")]
    return out


def _alone(checkpoint: str, start: dt.datetime, count: int, tag: str) -> list[BorderCrossing]:
    return [cross(person(f"Lone {tag}{i}", "2014", nationality="MMR"), start + minutes(30 * i + 7),
                  checkpoint=checkpoint) for i in range(count)]


def test_a_child_alone_where_children_rarely_cross_alone_is_flagged() -> None:
    background = _families("THA-ORD", T0, 80)
    alerts = run(background + _alone("THA-ORD", T0 + days(2), 1, "x"))
    found = named(alerts, "unaccompanied_minor")
    assert len(found) == 1
    assert found[0].pattern.checkpoint_baseline_share is not None  # type: ignore[union-attr]
    assert found[0].pattern.checkpoint_baseline_share < CFG.unusual_share  # type: ignore[union-attr]
    assert "PROTECT THE CHILD" in found[0].recommended_action


def test_an_unaccompanied_minor_waits_until_no_adult_can_join_the_group() -> None:
    runner = PatternRunner(CFG)
    for c in _families("THA-ORD", T0, 80):
        runner.add(c)
    child = cross(person("Lone", "2014", nationality="MMR"), T0 + days(2), checkpoint="THA-ORD", group="late")
    assert named(runner.add(child), "unaccompanied_minor") == []
    nobody = cross(person("Other", "1970", nationality="LAO"), T0 + days(2) + CFG.group_complete_after,
                   checkpoint="THA-X")
    assert len(named(runner.add(nobody), "unaccompanied_minor")) == 1


def test_market_town_children_crossing_alone_are_not_flagged() -> None:
    market = _families("THA-MKT", T0, 80) + _alone("THA-MKT", T0, 40, "m")
    alerts = run(market + _alone("THA-MKT", T0 + days(2), 1, "x"))
    assert named(alerts, "unaccompanied_minor") == []


def test_no_baseline_yet_means_not_unusual() -> None:
    assert named(run(_alone("THA-NEW", T0, 1, "x")), "unaccompanied_minor") == []


def test_a_child_next_to_an_adult_is_not_unaccompanied() -> None:
    background = _families("THA-ORD", T0, 80)
    at = T0 + days(2)
    pair = [cross(person("Lone", "2014", nationality="MMR"), at, checkpoint="THA-ORD"),
            cross(person("Stranger", "1970", nationality="MMR"), at + dt.timedelta(seconds=30), checkpoint="THA-ORD")]
    assert named(run(background + pair), "unaccompanied_minor") == []


def test_the_same_child_is_not_re_alerted_within_the_window() -> None:
    background = _families("THA-ORD", T0, 150)
    child = person("Lone", "2014", nationality="MMR", doc="MA1")
    again = [cross(child, T0 + days(4), checkpoint="THA-ORD"), cross(child, T0 + days(5), checkpoint="THA-ORD")]
    found = named(run(background + again), "unaccompanied_minor")
    assert [a.update for a in found] == [False, True]
    assert len({a.alert_id for a in found}) == 1


def test_burmese_recruiter_sharing_a_name_part_still_counts_young_women() -> None:
    """A shared Burmese name part is no surname: it must not hide recruits of the same nationality."""
    recruiter = person("U Aung Kyaw", "1980-01-01", nationality="MMR", doc="MB1")
    women = [person(name, "2005-03-03", nationality="MMR", sex="F")
             for name in ("Ma Aung Hnin", "Ma Thiri Aung", "Ma Su Aung")]
    alerts = run(passage([recruiter, women[0], women[1]], T0, tag="a") + passage([recruiter, women[2]], T0 + days(4),
                                                                                  tag="b"))
    assert len(named(alerts, "escort_of_young_adults")) == 1


def test_a_relative_with_the_same_surname_is_not_a_recruit() -> None:
    aunt = person("Malee", "1975", nationality="THA", surname="Srisuk", sex="F", doc="TS1")
    nieces = [person(f"Niece{i}", "2005", nationality="THA", surname="Srisuk", sex="F") for i in range(3)]
    alerts = run(passage([aunt, nieces[0], nieces[1]], T0, tag="a") + passage([aunt, nieces[2]], T0 + days(4), tag="b"))
    assert named(alerts, "escort_of_young_adults") == []


def test_commuter_passing_strangers_at_the_booth_is_no_shuttle_where_one_side_reports() -> None:
    """Out and back most days, on some of them a minute after some other traveller: not a shuttle."""
    crossings = []
    for day in range(12):
        at = T0 + days(day)
        crossings += [cross(ADULT, at), cross(ADULT, at + dt.timedelta(hours=9), direction="entry")]
        if day % 3 == 0:
            crossings += [cross(adult(day), at + dt.timedelta(seconds=30)),
                          cross(adult(20 + day), at + dt.timedelta(hours=9, seconds=40), direction="entry")]
    assert named(run(crossings), "shuttle_trips") == []


def test_a_commuter_in_short_queues_at_a_busy_booth_is_no_shuttle_where_one_side_reports() -> None:
    """Out in the morning and back the next day, each time in a line of strangers at the booth: the line
    is split into parties, a guess that does not make them the commuter's passengers."""
    crossings = []
    for n in range(4):
        at = T0 + days(3 * n)
        line = [adult(10 * n + i) for i in range(3)] + [ADULT] + [adult(10 * n + 5 + i) for i in range(2)]
        pauses = [0, 20, 20, 50, 20, 20]
        crossings += [cross(p, at + dt.timedelta(seconds=sum(pauses[: i + 1]))) for i, p in enumerate(line)]
        crossings.append(cross(ADULT, at + dt.timedelta(hours=20), direction="entry"))
    assert named(run(crossings), "shuttle_trips") == []


def test_where_only_one_side_reports_a_shuttle_escorting_small_parties_is_found() -> None:
    crossings = []
    for n in range(3):
        at = T0 + days(5 * n)
        crossings += [cross(ADULT, at), cross(adult(n), at + dt.timedelta(seconds=20)),
                      cross(ADULT, at + dt.timedelta(hours=20), direction="entry")]
    assert len(named(run(crossings), "shuttle_trips")) == 1


# Where only one side reports: chance company at a busy booth -----------------------------------
def test_children_who_cross_the_booth_alone_are_not_escorted_by_the_adult_next_to_them() -> None:
    """A market town seen from one side: two children cross alone most days; on two days an adult passes the
    booth a minute before one of them. Nothing but the minute links them: no escort. Children who never
    cross on their own, passing with the same adult, still are."""
    market_kids = [kid(1), kid(2)]
    crossings = [cross(k, T0 + days(d) + minutes(30 * n)) for d in range(4) for n, k in enumerate(market_kids)]
    for n, k in enumerate(market_kids):
        at = T0 + days(5 + 3 * n)
        crossings += [cross(ADULT, at), cross(k, at + dt.timedelta(seconds=30))]
    assert named(run(crossings), "repeat_escort_of_minors") == []
    escorted = [cross(ADULT, T0 + days(5 + 3 * n)) for n in range(2)] + [
        cross(kid(3 + n), T0 + days(5 + 3 * n) + dt.timedelta(seconds=30)) for n in range(2)]
    assert len(named(run(crossings[:8] + escorted), "repeat_escort_of_minors")) == 1


def test_a_commuter_passing_young_strangers_at_the_booth_is_no_escort_where_one_side_reports() -> None:
    """Out and back every day; on three days a young woman passes the booth right after them."""
    def commuting(grouped: bool) -> list[BorderCrossing]:
        crossings = []
        for day in range(12):
            at = T0 + days(day)
            group = f"g{day}" if grouped and day % 4 == 0 else None
            crossings += [cross(ADULT, at, group=group), cross(ADULT, at + dt.timedelta(hours=9), direction="entry")]
            if day % 4 == 0:
                crossings.append(cross(young(day), at + dt.timedelta(seconds=30), group=group))
        return crossings
    assert named(run(commuting(grouped=False)), "escort_of_young_adults") == []
    # The same three each in the adult's travel group: an escort however often the adult crosses.
    assert len(named(run(commuting(grouped=True)), "escort_of_young_adults")) == 1


def test_an_escort_seen_on_one_side_mostly_crosses_with_the_young_people() -> None:
    """Out with young women on two trips, back alone: half their crossings are escorts."""
    crossings = passage([ADULT, young(1), young(2)], T0, grouped=False, both_sides=False)
    crossings += [cross(ADULT, T0 + days(1), direction="entry")]
    crossings += passage([ADULT, young(3)], T0 + days(4), grouped=False, both_sides=False)
    crossings += [cross(ADULT, T0 + days(5), direction="entry")]
    assert len(named(run(crossings), "escort_of_young_adults")) == 1
