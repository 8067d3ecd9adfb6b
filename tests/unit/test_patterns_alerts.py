"""Pattern alerts keep the alert contract: valid against schemas/json/alerts.schema.json, and watchlist
alerts are unchanged on the wire (no `pattern` key)."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
from jsonschema import Draft202012Validator

from agents.alerting import AlertPolicy, SuppressionState
from agents.alerting.stage import handle_candidate, handle_decision
from agents.outgoing import encode_alert
from agents.patterns import PatternConfig, PatternRunner
from schemas.alerts import Alert, AlertDecision
from tests.patterns_factories import T0, cross, days, minutes, person

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schemas/json/alerts.schema.json").read_text())


def _pattern_alert() -> Alert:
    adult = person("Somchai", "1975-02-03", nationality="THA", surname="Jaidee", doc="AA100")
    runner = PatternRunner(PatternConfig())
    alerts: list[Alert] = []
    for n, at in enumerate((T0, T0 + days(6))):
        child = person(f"Kid {n}", "2016", nationality="LAO" if n else "MMR", sex="F")
        alerts += runner.add(cross(adult, at, group=f"g{n}"))
        alerts += runner.add(cross(child, at + minutes(0.3), group=f"g{n}"))
    alerts += runner.finish()
    assert len(alerts) == 1
    return alerts[0]


def test_pattern_alert_is_valid_on_the_wire() -> None:
    alert = _pattern_alert()
    payload = orjson.loads(encode_alert(alert))
    Draft202012Validator(SCHEMA).validate(payload)
    assert Alert.model_validate(payload) == alert
    assert payload["pattern"]["name"] == "repeat_escort_of_minors"
    assert payload["list"] == "suspected_victim"
    assert {c["event_id"] for c in payload["pattern"]["crossings"]} >= {payload["event_id"]}


def test_routed_to_checkpoint_country_and_every_nationality() -> None:
    alert = _pattern_alert()
    assert alert.route_to[0] == "THA"
    assert set(alert.route_to) == {"THA", "MMR", "LAO"}


def test_watchlist_alert_json_has_no_pattern_key() -> None:
    alert = _pattern_alert().model_copy(update={"pattern": None})
    payload = orjson.loads(encode_alert(alert))
    assert "pattern" not in payload
    old_schema = json.loads(json.dumps(SCHEMA))
    old_schema["properties"].pop("pattern")  # the schema before pattern alerts existed
    Draft202012Validator(old_schema).validate(payload)


def test_alerting_stage_routes_pattern_alerts_and_applies_officer_decisions() -> None:
    """Pattern alerts go through the alerting stage like watchlist alerts: routed to every country in
    route_to, and a false-positive decision silences later alerts of that pattern for that traveller."""
    alert = _pattern_alert()
    policy = AlertPolicy()
    now = alert.created_at
    result = handle_candidate(SuppressionState(), encode_alert(alert), now=now, policy=policy, alerts_topic="alerts")
    assert {o.topic for o in result.outgoing} == {"alerts", "alerts.THA", "alerts.MMR", "alerts.LAO"}
    decision = AlertDecision(alert_id=alert.alert_id, decision="false_positive", officer="officer-7", decided_at=now)
    state = handle_decision(result.state, decision.model_dump_json().encode(), now=now, policy=policy).state
    later = alert.model_copy(update={"alert_id": "another-id", "event_id": "evt-later", "update": False})
    again = handle_candidate(state, encode_alert(later), now=now + days(1), policy=policy, alerts_topic="alerts")
    assert again.outgoing == [] and again.outcome is not None and again.outcome.kind == "suppressed"
