"""No crossing escapes screening over one bad field: what remains is screened, the bad field is named."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.matching import build_index
from agents.salvage import Salvaged, decode_screenable
from agents.screening import process_event
from schemas import BorderCrossing, DocumentCheck, WatchlistEntry
from streams.app import screening_context
from streams.settings import Settings

NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)
CTX = screening_context(Settings(), clock=lambda: NOW)
LISTED = {"full_name": "Somchai Srisuk", "date_of_birth": "1972-04-18", "sex": "M", "nationality": "THA",
          "documents": [{"type": "P", "number": "AA1234567", "issuing_country": "THA"}]}
INDEX = build_index([WatchlistEntry.model_validate({
    "entry_id": "E1", "list": "suspect", "person": LISTED, "source_country": "THA",
    "source_agency": "RTP", "case_ref": "C-1", "priority": "high"})], CTX.matcher)


def crossing(**traveler: Any) -> dict[str, Any]:
    return {"event_id": "ev-1", "event_type": "border_crossing", "occurred_at": "2026-11-28T09:59:00Z",
            "checkpoint_id": "THA-CP01", "checkpoint_country": "THA", "direction": "exit",
            "traveler": {**LISTED, **traveler}}


def process(message: dict[str, Any] | bytes, topic: str | None = None) -> Any:
    raw = message if isinstance(message, bytes) else orjson.dumps(message)
    return process_event(raw, b"k", topic=topic or CTX.topics.crossings, partition=0, offset=7, index=INDEX, ctx=CTX)


def sent(processed: Any, topic: str) -> list[dict[str, Any]]:
    return [orjson.loads(o.value) for o in processed.outgoing if o.topic == topic]


@pytest.mark.parametrize(("message", "field"), [
    (crossing(date_of_birth="1877-04-18"), "traveler.date_of_birth"),
    (crossing(nationality="TH"), "traveler.nationality"),
    (crossing(documents=[{**LISTED["documents"][0], "expiry_date": "2031-13-45"}]), "traveler.documents.0.expiry_date"),
    ({k: v for k, v in crossing().items() if k != "occurred_at"}, "occurred_at"),
    ({**crossing(), "checkpoint_country": "Thailand"}, "checkpoint_country"),
    ({**crossing(), "direction": "sideways"}, "direction"),
])
def test_an_event_with_one_bad_field_is_screened_and_the_field_named(message: dict[str, Any], field: str) -> None:
    processed = process(message)
    assert processed.rejected is None
    alerts = sent(processed, CTX.topics.alert_candidates)
    assert [a["entry_id"] for a in alerts] == ["E1"]
    quality = [r for r in alerts[0]["reasons"] if r["feature"] == "data_quality"]
    assert len(quality) == 1 and field in quality[0]["explanation"] and quality[0]["score"] == 0.0
    # The data-quality record: the original kept whole, the field named, and marked as screened.
    [record] = sent(processed, CTX.topics.dead_letter)
    assert record["error"] == "partially_screened" and field in record["reason"]
    assert orjson.loads(base64.b64decode(record["original_b64"])) == message
    assert processed.problems and any(p.startswith(field) for p in processed.problems)


def test_a_valid_event_carries_no_data_quality_reason_and_no_record() -> None:
    processed = process(crossing())
    assert processed.problems == () and sent(processed, CTX.topics.dead_letter) == []
    [alert] = sent(processed, CTX.topics.alert_candidates)
    assert all(r["feature"] != "data_quality" for r in alert["reasons"])


def test_a_missing_direction_is_unknown_not_invented() -> None:
    decoded = decode_screenable(orjson.dumps({**crossing(), "direction": None}), BorderCrossing, 10**6, NOW)
    assert isinstance(decoded, Salvaged) and decoded.event.direction is None


def test_a_bad_document_on_a_document_check_is_dropped_from_the_holder_not_the_check() -> None:
    check = {"event_id": "d-1", "event_type": "document_check", "occurred_at": "2026-11-28T09:00:00Z",
             "checkpoint_id": "THA-CP01", "checkpoint_country": "THA",
             "document": {"type": "P", "number": "AA1234567", "issuing_country": "THA", "expiry_date": "31/12/30"},
             "holder": LISTED}
    decoded = decode_screenable(orjson.dumps(check), DocumentCheck, 10**6, NOW)
    assert isinstance(decoded, Salvaged)
    assert decoded.event.document.number == "AA1234567" and decoded.event.document.expiry_date is None


@pytest.mark.parametrize("message", [
    b"{not json",
    b"[1, 2, 3]",
    orjson.dumps({**crossing(), "traveler": {"date_of_birth": "1990-01-01"}}),  # no name, no document
    orjson.dumps({k: v for k, v in crossing().items() if k != "traveler"}),
])
def test_only_a_message_that_yields_no_person_is_dead_lettered(message: bytes) -> None:
    processed = process(message)
    assert processed.rejected is not None and processed.event is None
    [letter] = sent(processed, CTX.topics.dead_letter)
    assert letter["error"] in {"invalid_json", "invalid_schema"}
    assert base64.b64decode(letter["original_b64"]) == message and not letter["original_truncated"]


def test_a_message_too_large_to_dead_letter_whole_keeps_its_head_size_and_digest() -> None:
    huge = orjson.dumps({**crossing(), "padding": "x" * (CTX.max_message_bytes + 10)})
    processed = process(huge)
    [letter] = sent(processed, CTX.topics.dead_letter)
    assert letter["error"] == "too_large" and letter["original_truncated"]
    assert letter["original_size"] == len(huge)
    assert letter["original_sha256"] == hashlib.sha256(huge).hexdigest()
    kept = base64.b64decode(letter["original_b64"])
    assert huge.startswith(kept) and 0 < len(kept) < len(huge)
    assert len(processed.outgoing[0].value) < 1_000_000  # publishable under the broker's default limit


PERSON_FIELDS = ["given_names", "surname", "date_of_birth", "sex", "nationality", "documents", "aliases"]
JUNK = st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1), st.text(max_size=30), st.lists(st.booleans(), max_size=3),
                 st.dictionaries(st.text(max_size=5), st.booleans(), max_size=2))


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(["occurred_at", "checkpoint_id", "checkpoint_country", "direction", "event_id",
                              "travel_group_id", *(f"traveler.{f}" for f in PERSON_FIELDS)]), junk=JUNK)
def test_any_one_corrupted_field_still_screens_the_listed_traveller(field: str, junk: Any) -> None:
    message = crossing(full_name="Somchai Srisuk")
    if field.startswith("traveler."):
        message["traveler"][field.split(".", 1)[1]] = junk
    else:
        message[field] = junk
    processed = process(message)  # never raises
    assert processed.rejected is None, processed.rejected
    assert [a["entry_id"] for a in sent(processed, CTX.topics.alert_candidates)] == ["E1"]
