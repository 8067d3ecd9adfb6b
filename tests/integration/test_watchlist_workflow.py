"""Watchlists as a workflow on the real broker: live changes, expiry, sharing, retro-screening,
repeat merging, officer decisions and document checks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from agents.documents import check_digit
from streams.console.terminal import post_decision
from streams.topics import ensure_topics
from tests.helpers import (
    crossing,
    entry,
    kafka_producer,
    metric_value,
    namespaced_env,
    running_worker,
    settings_for,
    wait_until,
    watch,
)

pytestmark = pytest.mark.integration


def person(full_name: str, dob: str, nationality: str, sex: str = "F", doc: str | None = None) -> dict[str, Any]:
    p: dict[str, Any] = {"full_name": full_name, "date_of_birth": dob, "sex": sex, "nationality": nationality}
    if doc:
        p["documents"] = [{"type": "P", "number": doc, "issuing_country": nationality}]
    return p


SENTINEL = person("Khamphoui Siharath", "1969-06-06", "LAO", "M", "LA1122334")


@pytest.fixture(scope="module")
async def flow(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One worker for the module, with a sentinel entry used to prove ordering."""
    import uuid

    env = namespaced_env(kafka_bootstrap, f"w{uuid.uuid4().hex[:8]}")
    env["BW_RETRO_SCREEN_DAYS"] = "2"
    settings = settings_for(env)
    await ensure_topics(settings)
    tmp: Path = tmp_path_factory.mktemp("flow")
    async with kafka_producer(settings) as producer:
        await producer.send_and_wait(settings.topic_watchlist, json.dumps(entry("E-SENTINEL", SENTINEL)).encode(),
                                     key=b"E-SENTINEL")
    with running_worker(env, tmp) as worker:
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
    sentinel = crossing(SENTINEL, country="LAO", checkpoint=f"LAO-S{dt.datetime.now().timestamp()}")
    await send_in_order(producer, settings, sentinel, **kwargs)
    await alerts.wait_for(lambda a: a["event_id"] == sentinel["event_id"], timeout=10.0,
                          topic=settings.topic_alerts)


def alerts_for(alerts: Any, settings: Any, event: dict[str, Any], topic: str | None = None) -> list[dict[str, Any]]:
    return [a for a in alerts.values(topic or settings.topic_alerts) if a["event_id"] == event["event_id"]]


async def test_update_removal_and_expiry_reach_a_running_worker(flow) -> None:  # type: ignore[no-untyped-def]
    settings, worker, alerts, producer = flow
    p = person("Malee Thongdee", "2007-02-14", "THA", doc="TH5550001")
    await put_entry(producer, settings, entry("E-UPD", p, list_name="missing_person", priority="medium"))
    first = crossing(p, checkpoint="THA-CP11")
    await send_in_order(producer, settings, first)
    got = await alerts.wait_for(lambda a: a["event_id"] == first["event_id"], topic=settings.topic_alerts)
    assert got[0]["entry_id"] == "E-UPD"

    # change: the owner raises the priority; the next sighting carries it
    version = version_now(worker)
    await put_entry(producer, settings, entry("E-UPD", p, list_name="missing_person", priority="critical"))
    wait_until(lambda: version_now(worker) > version, 2.0, "the change to reach the worker")
    second = crossing(p, checkpoint="THA-CP12")
    await send_in_order(producer, settings, second)
    got = await alerts.wait_for(lambda a: a["event_id"] == second["event_id"], topic=settings.topic_alerts)
    assert got[0]["priority"] == "critical"

    # removal: a tombstone; later sightings do not alert
    before = entries_now(worker)
    await producer.send_and_wait(settings.topic_watchlist, None, key=b"E-UPD")
    wait_until(lambda: entries_now(worker) == before - 1, 2.0, "the removal to reach the worker")
    third = crossing(p, checkpoint="THA-CP13")
    await send_in_order(producer, settings, third)
    await settle(settings, producer, alerts)
    assert not alerts_for(alerts, settings, third)

    # expiry: an entry whose valid_until has passed does not match
    q = person("Sopheap Chan", "1990-03-15", "KHM", doc="KH7770001")
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat()
    before = entries_now(worker)
    await put_entry(producer, settings, entry("E-EXP", q, source="KHM", valid_until=past))
    wait_until(lambda: entries_now(worker) == before + 1, 2.0, "the expired entry to reach the worker")
    fourth = crossing(q, country="KHM", checkpoint="KHM-CP01")
    await send_in_order(producer, settings, fourth)
    await settle(settings, producer, alerts)
    assert not alerts_for(alerts, settings, fourth)


