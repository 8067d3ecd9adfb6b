"""Watchlists as a workflow on the real broker: live changes, expiry, sharing, retro-screening,
repeat merging, officer decisions and document checks."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import orjson
import pytest

from agents.documents import check_digit
from streams.console.terminal import post_decision
from streams.testkit import metric_value
from tests.factories import document_check_json, entry_dict, live_crossing, person
from tests.helpers import kafka_producer, running_worker, set_up_broker, wait_until, watch

pytestmark = pytest.mark.integration


SENTINEL = person("Khamphoui Siharath", "1969-06-06", sex="M", nationality="LAO", passport="LA1122334")


@pytest.fixture(scope="module")
async def flow(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One worker for the module, with a sentinel entry used to prove ordering."""
    tmp = tmp_path_factory.mktemp("flow")
    broker = await set_up_broker(kafka_bootstrap, f"w{uuid.uuid4().hex[:8]}", tmp, [entry_dict("E-SENTINEL", SENTINEL)],
                                 BW_RETRO_SCREEN_DAYS="2")
    settings = broker.settings
    with running_worker(broker.env, tmp) as worker:
        worker.wait_watchlist(1)
        async with watch(settings, settings.topic_alerts, *(f"{settings.topic_alerts}.{c}" for c in
                                                             ("THA", "LAO", "VNM", "KHM"))) as alerts, \
                kafka_producer(settings) as producer:
            yield settings, worker, alerts, producer


async def put_entry(producer: Any, settings: Any, record: dict[str, Any]) -> None:
    await producer.send_and_wait(settings.topic_watchlist, json.dumps(record).encode(),
                                 key=record["entry_id"].encode())


async def send_in_order(producer: Any, settings: Any, *events: dict[str, Any], topic: str | None = None) -> None:
    """Same partition, so the worker screens them in this order (and the candidates stay in order)."""
    for event in events:
        await producer.send_and_wait(topic or settings.topic_crossings, orjson.dumps(event),
                                     key=event["event_id"].encode(), partition=0)


def entries_now(worker: Any) -> float:
    return metric_value(worker.metrics(), "borderwatch_watchlist_entries")


def version_now(worker: Any) -> float:
    return metric_value(worker.metrics(), "borderwatch_watchlist_version")


async def settle(settings: Any, producer: Any, alerts: Any, **kwargs: Any) -> None:
    """Send a sentinel hit on partition 0 and wait for its alert: everything sent before is done."""
    sentinel = live_crossing(SENTINEL, checkpoint_country="LAO", checkpoint_id=f"LAO-S{dt.datetime.now().timestamp()}")
    await send_in_order(producer, settings, sentinel, **kwargs)
    await alerts.wait_for(lambda a: a["event_id"] == sentinel["event_id"], timeout=10.0,
                          topic=settings.topic_alerts)


def alerts_for(alerts: Any, settings: Any, event: dict[str, Any], topic: str | None = None) -> list[dict[str, Any]]:
    return [a for a in alerts.values(topic or settings.topic_alerts) if a["event_id"] == event["event_id"]]


async def test_update_removal_and_expiry_reach_a_running_worker(flow) -> None:  # type: ignore[no-untyped-def]
    settings, worker, alerts, producer = flow
    p = person("Malee Thongdee", "2007-02-14", sex="F", nationality="THA", passport="TH5550001")
    await put_entry(producer, settings, entry_dict("E-UPD", p, list="missing_person", priority="medium"))
    first = live_crossing(p, checkpoint_id="THA-CP11")
    await send_in_order(producer, settings, first)
    got = await alerts.wait_for(lambda a: a["event_id"] == first["event_id"], topic=settings.topic_alerts)
    assert got[0]["entry_id"] == "E-UPD"

    # change: the owner raises the priority; the next sighting carries it
    version = version_now(worker)
    await put_entry(producer, settings, entry_dict("E-UPD", p, list="missing_person", priority="critical"))
    wait_until(lambda: version_now(worker) > version, 2.0, "the change to reach the worker")
    second = live_crossing(p, checkpoint_id="THA-CP12")
    await send_in_order(producer, settings, second)
    got = await alerts.wait_for(lambda a: a["event_id"] == second["event_id"], topic=settings.topic_alerts)
    assert got[0]["priority"] == "critical"

    # removal: a tombstone; later sightings do not alert
    before = entries_now(worker)
    await producer.send_and_wait(settings.topic_watchlist, None, key=b"E-UPD")
    wait_until(lambda: entries_now(worker) == before - 1, 2.0, "the removal to reach the worker")
    third = live_crossing(p, checkpoint_id="THA-CP13")
    await send_in_order(producer, settings, third)
    await settle(settings, producer, alerts)
    assert not alerts_for(alerts, settings, third)

    # expiry: an entry whose valid_until has passed does not match
    q = person("Sopheap Chan", "1990-03-15", sex="F", nationality="KHM", passport="KH7770001")
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat()
    before = entries_now(worker)
    await put_entry(producer, settings, entry_dict("E-EXP", q, source_country="KHM", valid_until=past))
    wait_until(lambda: entries_now(worker) == before + 1, 2.0, "the expired entry to reach the worker")
    fourth = live_crossing(q, checkpoint_country="KHM", checkpoint_id="KHM-CP01")
    await send_in_order(producer, settings, fourth)
    await settle(settings, producer, alerts)
    assert not alerts_for(alerts, settings, fourth)


