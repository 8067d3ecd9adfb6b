"""Turn raw topic bytes into validated events (or a dead letter with a reason) and watchlist entries.

Pure (no Kafka): the agents call these per message inside a try/except, so one bad message never
stops a partition. Reasons name the failing fields, never their values (personal data).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Literal

from pydantic import ValidationError

from schemas import BorderCrossing, DeadLetter, DocumentCheck, ScreeningEvent, WatchlistEntry
from schemas.watchlist import validate_entry_json

RejectReason = Literal["invalid_json", "invalid_schema", "too_large", "internal_error"]
#: A dead letter keeps at most this much of the original: whole, most letters stay far below the
#: broker's default message limit (1 MiB) even base64-encoded.
DEAD_LETTER_MAX_ORIGINAL = 256 * 1024

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
                rejected: Rejected, now: dt.datetime,
                max_original_bytes: int = DEAD_LETTER_MAX_ORIGINAL) -> DeadLetter:
    """Wrap the original bytes and the reason, so nothing is lost and the producer can be told why.

    An original too large to publish again (base64 inflates it by a third) is cut to its first
    `max_original_bytes`; its full size and SHA-256 go with it, so the checkpoint's own copy can be
    found and proven to be the one that was refused."""
    original = raw or b""
    truncated = len(original) > max_original_bytes
    return DeadLetter(
        original_b64=base64.b64encode(original[:max_original_bytes]).decode("ascii"),
        original_size=len(original),
        original_sha256=hashlib.sha256(original).hexdigest(),
        original_truncated=truncated,
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
