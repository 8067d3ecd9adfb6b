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


PatternName = Literal["repeat_escort_of_minors", "escort_of_young_adults", "unaccompanied_minor", "shuttle_trips"]


class PatternCrossing(Outbound):
    """One crossing behind a pattern alert: where and when, and the traveller's age as far as it is known."""

    event_id: str
    role: Literal["subject", "companion"] = Field(
        description="`subject`: the traveller the pattern is about; `companion`: someone travelling with them."
    )
    checkpoint_id: str
    checkpoint_country: str
    occurred_at: Timestamp
    direction: Literal["entry", "exit"]
    age_min: int | None = Field(default=None, description="Youngest possible age on that day, from the DOB.")
    age_max: int | None = Field(default=None, description="Oldest possible age on that day, from the DOB.")
    sex: Literal["F", "M", "X"] | None = None
    nationality: str | None = None


class PatternEvidence(Outbound):
    """Why a travel pattern, not a watchlist, raised this alert."""

    name: PatternName
    explanation: str = Field(description="The pattern in words, for the duty officer.")
    window_days: float = Field(description="The look-back window the pattern was found in.")
    first_seen: Timestamp
    last_seen: Timestamp
    crossings: builtins.list[PatternCrossing]
    checkpoint_baseline_share: float | None = Field(
        default=None,
        description="Unaccompanied minors only: the checkpoint's usual share of minors crossing without an adult.",
    )


class Alert(Outbound):
    """A screening hit, with what a duty officer needs to act and nothing more.

    Pattern alerts (travel patterns, not a watchlist match) carry `pattern`; their `entry_id` is
    `pattern:<name>`, `list` is `suspected_victim` (the people escorted are the concern), `case_ref`
    names the pattern alert, and `watchlist_version` is 0. Watchlist alerts never carry `pattern`.
    """

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
    # Left out of the JSON when unset, so a watchlist alert is byte-for-byte what it was before pattern
    # alerts existed and consumers built on the earlier schema (additionalProperties: false) keep working.
    pattern: PatternEvidence | None = Field(
        default=None, exclude_if=lambda value: value is None,
        description="Set on pattern alerts only (absent from watchlist alerts).",
    )


class AlertDecision(Inbound):
    """An officer's decision on an alert (topic `alerts.decisions`)."""

    alert_id: Identifier
    decision: Literal["confirmed", "false_positive", "escalated"]
    officer: ShortText
    note: ShortText | None = None
    decided_at: Timestamp | None = None
    checkpoint_country: CountryCode | None = None