async def test_sharing_policy_routes_to_owner_only(flow) -> None:  # type: ignore[no-untyped-def]
    settings, worker, alerts, producer = flow
    p = person("Prasert Kaewsai", "1966-10-05", sex="M", nationality="THA", passport="TH4440001")
    before = entries_now(worker)
    await put_entry(producer, settings, entry_dict("E-SHARE", p, source_country="THA", shared_with=["VNM"]))
    wait_until(lambda: entries_now(worker) == before + 1, 2.0, "the entry to reach the worker")
    at_lao = live_crossing(p, checkpoint_country="LAO", checkpoint_id="LAO-CP02")
    at_vnm = live_crossing(p, checkpoint_country="VNM", checkpoint_id="VNM-CP02")
    await send_in_order(producer, settings, at_lao, at_vnm)
    await alerts.wait_for(lambda a: a["event_id"] == at_vnm["event_id"], topic=f"{settings.topic_alerts}.VNM")
    await alerts.wait_for(lambda a: a["event_id"] == at_lao["event_id"], topic=f"{settings.topic_alerts}.THA")
    await settle(settings, producer, alerts)
    lao_alert = alerts_for(alerts, settings, at_lao, f"{settings.topic_alerts}.THA")[0]
    assert lao_alert["route_to"] == ["THA"]
    assert not alerts_for(alerts, settings, at_lao, f"{settings.topic_alerts}.LAO")
    assert not alerts_for(alerts, settings, at_lao)  # not on the topic every country reads
    vnm_alert = alerts_for(alerts, settings, at_vnm)[0]
    assert set(vnm_alert["route_to"]) == {"VNM", "THA"}


async def test_retro_alert_for_a_crossing_before_the_entry_existed(flow) -> None:  # type: ignore[no-untyped-def]
    settings, _, alerts, producer = flow
    child = person("Nguyen Thi Lan", "2012-08-01", sex="F", nationality="VNM", passport="VN9990001")
    earlier = live_crossing(child, checkpoint_country="KHM", checkpoint_id="KHM-CP07", direction="exit",
                            occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=20))
    await send_in_order(producer, settings, earlier)
    await settle(settings, producer, alerts)
    assert not alerts_for(alerts, settings, earlier)

    await put_entry(producer, settings, entry_dict("E-RETRO", child, list="missing_person", source_country="VNM"))
    found = await alerts.wait_for(lambda a: a["event_id"] == earlier["event_id"], topic=settings.topic_alerts,
                                  timeout=15.0)
    assert found[0]["retrospective"] is True
    assert found[0]["entry_id"] == "E-RETRO"
    assert "KHM-CP07" in found[0]["recommended_action"]


