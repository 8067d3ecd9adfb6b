"""build_alert for border crossings and document checks; alert_topics."""

from __future__ import annotations

import math
from functools import partial

import pytest

from agents.alerting import AlertPolicy, alert_id, alert_topics, build_alert
from agents.documents import describe
from agents.matching import FeatureScore, Match
from schemas.alerts import Alert
from schemas.events import BorderCrossing, DocumentCheck
from tests import factories
from tests.factories import NOW

POLICY = AlertPolicy()
entry = partial(
    factories.entry, person={"full_name": "Somchai Jaidee", "aliases": ["Chai"], "date_of_birth": "1980-01-01"},
    source_agency="Royal Thai Police AHTD", case_ref="TH-2026-0042", priority="medium", handling="detain")
crossing = partial(
    factories.crossing,
    {"full_name": "SOMCHAI JAIDEE", "date_of_birth": "1980-01-01",
     "documents": [{"type": "ID", "number": "1-1001-00001-00-1"},
                   {"type": "P", "number": "AA1234567", "issuing_country": "THA"}]},
    event_id="ev-1", occurred_at="2026-11-26T09:30:00+07:00", checkpoint_id="LAO-BOKEO-1", checkpoint_country="LAO",
    direction="exit")
document_check = partial(
    factories.document_check, event_id="dc-1", occurred_at="2026-11-28T09:59:00+00:00", checkpoint_id="VNM-LAOCAI-2",
    checkpoint_country="VNM", document={"type": "P", "number": "C7654321", "issuing_country": "THA"}, mrz=None,
    holder={"surname": "Jaidee", "given_names": "Somchai"})


def match(score: float = 0.95, **entry_overrides: object) -> Match:
    features = (
        FeatureScore("name", 0.97, 0.6, "somchai jaidee", "somchai jaidee", "names agree"),
        FeatureScore("dob", 1.4, 0.3, "1980-01-01", "1980-01-01", "same date of birth"),
        FeatureScore("sex", -3.0, 0.1, "F", "M", "sex differs"),
    )
    return Match(entry(**entry_overrides), score, features)


def build(
    event: BorderCrossing | DocumentCheck,
    m: Match,
    *,
    retrospective: bool = False,
    document_flags: tuple[str, ...] = (),
) -> Alert:
    return build_alert(
        event,
        m,
        now=NOW,
        policy=POLICY,
        matcher_version="matcher-1.2.0",
        thresholds={"alert": 0.75},
        watchlist_version=17,
        retrospective=retrospective,
        document_flags=document_flags,
    )


def test_crossing_alert_carries_what_an_officer_needs() -> None:
    alert = build_alert(
        crossing(),
        match(),
        now=NOW,
        policy=POLICY,
        matcher_version="matcher-1.2.0",
        thresholds={"alert": 0.75},
        watchlist_version=17,
    )
    assert alert.alert_id == alert_id("ev-1", "E1")
    assert alert.created_at == NOW
    assert alert.event_type == "border_crossing"
    assert alert.direction == "exit"
    assert alert.traveler_name == "SOMCHAI JAIDEE"
    assert alert.traveler_document == "AA1234567"  # passport preferred over the ID card
    assert alert.watchlist_name == "Somchai Jaidee"
    assert alert.case_ref == "TH-2026-0042"
    assert (alert.source_country, alert.source_agency) == ("THA", "Royal Thai Police AHTD")
    assert alert.recommended_action.startswith("DETAIN")
    assert alert.route_to == ["LAO", "THA"]
    assert alert.priority == "medium"  # suspect, medium entry, high score
    assert (alert.matcher_version, alert.thresholds, alert.watchlist_version) == (
        "matcher-1.2.0",
        {"alert": 0.75},
        17,
    )
    assert alert.hit_count == 1 and not alert.update and not alert.retrospective
    assert [r.feature for r in alert.reasons] == ["name", "dob", "sex"]
    assert [r.score for r in alert.reasons] == [0.97, 1.0, -1.0]  # clipped to -1..1
    assert alert.reasons[0].query == "somchai jaidee" and alert.reasons[0].weight == 0.6
    assert alert_topics(alert) == ["alerts", "alerts.LAO", "alerts.THA"]
    # the DOB is used for matching but never published
    assert "1980-01-01" not in {alert.traveler_name, alert.traveler_document, alert.watchlist_name}


