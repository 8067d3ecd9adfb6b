"""Synthetic checkpoint traffic for the six Mekong countries, with a known share of planted hits.

Pure generation (seeded): `traffic()` yields (event dict, planted entry_id or None); the CLI sends.
Background travellers get random passport-style names, birth dates and document numbers; a planted
hit reuses a watchlist person as a traveller would present: passport spelling, their DOB, their
document when the entry has one.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from schemas import WatchlistEntry
from schemas.watchlist import MEKONG_COUNTRIES

#: Passport-style romanized name parts per nationality (common, for background traffic).
NAME_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "CHN": (("WEI", "FANG", "JUN", "LI NA", "HAO", "YAN", "MING", "XIAO", "QIANG", "JING", "TAO", "LEI"),
            ("WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG", "HUANG", "ZHAO", "WU", "ZHOU", "XU", "SUN")),
    "VNM": (("VAN AN", "THI LAN", "MINH", "THI HOA", "VAN NAM", "DUC", "THI MAI", "QUANG", "HUNG", "THU"),
            ("NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "PHAN", "VU", "DANG", "BUI", "DO", "HO", "NGO")),
    "THA": (("SOMCHAI", "SOMSAK", "MALEE", "SUDA", "PRASERT", "ANONG", "WIRAT", "KANYA", "NIRAN", "PORNTIP"),
            ("SAETANG", "WONGSA", "CHAIYAPORN", "SRISUK", "BOONMA", "KAEWSAI", "THONGDEE", "RATANA")),
    "LAO": (("SOUKSAVANH", "KHAMPHOUI", "VANH", "NOY", "BOUNMY", "PHONE", "MANIVONE", "SENGPHET"),
            ("PHOMMACHANH", "VONGSAVATH", "KEOMANY", "SIHARATH", "INTHAVONG", "DOUANGMALA")),
    "KHM": (("SOK", "DARA", "SREY MOM", "VANNAK", "SOPHEAP", "CHANTHA", "BORA", "RATHA"),
            ("CHAN", "KIM", "HENG", "SOK", "LIM", "PICH", "MEAS", "SENG", "OUK")),
    "MMR": (("AUNG", "KYAW", "MYA", "THIDA", "ZAW", "HLAING", "SU", "NAING", "KHIN", "TUN"),
            ("WIN", "OO", "HTET", "MIN", "THANT", "LWIN", "SOE", "MYINT", "AYE", "MAW")),
}


def _document(rng: random.Random, country: str) -> dict[str, Any]:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    number = rng.choice(letters) + "".join(rng.choice("0123456789") for _ in range(8))
    expiry = dt.date(2027 + rng.randrange(8), 1 + rng.randrange(12), 1 + rng.randrange(28))
    return {"type": "P", "number": number, "issuing_country": country, "expiry_date": expiry.isoformat()}


def background_person(rng: random.Random) -> dict[str, Any]:
    nationality = rng.choice(MEKONG_COUNTRIES)
    given, surnames = NAME_PARTS[nationality]
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 58))
    return {
        "given_names": rng.choice(given), "surname": rng.choice(surnames),
        "date_of_birth": birth.isoformat(), "sex": rng.choice("FM"), "nationality": nationality,
        "documents": [_document(rng, nationality)],
    }


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 6:
        return name
    i = rng.randrange(1, len(name) - 2)
    if name[i] == " " or name[i + 1] == " ":
        return name
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]  # transposition, the commonest keying slip


def _presented_name(rng: random.Random, name: str) -> str:
    """How a name on file may look at a counter: as is, upper-case, order swapped, or with a typo."""
    parts = name.split()
    variant = rng.choice(("as_is", "upper", "swap", "typo"))
    if variant == "upper":
        return name.upper()
    if variant == "swap" and len(parts) > 1:
        return " ".join(parts[-1:] + parts[:-1])
    if variant == "typo":
        return _typo(rng, name)
    return name


def planted_person(rng: random.Random, entry: WatchlistEntry) -> dict[str, Any]:
    """The watchlisted person as they would present at a counter: a passport spelling of their name
    (with the usual variation), their date of birth and, when the entry has one, their document."""
    person = entry.person
    doc = person.model_dump(mode="json", exclude_none=True)
    latin = [n for n in person.names() if n.isascii()]
    if latin:
        doc["full_name"] = _presented_name(rng, rng.choice(latin))
        doc.pop("aliases", None)
        if not (person.given_names or "").isascii() or not (person.surname or "").isascii():
            doc.pop("given_names", None)
            doc.pop("surname", None)
    if not doc.get("documents"):
        doc["documents"] = [_document(rng, person.nationality or rng.choice(MEKONG_COUNTRIES))]
    doc.pop("birth_year_range", None)
    return doc


def traffic(entries: Sequence[WatchlistEntry], *, hit_share: float, seed: int,
            start: dt.datetime | None = None) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Endless crossing events; yields (event, entry_id of the planted hit or None)."""
    rng = random.Random(seed)
    clock = start or dt.datetime.now(dt.UTC)
    hittable = list(entries)
    while True:
        planted: WatchlistEntry | None = None
        if hittable and rng.random() < hit_share:
            planted = rng.choice(hittable)
        country = rng.choice(MEKONG_COUNTRIES)
        event = {
            "event_id": str(uuid.UUID(int=rng.getrandbits(128))),
            "event_type": "border_crossing",
            "occurred_at": (start and clock.isoformat()) or dt.datetime.now(dt.UTC).isoformat(),
            "checkpoint_id": f"{country}-CP{rng.randrange(1, 13):02d}",
            "checkpoint_country": country,
            "direction": rng.choice(("entry", "exit")),
            "traveler": planted_person(rng, planted) if planted else background_person(rng),
        }
        clock += dt.timedelta(milliseconds=10)
        yield event, planted.entry_id if planted else None