async def test_repeat_hit_is_merged_into_one_alert(flow) -> None:  # type: ignore[no-untyped-def]
    settings, worker, alerts, producer = flow
    p = person("Aung Kyaw", "1977-05-19", sex="M", nationality="MMR", passport="MA1230001")
    before = entries_now(worker)
    await put_entry(producer, settings, entry_dict("E-REPEAT", p, source_country="MMR"))
    wait_until(lambda: entries_now(worker) == before + 1, 2.0, "the entry to reach the worker")
    one = live_crossing(p, checkpoint_country="THA", checkpoint_id="THA-CP20")
    two = live_crossing(p, checkpoint_country="THA", checkpoint_id="THA-CP20")
    await send_in_order(producer, settings, one, two)
    got_two = await alerts.wait_for(lambda a: a["event_id"] == two["event_id"], topic=settings.topic_alerts)
    got_one = alerts_for(alerts, settings, one)
    assert got_two[0]["alert_id"] == got_one[0]["alert_id"]
    assert got_two[0]["update"] is True and got_two[0]["hit_count"] == 2
    assert metric_value(worker.metrics(), "borderwatch_alerts_merged_total") >= 1


async def test_false_positive_decision_suppresses_the_pair(flow) -> None:  # type: ignore[no-untyped-def]
    settings, worker, alerts, producer = flow
    p = person("Li Na", "1985-11-02", sex="F", nationality="CHN", passport="E12340001")
    before = entries_now(worker)
    await put_entry(producer, settings, entry_dict("E-FP", p, source_country="CHN"))
    wait_until(lambda: entries_now(worker) == before + 1, 2.0, "the entry to reach the worker")
    first = live_crossing(p, checkpoint_country="LAO", checkpoint_id="LAO-CP09")
    await send_in_order(producer, settings, first)
    got = await alerts.wait_for(lambda a: a["event_id"] == first["event_id"], topic=settings.topic_alerts)

    decided = metric_value(worker.metrics(), "borderwatch_decisions_total", decision="false_positive")
    await post_decision(settings, got[0]["alert_id"], "false_positive", "officer-LAO-17", "different person")
    wait_until(lambda: metric_value(worker.metrics(), "borderwatch_decisions_total",
                                    decision="false_positive") > decided, 5.0, "the decision to be applied")
    later = live_crossing(p, checkpoint_country="THA", checkpoint_id="THA-CP30")
    await send_in_order(producer, settings, later)
    await settle(settings, producer, alerts)
    assert not alerts_for(alerts, settings, later)
    assert metric_value(worker.metrics(), "borderwatch_alerts_suppressed_total") >= 1


def td3(surname: str, given: str, number: str, nationality: str, dob: str, sex: str, expiry: str) -> list[str]:
    name = f"{surname}<<{given.replace(' ', '<')}"
    line1 = f"P<{nationality}{name}".ljust(44, "<")[:44]
    num = number.ljust(9, "<")
    optional = "<" * 14
    parts = [num + check_digit(num), nationality, dob + check_digit(dob), sex, expiry + check_digit(expiry),
             optional + check_digit(optional)]
    line2 = "".join(parts)
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    return [line1, line2 + check_digit(composite)]


async def test_document_check_with_a_bad_check_digit_is_flagged(flow) -> None:  # type: ignore[no-untyped-def]
    settings, worker, alerts, producer = flow
    p = person("Somchai Srisuk", "1972-04-18", sex="M", nationality="THA", passport="AA1234567")
    p.update({"surname": "Srisuk", "given_names": "Somchai"})
    before = entries_now(worker)
    await put_entry(producer, settings, entry_dict("E-DOC", p, source_country="THA"))
    wait_until(lambda: entries_now(worker) == before + 1, 2.0, "the entry to reach the worker")
    mrz = td3("SRISUK", "SOMCHAI", "AA1234567", "THA", "720418", "M", "300101")
    tampered = [mrz[0], mrz[1][:13] + ("9" if mrz[1][13] != "9" else "8") + mrz[1][14:]]  # DOB changed
    check = document_check_json({"surname": "Srisuk", "given_names": "Somchai", "date_of_birth": "1972-04-18",
                                 "nationality": "THA"}, event_id="doc-check-1", occurred_at=dt.datetime.now(dt.UTC),
                                mrz=tampered)
    await producer.send_and_wait(settings.topic_document_checks, check, key=b"doc-check-1")
    got = await alerts.wait_for(lambda a: a["event_id"] == "doc-check-1", topic=settings.topic_alerts)
    assert got[0]["event_type"] == "document_check"
    assert any(f.startswith("mrz_check_digit_failed") for f in got[0]["document_flags"])
    assert any(r["feature"] == "document_check" for r in got[0]["reasons"])
