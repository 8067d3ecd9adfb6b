"""agents.offsets: what the batch loop commits, where an inherited partition starts."""

from __future__ import annotations

from dataclasses import dataclass

from agents.offsets import above_floors, inherited_starts, next_offsets

A, B, C = ("border.crossings", 0), ("border.crossings", 1), ("border.document-checks", 0)


@dataclass(frozen=True)
class Rec:
    topic: str
    partition: int
    offset: int


def test_next_offsets_is_the_highest_offset_plus_one_per_partition() -> None:
    records = [Rec(*A, 5), Rec(*A, 6), Rec(*B, 0), Rec(*A, 7), Rec(*C, 41)]
    assert next_offsets(records) == {A: 8, B: 1, C: 42}


def test_next_offsets_does_not_depend_on_order() -> None:
    assert next_offsets([Rec(*A, 9), Rec(*A, 3)]) == {A: 10}
    assert next_offsets([]) == {}


def test_inherited_starts_only_where_the_screening_group_never_committed() -> None:
    own = {A: 120, B: None}
    faust = {A: 100, B: 55, C: 7}
    assert inherited_starts([A, B, C], own, faust) == {B: 55, C: 7}  # A keeps its own offset


def test_nothing_inherited_when_the_faust_group_has_no_offset() -> None:
    assert inherited_starts([A, B], {}, {A: -1}) == {}  # -1: "no offset" as the admin API reports it
    assert inherited_starts([], {}, {A: 3}) == {}  # only assigned partitions


def test_above_floors_drops_what_the_faust_group_screened() -> None:
    fetched = [Rec(*A, 0), Rec(*A, 1), Rec(*A, 2), Rec(*B, 0)]
    kept, floors = above_floors(fetched, {A: 2})
    assert kept == [Rec(*A, 2), Rec(*B, 0)]  # B never inherited a start: untouched
    assert floors == {A: 3}


def test_above_floors_screens_records_fetched_twice_once() -> None:
    first, floors = above_floors([Rec(*A, 0), Rec(*A, 5), Rec(*A, 6)], {A: 5})
    again, floors = above_floors([Rec(*A, 5), Rec(*A, 6), Rec(*A, 7)], floors)  # refetched after the seek
    assert first == [Rec(*A, 5), Rec(*A, 6)] and again == [Rec(*A, 7)]
    assert floors == {A: 8}


def test_above_floors_without_floors_keeps_everything() -> None:
    records = [Rec(*A, 3), Rec(*C, 1)]
    assert above_floors(records, {}) == (records, {})
