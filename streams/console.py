"""The duty officer's view of an alert: who, where, which entry, score and why."""

from __future__ import annotations

from typing import Any

from schemas.watchlist import PRIORITIES

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
