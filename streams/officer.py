"""Duty-officer tools on Kafka: follow alerts, record decisions, read alerts for a report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from rich.console import Console

from schemas import AlertDecision
from streams.console import render, wanted
from streams.history import read_records
from streams.kafka_io import consumer, producer
from streams.settings import Settings


async def tail_alerts(settings: Settings, *, countries: set[str], lists: set[str], min_priority: str,
                      from_beginning: bool, json_out: bool, max_alerts: int | None) -> int:
    console = Console(highlight=False)
    shown = 0
    # A country's officers may read only alerts.<CC> (ACLs): follow those topics when countries are given.
    topics = [f"{settings.topic_alerts}.{c}" for c in sorted(countries)] or [settings.topic_alerts]
    async with consumer(settings, *topics, from_beginning=from_beginning) as cons:
        async for message in cons:
            try:
                alert: dict[str, Any] = orjson.loads(message.value or b"{}")
            except orjson.JSONDecodeError:
                continue
            if not wanted(alert, countries=countries, lists=lists, min_priority=min_priority):
                continue
            if json_out:
                print(orjson.dumps(alert).decode(), flush=True)
            else:
                console.print(render(alert))
            shown += 1
            if max_alerts is not None and shown >= max_alerts:
                break
    return shown


async def post_decision(settings: Settings, alert_id: str, decision: str, officer: str,
                        note: str | None) -> None:
    record = AlertDecision.model_validate({"alert_id": alert_id, "decision": decision, "officer": officer,
                                           "note": note, "decided_at": dt.datetime.now(dt.UTC)})
    async with producer(settings) as prod:
        await (await prod.send(settings.topic_decisions, key=alert_id.encode(),
                               value=record.model_dump_json(exclude_none=True).encode()))


async def read_all_alerts(settings: Settings) -> list[dict[str, Any]]:
    alerts: list[dict[str, Any]] = []
    for _, value in await read_records(settings, settings.topic_alerts):
        try:
            alerts.append(orjson.loads(value or b"{}"))
        except orjson.JSONDecodeError:
            continue
    return alerts
