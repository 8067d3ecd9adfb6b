"""Test data builders and a fixed clock, shared by the unit and the integration tests.

Every builder returns a valid record with dull defaults; a test passes, as keyword overrides named as
the wire format names them (`list=`, `checkpoint_country=`, ...), only the fields it is about. Records
come in three forms: `*_dict` (the JSON document), the bare name (the pydantic model) and `*_json`
(the bytes on the topic).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import orjson

from schemas import BorderCrossing, DocumentCheck, WatchlistEntry

#: The tests' "now": a fixed, timezone-aware instant.
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)


def fixed_clock(at: dt.datetime = NOW) -> Callable[[], dt.datetime]:
    """A clock for code that takes one (`clock=`): it always reads `at`."""
    return lambda: at


#: A listed suspect the tests plant on the watchlist and send through checkpoints.
SUSPECT: dict[str, Any] = {
    "full_name": "Somchai Srisuk", "given_names": "Somchai", "surname": "Srisuk", "date_of_birth": "1972-04-18",
    "sex": "M", "nationality": "THA", "documents": [{"type": "P", "number": "AA1234567", "issuing_country": "THA"}]}


def person(full_name: str, date_of_birth: str | None = None, *, passport: str | None = None,
           **fields: Any) -> dict[str, Any]:
    """A person as a dict; `passport` adds a passport issued by the person's `nationality`."""
    out: dict[str, Any] = {"full_name": full_name}
    if date_of_birth is not None:
        out["date_of_birth"] = date_of_birth
    out.update(fields)
    if passport is not None:
        out["documents"] = [{"type": "P", "number": passport, "issuing_country": out["nationality"]}]
    return out


def _timestamp(at: dt.datetime | str) -> str:
    return at.isoformat() if isinstance(at, dt.datetime) else at


def _fresh_id() -> str:
    return str(uuid.uuid4())


# ------------------------------------------------------------------------------------------ watchlist entries
def entry_dict(entry_id: str = "E1", person: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """A watchlist entry owned by Thailand, on the suspect list, listing `person` (default: SUSPECT)."""
    return {"entry_id": entry_id, "list": "suspect", "person": SUSPECT if person is None else person,
            "source_country": "THA", "source_agency": "Test Agency", "case_ref": f"CASE-{entry_id}",
            "priority": "high", **fields}


def entry(entry_id: str = "E1", person: dict[str, Any] | None = None, **fields: Any) -> WatchlistEntry:
    return WatchlistEntry.model_validate(entry_dict(entry_id, person, **fields))


def entry_json(entry_id: str = "E1", person: dict[str, Any] | None = None, **fields: Any) -> bytes:
    return orjson.dumps(entry_dict(entry_id, person, **fields))


# ------------------------------------------------------------------------------------------ border crossings
def crossing_dict(traveler: dict[str, Any] | None = None, *, occurred_at: dt.datetime | str = NOW,
                  **fields: Any) -> dict[str, Any]:
    """`traveler` (default: SUSPECT) entering Thailand at THA-CP01 at `occurred_at`, under a fresh event id."""
    return {"event_id": _fresh_id(), "event_type": "border_crossing", "occurred_at": _timestamp(occurred_at),
            "checkpoint_id": "THA-CP01", "checkpoint_country": "THA", "direction": "entry",
            "traveler": SUSPECT if traveler is None else traveler, **fields}


def crossing(traveler: dict[str, Any] | None = None, **fields: Any) -> BorderCrossing:
    return BorderCrossing.model_validate(crossing_dict(traveler, **fields))


def crossing_json(traveler: dict[str, Any] | None = None, **fields: Any) -> bytes:
    return orjson.dumps(crossing_dict(traveler, **fields))


def live_crossing(traveler: dict[str, Any] | None = None, *, occurred_at: dt.datetime | str | None = None,
                  **fields: Any) -> dict[str, Any]:
    """A crossing dict for a running worker, which judges expiry and look-back windows by the wall clock:
    `occurred_at` defaults to now."""
    return crossing_dict(traveler, occurred_at=dt.datetime.now(dt.UTC) if occurred_at is None else occurred_at,
                         **fields)


# ------------------------------------------------------------------------------------------ document checks
def document_check_dict(holder: dict[str, Any] | None = None, *, occurred_at: dt.datetime | str = NOW,
                        **fields: Any) -> dict[str, Any]:
    """SUSPECT's passport checked at THA-CP01 at `occurred_at`, held by `holder` (default: SUSPECT's names)."""
    return {"event_id": _fresh_id(), "event_type": "document_check", "occurred_at": _timestamp(occurred_at),
            "checkpoint_id": "THA-CP01", "checkpoint_country": "THA", "document": SUSPECT["documents"][0],
            "holder": {"surname": "Srisuk", "given_names": "Somchai"} if holder is None else holder, **fields}


def document_check(holder: dict[str, Any] | None = None, **fields: Any) -> DocumentCheck:
    return DocumentCheck.model_validate(document_check_dict(holder, **fields))


def document_check_json(holder: dict[str, Any] | None = None, **fields: Any) -> bytes:
    return orjson.dumps(document_check_dict(holder, **fields))
