"""The population bench's generator: deterministic, and drawing names with its tables' shares."""

from __future__ import annotations

import random
from collections import Counter

from bench.population.generate import (
    FAMILIES,
    entries,
    person,
    planted_families,
    renewed_no_dob_traveller,
    travellers,
)
from bench.population.tables import ZH_TOP100_PCT, ascii_fold, tables, wade_giles
from schemas import BorderCrossing, WatchlistEntry


def _sample(n: int, seed: int) -> tuple[list[dict], list[tuple[dict, str | None, str | None]]]:
    families = planted_families(n, n, seed)
    made = list(entries(n, families, seed))
    truths = {k: t for k, (_, t) in enumerate(made) if t is not None}
    return [d for d, _ in made], list(travellers(n, truths, families, seed))


def test_same_seed_same_people_other_seed_other_people() -> None:
    assert _sample(300, 7) == _sample(300, 7)
    assert _sample(300, 7)[0] != _sample(300, 8)[0]


def test_entries_and_crossings_are_valid_messages() -> None:
    made, crossings = _sample(400, 3)
    for d in made:
        WatchlistEntry.model_validate(d)
    for event, _, _ in crossings:
        BorderCrossing.model_validate(event)


def test_planted_crossings_point_at_their_entry_in_every_family() -> None:
    made, crossings = _sample(2000, 5)
    planted = [(expected, family) for _, expected, family in crossings if expected is not None]
    assert {f for _, f in planted} == set(FAMILIES)
    ids = {d["entry_id"] for d in made}
    assert all(expected in ids for expected, _ in planted)
    by_id = {d["entry_id"]: d["person"] for d in made}
    for expected, family in planted:
        if family == "entry_no_dob":
            assert "date_of_birth" not in by_id[expected] and "documents" not in by_id[expected]
        if family == "renewed_passport":
            assert by_id[expected]["date_of_birth"] and by_id[expected]["documents"]


def test_surname_shares_follow_the_tables() -> None:
    rng = random.Random(11)
    people = [person(rng, "VNM") for _ in range(6000)]
    nguyen = sum(p.surname is not None and p.surname.native == "Nguyễn" for p in people) / len(people)
    assert 0.35 < nguyen < 0.42  # 38.4 % in the table
    women = [p for p in people if p.sex == "F"]
    thi = sum(p.given[0].native == "Thị" for p in women) / len(women)
    assert 0.65 < thi < 0.75
    rng = random.Random(12)
    chinese = [person(rng, "CHN") for _ in range(6000)]
    top100 = {n.native for n in tables()["CHN.surname"].names[:100]}
    covered = sum(p.surname is not None and p.surname.native in top100 for p in chinese) / len(chinese)
    assert abs(covered - ZH_TOP100_PCT / 100) < 0.02
    wang = Counter(p.surname.native for p in chinese if p.surname)["王"] / len(chinese)
    assert 0.06 < wang < 0.083  # 7.10 % in the table


def test_table_shares_add_up() -> None:
    t = tables()["CHN.surname"]
    assert abs(sum(t.share(i) for i in range(len(t.names))) - 1.0) < 1e-9
    assert abs(sum(t.share(i) for i in range(100)) - ZH_TOP100_PCT / 100) < 1e-9


def test_spelling_helpers() -> None:
    assert ascii_fold("Nguyễn Thị Đào") == "Nguyen Thi Dao"
    assert [wade_giles(s) for s in ("zhang", "xiong", "qian", "jie")] == ["Chang", "Hsiung", "Chien", "Chieh"]


def test_the_extra_family_travels_on_another_passport_of_the_listed_country() -> None:
    listed = {"surname": "Nguyễn", "given_names": "Thị Lan", "sex": "F", "nationality": "VNM",
              "documents": [{"type": "P", "number": "C1234567", "issuing_country": "VNM"}]}
    traveller = renewed_no_dob_traveller(random.Random(1), listed)
    assert (traveller["surname"], traveller["given_names"]) == ("Nguyen", "Thi Lan")
    (document,) = traveller["documents"]
    assert document["issuing_country"] == "VNM" and document["number"] != "C1234567"
    assert traveller["date_of_birth"]


def test_entries_in_their_own_script_are_the_same_people_otherwise() -> None:
    families = planted_families(400, 400, 5)
    latin = [d for d, _ in entries(400, families, 5)]
    scripted = [d for d, _ in entries(400, families, 5, (1.0, frozenset({"THA", "MMR"})))]
    changed = 0
    for a, b in zip(latin, scripted, strict=True):
        WatchlistEntry.model_validate(b)
        names = (b["person"]["given_names"], b["person"].get("surname") or "")
        if a["person"]["nationality"] in ("THA", "MMR"):
            assert not any(ch.isascii() and ch.isalpha() for name in names for ch in name)
            changed += 1
        else:
            assert b == a
        assert {k: v for k, v in b["person"].items() if k not in ("given_names", "surname")} == \
            {k: v for k, v in a["person"].items() if k not in ("given_names", "surname")}
    assert changed > 0
