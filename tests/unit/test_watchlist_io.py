from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from pydantic import ValidationError

from schemas import WatchlistEntry
from streams.watchlist_io import LineError, parse_mapping, read_entries

SAMPLE = Path(__file__).resolve().parents[2] / "streams" / "sample_data" / "watchlist.jsonl"


def test_sample_watchlist_is_valid() -> None:
    results = list(read_entries(SAMPLE))
    assert results and all(isinstance(item, WatchlistEntry) for _, item in results)
    lists = {item.list for _, item in results if isinstance(item, WatchlistEntry)}
    assert lists == {"suspect", "missing_person", "suspected_victim"}


def test_jsonl_rejections_carry_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    good = SAMPLE.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(f"{good}\n{{broken\n\n{{\"entry_id\": \"x\"}}\n", encoding="utf-8")
    results = list(read_entries(path))
    assert [n for n, _ in results] == [1, 2, 4]
    assert isinstance(results[0][1], WatchlistEntry)
    assert all(isinstance(item, LineError) for _, item in results[1:])
    assert "list" in results[2][1].reason  # type: ignore[union-attr]


def test_csv_with_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text(
        "ID,Family name,Given,Birth,Nat,list,Passport,source_country,source_agency,case_ref,aliases\n"
        "C-1,Nguyen,Van An,1980-01-02,VNM,suspect,C1234567,VNM,C02,CASE-9,NGUYEN VAN AN;Nguyễn Văn An\n"
        "C-2,,,,VNM,suspect,,VNM,C02,CASE-10,\n",
        encoding="utf-8",
    )
    mapping = parse_mapping(["ID=entry_id", "Family name=surname", "Given=given_names", "Birth=date_of_birth",
                             "Nat=nationality", "Passport=document_number"])
    results = list(read_entries(path, mapping=mapping))
    first = results[0][1]
    assert isinstance(first, WatchlistEntry)
    assert first.person.surname == "Nguyen" and first.person.documents[0].number == "C1234567"
    assert first.person.aliases == ["NGUYEN VAN AN", "Nguyễn Văn An"]
    assert isinstance(results[1][1], LineError) and results[1][0] == 3


def test_mapping_refuses_unknown_fields() -> None:
    with pytest.raises(ValueError, match="bad mapping"):
        parse_mapping(["Name=nickname"])


@pytest.mark.parametrize(("raw", "stored"), [("THA", "THA"), ("tha", "THA"), (" vNm\t", "VNM"), ("d<<", "D<<"),
                                             ("TH", None), ("THAI", None), ("T H", None), ("", None),
                                             ("123", None), ("ÉTA", None)])
def test_country_codes_are_normalised_or_refused(raw: str, stored: str | None) -> None:
    doc = {"entry_id": "E-1", "list": "suspect", "person": {"full_name": "A B", "nationality": raw},
           "source_country": raw, "source_agency": "X", "case_ref": "C", "shared_with": [raw]}
    if stored is None:
        with pytest.raises(ValidationError, match="pattern"):
            WatchlistEntry.model_validate_json(orjson.dumps(doc))
        return
    parsed = WatchlistEntry.model_validate_json(orjson.dumps(doc))
    assert (parsed.source_country, parsed.person.nationality, parsed.shared_with) == (stored, stored, (stored,))


def test_published_values_are_the_compact_documents_without_nulls() -> None:
    from bench.evalset.generate import DEFAULT_SEED, synthetic_entry_dicts
    from streams.watchlist_io import entry_json, publishable_jsonl

    dicts = list(synthetic_entry_dicts(300, DEFAULT_SEED))
    lines = [(n, orjson.dumps({**d, "unknown_field": 1, "handling": None}) + b"\n") for n, d in enumerate(dicts, 1)]
    checked = publishable_jsonl(lines)
    for (_, record), d in zip(checked, dicts, strict=True):
        assert not isinstance(record, LineError)
        key, value = record
        entry = WatchlistEntry.model_validate(d)
        assert key == d["entry_id"].encode()
        assert value == entry_json(entry) == entry.model_dump_json(exclude_none=True).encode()
        assert b"unknown_field" not in value and b"null" not in value
