"""The duty officer's console in a terminal: follow alerts (who, where, which entry, score and why),
record decisions, read alerts for a report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from rich.console import Console

from schemas import AlertDecision
from schemas.watchlist import PRIORITIES
from streams.history import read_records
from streams.kafka_io import consumer, producer
from streams.settings import Settings

LIST_LABEL = {"suspect": "SUSPECT", "missing_person": "MISSING PERSON", "suspected_victim": "SUSPECTED VICTIM"}
PRIORITY_STYLE = {"critical": "bold white on red", "high": "bold red", "medium": "yellow", "low": "dim"}


def priority_at_least(priority: str, minimum: str) -> bool:
    return PRIORITIES.index(priority) >= PRIORITIES.index(minimum) if priority in PRIORITIES else False


def wanted(alert: dict[str, Any], *, countries: set[str], lists: set[str], min_priority: str) -> bool:
    if countries and not countries & {alert.get("checkpoint_country"), *alert.get("route_to", [])}:
        return False
    if lists and alert.get("list") not in lists:
        return False
    return priority_at_least(str(alert.get("priority")), min_priority)


def render(alert: dict[str, Any]) -> str:
    """Rich markup for one alert."""
    prio = str(alert.get("priority", ""))
    tags = []
    if alert.get("retrospective"):
        tags.append("[magenta]RETROSPECTIVE[/]")
    if alert.get("update"):
        tags.append(f"[cyan]REPEAT x{alert.get('hit_count', 1)}[/]")
    head = (f"[{PRIORITY_STYLE.get(prio, '')}] {prio.upper()} [/] "
            f"[bold]{LIST_LABEL.get(str(alert.get('list')), alert.get('list'))}[/] "
            f"score {float(alert.get('score', 0)):.2f} {' '.join(tags)}")
    lines = [
        head,
        f"  who:    {alert.get('traveler_name') or '?'}  doc {alert.get('traveler_document') or '-'}"
        f"  ~ watchlist: {alert.get('watchlist_name') or '?'}",
        f"  where:  {alert.get('checkpoint_id')} ({alert.get('checkpoint_country')}) "
        f"{alert.get('direction') or ''} at {alert.get('occurred_at')}",
        f"  entry:  {alert.get('entry_id')}  case {alert.get('case_ref')} "
        f"({alert.get('source_agency')}, {alert.get('source_country')})  route {','.join(alert.get('route_to', []))}",
        f"  action: {alert.get('recommended_action')}",
    ]
    for reason in alert.get("reasons", []):
        q, c = reason.get("query"), reason.get("candidate")
        compared = f"  [dim]{q!s} ~ {c!s}[/]" if q or c else ""
        lines.append(f"    {reason.get('feature'):<14} {float(reason.get('score', 0)):+.2f}{compared}")
    for flag in alert.get("document_flags", []):
        lines.append(f"    [red]document: {flag}[/]")
    lines.append(f"  [dim]alert {alert.get('alert_id')}[/]")
    return "\n".join(lines)


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
