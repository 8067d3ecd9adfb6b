"""The prefilter never drops a candidate that the cheap features would let through."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from agents.matching import MatcherConfig, build_index, search
from agents.matching.blocking.index import WatchlistIndex
from agents.matching.blocking.keys import document_keys
from agents.matching.blocking.prefilter import DOC_ANY, DOC_NO_TYPO, DOC_NONE, _date_table, document_signature
from agents.matching.features.dates import compare_dates
from agents.matching.prepared import PreparedPerson, prepare_document, prepare_person
from agents.matching.scorer import prescore_pair
from agents.matching.search import index_context, prefilter_for
from bench.evalset.generate import AT, load_evalset
from schemas import Document, Person, WatchlistEntry

DATA = Path(__file__).resolve().parents[1] / "data"
CONFIG = MatcherConfig()
NATIONS = ["VNM", "THA", "LAO", "KHM", "MMR", "CHN", None]
SURNAMES = ["Nguyen", "Tran", "Wang", "Li", "Aung", "Srisuk", "Phommachanh", "Sok"]
GIVEN = ["Van An", "Thi Lan", "Xiaoming", "Min", "Kyaw", "Somchai", "Bounmy", "Dara", "Ngoc Anh"]


def _dob(rng: random.Random) -> dict[str, Any]:
    year = rng.choice([1988, 1989, 1990, 1991, 1992])
    month, day = rng.choice([(5, 12), (12, 5), (5, 17), (6, 17), (5, 11), (1, 1), (11, 1)])
    kind = rng.randrange(6)
    if kind == 0:
        return {"date_of_birth": f"{year}-{month:02d}-{day:02d}"}
    if kind == 1:
        return {"date_of_birth": f"{year}-{month:02d}"}
    if kind == 2:
        return {"date_of_birth": f"{year}"}
    if kind == 3:
        low = year - rng.randrange(4)
        return {"birth_year_range": [low, low + rng.randrange(1, 6)]}
    return {}  # unknown (twice as likely)


def _documents(rng: random.Random) -> list[dict[str, str]]:
    numbers = ["C1234567", "C1234568", "C1243567", "X1234567", "C123456", "C12", "AB1", "B8765432", "88765432"]
    return [
        {"type": rng.choice(["P", "I"]), "number": rng.choice(numbers), "issuing_country": rng.choice(["VNM", "THA"])}
        for _ in range(rng.choice([0, 0, 1, 1, 1, 2]))
    ]


def random_person(rng: random.Random) -> Person:
    return Person(
        full_name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
        sex=rng.choice(["F", "M", None]),
        nationality=rng.choice(NATIONS),
        documents=_documents(rng),
        **_dob(rng),
    )


def random_entries(rng: random.Random, n: int) -> list[WatchlistEntry]:
    lists = ["suspect", "missing_person", "suspected_victim"]
    return [
        WatchlistEntry(
            entry_id=f"e{i}",
            list=rng.choice(lists),
            person=random_person(rng),
            source_country="VNM",
            source_agency="MPS",
            case_ref="C-1",
        )
        for i in range(n)
    ]


def _assert_never_drops_a_passing_pair(index: WatchlistIndex, query: PreparedPerson, config: MatcherConfig) -> int:
    ctx = index_context(index, config)
    could_reach = prefilter_for(index, query, ctx)
    # Entries sharing a document key with the traveller are candidates whatever the prefilter says.
    by_document = {slot for key in document_keys(query) for slot in index.posting(key)}
    dropped = 0
    for entry_id, slot in index._ids.items():
        if slot in by_document:
            continue
        candidate = index.prepared_at(slot)
        list_name = index.list_at(slot)
        assert candidate is not None and list_name is not None
        passes = prescore_pair(query, candidate, ctx, threshold=config.threshold(list_name)) is not None
        reach = could_reach(slot)
        assert reach or not passes, f"prefilter drops {entry_id}, which prescoring lets through: {query} {candidate}"
        dropped += not reach
    return dropped


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_never_drops_what_prescoring_keeps_on_random_people(seed: int) -> None:
    rng = random.Random(seed)
    index = build_index(random_entries(rng, 300), CONFIG)
    dropped = sum(
        _assert_never_drops_a_passing_pair(index, prepare_person(random_person(rng)), CONFIG) for _ in range(60)
    )
    assert dropped > 60 * 300 // 4, "the prefilter should rule out many random pairs"


def test_never_drops_what_prescoring_keeps_on_the_evaluation_set() -> None:
    _meta, entry_dicts, queries = load_evalset(DATA / "evalset_dev.jsonl")
    index = build_index([WatchlistEntry.model_validate(e) for e in entry_dicts], CONFIG)
    for query in queries[::7]:
        event = query["event"]
        person = Person.model_validate(event.get("traveler") or event["holder"])
        document = Document.model_validate(event["document"]) if "document" in event else None
        _assert_never_drops_a_passing_pair(index, prepare_person(person, document), CONFIG)


def test_other_thresholds_and_weights_are_respected() -> None:
    config = MatcherConfig(
        thresholds={"suspect": 0.5, "missing_person": 0.95, "suspected_victim": 0.6},
        weights={**CONFIG.weights, "sex": 0.0, "document": 0.5},
    )
    rng = random.Random(7)
    index = build_index(random_entries(rng, 200), config)
    for _ in range(40):
        _assert_never_drops_a_passing_pair(index, prepare_person(random_person(rng)), config)


def test_document_signatures() -> None:
    def sig(*numbers: str) -> tuple[int, int]:
        docs = [prepare_document(Document(type="P", number=n, issuing_country="VNM")) for n in numbers]
        return document_signature(tuple(d for d in docs if d is not None))

    assert sig() == (DOC_NONE, DOC_NONE)
    assert sig("C1234567", "B7654321") == (DOC_ANY, DOC_ANY)
    assert sig("AB") == (DOC_ANY, DOC_ANY)
    assert sig("C12345") == (DOC_NO_TYPO, DOC_NO_TYPO)
    head, tail = sig("C1234567")
    assert sig("C1234568")[0] == head  # the typo is at the end: the head agrees
    assert sig("X1234567")[1] == tail  # ... at the start: the tail agrees
    assert sig("C1234567") == sig("C I234567".replace(" ", ""))  # OCR-folded (I/1)


def test_a_namesake_born_elsewhere_costs_no_scoring_but_a_typo_document_does() -> None:
    def person(dob: str, number: str) -> Person:
        return Person(
            full_name="Nguyen Van An",
            date_of_birth=dob,
            sex="M",
            nationality="VNM",
            documents=[Document(type="P", number=number, issuing_country="VNM")],
        )

    index = build_index(
        [
            WatchlistEntry(
                entry_id="a",
                list="suspect",
                person=person("1990-05-17", "C1234567"),
                source_country="VNM",
                source_agency="MPS",
                case_ref="C-1",
            )
        ],
        CONFIG,
    )
    ctx = index_context(index, CONFIG)

    def reach(traveller: Person) -> bool:
        return prefilter_for(index, prepare_person(traveller), ctx)(0)

    assert not reach(person("1972-01-30", "B7777777"))  # another date, another passport
    assert reach(person("1972-01-30", "C1234568"))  # one mistyped passport digit: score it
    assert reach(person("1990-05-17", "B7777777"))
    assert search(index, person("1990-05-17", "C1234567"), CONFIG, at=AT)


@pytest.mark.parametrize(("month", "day"), [(1, 1), (5, 12), (12, 5), (6, 17), (11, 30), (2, 29)])
def test_date_tables_bound_the_date_feature(month: int, day: int) -> None:
    """Every cell is at least the feature's score, and equal to it for the exact cases."""
    table = _date_table(month, day)
    for gap in range(4):
        for entry_month in range(13):
            for entry_day in range(32) if entry_month else [0]:
                entry = (1990 + gap, entry_month or None, entry_day or None)
                actual = compare_dates((1990, month, day), entry)
                bound = table[gap][entry_month * 32 + entry_day]
                assert bound >= actual, (gap, entry)
                if actual in (1.0, 0.8, 0.7, 0.6, 0.5, 0.3, -0.3):
                    assert bound == actual, (gap, entry)
