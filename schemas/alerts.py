"""Outbound alerts (`alerts`, `alerts.<ALPHA3>`) and inbound officer decisions (`alerts.decisions`)."""

from __future__ import annotations

import builtins
from typing import Literal

from pydantic import Field

from schemas.common import CountryCode, Identifier, Inbound, Outbound, ShortText, Timestamp
from schemas.watchlist import ListName, Priority


class FeatureReason(Outbound):
    """One feature's contribution to a match, with the values it compared."""

    feature: str
    score: float = Field(ge=-1.0, le=1.0, description="-1 strong evidence against .. 1 strong evidence for")
    weight: float
    query: str | None = Field(default=None, description="Value seen at the checkpoint (normalized form).")
    candidate: str | None = Field(default=None, description="Value on the watchlist (normalized form).")
    explanation: str


class Alert(Outbound):
    """A screening hit, with what a duty officer needs to act and nothing more."""

    alert_id: str
    created_at: Timestamp
    event_id: str
    event_type: Literal["border_crossing", "document_check"]
    occurred_at: Timestamp
    entry_id: str
    list: ListName
    priority: Priority
    score: float = Field(ge=0.0, le=1.0)
    checkpoint_id: str
    checkpoint_country: str
    direction: Literal["entry", "exit"] | None = None
    traveler_name: str | None = Field(default=None, description="Name as read at the checkpoint.")
    traveler_document: str | None = None
    watchlist_name: str | None = Field(default=None, description="Primary name on the watchlist entry.")
    case_ref: str
    source_country: str
    source_agency: str
    recommended_action: str
    route_to: builtins.list[str]
    reasons: builtins.list[FeatureReason]
    document_flags: builtins.list[str] = Field(default_factory=builtins.list)
    retrospective: bool = False
    hit_count: int = 1
    update: bool = Field(default=False, description="True when this re-publishes an alert with a new hit.")
    matcher_version: str
    thresholds: dict[str, float]
    watchlist_version: int


class AlertDecision(Inbound):
    """An officer's decision on an alert (topic `alerts.decisions`)."""

    alert_id: Identifier
    decision: Literal["confirmed", "false_positive", "escalated"]
    officer: ShortText
    note: ShortText | None = None
    decided_at: Timestamp | None = None
    checkpoint_country: CountryCode | None = None
