"""The vertical slice on the real broker: events in, watchlist match, alerts / dead letters out."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from streams.testkit import metric_value
from tests.factories import SUSPECT, entry_dict, entry_json, live_crossing
from tests.helpers import SetUpBroker, kafka_producer, running_worker, wait_until, watch

pytestmark = pytest.mark.integration

MISSING = {"full_name": "Nguyễn Thị Hồng", "given_names": "Thị Hồng", "surname": "Nguyễn",
           "date_of_birth": "2008-09-30", "sex": "F", "nationality": "VNM"}
STRANGER = {"full_name": "Wirat Boonma", "date_of_birth": "1961-01-05", "sex": "M", "nationality": "THA",
            "documents": [{"type": "P", "number": "ZZ9876543", "issuing_country": "THA"}]}


@pytest.fixture
async def slice_env(broker_with_watchlist: SetUpBroker, tmp_path: Path):  # type: ignore[no-untyped-def]
    broker = await broker_with_watchlist([
        entry_dict("E-SUSPECT", SUSPECT),
        entry_dict("E-MISSING", MISSING, list="missing_person", source_country="VNM")])
    assert broker.summary.loaded == 2 and not broker.summary.rejected
    with running_worker(broker.env, tmp_path) as worker:
        worker.wait_watchlist(2)
        yield broker.settings, worker


async def test_watchlisted_crossing_yields_exactly_one_alert(slice_env) -> None:  # type: ignore[no-untyped-def]
    settings, _ = slice_env
    async with watch(settings, settings.topic_alerts) as alerts, kafka_producer(settings) as producer:
        event = live_crossing({**SUSPECT, "full_name": "SOMCHAI SRISUK"})
        await producer.send_and_wait(settings.topic_crossings, orjson.dumps(event), key=event["event_id"].encode())
        found = await alerts.wait_for(lambda a: a["event_id"] == event["event_id"], timeout=5.0)
        assert found[0]["entry_id"] == "E-SUSPECT"
        assert found[0]["list"] == "suspect"
        assert 0.0 < found[0]["score"] <= 1.0
        assert {r["feature"] for r in found[0]["reasons"]}  # explained, feature by feature
        # A second, unrelated event on the same partition proves the first was fully processed.
        sentinel = live_crossing(MISSING)
        for e in (sentinel,):
            await producer.send_and_wait(settings.topic_crossings, orjson.dumps(e), key=e["event_id"].encode())
        await alerts.wait_for(lambda a: a["event_id"] == sentinel["event_id"], timeout=5.0)
        assert len([a for a in alerts.values() if a["event_id"] == event["event_id"]]) == 1


async def test_non_matching_crossing_yields_no_alert(slice_env) -> None:  # type: ignore[no-untyped-def]
    settings, _ = slice_env
    async with watch(settings, settings.topic_alerts) as alerts, kafka_producer(settings) as producer:
        stranger = live_crossing(STRANGER)
        sentinel = live_crossing(MISSING)
        for e in (stranger, sentinel):  # same partition: processed in this order
            await producer.send_and_wait(settings.topic_crossings, orjson.dumps(e),
                                         key=e["event_id"].encode(), partition=0)
        await alerts.wait_for(lambda a: a["event_id"] == sentinel["event_id"], timeout=5.0)
        assert not [a for a in alerts.values() if a["event_id"] == stranger["event_id"]]


async def test_malformed_message_is_dead_lettered_and_next_is_screened(slice_env) -> None:  # type: ignore[no-untyped-def]
    settings, worker = slice_env
    async with watch(settings, settings.topic_alerts, settings.topic_dead_letter) as seen, \
            kafka_producer(settings) as producer:
        await producer.send_and_wait(settings.topic_crossings, b"{not json", key=b"bad-1", partition=1)
        await producer.send_and_wait(settings.topic_crossings, orjson.dumps({"event_id": "x"}),
                                     key=b"bad-2", partition=1)
        good = live_crossing(SUSPECT)
        await producer.send_and_wait(settings.topic_crossings, orjson.dumps(good), key=good["event_id"].encode(),
                                     partition=1)
        letters = await seen.wait_for(lambda d: "original_b64" in d, topic=settings.topic_dead_letter,
                                      count=2, timeout=5.0)
        assert {d["error"] for d in letters} == {"invalid_json", "invalid_schema"}
        assert all(d["source_topic"] == settings.topic_crossings and d["reason"] for d in letters)
        schema_letter = next(d for d in letters if d["error"] == "invalid_schema")
        assert "event_type" in schema_letter["reason"]
        await seen.wait_for(lambda a: a.get("event_id") == good["event_id"], topic=settings.topic_alerts,
                            timeout=5.0)
        assert worker.proc.poll() is None


async def test_entry_loaded_after_start_is_matched(slice_env) -> None:  # type: ignore[no-untyped-def]
    settings, worker = slice_env
    late = {"full_name": "Chan Sopheap", "date_of_birth": "2006-03-15", "sex": "F", "nationality": "KHM"}
    async with watch(settings, settings.topic_alerts) as alerts, kafka_producer(settings) as producer:
        await producer.send_and_wait(settings.topic_watchlist,
                                     entry_json("E-LATE", late, list="suspected_victim", source_country="KHM"),
                                     key=b"E-LATE")
        worker.wait_watchlist(3, timeout=5.0)
        event = live_crossing(late, checkpoint_country="KHM", checkpoint_id="KHM-CP02")
        await producer.send_and_wait(settings.topic_crossings, orjson.dumps(event), key=event["event_id"].encode())
        found = await alerts.wait_for(lambda a: a["event_id"] == event["event_id"], timeout=5.0)
        assert found[0]["entry_id"] == "E-LATE"
        assert "KHM" in found[0]["route_to"]


async def test_metrics_move_with_traffic(slice_env) -> None:  # type: ignore[no-untyped-def]
    """Scrape the live worker's /metrics after known traffic: 20 crossings (5 hits) and 3 bad messages."""
    settings, worker = slice_env
    before = worker.metrics()
    async with watch(settings, settings.topic_alerts) as alerts, kafka_producer(settings) as producer:
        events = [live_crossing(SUSPECT if i % 4 == 0 else {**STRANGER, "full_name": f"Traveller {i}"},
                                checkpoint_country="VNM", checkpoint_id=f"VNM-CP{i:02d}") for i in range(20)]
        for e in events:
            await producer.send_and_wait(settings.topic_crossings, orjson.dumps(e), key=e["event_id"].encode())
        for bad in (b"{", b"[]", orjson.dumps({"event_type": "border_crossing"})):
            await producer.send_and_wait(settings.topic_crossings, bad, key=b"bad")
        await alerts.wait_for(lambda a: a["entry_id"] == "E-SUSPECT", count=5, timeout=10.0)

    def delta(name: str, **labels: str) -> float:
        return metric_value(worker.metrics(), name, **labels) - metric_value(before, name, **labels)

    wait_until(lambda: delta("borderwatch_events_consumed_total", checkpoint_country="VNM") == 20, 5.0,
               "20 consumed crossings from VNM")
    wait_until(lambda: delta("borderwatch_events_invalid_total") == 3, 5.0, "3 invalid events")
    assert delta("borderwatch_events_invalid_total", reason="invalid_json") == 1
    assert delta("borderwatch_events_invalid_total", reason="invalid_schema") == 2
    assert delta("borderwatch_dead_letters_published_total") == 3
    assert delta("borderwatch_processing_seconds_count", event_type="border_crossing") == 20
    # 5 hits at 5 different checkpoints: 5 alerts, each routed to VNM (checkpoint) and THA (owner)
    wait_until(lambda: delta("borderwatch_alerts_published_total", list="suspect", route_country="VNM") == 5,
               5.0, "5 suspect alerts routed to VNM")
    assert delta("borderwatch_alerts_published_total", list="suspect", route_country="THA") == 5
    assert delta("borderwatch_screening_latency_seconds_count") == 5
    assert metric_value(worker.metrics(), "borderwatch_watchlist_entries", list="suspect") == 1
    assert metric_value(worker.metrics(), "borderwatch_last_event_timestamp_seconds", checkpoint_country="VNM") > 0
