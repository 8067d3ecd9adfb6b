"""The labelled evaluation set: reproducible, valid against the wire contract, complete, split cleanly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bench.evalset import generate as G
from bench.evalset import names as N
from schemas import BorderCrossing, DocumentCheck, WatchlistEntry

DATA = Path(__file__).resolve().parents[1] / "data"
SPLITS = ("dev", "holdout")


@pytest.fixture(scope="module")
def generated() -> dict[str, bytes]:
    return {split: G.dumps_jsonl(G.build_evalset(split, G.DEFAULT_SEED)) for split in SPLITS}


@pytest.fixture(scope="module")
def loaded() -> dict[str, tuple[dict, list[dict], list[dict]]]:
    return {split: G.load_evalset(DATA / f"evalset_{split}.jsonl") for split in SPLITS}


def test_other_seed_other_data(generated: dict[str, bytes]) -> None:
    assert G.dumps_jsonl(G.build_evalset("dev", G.DEFAULT_SEED + 1, per_cell=2, distractors=60)) != generated["dev"]


@pytest.mark.parametrize("split", SPLITS)
def test_same_seed_same_bytes(generated: dict[str, bytes], split: str) -> None:
    """The shipped files were written by another process: equal bytes = deterministic across runs."""
    shipped = (DATA / f"evalset_{split}.jsonl").read_bytes()
    assert shipped == generated[split], "regenerate: python -m bench.evalset.generate evalset"


def test_shipped_data_is_small() -> None:
    assert sum((DATA / f"evalset_{s}.jsonl").stat().st_size for s in SPLITS) < 5 * 2**20


@pytest.mark.parametrize("split", SPLITS)
def test_records_validate_and_labels_resolve(loaded: dict, split: str) -> None:
    meta, entries, queries = loaded[split]
    assert meta["split"] == split and meta["entries"] == len(entries) and meta["queries"] == len(queries)
    ids = {WatchlistEntry.model_validate(e).entry_id for e in entries}
    assert len(ids) == len(entries), "duplicate entry_id"
    by_id = {e["entry_id"]: e for e in entries}
    event_ids = set()
    for q in queries:
        event = q["event"]
        model = DocumentCheck if event["event_type"] == "document_check" else BorderCrossing
        model.model_validate(event)
        event_ids.add(event["event_id"])
        if q["expected"] is not None:
            assert q["expected"] in ids, q["query_id"]
            assert q["expected_list"] == by_id[q["expected"]]["list"]
        else:
            assert q["expected_list"] is None
    assert len(event_ids) == len(queries)


@pytest.mark.parametrize("split", SPLITS)
def test_every_family_has_positives_and_negatives(loaded: dict, split: str) -> None:
    _meta, entries, queries = loaded[split]
    seen: dict[str, set[bool]] = {}
    for q in queries:
        seen.setdefault(q["family"], set()).add(q["expected"] is not None)
    assert set(seen) == set(G.FAMILIES)
    assert all(v == {True, False} for v in seen.values()), seen
    assert {q["lang"] for q in queries} == set(G.LANGS)
    assert {e["list"] for e in entries} == {"suspect", "missing_person", "suspected_victim"}
    assert any("birth_year_range" in e["person"] for e in entries if e["list"] == "suspected_victim")


def test_dev_and_holdout_use_disjoint_name_tables() -> None:
    dev, hold = G.split_tables("dev"), G.split_tables("holdout")
    for lang, tables in N.TABLES.items():
        for kind, rows in tables.items():
            a = {p.native for p in dev[lang][kind]}
            b = {p.native for p in hold[lang][kind]}
            if kind in ("middle", "honorific"):  # closed classes, shared on purpose
                assert a == b
                continue
            assert not a & b, (lang, kind)
            assert len(a | b) == len({r[0] for r in rows})


def test_name_tables_are_big_enough_and_have_variants() -> None:
    for lang, tables in N.TABLES.items():
        assert len(tables["given"]) >= 40, lang
        if "surname" in tables:
            assert len(tables["surname"]) >= 30, lang
            assert all(row[2] for row in tables["surname"])
    assert sum(len(set(r[2])) > 1 for r in N.TH_SURNAMES) == len(N.TH_SURNAMES)


def test_generator_does_not_use_the_matchers_romanizers() -> None:
    src = Path(G.__file__).read_text() + Path(N.__file__).read_text()
    for lib in ("pypinyin", "pythainlp", "icu", "anyascii", "agents.matching"):
        assert f"import {lib}" not in src and f"from {lib}" not in src


def test_mrz_lines_are_valid_icao(loaded: dict) -> None:
    documents = pytest.importorskip("agents.documents")
    _meta, _entries, queries = loaded["dev"]
    with_mrz = [q for q in queries if q["event"].get("mrz")]
    assert with_mrz
    for q in with_mrz:
        ev = DocumentCheck.model_validate(q["event"])
        assert documents.check_document(ev.document, ev.mrz, ev.holder, dt.date(2026, 6, 1)) == [], q["query_id"]


@pytest.mark.parametrize("split", SPLITS)
def test_mrz_truncation_is_exercised(loaded: dict, split: str) -> None:
    _meta, _entries, queries = loaded[split]
    assert any(q["family"] == "mrz_name" and q["variant"].endswith("_truncated") for q in queries)


def test_check_digit_matches_icao_example() -> None:
    # ICAO 9303 part 3 example: document number L898902C3 -> check digit 6
    assert G._check_digit("L898902C3") == "6"
    assert G._check_digit("740812") == "2"


def test_synthetic_entries_are_fast_valid_and_deterministic() -> None:
    a = list(G.synthetic_entry_dicts(2000, seed=1))
    assert a == list(G.synthetic_entry_dicts(2000, seed=1))
    for d in a[:200]:
        WatchlistEntry.model_validate(d)
        G.construct_entry(d)
    planted = [a[i] for i in sorted(G.planted_indices(2000, 1000, 0.01, seed=1))]
    events = list(G.synthetic_events(1000, planted, seed=1))
    assert len(events) == 1000
    assert sum(e is not None for _p, e in events) == len(planted) == 10
