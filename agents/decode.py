"""Turn raw topic bytes into validated events (or a dead letter with a reason) and watchlist entries.

Pure (no Kafka): the agents call these per message inside a try/except, so one bad message never
stops a partition. Reasons name the failing fields, never their values (personal data).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import ValidationError

from schemas import BorderCrossing, DeadLetter, DocumentCheck, ScreeningEvent, WatchlistEntry
from schemas.watchlist import validate_entry_json

RejectReason = Literal["invalid_json", "invalid_schema", "too_large", "internal_error"]

EVENT_MODELS: dict[str, type[BorderCrossing] | type[DocumentCheck]] = {
    "border_crossing": BorderCrossing,
    "document_check": DocumentCheck,
}


@dataclass(frozen=True, slots=True)
class Rejected:
    reason: RejectReason
    detail: str


def _describe(error: ValidationError) -> tuple[RejectReason, str]:
    errors = error.errors(include_input=False, include_url=False)
    if any(e["type"] in ("json_invalid", "json_type") for e in errors):
        return "invalid_json", "message value is not valid UTF-8 JSON"
    parts = [f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in errors[:10]]
    more = f" (+{len(errors) - 10} more)" if len(errors) > 10 else ""
    return "invalid_schema", "; ".join(parts) + more


def decode_event(raw: bytes | None, model: type[BorderCrossing] | type[DocumentCheck],
                 max_bytes: int) -> ScreeningEvent | Rejected:
    """Validate one message value against the topic's event model."""
    if raw is None:
        return Rejected("invalid_schema", "message has no value (tombstone) on an event topic")
    if len(raw) > max_bytes:
        return Rejected("too_large", f"message of {len(raw)} bytes exceeds the {max_bytes}-byte limit")
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        reason, detail = _describe(error)
        return Rejected(reason, detail)
    except (ValueError, RecursionError) as error:  # e.g. absurd nesting depth
        return Rejected("invalid_json", type(error).__name__)


def dead_letter(raw: bytes | None, key: bytes | None, *, topic: str, partition: int, offset: int,
                rejected: Rejected, now: dt.datetime) -> DeadLetter:
    """Wrap the original bytes and the reason, so nothing is lost and the producer can be told why."""
    return DeadLetter(
        original_b64=base64.b64encode(raw or b"").decode("ascii"),
        original_key_b64=base64.b64encode(key).decode("ascii") if key is not None else None,
        source_topic=topic,
        source_partition=partition,
        source_offset=offset,
        error=rejected.reason,
        reason=rejected.detail,
        received_at=now,
    )


@dataclass(frozen=True, slots=True)
class Invalid:
    """A watchlist record that is not a valid entry; `detail` names the failing fields, never values."""

    detail: str


def decode_entry(value: bytes) -> WatchlistEntry | Invalid:
    try:
        return validate_entry_json(value)
    except ValidationError as error:
        fields = sorted({".".join(str(p) for p in e["loc"]) for e in error.errors(include_input=False)})
        return Invalid("invalid watchlist entry: " + ", ".join(fields[:10]))
    except (ValueError, RecursionError) as error:
        return Invalid(type(error).__name__)
