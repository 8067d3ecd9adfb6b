"""Wire contract of BorderWatch: pydantic v2 models for every topic.

Inbound models (events, watchlist entries, decisions) ignore unknown fields so producers can add
fields freely; outbound models (alerts, dead letters) forbid them so we never leak by accident.
"""

from schemas.alerts import Alert, AlertDecision, FeatureReason
from schemas.deadletter import DeadLetter
from schemas.events import BorderCrossing, DocumentCheck, ScreeningEvent
from schemas.person import Document, Person
from schemas.watchlist import WatchlistEntry

__all__ = [
    "Alert",
    "AlertDecision",
    "BorderCrossing",
    "DeadLetter",
    "Document",
    "DocumentCheck",
    "FeatureReason",
    "Person",
    "ScreeningEvent",
    "WatchlistEntry",
]
