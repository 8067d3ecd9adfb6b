"""Export the wire contract as JSON Schema, one file per topic payload.

    python -m schemas.export [DEST_DIR]      # default: schemas/json next to this file

The files are committed under ``schemas/json/`` for producers in other languages; a unit test
regenerates them and fails when the committed copies drift from the pydantic models.

Inbound payloads (what producers send us) are exported in pydantic's *validation* mode, outbound
payloads (what we publish) in *serialization* mode.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from schemas.alerts import Alert, AlertDecision
from schemas.deadletter import DeadLetter
from schemas.events import BorderCrossing, DocumentCheck
from schemas.watchlist import WatchlistEntry

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_BASE = "https://borderwatch.example/schemas/"
DEFAULT_DEST = Path(__file__).resolve().parent / "json"

Mode = Literal["validation", "serialization"]

#: topic -> (model, mode, key description, note)
TOPIC_PAYLOADS: dict[str, tuple[type[BaseModel], Mode, str]] = {
    "border.crossings": (BorderCrossing, "validation", "Kafka key: event_id (UTF-8)."),
    "border.document-checks": (DocumentCheck, "validation", "Kafka key: event_id (UTF-8)."),
    "watchlist.entries": (
        WatchlistEntry,
        "validation",
        "Compacted topic. Kafka key: entry_id (UTF-8). A null value (tombstone) removes the entry.",
    ),
    "alerts": (
        Alert,
        "serialization",
        "Kafka key: alert_id (UTF-8). Also published to alerts.<ALPHA3> for each country in route_to.",
    ),
    "alerts.decisions": (AlertDecision, "validation", "Kafka key: alert_id (UTF-8)."),
    "events.dead-letter": (DeadLetter, "serialization", "Kafka key: the original key, unchanged."),
}


#: Field names typed ``CountryCode`` / ``PartialDate`` in the models. Their validators normalise
#: before checking (upper-casing, stripping), which pydantic cannot express in JSON Schema, so we add
#: the equivalent (more lenient) pattern here.
COUNTRY_FIELDS = frozenset(
    {"checkpoint_country", "issuing_country", "nationality", "source_country", "shared_with"}
)
COUNTRY_PATTERN = r"^\s*[A-Za-z][A-Za-z<]{2}\s*$"
COUNTRY_DOC = (
    "ISO 3166-1 alpha-3 country code as printed in passports (case-insensitive; ICAO 'D<<' allowed)."
)
DATE_FIELDS = frozenset({"date_of_birth", "expiry_date"})
DATE_PATTERN = r"^\s*[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\s*$"
DATE_DOC = "Partial date: YYYY-MM-DD, YYYY-MM or YYYY (years 1900..2100)."


def _constrain_strings(node: Any, pattern: str) -> None:
    """Add ``pattern`` to every string-typed subschema of ``node`` (through anyOf / items)."""
    if isinstance(node, dict):
        if node.get("type") == "string" and "pattern" not in node:
            node["pattern"] = pattern
        for key in ("anyOf", "oneOf", "prefixItems"):
            for sub in node.get(key, []):
                _constrain_strings(sub, pattern)
        if "items" in node:
            _constrain_strings(node["items"], pattern)


def _annotate(node: Any) -> None:
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for name, sub in props.items():
                if name in COUNTRY_FIELDS:
                    _constrain_strings(sub, COUNTRY_PATTERN)
                    sub.setdefault("description", COUNTRY_DOC)
                elif name in DATE_FIELDS:
                    _constrain_strings(sub, DATE_PATTERN)
                    sub.setdefault("description", DATE_DOC)
        for value in node.values():
            _annotate(value)
    elif isinstance(node, list):
        for value in node:
            _annotate(value)


def file_name(topic: str) -> str:
    return f"{topic}.schema.json"


def topic_schema(topic: str) -> dict[str, Any]:
    """The JSON Schema (2020-12) of one topic's message value."""
    model, mode, note = TOPIC_PAYLOADS[topic]
    body = model.model_json_schema(mode=mode)
    if mode == "validation":  # outbound models hold plain strings already normalised by us
        _annotate(body)
    doc = body.get("description", "")
    head: dict[str, Any] = {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": ID_BASE + file_name(topic),
        "title": model.__name__,
        "description": f"{doc}\n\nTopic `{topic}`. {note}".strip(),
        "x-topic": topic,
    }
    body.pop("title", None)
    body.pop("description", None)
    return {**head, **body}


def render(topic: str) -> str:
    return json.dumps(topic_schema(topic), indent=2, ensure_ascii=False) + "\n"


def export_all(dest_dir: str | Path = DEFAULT_DEST) -> list[Path]:
    """Write one ``<topic>.schema.json`` per topic payload into ``dest_dir``; return the paths."""
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for topic in TOPIC_PAYLOADS:
        path = dest / file_name(topic)
        path.write_text(render(topic), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for path in export_all(args[0] if args else DEFAULT_DEST):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
