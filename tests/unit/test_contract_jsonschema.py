"""schemas/json/*.schema.json are generated from the pydantic models and must not drift."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from pydantic import ValidationError

from schemas import AlertDecision, BorderCrossing, DocumentCheck, WatchlistEntry
from schemas.export import TOPIC_PAYLOADS, export_all, file_name

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "schemas" / "json"
TOPICS = list(TOPIC_PAYLOADS)


def _load(topic: str) -> dict:
    return json.loads((COMMITTED / file_name(topic)).read_text(encoding="utf-8"))


def test_one_schema_per_topic() -> None:
    assert list(TOPIC_PAYLOADS) == TOPICS
    committed = sorted(p.name for p in COMMITTED.glob("*.schema.json"))
    assert committed == sorted(f"{t}.schema.json" for t in TOPICS)


def test_committed_files_match_models(tmp_path: Path) -> None:
    written = export_all(tmp_path)
    assert [p.name for p in written] == [file_name(t) for t in TOPICS]
    drift = [
        p.name for p in written
        if not (COMMITTED / p.name).exists() or (COMMITTED / p.name).read_bytes() != p.read_bytes()
    ]
    assert not drift, f"schemas/json drifted from the models; run `python -m schemas.export`: {drift}"


def test_module_is_runnable(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "schemas.export", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )
    assert len(out.stdout.splitlines()) == len(TOPICS)
    assert (tmp_path / "alerts.schema.json").exists()


@pytest.mark.parametrize("topic", TOPICS)
def test_schemas_are_valid_2020_12(topic: str) -> None:
    schema = _load(topic)
    Draft202012Validator.check_schema(schema)
    assert schema["x-topic"] == topic
    assert schema["$id"].endswith(file_name(topic))


CROSSING = {
    "event_id": "evt-1",
    "event_type": "border_crossing",
    "occurred_at": "2026-11-28T10:00:00+07:00",
    "checkpoint_id": "TH-MSI-01",
    "checkpoint_country": "tha",
    "direction": "entry",
    "traveler": {"full_name": "Test Person", "date_of_birth": "1990-05", "nationality": "MMR"},
}
DOC_CHECK = {
    "event_id": "evt-2",
    "event_type": "document_check",
    "occurred_at": "2026-11-28T03:00:00Z",
    "checkpoint_id": "LA-BOK-02",
    "checkpoint_country": "LAO",
    "document": {"type": "P", "number": "X1234567", "issuing_country": "VNM", "expiry_date": "2030"},
    "holder": {"surname": "Nguyen", "given_names": "Van A"},
    "mrz": ["P<VNMNGUYEN<<VAN<A<<<<<<<<<<<<<<<<<<<<<<<<<<", "X1234567<0VNM9001011M3001012<<<<<<<<<<<<<<02"],
}
ENTRY = {
    "entry_id": "wl-1",
    "list": "missing_person",
    "person": {"full_name": "Test Missing", "birth_year_range": [2005, 2008]},
    "source_country": "KHM",
    "source_agency": "Test agency",
    "case_ref": "KH-2026-1",
    "shared_with": ["THA", "LAO"],
}
DECISION = {"alert_id": "al-1", "decision": "false_positive", "officer": "officer-7"}

VALID = [
    ("border.crossings", CROSSING, BorderCrossing),
    ("border.document-checks", DOC_CHECK, DocumentCheck),
    ("watchlist.entries", ENTRY, WatchlistEntry),
    ("alerts.decisions", DECISION, AlertDecision),
]


@pytest.mark.parametrize(("topic", "payload", "model"), VALID, ids=[v[0] for v in VALID])
def test_examples_accepted_by_model_and_schema(topic: str, payload: dict, model: type) -> None:
    model.model_validate(payload)
    Draft202012Validator(_load(topic), format_checker=FormatChecker()).validate(payload)


INVALID = [
    ("border.crossings", {**CROSSING, "event_type": "document_check"}),
    ("border.crossings", {k: v for k, v in CROSSING.items() if k != "traveler"}),
    ("border.crossings", {**CROSSING, "checkpoint_country": "THAI"}),
    ("border.crossings", {**CROSSING, "direction": "sideways"}),
    ("border.document-checks", {**DOC_CHECK, "document": {"type": "P", "number": ""}}),
    ("watchlist.entries", {**ENTRY, "list": "vip"}),
    ("watchlist.entries", {**ENTRY, "person": {**ENTRY["person"], "date_of_birth": "28/11/1990"}}),
    ("alerts.decisions", {**DECISION, "decision": "maybe"}),
]


@pytest.mark.parametrize(("topic", "payload"), INVALID)
def test_bad_examples_rejected_by_model_and_schema(topic: str, payload: dict) -> None:
    model = TOPIC_PAYLOADS[topic][0]
    with pytest.raises(ValidationError):
        model.model_validate(payload)
    errors = list(Draft202012Validator(_load(topic), format_checker=FormatChecker()).iter_errors(payload))
    assert errors


def test_outbound_schemas_forbid_extra_fields() -> None:
    for topic in ("alerts", "events.dead-letter"):
        assert _load(topic)["additionalProperties"] is False
