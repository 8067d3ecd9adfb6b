"""streams.stages.screening_batch: how its consumer fetches; other stages' messages made from screened batches
(the pattern stage's crossings by checkpoint), made from the batches of a moment together, never stop
screening when making them fails."""

from __future__ import annotations

from typing import Any

from agents.outgoing import Outgoing
from streams.stages.screening_batch import Held, _made_safely, fetch_options


def test_the_messages_made_from_a_batch_are_sent_and_a_failure_to_make_them_sends_none() -> None:
    made = [Outgoing("t", None, b"bundle", 3)]
    assert _made_safely(lambda records: made if records == [1, 2] else [], [1, 2]) == made

    def broken(records: list[Any]) -> list[Outgoing]:
        raise KeyError("a bug in the other stage")
    assert _made_safely(broken, [1, 2]) == []


class _Record:
    def __init__(self, partition: int, offset: int) -> None:
        self.topic, self.partition, self.offset = "border.crossings", partition, offset


def test_batches_are_held_together_until_the_moment_is_over_or_enough_records_wait() -> None:
    held = Held()
    assert not held and not held.due(100.0, 0.25, 10)
    first, second = [_Record(0, 5), _Record(1, 7)], [_Record(0, 6)]
    held.add(first, [], {("border.crossings", 0): 6, ("border.crossings", 1): 8}, now=10.0)
    assert held and not held.due(10.2, 0.25, 10)
    held.add(second, [], {("border.crossings", 0): 7}, now=10.2)
    assert held.records == first + second
    # The batches settle together: every partition's offset is the furthest any of them reached.
    assert held.offsets == {("border.crossings", 0): 7, ("border.crossings", 1): 8}
    assert held.due(10.25, 0.25, 10)  # the moment counts from the first batch held
    assert held.due(10.0, 0.25, 3)  # or enough records wait, whatever the time
    assert not Held().due(10.0, 0.0, 10)  # nothing held: nothing to release


def test_a_fetch_is_held_for_more_records_only_when_a_wait_is_set() -> None:
    assert "fetch_min_bytes" not in fetch_options(0)  # answered with the first record there
    held = fetch_options(10)
    assert held["fetch_max_wait_ms"] == 10 and held["fetch_min_bytes"] > 1
