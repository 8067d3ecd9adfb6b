"""The alerting stage's decision logic, without a broker: suppression state in, state and messages out.

Alert candidates (built by the stateless screening agent) and officer decisions arrive on
single-partition topics, so one stage sees every repeat hit and every decision in order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import ValidationError

from agents.alerting import AlertPolicy, Outcome, SuppressionState, alert_topics, apply_decision, decide
from agents.outgoing import Outgoing, encode_alert
from schemas import Alert, AlertDecision


@dataclass(frozen=True, slots=True)
class StageResult:
    state: SuppressionState
    outgoing: list[Outgoing]
    outcome: Outcome | None = None
    decision: AlertDecision | None = None
    candidate: Alert | None = None
    invalid: str | None = None


def _topics_for(alert: Alert, alerts_topic: str) -> list[str]:
    # agents.alerting names topics after the contract's `alerts`; honour a renamed alerts topic.
    return [alerts_topic + t[len("alerts"):] for t in alert_topics(alert)]


def handle_candidate(state: SuppressionState, raw: bytes | None, *, now: dt.datetime, policy: AlertPolicy,
                     alerts_topic: str) -> StageResult:
    try:
        alert = Alert.model_validate_json(raw or b"")
    except ValidationError:
        return StageResult(state, [], invalid="alert candidate does not match the Alert schema")
    state, outcome = decide(state, alert, now, policy)
    if outcome.alert is None:
        return StageResult(state, [], outcome, candidate=alert)
    value = encode_alert(outcome.alert)
    key = outcome.alert.alert_id.encode()
    return StageResult(state, [Outgoing(t, key, value) for t in _topics_for(outcome.alert, alerts_topic)],
                       outcome, candidate=alert)


def handle_decision(state: SuppressionState, raw: bytes | None, *, now: dt.datetime,
                    policy: AlertPolicy) -> StageResult:
    try:
        decision = AlertDecision.model_validate_json(raw or b"")
    except ValidationError:
        return StageResult(state, [], invalid="decision does not match the AlertDecision schema")
    return StageResult(apply_decision(state, decision, lambda _: None, now, policy), [], decision=decision)


def replay(state: SuppressionState, published: list[bytes], decisions: list[bytes], *, now: dt.datetime,
           policy: AlertPolicy) -> SuppressionState:
    """Rebuild the state from what was already published (the alerts topic is the stage's changelog)."""
    for raw in published:
        try:
            alert = Alert.model_validate_json(raw)
        except ValidationError:
            continue
        state, _ = decide(state, alert, alert.created_at, policy)
    for raw in decisions:
        state = handle_decision(state, raw, now=now, policy=policy).state
    return state.expire(now, policy)
