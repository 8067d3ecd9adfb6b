"""streams.stages.screening_batch: another stage's messages made from a screened batch (the pattern stage's
crossings by checkpoint) never stop screening when making them fails."""

from __future__ import annotations

from typing import Any

from agents.outgoing import Outgoing
from streams.stages.screening_batch import _made_safely


def test_the_messages_made_from_a_batch_are_sent_and_a_failure_to_make_them_sends_none() -> None:
    made = [Outgoing("t", None, b"bundle", 3)]
    assert _made_safely(lambda records: made if records == [1, 2] else [], [1, 2]) == made

    def broken(records: list[Any]) -> list[Outgoing]:
        raise KeyError("a bug in the other stage")
    assert _made_safely(broken, [1, 2]) == []
