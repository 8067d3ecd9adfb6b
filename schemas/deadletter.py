"""Dead letters (`events.dead-letter`): rejected input, kept whole, with the reason."""

from __future__ import annotations

from pydantic import Field

from schemas.common import Outbound, Timestamp


class DeadLetter(Outbound):
    """A message we could not screen. The original bytes are kept so nothing is lost."""

    original_b64: str = Field(description="The message value exactly as received, base64.")
    original_key_b64: str | None = None
    source_topic: str
    source_partition: int
    source_offset: int
    error: str = Field(description="Exception class or validation error type.")
    reason: str = Field(description="Human-readable reason; field paths, never field values.")
    received_at: Timestamp
