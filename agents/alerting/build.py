"""Assemble an `Alert` from a screening event and a match: what an officer needs, nothing more."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

from agents.alerting.actions import recommended_action, retrospective_note
from agents.alerting.ids import alert_id, best_document
from agents.alerting.policy import AlertPolicy
from agents.alerting.priority import alert_priority
from agents.alerting.protocols import FeatureScoreLike, MatchLike
from agents.alerting.routing import route_to
from agents.documents.flags import describe
from schemas.alerts import Alert, FeatureReason
from schemas.events import BorderCrossing, DocumentCheck


def clip(value: float, low: float, high: float) -> float:
    """Clamp into [low, high]; NaN counts as no evidence (0, or `low` if 0 is out of range)."""
    if math.isnan(value):
        return min(max(0.0, low), high)
    return min(max(value, low), high)


def feature_reason(feature: FeatureScoreLike) -> FeatureReason:
    weight = feature.weight if math.isfinite(feature.weight) else 0.0
    return FeatureReason(
        feature=feature.name,
        score=clip(feature.score, -1.0, 1.0),
        weight=weight,
        query=feature.query,
        candidate=feature.candidate,
        explanation=feature.explanation,
    )


def _note_reason(feature: str, explanation: str, query: str | None = None) -> FeatureReason:
    """A reason that informs the officer but carries no weight in the score."""
    return FeatureReason(feature=feature, score=0.0, weight=0.0, query=query, explanation=explanation)


def build_alert(
    event: BorderCrossing | DocumentCheck,
    match: MatchLike,
    *,
    now: dt.datetime,
    policy: AlertPolicy,
    matcher_version: str,
    thresholds: Mapping[str, float],
    watchlist_version: int,
    retrospective: bool = False,
    document_flags: Sequence[str] = (),
) -> Alert:
    """Build the alert for `match` on `event` at time `now` (tz-aware).

    Document flags are carried twice on purpose: as codes in `document_flags` for consoles and rules,
    and as weightless reasons worded for the officer. Retrospective alerts say when and where.
    """
    entry = match.entry
    score = clip(match.score, 0.0, 1.0)
    subject = event.subject
    inspected = event.document if isinstance(event, DocumentCheck) else None
    document = best_document(subject, inspected)
    names = subject.names()
    action = recommended_action(entry)
    reasons = [feature_reason(feature) for feature in match.features]
    if retrospective:
        note = retrospective_note(event, now)
        action = f"{note} {action}"
        reasons.append(_note_reason("retrospective", note))
    flags = list(dict.fromkeys(document_flags))
    reasons.extend(_note_reason("document_check", describe(flag), flag) for flag in flags)
    return Alert(
        alert_id=alert_id(event.event_id, entry.entry_id),
        created_at=now,
        event_id=event.event_id,
        event_type=event.event_type,
        occurred_at=event.occurred_at,
        entry_id=entry.entry_id,
        list=entry.list,
        priority=alert_priority(entry, score, now, policy),
        score=score,
        checkpoint_id=event.checkpoint_id,
        checkpoint_country=event.checkpoint_country,
        direction=event.direction if isinstance(event, BorderCrossing) else None,
        traveler_name=names[0] if names else None,
        traveler_document=document.number if document is not None else None,
        watchlist_name=next(iter(entry.person.names()), None),
        case_ref=entry.case_ref,
        source_country=entry.source_country,
        source_agency=entry.source_agency,
        recommended_action=action,
        route_to=route_to(entry, event.checkpoint_country),
        reasons=reasons,
        document_flags=flags,
        retrospective=retrospective,
        matcher_version=matcher_version,
        thresholds=dict(thresholds),
        watchlist_version=watchlist_version,
    )
