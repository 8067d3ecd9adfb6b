"""How long an alert may wait for a decision, by priority (EU ETIAS and SIRENE work to 12 hours; a
critical alert needs an answer while the traveller is still at the desk)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from streams.console.web.board import AlertView


def deadline(view: AlertView, sla_s: Mapping[str, float], default_s: float) -> dt.datetime:
    """When the alert's decision is due: first seen + the SLA of its priority."""
    return view.first_seen + dt.timedelta(seconds=sla_s.get(view.alert.priority, default_s))


def overdue(view: AlertView, now: dt.datetime, sla_s: Mapping[str, float], default_s: float) -> bool:
    return not view.decided and now > deadline(view, sla_s, default_s)


def remaining(view: AlertView, now: dt.datetime, sla_s: Mapping[str, float], default_s: float) -> str:
    """"12 min left", "3 h 5 min left", "overdue 4 min" (the page's clock ticks on from this)."""
    seconds = int((deadline(view, sla_s, default_s) - now).total_seconds())
    late, seconds = seconds < 0, abs(seconds)
    hours, minutes = divmod(seconds // 60, 60)
    text = f"{hours} h {minutes} min" if hours else f"{minutes} min {seconds % 60:02d} s"
    return f"overdue {text}" if late else f"{text} left"
