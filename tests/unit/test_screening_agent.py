"""The Faust screening agent with Faust's test context: no broker, one mock per outbound topic."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock, MagicMock

import orjson
import pytest

from agents.matching import build_index
from streams.app import create_app
from streams.settings import Settings
from tests.factories import crossing_json, entry, fixed_clock, person

ENTRY = entry("E-1", person("Nguyễn Thị Hồng", "2008-09-30", sex="F", nationality="VNM"), list="missing_person",
              source_country="VNM", source_agency="C02", case_ref="VN-1", priority="medium")


def crossing(name: str, dob: str) -> bytes:
    return crossing_json(person(name, dob, nationality="VNM"), event_id=f"ev-{name}",
                         occurred_at="2026-11-28T09:59:59Z", checkpoint_id="KHM-CP1", checkpoint_country="KHM")


@pytest.fixture
def runtime() -> Any:
    rt = create_app(Settings(kafka_bootstrap="127.0.0.1:1", metrics_port=0, worker_web_port=0, screening_path="faust"),
                    clock=fixed_clock())
    rt.store.replace(build_index([ENTRY], rt.ctx.matcher))
    sends: dict[str, AsyncMock] = {}

    def topic(name: str) -> MagicMock:
        handle = MagicMock()
        handle.send = sends.setdefault(name, AsyncMock())
        return handle
    rt.topic = topic  # type: ignore[method-assign]
    rt.sends = sends  # type: ignore[attr-defined]
    return rt


async def test_agent_sends_a_candidate_for_a_hit_and_nothing_for_a_miss(runtime: Any) -> None:
    agent = runtime.app.agents["borderwatch.screen"]
    async with agent.test_context() as ctx:
        await ctx.put(crossing("NGUYEN THI HONG", "2008-09-30"), key=b"k1")
        await ctx.put(crossing("TRAN VAN BINH", "1960-01-01"), key=b"k2")
    candidates = runtime.sends[runtime.topics.alert_candidates]
    assert candidates.await_count == 1
    sent = orjson.loads(candidates.await_args.kwargs["value"])
    assert sent["entry_id"] == "E-1" and sent["event_id"] == "ev-NGUYEN THI HONG"
    assert runtime.topics.dead_letter not in runtime.sends


async def test_agent_dead_letters_bad_input_and_carries_on(runtime: Any) -> None:
    agent = runtime.app.agents["borderwatch.screen"]
    async with agent.test_context() as ctx:
        await ctx.put(b"\xff not json", key=b"bad")
        await ctx.put(crossing("NGUYEN THI HONG", "2008-09-30"), key=b"k1")
    letters = runtime.sends[runtime.topics.dead_letter]
    assert letters.await_count == 1
    assert orjson.loads(letters.await_args.kwargs["value"])["error"] == "invalid_json"
    assert runtime.sends[runtime.topics.alert_candidates].await_count == 1


async def test_candidates_per_event_are_observed(runtime: Any) -> None:
    agent = runtime.app.agents["borderwatch.screen"]
    async with agent.test_context() as ctx:
        await ctx.put(crossing("NGUYEN THI HONG", "2008-09-30"), key=b"k1")  # every screened event
    samples = runtime.metrics.registry.get_sample_value("borderwatch_candidates_per_event_count")
    assert samples == 1
    assert runtime.metrics.registry.get_sample_value("borderwatch_candidates_per_event_sum") >= 1
