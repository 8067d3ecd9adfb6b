"""Alert ids, priority table, recommended actions, routing and topics."""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial

import pytest
from pydantic import ValidationError

from agents.alerting import (
    AlertPolicy,
    alert_id,
    alert_priority,
    recommended_action,
    route_to,
    score_band,
    traveller_key,
)
from tests import factories
from tests.factories import NOW

POLICY = AlertPolicy()
entry = partial(factories.entry, person={"full_name": "Somchai Jaidee", "date_of_birth": "1980-01-01"},
                source_agency="Royal Thai Police AHTD", case_ref="TH-2026-0042", priority="medium")


# --- alert_id ---------------------------------------------------------------------------------


def test_alert_id_is_deterministic_uuid5() -> None:
    first = alert_id("ev-1", "E1")
    assert first == alert_id("ev-1", "E1")
    assert uuid.UUID(first).version == 5
    assert first != alert_id("ev-1", "E2")
    assert first != alert_id("ev-2", "E1")
    assert alert_id("a", "bc") != alert_id("ab", "c")  # components cannot run into each other


def test_traveller_key_hashes_and_normalizes() -> None:
    by_doc = traveller_key(document_number="AB 123-456", name="X", date_of_birth=None)
    assert by_doc == traveller_key(document_number="ab123456", name="Someone else", date_of_birth="1990")
    assert "AB123456" not in by_doc and len(by_doc) == 32
    by_name = traveller_key(document_number=None, name="Nguyễn Văn A", date_of_birth="1990-01-01")
    assert by_name == traveller_key(document_number="", name="a NGUYEN van", date_of_birth="1990-01-01")
    assert by_name != traveller_key(document_number=None, name="Nguyễn Văn A", date_of_birth="1991-01-01")
    salted = traveller_key(document_number="AB123456", name=None, date_of_birth=None, salt="k")
    assert salted != by_doc
    nobody = traveller_key(document_number=None, name=None, date_of_birth=None, fallback="ev-1")
    assert nobody != traveller_key(document_number=None, name=None, date_of_birth=None, fallback="ev-2")


# --- priority -----------------------------------------------------------------------------------


def test_score_bands() -> None:
    assert score_band(0.79, POLICY) == "borderline"
    assert score_band(0.80, POLICY) == "strong"
    assert score_band(0.92, POLICY) == "high"


@pytest.mark.parametrize(
    ("overrides", "score", "expected"),
    [
        # a critical entry stays critical, whatever the score
        ({"priority": "critical"}, 0.50, "critical"),
        ({"priority": "critical", "list": "missing_person"}, 0.99, "critical"),
        # suspects: a borderline or merely strong score does not raise a low entry
        ({"priority": "low"}, 0.70, "low"),
        ({"priority": "low"}, 0.85, "low"),
        ({"priority": "low"}, 0.95, "medium"),
        ({"priority": "high"}, 0.95, "high"),
        # a borderline score caps a high suspect at medium
        ({"priority": "high"}, 0.70, "medium"),
        # missing adults / suspected victims start at medium, high on a high score
        ({"priority": "low", "list": "missing_person"}, 0.70, "medium"),
        ({"priority": "low", "list": "suspected_victim"}, 0.95, "high"),
    ],
)
def test_priority_table(overrides: dict[str, object], score: float, expected: str) -> None:
    assert alert_priority(entry(**overrides), score, NOW, POLICY) == expected


@pytest.mark.parametrize(
    ("person", "score", "expected"),
    [
        ({"full_name": "Mai", "date_of_birth": "2014-03-01"}, 0.95, "high"),
        ({"full_name": "Mai", "date_of_birth": "2014-03-01"}, 0.85, "high"),
        ({"full_name": "Mai", "date_of_birth": "2014-03-01"}, 0.70, "medium"),
        ({"full_name": "Mai", "birth_year_range": (2005, 2010)}, 0.85, "high"),  # may be a minor
        ({"full_name": "Mai", "date_of_birth": "1990"}, 0.85, "medium"),  # adult
        ({"full_name": "Mai"}, 0.85, "medium"),  # age unknown
    ],
)
def test_missing_child_is_at_least_high_on_strong_score(
    person: dict[str, object], score: float, expected: str
) -> None:
    missing = entry(list="missing_person", priority="low", person=person)
    assert alert_priority(missing, score, NOW, POLICY) == expected


