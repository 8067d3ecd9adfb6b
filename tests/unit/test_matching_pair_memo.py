"""What screening remembers within one event (the last pair's verdicts, the last candidate's name bits,
the traveller's side of the quick name similarity) never stands in for another pair's."""

from __future__ import annotations

from typing import Any

from agents.matching import MatcherConfig
from agents.matching.features import Context, date_of_birth, travel_document
from agents.matching.features.name import name_bits_bound, quick_forms, quick_name_similarity
from agents.matching.prepared import prepare_person
from schemas import Person

CONFIG = MatcherConfig()


def P(name: str, dob: str | None = None, number: str | None = None, country: str = "VNM") -> Any:
    raw: dict[str, Any] = {"full_name": name, "sex": "M", "nationality": country}
    if dob:
        raw["date_of_birth"] = dob
    if number:
        raw["documents"] = [{"type": "P", "number": number, "issuing_country": country}]
    return prepare_person(Person(**raw))


TRAVELLER = P("Nguyen Van Hung", "1980-03-14", "C1234567")
CANDIDATES = [
    P("Nguyen Van Hung", "1980-03-14", "C1234567"),
    P("Nguyen Van Hung", "1980-03-14", "C1234568"),
    P("Nguyen Van Hung", "1981-03-14", "C7654321"),
    P("Tran Thi Binh", None, None),
    P("Nguyen Van Hung", "1980-12-03", "C1234567", country="KHM"),
]


def token_bits(key: str) -> float:
    return float(len(key))  # any function of the key: the bound must follow whichever is given


def test_one_context_gives_each_pair_its_own_verdicts_in_any_order() -> None:
    shared = Context(CONFIG, token_bits=token_bits, population_bits=10.0)
    for candidate in [*CANDIDATES, *reversed(CANDIDATES), *CANDIDATES]:
        fresh = Context(CONFIG, token_bits=token_bits, population_bits=10.0)
        assert travel_document(TRAVELLER, candidate, shared) == travel_document(TRAVELLER, candidate, fresh)
        assert date_of_birth(TRAVELLER, candidate, shared) == date_of_birth(TRAVELLER, candidate, fresh)
        assert name_bits_bound(TRAVELLER, candidate, shared) == name_bits_bound(TRAVELLER, candidate, fresh)
        # asked again of the same pair: the same verdicts
        assert travel_document(TRAVELLER, candidate, shared) == travel_document(TRAVELLER, candidate, fresh)
        assert date_of_birth(TRAVELLER, candidate, shared) == date_of_birth(TRAVELLER, candidate, fresh)
    other = P("Le Thi Mai", "1980-03-14", "C1234567")
    for candidate in CANDIDATES:  # another traveller against the same candidates
        fresh = Context(CONFIG)
        assert travel_document(other, candidate, shared) == travel_document(other, candidate, fresh)
        assert date_of_birth(other, candidate, shared) == date_of_birth(other, candidate, fresh)


def test_the_travellers_quick_forms_give_the_same_similarity() -> None:
    travellers = [TRAVELLER, P("N V Hung"), P("Pheap Sreimom"), P("Xiao Ming Wang"), P("Kim Hourn Kao")]
    listed = [*CANDIDATES, P("Srey Mom Pheab"), P("Wang Xiaoming"), P("Kao Kimhuon")]
    for traveller in travellers:
        forms = quick_forms(traveller)
        for candidate in listed:
            assert quick_name_similarity(traveller, candidate, forms) == quick_name_similarity(traveller, candidate)
