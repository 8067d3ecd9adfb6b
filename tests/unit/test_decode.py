from __future__ import annotations

import base64

import orjson
import pytest

from agents.decode import Rejected, dead_letter, decode_event
from schemas import BorderCrossing, DocumentCheck
from tests.factories import NOW, crossing_dict, document_check_json

VALID = crossing_dict({"full_name": "Somchai Srisuk", "date_of_birth": "1972-04", "nationality": "THA"},
                      event_id="e-1", occurred_at="2026-11-28T09:59:58+07:00", checkpoint_country="tha",
                      direction="exit", vendor_extension={"lane": 4})


def test_valid_crossing_round_trips_and_ignores_unknown_fields() -> None:
    event = decode_event(orjson.dumps(VALID), BorderCrossing, 10_000)
    assert isinstance(event, BorderCrossing)
    assert event.checkpoint_country == "THA"
    again = BorderCrossing.model_validate_json(event.model_dump_json())
    assert again == event


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{oops", "invalid_json"),
        (b"\xff\xfe\x00", "invalid_json"),
        (orjson.dumps({**VALID, "direction": "sideways"}), "invalid_schema"),
        (orjson.dumps({**VALID, "occurred_at": "2026-11-28T10:00:00"}), "invalid_schema"),  # no offset
        (orjson.dumps({**VALID, "traveler": {"date_of_birth": "2001-02-30", "full_name": "x"}}), "invalid_schema"),
        (orjson.dumps({**VALID, "traveler": {"sex": "F"}}), "invalid_schema"),  # no name, no document
        (orjson.dumps({**VALID, "event_type": "document_check"}), "invalid_schema"),
        (b"[" * 50_000 + b"]" * 50_000, "invalid_json"),
        (None, "invalid_schema"),
    ],
)
def test_bad_input_is_rejected_with_a_reason(raw: bytes | None, reason: str) -> None:
    result = decode_event(raw, BorderCrossing, 1_000_000)
    assert isinstance(result, Rejected)
    assert result.reason == reason
    assert result.detail


def test_reasons_name_fields_but_never_values() -> None:
    raw = orjson.dumps({**VALID, "traveler": {"full_name": "Secret Person", "date_of_birth": "19xx"}})
    result = decode_event(raw, BorderCrossing, 10_000)
    assert isinstance(result, Rejected)
    assert "date_of_birth" in result.detail
    assert "Secret" not in result.detail and "19xx" not in result.detail


def test_oversized_message_is_rejected() -> None:
    result = decode_event(orjson.dumps(VALID), BorderCrossing, 50)
    assert isinstance(result, Rejected) and result.reason == "too_large"


def test_document_check_needs_its_own_shape() -> None:
    raw = document_check_json({"surname": "Nguyen", "given_names": "Van An"}, event_id="d1",
                              occurred_at="2026-11-28T10:00:00Z", checkpoint_id="VNM-CP1", checkpoint_country="VNM",
                              document={"type": "P", "number": "C1234567", "issuing_country": "VNM"})
    assert isinstance(decode_event(raw, DocumentCheck, 10_000), DocumentCheck)


def test_dead_letter_keeps_the_original_bytes() -> None:
    raw = b"\x00garbage"
    letter = dead_letter(raw, b"k", topic="border.crossings", partition=2, offset=41,
                         rejected=Rejected("invalid_json", "not JSON"), now=NOW)
    assert base64.b64decode(letter.original_b64) == raw
    assert (letter.source_partition, letter.source_offset, letter.error) == (2, 41, "invalid_json")