def test_document_check_alert_uses_inspected_document_and_holder() -> None:
    alert = build(document_check(), match(list="missing_person", victim_support_contact="1300 hotline"))
    assert alert.event_type == "document_check"
    assert alert.direction is None
    assert alert.traveler_document == "C7654321"
    assert alert.traveler_name == "Somchai Jaidee"
    assert alert.recommended_action.startswith("PROTECT")
    assert alert.route_to == ["VNM", "THA"]


@pytest.mark.parametrize(("raw", "clipped"), [(1.7, 1.0), (-0.2, 0.0), (math.nan, 0.0), (0.5, 0.5)])
def test_score_clipped_to_unit_interval(raw: float, clipped: float) -> None:
    alert = build(crossing(), match(score=raw))
    assert alert.score == clipped


def test_nan_feature_values_do_not_break_the_alert() -> None:
    m = Match(entry(), 0.9, (FeatureScore("x", math.nan, math.inf, None, None, "?"),))
    alert = build(crossing(), m)
    reason = alert.reasons[0]
    assert (reason.score, reason.weight) == (0.0, 0.0)


def test_retrospective_alert_says_when_and_where() -> None:
    alert = build(crossing(), match(), retrospective=True)
    assert alert.retrospective
    action = alert.recommended_action
    assert "exited at checkpoint LAO-BOKEO-1 (LAO) 2 days ago (2026-11-26 02:30 UTC)" in action
    assert action.index("RETROSPECTIVE") < action.index("DETAIN")
    reasons = {r.feature: r for r in alert.reasons}
    assert "2 days ago" in reasons["retrospective"].explanation
    assert reasons["retrospective"].weight == 0.0


@pytest.mark.parametrize(
    ("occurred_at", "direction", "wording"),
    [
        ("2026-11-28T09:55:00+00:00", "entry", "entered at checkpoint LAO-BOKEO-1 (LAO) 5 minutes ago"),
        ("2026-11-28T07:00:00+00:00", "exit", "exited at checkpoint LAO-BOKEO-1 (LAO) 3 hours ago"),
        ("2026-11-27T09:00:00+00:00", "exit", "1 day ago"),
        ("2026-11-28T09:59:30+00:00", "exit", "just now"),
    ],
)
def test_retrospective_wording_follows_the_clock(occurred_at: str, direction: str, wording: str) -> None:
    alert = build(crossing(occurred_at=occurred_at, direction=direction), match(), retrospective=True)
    assert wording in alert.recommended_action


def test_document_flags_become_codes_and_worded_reasons() -> None:
    flags = ("mrz_check_digit_failed:document_number", "document_expired", "document_expired")
    alert = build(document_check(), match(), document_flags=flags)
    assert alert.document_flags == ["mrz_check_digit_failed:document_number", "document_expired"]
    notes = [r for r in alert.reasons if r.feature == "document_check"]
    assert [n.query for n in notes] == list(alert.document_flags)
    assert notes[0].explanation == describe("mrz_check_digit_failed:document_number")
    assert all(n.weight == 0.0 for n in notes)


def test_restricted_alert_goes_only_to_the_owner_topic() -> None:
    alert = build(crossing(), match(shared_with=("KHM",)))
    assert alert.route_to == ["THA"]
    assert alert_topics(alert) == ["alerts.THA"]


def test_same_event_and_entry_rebuild_identically() -> None:
    assert build(crossing(), match()) == build(crossing(), match())
