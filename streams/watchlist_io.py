"""Reading watchlist files (JSONL, CSV with a column mapping) into validated entries.

Every line is accounted for: it yields either an entry or a rejection with its line number and the
failing fields (never the values, which are personal data).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from schemas import WatchlistEntry
from schemas.watchlist import validate_entry_json

#: CSV columns understood without a mapping; multi-valued cells are separated by ';'.
CSV_FIELDS = (
    "entry_id", "list", "given_names", "surname", "full_name", "aliases", "date_of_birth", "sex",
    "nationality", "document_type", "document_number", "document_country", "document_expiry",
    "source_country", "source_agency", "case_ref", "priority", "valid_until", "shared_with", "handling",
    "victim_support_contact",
)
PERSON_FIELDS = ("given_names", "surname", "full_name", "date_of_birth", "sex", "nationality")


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    reason: str


def _reason(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                     for e in error.errors(include_input=False, include_url=False)[:5])


def jsonl_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of a JSONL file with their line numbers (blank lines are not entries)."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line


def check_jsonl(lines: Iterable[tuple[int, bytes]]) -> Iterator[tuple[int, WatchlistEntry | LineError]]:
    for number, line in lines:
        try:
            yield number, validate_entry_json(line)
        except ValidationError as error:
            yield number, LineError(number, _reason(error))


def read_jsonl(path: Path) -> Iterator[tuple[int, WatchlistEntry | LineError]]:
    return check_jsonl(jsonl_lines(path))


def csv_row_to_entry(row: Mapping[str, str]) -> dict[str, Any]:
    """Turn one flat CSV row (already renamed to CSV_FIELDS) into the nested entry document."""
    cell = {k: (v or "").strip() for k, v in row.items() if k}
    person: dict[str, Any] = {k: cell[k] for k in PERSON_FIELDS if cell.get(k)}
    if cell.get("aliases"):
        person["aliases"] = [a.strip() for a in cell["aliases"].split(";") if a.strip()]
    if cell.get("document_number"):
        document = {"type": cell.get("document_type") or "P", "number": cell["document_number"]}
        if cell.get("document_country"):
            document["issuing_country"] = cell["document_country"]
        if cell.get("document_expiry"):
            document["expiry_date"] = cell["document_expiry"]
        person["documents"] = [document]
    entry: dict[str, Any] = {k: cell[k] for k in (
        "entry_id", "list", "source_country", "source_agency", "case_ref", "priority", "valid_until",
        "handling", "victim_support_contact") if cell.get(k)}
    if cell.get("shared_with"):
        entry["shared_with"] = [c.strip() for c in cell["shared_with"].split(";") if c.strip()]
    entry["person"] = person
    return entry


def read_csv(path: Path, mapping: Mapping[str, str] | None = None) -> Iterator[tuple[int, WatchlistEntry | LineError]]:
    """`mapping` renames the file's columns to CSV_FIELDS, e.g. {"Family name": "surname"}."""
    rename = dict(mapping or {})
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            number = reader.line_num
            renamed = {rename.get(k, k): v for k, v in row.items() if k is not None}
            try:
                yield number, WatchlistEntry.model_validate(csv_row_to_entry(renamed))
            except ValidationError as error:
                yield number, LineError(number, _reason(error))


def file_format(path: Path) -> str:
    return "csv" if path.suffix.lower() == ".csv" else "jsonl"


def read_entries(path: Path, fmt: str | None = None,
                 mapping: Mapping[str, str] | None = None) -> Iterator[tuple[int, WatchlistEntry | LineError]]:
    fmt = fmt or file_format(path)
    if fmt == "csv":
        return read_csv(path, mapping)
    return read_jsonl(path)


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """["File column=field", ...] -> {"File column": "field"}; refuses unknown target fields."""
    out: dict[str, str] = {}
    for pair in pairs:
        source, sep, target = pair.partition("=")
        if not sep or target.strip() not in CSV_FIELDS:
            raise ValueError(f"bad mapping {pair!r}: use 'Column=field' with field one of {', '.join(CSV_FIELDS)}")
        out[source.strip()] = target.strip()
    return out


def publishable(item: WatchlistEntry | LineError) -> tuple[bytes, bytes] | LineError:
    """An entry as its watchlist record (key = entry_id, value = entry_json); a rejection unchanged."""
    return item if isinstance(item, LineError) else (item.entry_id.encode(), entry_json(item))


def publishable_jsonl(lines: list[tuple[int, bytes]]) -> list[tuple[int, tuple[bytes, bytes] | LineError]]:
    """Validate and serialise a chunk of numbered JSONL lines: bytes in, bytes (or rejections) out, so
    a worker process can do it for `watchlist load`."""
    return [(number, publishable(item)) for number, item in check_jsonl(lines)]


def entry_json(entry: WatchlistEntry) -> bytes:
    """The entry as published: only contract fields (unknown ones were dropped by validation), no nulls.

    pydantic's own serializer writes the UTF-8 JSON directly: several times faster than `model_dump`
    then `json.dumps`, which was a large part of `watchlist load` (the same document, compact separators);
    called without `model_dump_json`'s wrapper and its str → bytes copy (the same bytes, less time per line)."""
    return _to_json(entry, exclude_none=True)


_to_json = WatchlistEntry.__pydantic_serializer__.to_json
