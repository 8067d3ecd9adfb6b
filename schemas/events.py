"""Checkpoint events: `border.crossings` and `border.document-checks`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.common import CountryCode, Identifier, Inbound, Timestamp
from schemas.person import Document, Person


class BorderCrossing(Inbound):
    """A traveller passed a checkpoint (topic `border.crossings`, key = event_id)."""

    event_id: Identifier
    event_type: Literal["border_crossing"]
    occurred_at: Timestamp
    checkpoint_id: Identifier
    checkpoint_country: CountryCode
    direction: Literal["entry", "exit"]
    traveler: Person
    travel_group_id: Identifier | None = None

    @property
    def subject(self) -> Person:
        return self.traveler


class DocumentCheck(Inbound):
    """A document was inspected (topic `border.document-checks`, key = event_id)."""

    event_id: Identifier
    event_type: Literal["document_check"]
    occurred_at: Timestamp
    checkpoint_id: Identifier
    checkpoint_country: CountryCode
    document: Document
    mrz: list[str] | str | None = Field(default=None, description="Raw MRZ lines, as read.")
    holder: Person

    @property
    def subject(self) -> Person:
        return self.holder


ScreeningEvent = BorderCrossing | DocumentCheck
