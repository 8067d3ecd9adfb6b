"""Generated people drawn from real name-frequency tables: watchlist entries with realistic gaps,
ordinary travellers, and planted hits (travellers who are listed people, seen through one kind of
corruption each).

The names follow the shares in bench/population/tables.py; the people are generated (seeded and
deterministic: the same seed gives the same entries and travellers). Nobody here is a real person.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bench.evalset.generate import AGENCY, passport_number, typo
from bench.population.tables import COMPOSED, Name, ascii_fold, compose, latin, tables

SEED = 20261204
NOW = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))

#: Who crosses (and who is listed): an assumed mix for the Mekong checkpoints, not a statistic.
NATIONALITY_MIX = (("CHN", 0.32), ("VNM", 0.22), ("THA", 0.20), ("MMR", 0.10), ("KHM", 0.08), ("LAO", 0.08))
MEKONG = tuple(n for n, _ in NATIONALITY_MIX)

#: What a watchlist entry knows (assumed shares; the issue's false alerts come mostly from the gaps).
DOB_KINDS = (("full", 0.65), ("year", 0.12), ("range", 0.08), ("none", 0.15))
DOCUMENT_SHARE = 0.5
SEX_SHARE = 0.9
#: Nationalities whose names `--native-script` can write in their own script.
SCRIPTS = frozenset({"THA", "LAO", "KHM", "MMR"})
InScript = tuple[float, frozenset[str]]  # (share, nationalities): `entry_dict`
NATIVE_VI_SHARE = 0.5  # Vietnamese entries written with diacritics (lists kept in Vietnamese)
LISTS = (("suspect", 0.5), ("missing_person", 0.3), ("suspected_victim", 0.2))

#: Corruption families of planted hits. Name families keep a full DOB on the entry and no document,
#: so the name must do the work; the others vary what the entry knows.
FAMILIES = (
    "exact",              # same passport spelling, entry with full DOB, no document
    "typo",               # one or two edits in the name
    "romanization",       # another Latin spelling (Wade-Giles, diacritics, French-based, RTGS variants)
    "name_order",         # surname and given names swapped
    "entry_no_dob",       # entry has the name, sex and nationality only
    "entry_no_dob_doc",   # entry has no DOB but the passport the traveller carries
    "entry_year_only",    # entry has only the birth year, no document
    "renewed_passport",   # entry has full DOB and an old passport; the traveller carries a new one
    "document_only",      # the listed passport, carried by somebody else (lost/stolen)
)
PLANTED_SHARE = 0.015


@dataclass(frozen=True)
class Truth:
    """One generated person as they really are."""

    nat: str
    sex: str
    surname: Name | None
    given: tuple[Name, ...]  # CHN: syllables; VNM: (middle, given); MMR: name parts
    dob: str
    passport: str


def _pick(rng: random.Random, shares: tuple[tuple[str, float], ...]) -> str:
    r = rng.random()
    for value, share in shares:
        r -= share
        if r < 0:
            return value
    return shares[-1][0]


def _dob(rng: random.Random) -> str:
    day = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange((dt.date(2008, 12, 31) - dt.date(1955, 1, 1)).days))
    return day.isoformat()


def person(rng: random.Random, nat: str | None = None) -> Truth:
    t = tables()
    nat = nat or _pick(rng, NATIONALITY_MIX)
    sex = rng.choice("MF")
    surname: Name | None
    if nat == "CHN":
        surname = t["CHN.surname"].draw(rng)
        n = 1 if rng.random() < 0.063 else 2
        given: tuple[Name, ...] = tuple(t["CHN.syllable"].draw(rng) for _ in range(n))
    elif nat == "VNM":
        surname = t["VNM.surname"].draw(rng)
        usual = ("Thị", 0.70) if sex == "F" else ("Văn", 0.40)
        middle = Name(usual[0], ((usual[0] == "Thị" and "Thi") or "Van",)) if rng.random() < usual[1] \
            else t[f"VNM.middle.{sex}"].draw(rng)
        given = (middle, t[f"VNM.given.{sex}"].draw(rng))
    elif nat == "MMR":
        surname = None
        given = tuple(t[f"MMR.part.{sex}"].draw(rng) for _ in range(rng.choice((2, 2, 3))))
    elif nat == "THA":
        surname = t["THA.surname"].draw(rng)
        given = (t[f"THA.given.{sex}"].draw(rng),)
    else:  # LAO, KHM
        surname = (compose(rng, f"{nat}.surname") if f"{nat}.surname" in COMPOSED else None) \
            or t[f"{nat}.surname"].draw(rng)
        given = (compose(rng, f"{nat}.given") or t[f"{nat}.given.{sex}"].draw(rng),)
    return Truth(nat, sex, surname, given, _dob(rng), passport_number(rng, nat))


def name_fields(p: Truth, variant: int = 0, native_vi: bool = False, in_script: bool = False) -> tuple[str | None, str]:
    """(surname, given names) as written in a passport, or in another usual spelling (`variant` 1); a Thai,
    Lao, Khmer or Burmese name in its own script with `in_script` (Burmese names written without spaces, as
    at home), where every part has one (names composed of Latin syllables stay Latin)."""
    if in_script and p.nat in SCRIPTS and all(not n.native.isascii() for n in (*p.given, *filter(None, [p.surname]))):
        given = ("" if p.nat == "MMR" else " ").join(g.native for g in p.given)
        return (p.surname.native if p.surname else None), given
    if p.nat == "CHN":
        sur = latin(p.surname, variant) if p.surname else None
        sylls = [latin(g, variant).lower() for g in p.given]
        given = " ".join(s.capitalize() for s in sylls) if variant else "".join(sylls).capitalize()
        return sur, given
    if p.nat == "VNM" and native_vi:
        return (p.surname.native if p.surname else None), " ".join(g.native for g in p.given)
    sur = _variant_latin(p.surname, variant) if p.surname else None
    return sur, " ".join(_variant_latin(g, variant) for g in p.given)


def _variant_latin(n: Name, variant: int) -> str:
    text = latin(n, variant)
    if variant and (len(n.latin) <= 1):  # no second spelling recorded: the usual vowel/consonant swaps
        text = _spelling_swap(text)
    return text


_SWAPS = (("ph", "p"), ("th", "t"), ("ou", "u"), ("ee", "i"), ("oo", "u"), ("kh", "k"), ("ch", "j"),
          ("w", "v"), ("y", "i"), ("u", "ou"), ("i", "ee"), ("o", "oh"))


def _spelling_swap(text: str) -> str:
    """One usual passport-spelling difference (aspirate h dropped, ou/u, w/v, i/ee...)."""
    low = text.lower()
    for a, b in _SWAPS:
        if a in low[1:]:
            i = low.index(a, 1)
            return text[:i] + b + text[i + len(a):]
    return text + "h"


def _document(number: str, nat: str) -> dict[str, Any]:
    return {"type": "P", "number": number, "issuing_country": nat}


def entry_dict(k: int, p: Truth, rng: random.Random, family: str | None = None,
               in_script: InScript = (0.0, frozenset())) -> dict[str, Any]:
    """The watchlist entry of person `p`, with the gaps real lists have (forced for planted families);
    `in_script` = (share, nationalities): that share of those nationalities' entries written in their own
    script (`name_fields`; drawn on its own random stream, so the entries are otherwise the same)."""
    dob_kind = _pick(rng, DOB_KINDS)
    has_doc = rng.random() < DOCUMENT_SHARE
    if family in ("exact", "typo", "romanization", "name_order"):
        dob_kind, has_doc = "full", False
    elif family == "entry_no_dob":
        dob_kind, has_doc = "none", False
    elif family == "entry_no_dob_doc":
        dob_kind, has_doc = "none", True
    elif family == "entry_year_only":
        dob_kind, has_doc = "year", False
    elif family == "renewed_passport":
        dob_kind, has_doc = "full", True
    elif family == "document_only":
        has_doc = True
    native_vi = rng.random() < NATIVE_VI_SHARE or family == "romanization"
    share, nats = in_script
    scripted = p.nat in nats and share > 0.0 and random.Random(f"own-script:{k}").random() < share
    sur, given = name_fields(p, native_vi=p.nat == "VNM" and native_vi, in_script=scripted)
    out: dict[str, Any] = {"given_names": given, "nationality": p.nat}
    if sur:
        out["surname"] = sur
    if family is not None or rng.random() < SEX_SHARE:
        out["sex"] = p.sex
    year = int(p.dob[:4])
    if dob_kind == "full":
        out["date_of_birth"] = p.dob
    elif dob_kind == "year":
        out["date_of_birth"] = str(year)
    elif dob_kind == "range":
        out["birth_year_range"] = [year - 3, year + 3]
    if has_doc:
        out["documents"] = [_document(p.passport, p.nat)]
    lst = _pick(rng, LISTS)
    return {"entry_id": f"POP-{k:07d}", "list": lst, "person": out, "source_country": p.nat,
            "source_agency": AGENCY[p.nat], "case_ref": f"{p.nat}-{k}", "priority": "medium"}


def planted_families(n_entries: int, n_travellers: int, seed: int = SEED) -> dict[int, str]:
    """Which entries get a planted traveller, and through which corruption family."""
    rng = random.Random(f"planted:{seed}")
    n = min(n_entries, round(n_travellers * PLANTED_SHARE))
    picked = rng.sample(range(n_entries), n)
    return {k: FAMILIES[i % len(FAMILIES)] for i, k in enumerate(picked)}


def entries(n: int, planted: dict[int, str], seed: int = SEED,
            in_script: InScript = (0.0, frozenset())) -> Iterator[tuple[dict[str, Any], Truth | None]]:
    """`n` entry dicts; the true person comes along for planted entries only (`in_script`: `entry_dict`)."""
    rng = random.Random(f"entries:{seed}")
    for k in range(n):
        p = person(rng)
        family = planted.get(k)
        yield entry_dict(k, p, rng, family, in_script), (p if family else None)


def traveller_person(p: Truth, surname: str | None, given: str, passport: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"given_names": given, "sex": p.sex, "nationality": p.nat, "date_of_birth": p.dob,
                           "documents": [_document(passport or p.passport, p.nat)]}
    if surname:
        out["surname"] = surname
    return out


def corrupt(rng: random.Random, p: Truth, family: str) -> dict[str, Any]:
    """The traveller a listed person `p` shows up as, through `family`."""
    sur, given = name_fields(p)
    if family == "typo":
        if sur and rng.random() < 0.5 and len(sur) >= 4:
            sur = typo(rng, sur, 1)
        else:
            given = typo(rng, given, rng.choice((1, 1, 2)))
        return traveller_person(p, sur, given)
    if family == "romanization":
        if p.nat == "VNM":  # the passport drops the diacritics the list keeps (entry_dict)
            return traveller_person(p, sur, given)
        sur, given = name_fields(p, variant=1)
        return traveller_person(p, sur, given)
    if family == "name_order":
        if sur is None:  # Burmese: no surname, the parts come in another order
            parts = given.split()
            return traveller_person(p, None, " ".join(parts[1:] + parts[:1]))
        return traveller_person(p, given, sur)
    if family == "renewed_passport":
        return traveller_person(p, sur, given, passport=passport_number(rng, p.nat))
    if family == "document_only":
        holder = person(rng, p.nat)
        hsur, hgiven = name_fields(holder)
        return traveller_person(holder, hsur, hgiven, passport=p.passport)
    return traveller_person(p, sur, given)


#: Planted after the ordinary crossings, from entries the generator made anyway (so the crossings above
#: and their figures stay as they were): a listed person whose entry has no date of birth and an old
#: passport, travelling on a renewed one (same type and country, another number).
EXTRA_FAMILY = "renewed_passport_no_dob"


def renewed_no_dob_traveller(rng: random.Random, listed: dict[str, Any]) -> dict[str, Any]:
    """The listed person of an entry without a date of birth, on a renewed passport: the name as the
    passport prints it (diacritics dropped), a date of birth of his own, another number."""
    nat = listed["nationality"]
    old = listed["documents"][0]["number"]
    number = passport_number(rng, nat)
    while number == old:
        number = passport_number(rng, nat)
    out: dict[str, Any] = {"given_names": ascii_fold(listed["given_names"]),
                           "sex": listed.get("sex") or rng.choice("MF"), "nationality": nat,
                           "date_of_birth": _dob(rng), "documents": [_document(number, nat)]}
    if listed.get("surname"):
        out["surname"] = ascii_fold(listed["surname"])
    return out


def crossing(i: int, rng: random.Random, traveler: dict[str, Any]) -> dict[str, Any]:
    country = rng.choice([c for c in MEKONG if c != traveler.get("nationality")])
    return {"event_id": f"POPX-{i:07d}", "event_type": "border_crossing", "occurred_at": NOW.isoformat(),
            "checkpoint_id": f"CP-{country}-{rng.randint(1, 12):02d}", "checkpoint_country": country,
            "direction": rng.choice(("entry", "exit")), "traveler": traveler}


def travellers(n: int, planted: dict[int, Truth], families: dict[int, str], seed: int = SEED,
               listed: Callable[[str], bool] = lambda number: False,
               ) -> Iterator[tuple[dict[str, Any], str | None, str | None]]:
    """`n` crossings: (event dict, expected entry_id or None, family or None). Planted crossings are
    spread evenly among ordinary ones. An ordinary traveller never carries a number `listed` says is
    on the watchlist: random numbers in the short formats (MMR: 5 million) would otherwise collide,
    and a listed passport in somebody else's hands is the planted `document_only` case."""
    rng = random.Random(f"travellers:{seed}")
    plants = sorted(planted)
    random.Random(f"order:{seed}").shuffle(plants)
    every = max(1, n // max(1, len(plants))) if plants else 0
    for i in range(n):
        slot = i // every if every and i % every == every // 2 else None
        if slot is not None and slot < len(plants):
            k = plants[slot]
            family = families[k]
            yield crossing(i, rng, corrupt(rng, planted[k], family)), f"POP-{k:07d}", family
        else:
            p = person(rng)
            while listed(p.passport):
                p = dataclasses.replace(p, passport=passport_number(rng, p.nat))
            yield crossing(i, rng, traveller_person(p, *name_fields(p))), None, None
