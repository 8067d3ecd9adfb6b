"""Builders for pattern-detector tests: travellers, crossings and a controllable clock."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from schemas.events import BorderCrossing

T0 = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
_ids = itertools.count(1)


def person(name: str, dob: str | None, *, nationality: str | None = "THA", sex: str | None = "M",
           surname: str | None = None, doc: str | None = None, issuer: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"full_name": name, "date_of_birth": dob, "nationality": nationality, "sex": sex}
    if surname is not None:
        out["surname"] = surname
        out["given_names"] = name
        out.pop("full_name")
    if doc is not None:
        out["documents"] = [{"type": "P", "number": doc, "issuing_country": issuer or nationality}]
    return out


def cross(traveller: dict[str, Any], at: dt.datetime, *, checkpoint: str = "THA-MSI", country: str = "THA",
          direction: str = "exit", group: str | None = None, event_id: str | None = None) -> BorderCrossing:
    return BorderCrossing.model_validate({
        "event_id": event_id or f"evt-{next(_ids)}",
        "event_type": "border_crossing",
        "occurred_at": at.isoformat(),
        "checkpoint_id": checkpoint,
        "checkpoint_country": country,
        "direction": direction,
        "traveler": traveller,
        "travel_group_id": group,
    })


def days(n: float) -> dt.timedelta:
    return dt.timedelta(days=n)


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)