def test_child_age_boundary_uses_clock() -> None:
    missing = entry(
        list="missing_person", priority="low", person={"full_name": "Mai", "date_of_birth": "2008-11-29"}
    )
    assert alert_priority(missing, 0.85, NOW, POLICY) == "high"  # turns 18 tomorrow
    assert alert_priority(missing, 0.85, NOW + dt.timedelta(days=1), POLICY) == "medium"


def test_priority_rules_are_configurable() -> None:
    table = tuple(
        ("suspect", "low", "low", "high") if row[0] == "suspect" else row for row in POLICY.priority_table
    )
    policy = AlertPolicy(priority_table=table, borderline_ceiling="low")
    assert alert_priority(entry(priority="low"), 0.95, NOW, policy) == "high"
    assert alert_priority(entry(priority="high"), 0.50, NOW, policy) == "low"


def test_policy_validation_and_defaults() -> None:
    assert POLICY.suppression_window == dt.timedelta(minutes=30)
    assert POLICY.false_positive_suppression == dt.timedelta(days=30)
    with pytest.raises(ValidationError):
        AlertPolicy(strong_score=0.95, high_score=0.9)
    with pytest.raises(ValidationError):
        AlertPolicy(priority_table=(("suspect", "low", "low", "low"),))
    with pytest.raises(ValidationError):
        AlertPolicy(priority_table=(*POLICY.priority_table, ("child", "low", "low", "low")))
    with pytest.raises(ValidationError):
        bad_priority = ("suspect", "low", "low", "urgent")
        AlertPolicy(priority_table=(bad_priority, *POLICY.priority_table[1:]))  # type: ignore[arg-type]
    assert AlertPolicy.model_validate_json(POLICY.model_dump_json()) == POLICY
    with pytest.raises(ValidationError):
        POLICY.suppression_window = dt.timedelta(0)
    assert "secret" not in repr(AlertPolicy(identity_salt="secret"))


# --- recommended action ---------------------------------------------------------------------------


def test_suspect_detain_or_discreet_check() -> None:
    detain = recommended_action(entry(handling="detain"))
    assert detain.startswith("DETAIN") and "TH-2026-0042" in detain and "Royal Thai Police AHTD" in detain
    for handling in ("discreet_check", None):
        action = recommended_action(entry(handling=handling))
        assert action.startswith("DISCREET CHECK") and "TH-2026-0042" in action
        assert "do not alert the traveller" in action


@pytest.mark.parametrize("list_name", ["missing_person", "suspected_victim"])
def test_protective_lists_refer_to_victim_support(list_name: str) -> None:
    with_contact = recommended_action(
        entry(list=list_name, victim_support_contact="MSDHS hotline 1300", handling="detain")
    )
    assert with_contact.startswith("PROTECT")
    assert "Do not alarm" in with_contact and "MSDHS hotline 1300" in with_contact
    assert "DETAIN" not in with_contact  # handling applies to suspects only
    assert "TH-2026-0042" in with_contact
    fallback = recommended_action(entry(list=list_name))
    assert "Royal Thai Police AHTD (THA)" in fallback


# --- routing ------------------------------------------------------------------------------------


def test_route_to_checkpoint_and_source_country() -> None:
    assert route_to(entry(), "LAO") == ["LAO", "THA"]
    assert route_to(entry(), "tha") == ["THA"]  # same country once
    assert route_to(entry(shared_with=("LAO", "KHM")), "LAO") == ["LAO", "THA"]


def test_route_to_not_shared_goes_only_to_owner() -> None:
    assert route_to(entry(shared_with=("LAO",)), "VNM") == ["THA"]
    assert route_to(entry(shared_with=()), "LAO") == ["THA"]
    assert route_to(entry(), "SGP") == ["THA"]  # default sharing is the six Mekong countries only