async def test_sharing_policy_routes_to_owner_only(flow) -> None:  # type: ignore[no-untyped-def]
    settings, worker, alerts, producer = flow
    p = person("Prasert Kaewsai", "1966-10-05", "THA", "M", doc="TH4440001")
    before = entries_now(worker)
    await put_entry(producer, settings, entry("E-SHARE", p, source="THA", shared_with=["VNM"]))
    wait_until(lambda: entries_now(worker) == before + 1, 2.0, "the entry to reach the worker")
    at_lao = crossing(p, country="LAO", checkpoint="LAO-CP02")
    at_vnm = crossing(p, country="VNM", checkpoint="VNM-CP02")
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
    child = person("Nguyen Thi Lan", "2012-08-01", "VNM", doc="VN9990001")
    earlier = crossing(child, country="KHM", checkpoint="KHM-CP07",
                       occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=20))
    earlier["direction"] = "exit"
    await send_in_order(producer, settings, earlier)
    await settle(settings, producer, alerts)
    assert not alerts_for(alerts, settings, earlier)

    await put_entry(producer, settings, entry("E-RETRO", child, list_name="missing_person", source="VNM"))
    found = await alerts.wait_for(lambda a: a["event_id"] == earlier["event_id"], topic=settings.topic_alerts,
                                  timeout=15.0)
    assert found[0]["retrospective"] is True
    assert found[0]["entry_id"] == "E-RETRO"
    assert "KHM-CP07" in found[0]["recommended_action"]


async def test_repeat_hit_is_merged_into_one_alert(flow) -> None:  # type: ignore[no-untyped-def]
    settings, worker, alerts, producer = flow
    p = person("Aung Kyaw", "1977-05-19", "MMR", "M", doc="MA1230001")
    before = entries_now(worker)
    await put_entry(producer, settings, entry("E-REPEAT", p, source="MMR"))
    wait_until(lambda: entries_now(worker) == before + 1, 2.0, "the entry to reach the worker")
    one = crossing(p, country="THA", checkpoint="THA-CP20")
    two = crossing(p, country="THA", checkpoint="THA-CP20")
    await send_in_order(producer, settings, one, two)
    got_two = await alerts.wait_for(lambda a: a["event_id"] == two["event_id"], topic=settings.topic_alerts)
    got_one = alerts_for(alerts, settings, one)
    assert got_two[0]["alert_id"] == got_one[0]["alert_id"]
    assert got_two[0]["update"] is True and got_two[0]["hit_count"] == 2
    assert metric_value(worker.metrics(), "borderwatch_alerts_merged_total") >= 1


async def test_false_positive_decision_suppresses_the_pair(flow) -> None:  # type: ignore[no-untyped-def]
    settings, worker, alerts, producer = flow
    p = person("Li Na", "1985-11-02", "CHN", doc="E12340001")
    before = entries_now(worker)
    await put_entry(producer, settings, entry("E-FP", p, source="CHN"))
    wait_until(lambda: entries_now(worker) == before + 1, 2.0, "the entry to reach the worker")
    first = crossing(p, country="LAO", checkpoint="LAO-CP09")
    await send_in_order(producer, settings, first)
    got = await alerts.wait_for(lambda a: a["event_id"] == first["event_id"], topic=settings.topic_alerts)

    decided = metric_value(worker.metrics(), "borderwatch_decisions_total", decision="false_positive")
    await post_decision(settings, got[0]["alert_id"], "false_positive", "officer-LAO-17", "different person")
    wait_until(lambda: metric_value(worker.metrics(), "borderwatch_decisions_total",
                                    decision="false_positive") > decided, 5.0, "the decision to be applied")
    later = crossing(p, country="THA", checkpoint="THA-CP30")
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
    p = person("Somchai Srisuk", "1972-04-18", "THA", "M", doc="AA1234567")
    p.update({"surname": "Srisuk", "given_names": "Somchai"})
    before = entries_now(worker)
    await put_entry(producer, settings, entry("E-DOC", p, source="THA"))
    wait_until(lambda: entries_now(worker) == before + 1, 2.0, "the entry to reach the worker")
    mrz = td3("SRISUK", "SOMCHAI", "AA1234567", "THA", "720418", "M", "300101")
    tampered = [mrz[0], mrz[1][:13] + ("9" if mrz[1][13] != "9" else "8") + mrz[1][14:]]  # DOB changed
    now = dt.datetime.now(dt.UTC).isoformat()
    check = {"event_id": "doc-check-1", "event_type": "document_check", "occurred_at": now,
             "checkpoint_id": "THA-CP01", "checkpoint_country": "THA",
             "document": {"type": "P", "number": "AA1234567", "issuing_country": "THA"},
             "mrz": tampered, "holder": {"surname": "Srisuk", "given_names": "Somchai",
                                         "date_of_birth": "1972-04-18", "nationality": "THA"}}
    await producer.send_and_wait(settings.topic_document_checks, orjson.dumps(check), key=b"doc-check-1")
    got = await alerts.wait_for(lambda a: a["event_id"] == "doc-check-1", topic=settings.topic_alerts)
    assert got[0]["event_type"] == "document_check"
    assert any(f.startswith("mrz_check_digit_failed") for f in got[0]["document_flags"])
    assert any(r["feature"] == "document_check" for r in got[0]["reasons"])
