"""streams.stages.screening_step: the batch loop's `screen_many` sends and records what `screen_one` does,
message by message, in order; a bug in one message is that message's dead letter only."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, NamedTuple

import orjson
import pytest
from prometheus_client import CollectorRegistry

import agents.screening
from agents.matching import build_index
from agents.screening import Processed
from agents.watchlist import WatchlistStore
from schemas import WatchlistEntry
from streams.app import screening_context
from streams.metrics import Metrics
from streams.runtime import Runtime
from streams.settings import Settings
from streams.stages import screening_step
from streams.stages.screening_step import screen_many, screen_one

NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)
LISTED = {"full_name": "Somchai Srisuk", "date_of_birth": "1972-04-18", "sex": "M", "nationality": "THA",
          "documents": [{"type": "P", "number": "AA1234567", "issuing_country": "THA"}]}
ENTRY = WatchlistEntry.model_validate({"entry_id": "E1", "list": "suspect", "person": LISTED, "source_country": "THA",
                                       "source_agency": "RTP", "case_ref": "C-1", "priority": "high"})


class Message(NamedTuple):
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


def runtime() -> Runtime:
    settings = Settings()
    ctx = screening_context(settings, clock=lambda: NOW)
    store = WatchlistStore(ctx.matcher)
    store.replace(build_index([ENTRY], ctx.matcher))
    return Runtime(app=None, settings=settings, topics=ctx.topics, ctx=ctx, store=store,
                   metrics=Metrics(CollectorRegistry()), clock=lambda: NOW)


def crossing(event_id: str, **traveler: Any) -> bytes:
    return orjson.dumps({"event_id": event_id, "event_type": "border_crossing", "occurred_at": "2026-11-28T09:59:00Z",
                         "checkpoint_id": "THA-CP01", "checkpoint_country": "THA", "direction": "exit",
                         "traveler": {**LISTED, **traveler}})


def messages(topic: str) -> list[Message]:
    values: list[bytes | None] = [
        crossing("hit"),
        crossing("miss", full_name="Tran Van Binh", date_of_birth="1960-01-01", documents=[]),
        b"\xff not json",
        None,  # a tombstone
        crossing("salvaged", date_of_birth="1972-13-45"),  # screened without the date of birth
        crossing("hit-again", documents=[]),
    ]
    return [Message(topic, i % 2, 10 + i, b"k%d" % i, value) for i, value in enumerate(values)]


class Seen:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Processed]] = []

    def __call__(self, topic: str, processed: Processed, seconds: float) -> None:
        assert seconds >= 0
        self.calls.append((topic, processed))


def test_screen_many_sends_and_observes_what_screen_one_does_message_by_message() -> None:
    one, many = runtime(), runtime()
    batch = messages(one.topics.crossings)
    seen_one, seen_many = Seen(), Seen()
    expected = [screen_one(one, m, seen_one) for m in batch]
    got = screen_many(many, batch, seen_many)
    assert got == expected
    assert [o.topic for out in got for o in out].count(one.topics.alert_candidates) == 3  # salvaged hit too
    assert [o.topic for out in got for o in out].count(one.topics.dead_letter) == 3  # two rejected, one partial
    assert seen_many.calls == seen_one.calls
    # the traveller counts went the same way (each counted before the next was screened)
    assert many.ctx.population is not None and one.ctx.population is not None
    assert many.ctx.population.total == one.ctx.population.total == 4


def test_each_traveller_is_counted_before_the_next_message_is_screened(monkeypatch: pytest.MonkeyPatch) -> None:
    rt = runtime()
    order: list[str] = []

    class Population:
        def ahead(self, partition: str, forms: Any, nationality: str | None = None) -> Any:
            return None

        def observe_ahead(self, partition: str, forms: Any, nationality: str | None, ahead: Any) -> None:
            order.append("count")

    def alerts_for_event(event: Any, *args: Any, **kwargs: Any) -> list[Any]:
        order.append("screen " + event.event_id)
        return []

    def begin_event(*args: Any, **kwargs: Any) -> Any:
        order.append("begin")
        return begin(*args, **kwargs)

    begin = agents.screening.begin_event
    rt.ctx = dataclasses.replace(rt.ctx, population=Population())  # type: ignore[arg-type]
    monkeypatch.setattr(agents.screening, "alerts_for_event", alerts_for_event)
    monkeypatch.setattr(screening_step, "begin_event", begin_event)
    batch = [Message(rt.topics.crossings, 0, i, None, crossing(f"e{i}")) for i in range(3)]
    screen_many(rt, batch, Seen())
    assert order == ["begin"] * 3 + ["screen e0", "count", "screen e1", "count", "screen e2", "count"]


@pytest.mark.parametrize("step", ["begin_event", "finish_event"])
def test_a_bug_in_one_message_dead_letters_it_and_the_others_are_screened(monkeypatch: pytest.MonkeyPatch,
                                                                          step: str) -> None:
    rt = runtime()
    real = getattr(screening_step, step)

    def broken(first: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs["partition"] == 1:
            raise KeyError("a bug")
        return real(first, *args, **kwargs)

    monkeypatch.setattr(screening_step, step, broken)
    batch = [Message(rt.topics.crossings, p, 5, b"k", crossing(f"e{p}")) for p in (0, 1, 0)]
    seen = Seen()
    out = screen_many(rt, batch, seen)
    assert [[o.topic for o in sent] for sent in out] == [
        [rt.topics.alert_candidates], [rt.topics.dead_letter], [rt.topics.alert_candidates]]
    assert orjson.loads(out[1][0].value)["error"] == "internal_error"
    assert len(seen.calls) == 2  # the failed message is counted as an internal error instead
    assert rt.metrics.registry.get_sample_value(
        "borderwatch_events_invalid_total", {"topic": rt.topics.crossings, "reason": "internal_error"}) == 1
