"""Dead letters (`events.dead-letter`): rejected input, kept whole, with the reason."""

from __future__ import annotations

from pydantic import Field

from schemas.common import Outbound, Timestamp


class DeadLetter(Outbound):
    """A message we could not screen. The original bytes are kept so nothing is lost."""

    original_b64: str = Field(description="The message value exactly as received, base64 (its first bytes "
                              "only when `original_truncated`).")
    original_size: int | None = Field(default=None, description="Size of the original value in bytes.")
    original_sha256: str | None = Field(default=None, description="SHA-256 of the whole original value, hex.")
    original_truncated: bool = Field(default=False, description="The original was too large to keep whole.")
    original_key_b64: str | None = None
    source_topic: str
    source_partition: int
    source_offset: int
    error: str = Field(description="Exception class or validation error type; `partially_screened` for a "
                       "data-quality record: the event WAS screened, without the fields named in `reason`.")
    reason: str = Field(description="Human-readable reason; field paths, never field values.")
    received_at: Timestamp
