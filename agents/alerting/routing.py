"""Who receives an alert, under each entry's sharing policy, and on which topics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from schemas.alerts import Alert
from schemas.watchlist import MEKONG_COUNTRIES, WatchlistEntry

ALERTS_TOPIC = "alerts"


def shared_countries(entry: WatchlistEntry) -> tuple[str, ...]:
    """Countries whose checkpoints may be alerted; None on the entry means all six Mekong countries."""
    return MEKONG_COUNTRIES if entry.shared_with is None else tuple(entry.shared_with)


def route_to(entry: WatchlistEntry, checkpoint_country: str) -> list[str]:
    """The checkpoint's country and the owning country; only the owner if the entry is not shared with
    the checkpoint's country (the owning agency decides who sees its intelligence)."""
    checkpoint_country = checkpoint_country.upper()
    if checkpoint_country not in shared_countries(entry):
        return [entry.source_country]
    return list(dict.fromkeys([checkpoint_country, entry.source_country]))


def alert_topics(alert: Alert) -> list[str]:
    """`alerts` plus `alerts.<ALPHA3>` per recipient country.

    A restricted alert (the checkpoint's country is not a recipient) is kept off the shared `alerts`
    topic, which every country's console may read: it goes to the owner's topic only.
    """
    # cast: mypy misreads `list[str]` in the Alert schema because the model has a field named `list`.
    recipients = cast(Sequence[str], alert.route_to)
    per_country = [f"{ALERTS_TOPIC}.{country}" for country in dict.fromkeys(recipients)]
    if alert.checkpoint_country not in recipients:
        return per_country
    return [ALERTS_TOPIC, *per_country]
