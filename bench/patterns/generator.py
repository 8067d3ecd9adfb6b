"""Normal border travel with planted trafficking patterns, generated (by us; no real traveller data).

    .venv/bin/python -m bench.patterns.generator --seed 1 --days 45 --out /tmp/patterns-1.jsonl

Checkpoint pairs on real Mekong crossings (names only); every border passage is reported by both
sides (an exit, then an entry at the neighbour's checkpoint a few minutes later). Normal travel:
families with children (shared and different family names: Burmese names have none, Chinese and
Vietnamese mothers keep their own, mixed-nationality couples), a parent with some of the children,
grandparents with grandchildren, school classes and tour groups, daily cross-border workers alone or
with the same co-workers, market children crossing on their own at market towns, couples and singles.
Some parties carry a travel_group_id, the others just pass one after another.

Planted: repeat escort of minors, escort of young adults, unaccompanied minors at ordinary
checkpoints, shuttle trips. The truth file lists (pattern, document number of the traveller the alert
should be about).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.patterns.names import BURMESE_PARTS, GIVEN, NATIONALITIES, SURNAME_FIRST, SURNAMES, VN_MIDDLE

TZ = dt.timezone(dt.timedelta(hours=7))
START = dt.datetime(2026, 9, 1, tzinfo=TZ)


@dataclass(frozen=True)
class Pair:
    """A border crossing point: a checkpoint on each side."""

    a: str
    a_country: str
    b: str
    b_country: str
    market: bool
    weight: float


PAIRS = [
    Pair("THA-MAESAI", "THA", "MMR-TACHILEIK", "MMR", True, 3.0),
    Pair("THA-MAESOT", "THA", "MMR-MYAWADDY", "MMR", False, 2.0),
    Pair("THA-CHIANGKHONG", "THA", "LAO-HUAYXAI", "LAO", False, 1.0),
    Pair("THA-NONGKHAI", "THA", "LAO-FRIENDSHIP", "LAO", False, 2.0),
    Pair("THA-ARANYAPRATHET", "THA", "KHM-POIPET", "KHM", True, 2.5),
    Pair("VNM-LAOCAI", "VNM", "CHN-HEKOU", "CHN", False, 2.0),
    Pair("LAO-BOTEN", "LAO", "CHN-MOHAN", "CHN", False, 1.0),
    Pair("KHM-BAVET", "KHM", "VNM-MOCBAI", "VNM", False, 1.5),
]


@dataclass
class Traveller:
    nationality: str
    sex: str
    dob: dt.date
    given: str
    surname: str | None
    doc: str | None
    dob_precision: int  # 3 = YYYY-MM-DD, 2 = YYYY-MM, 1 = YYYY
    one_field: bool  # the checkpoint records the name in full_name only

    def record(self) -> dict[str, Any]:
        dob = self.dob.isoformat()[: {3: 10, 2: 7, 1: 4}[self.dob_precision]]
        out: dict[str, Any] = {"date_of_birth": dob, "sex": self.sex, "nationality": self.nationality}
        if self.surname is None:
            out["full_name"] = self.given
        elif self.one_field:
            parts = [self.surname, self.given] if self.nationality in SURNAME_FIRST else [self.given, self.surname]
            out["full_name"] = " ".join(parts)
        else:
            out["given_names"], out["surname"] = self.given, self.surname
        if self.doc:
            out["documents"] = [{"type": "P", "number": self.doc, "issuing_country": self.nationality}]
        return out


@dataclass
class World:
    rng: random.Random
    days: int
    one_sided: bool = False  # only the first checkpoint of each pair (Pair.a) reports its crossings
    # Seconds between one member of a party and the next at a booth (a held-out check widens it: a party
    # whose documents are checked one by one may pass minutes apart).
    party_gap_s: tuple[float, float] = (5.0, 45.0)
    events: list[dict[str, Any]] = field(default_factory=list)
    truth: list[tuple[str, str]] = field(default_factory=list)
    planted_events: set[str] = field(default_factory=set)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _docs: set[str] = field(default_factory=set)

    # People ---------------------------------------------------------------------------------
    def doc_number(self, nationality: str) -> str:
        while True:
            number = f"{nationality[0]}{self.rng.choice('ABCDEFGHJK')}{self.rng.randrange(10**6, 10**7)}"
            if number not in self._docs:
                self._docs.add(number)
                return number

    def person(self, nationality: str, sex: str, age: float, surname: str | None = None,
               documented: float = 0.85) -> Traveller:
        rng = self.rng
        dob = (START - dt.timedelta(days=age * 365.25 + rng.uniform(0, 364))).date()
        if nationality == "MMR":
            honorific = ("U" if sex == "M" else "Daw") if age >= 30 else ("Mg" if sex == "M" else "Ma")
            parts = rng.sample(BURMESE_PARTS, rng.choice((2, 2, 3)))
            given, family = " ".join([honorific, *parts]) if rng.random() < 0.5 else " ".join(parts), None
        else:
            given = rng.choice(GIVEN[nationality][sex])
            if nationality == "VNM":
                given = f"{VN_MIDDLE[sex]} {given}"
            family = surname if surname is not None else rng.choice(SURNAMES[nationality])
        return Traveller(nationality, sex, dob, given, family,
                         self.doc_number(nationality) if rng.random() < documented else None,
                         rng.choices((3, 2, 1), (0.7, 0.2, 0.1))[0], rng.random() < 0.3)

    # Crossings ------------------------------------------------------------------------------
    def crossing(self, who: Traveller, at: dt.datetime, checkpoint: str, country: str, direction: str,
                 group: str | None, planted: bool) -> None:
        event_id = f"e{next(self._ids):08d}"
        if planted:
            self.planted_events.add(event_id)
        self.events.append({
            "event_id": event_id, "event_type": "border_crossing", "occurred_at": at.isoformat(),
            "checkpoint_id": checkpoint, "checkpoint_country": country, "direction": direction,
            "traveler": who.record(), "travel_group_id": group,
        })

    def journey(self, party: list[Traveller], pair: Pair, outbound: bool, at: dt.datetime, *,
                grouped: float = 0.6, planted: bool = False) -> dt.datetime:
        """The party passes the border: exit on one side, entry on the other. Returns the arrival time."""
        rng = self.rng
        src, src_c, dst, dst_c = ((pair.a, pair.a_country, pair.b, pair.b_country) if outbound
                                  else (pair.b, pair.b_country, pair.a, pair.a_country))
        order = party[:]
        rng.shuffle(order)
        arrival = at + dt.timedelta(minutes=rng.uniform(8, 40))
        for checkpoint, country, direction, start in ((src, src_c, "exit", at), (dst, dst_c, "entry", arrival)):
            if self.one_sided and checkpoint != pair.a:
                continue
            group = f"G{next(self._ids)}" if len(order) > 1 and rng.random() < grouped else None
            t = start
            for who in order:
                self.crossing(who, t, checkpoint, country, direction, group, planted)
                t += dt.timedelta(seconds=rng.uniform(*self.party_gap_s))
        return arrival

    def day_time(self, day: float, earliest: float = 6.0, latest: float = 19.0) -> dt.datetime:
        hour = self.rng.uniform(earliest, latest)
        return START + dt.timedelta(days=int(day), hours=hour)


# Normal travel ---------------------------------------------------------------------------------
def _pair(w: World) -> Pair:
    return w.rng.choices(PAIRS, [p.weight for p in PAIRS])[0]


def _home(w: World) -> tuple[Pair, bool, str]:
    """A crossing point, whether its first side is home, and the home nationality."""
    pair = _pair(w)
    home_is_a = w.rng.random() < 0.5
    return pair, home_is_a, pair.a_country if home_is_a else pair.b_country


def _round_trip(w: World, out_party: list[Traveller], back_party: list[Traveller], pair: Pair, home_is_a: bool,
                day: float, stay_days: float, grouped: float = 0.6) -> None:
    w.journey(out_party, pair, home_is_a, w.day_time(day), grouped=grouped)
    back_day = day + stay_days
    if back_day < w.days:
        w.journey(back_party, pair, not home_is_a, w.day_time(back_day), grouped=grouped)


def families(w: World, count: int) -> None:
    rng = w.rng
    for _ in range(count):
        pair, home_is_a, nat = _home(w)
        other = pair.b_country if home_is_a else pair.a_country
        father_age = rng.uniform(25, 55)
        father = w.person(nat, "M", father_age)
        mother_nat = other if rng.random() < 0.2 else nat
        # Thai and Lao wives often take the husband's name; Chinese, Vietnamese, Khmer keep their own.
        takes_name = mother_nat in ("THA", "LAO") and mother_nat == nat and rng.random() < 0.7
        mother = w.person(mother_nat, "F", max(18.0, father_age + rng.uniform(-8, 3)),
                          father.surname if takes_name else None)
        kids_nat = nat if rng.random() < 0.85 else mother_nat
        # Siblings share a family name (the father's, or one of the kids' nationality); Burmese names have none.
        kids_surname = father.surname if kids_nat == nat else (
            None if kids_nat == "MMR" else (mother.surname or rng.choice(SURNAMES[kids_nat])))
        kids = [w.person(kids_nat, rng.choice("MF"), rng.uniform(0, min(17.5, father_age - 18)), kids_surname)
                for _ in range(rng.choice((1, 1, 2, 2, 3, 4)))]
        grand = None
        if rng.random() < 0.3:
            side = rng.random() < 0.5
            grand = w.person(nat if side else mother_nat, rng.choice("MF"), father_age + rng.uniform(22, 32),
                             father.surname if side else (None if mother_nat in SURNAME_FIRST or mother_nat == "MMR"
                                                          else mother.surname))
        trips = rng.choice((0, 1, 1, 2, 2, 3, 4, 6))
        for _ in range(trips):
            day = rng.uniform(0, w.days)
            roll = rng.random()
            if roll < 0.4:
                party = [father, mother, *kids]
            elif roll < 0.65:
                parent = rng.choice((father, mother))
                party = [parent, *rng.sample(kids, rng.randint(1, len(kids)))]
            elif roll < 0.75 and grand is not None:
                party = [grand, *rng.sample(kids, rng.randint(1, len(kids)))]
            else:
                party = rng.sample([father, mother], rng.randint(1, 2))
            _round_trip(w, party, party, pair, home_is_a, day, rng.uniform(0.2, 7))


def schools(w: World, count: int) -> None:
    rng = w.rng
    for _ in range(count):
        pair, home_is_a, nat = _home(w)
        teachers = [w.person(nat, rng.choice("MF"), rng.uniform(25, 60)) for _ in range(rng.randint(1, 3))]
        pupils = [w.person(nat, rng.choice("MF"), rng.uniform(9, 17.5)) for _ in range(rng.randint(10, 30))]
        _round_trip(w, teachers + pupils, teachers + pupils, pair, home_is_a, rng.uniform(0, w.days),
                    rng.uniform(0.3, 3), grouped=0.95)


def tours(w: World, guides: int) -> None:
    rng = w.rng
    for _ in range(guides):
        pair, home_is_a, nat = _home(w)
        guide = w.person(nat, rng.choice("MF"), rng.uniform(24, 55), documented=1.0)
        day = rng.uniform(0, 6)
        while day < w.days:
            tourists = [w.person(rng.choice(NATIONALITIES), rng.choice("MF"), rng.uniform(15, 70))
                        for _ in range(rng.randint(9, 30))]
            _round_trip(w, [guide, *tourists], [guide, *tourists], pair, home_is_a, day, rng.uniform(1, 4),
                        grouped=0.9)
            day += rng.uniform(5, 9)


def commuters(w: World, count: int) -> None:
    """Cross-border workers: out in the morning, back in the evening, most days; alone or with the same
    co-workers."""
    rng = w.rng
    made = 0
    while made < count:
        pair, home_is_a, nat = _home(w)
        crew = [w.person(nat, rng.choice("MF"), rng.uniform(18, 60)) for _ in range(rng.choice((1, 1, 1, 2, 3, 4)))]
        made += len(crew)
        grouped = 0.5 if len(crew) > 1 else 0.0
        for day in range(w.days):
            if rng.random() < 0.75:
                out = START + dt.timedelta(days=day, hours=rng.uniform(6, 8.5))
                back = START + dt.timedelta(days=day, hours=rng.uniform(16, 19))
                party = crew if len(crew) == 1 or rng.random() < 0.8 else [rng.choice(crew)]
                w.journey(party, pair, home_is_a, out, grouped=grouped)
                w.journey(party, pair, not home_is_a, back, grouped=grouped)


def markets(w: World, children: int, vendors: int) -> None:
    """At market towns children cross on their own most days, and vendors bring their own children."""
    rng = w.rng
    market_pairs = [p for p in PAIRS if p.market]
    for _ in range(children):
        pair = rng.choice(market_pairs)
        kid = w.person(pair.b_country, rng.choice("MF"), rng.uniform(7, 16), documented=0.6)
        for day in range(w.days):
            if rng.random() < 0.6:
                t = START + dt.timedelta(days=day, hours=rng.uniform(6, 9))
                w.journey([kid], pair, False, t)
                w.journey([kid], pair, True, t + dt.timedelta(hours=rng.uniform(4, 9)))
    for _ in range(vendors):
        pair = rng.choice(market_pairs)
        vendor = w.person(pair.b_country, rng.choice("MF"), rng.uniform(25, 60))
        own = [w.person(pair.b_country, rng.choice("MF"), rng.uniform(5, 16), vendor.surname)
               for _ in range(rng.randint(1, 2))]
        for day in range(w.days):
            if rng.random() < 0.5:
                t = START + dt.timedelta(days=day, hours=rng.uniform(5.5, 8))
                party = [vendor, *rng.sample(own, rng.randint(0, len(own)))]
                w.journey(party, pair, False, t)
                w.journey(party, pair, True, t + dt.timedelta(hours=rng.uniform(5, 10)))


def couples_and_singles(w: World, count: int) -> None:
    rng = w.rng
    for _ in range(count):
        pair, home_is_a, nat = _home(w)
        first = w.person(nat, rng.choice("MF"), rng.uniform(18, 75))
        party = [first]
        if rng.random() < 0.4:
            party.append(w.person(nat if rng.random() < 0.85 else rng.choice(NATIONALITIES),
                                  "F" if first.sex == "M" else "M", rng.uniform(18, 75)))
        for _ in range(rng.choice((1, 1, 2, 3))):
            _round_trip(w, party, party, pair, home_is_a, rng.uniform(0, w.days), rng.uniform(0.1, 10))


# Planted patterns ----------------------------------------------------------------------------
def _other_nationality(w: World, nat: str) -> str:
    return w.rng.choice([n for n in NATIONALITIES if n != nat])


def _planted_adult(w: World, pattern: str | None, ages: tuple[float, float]) -> tuple[Pair, bool, str, Traveller]:
    """A crossing point, which side is home, the home nationality and the documented adult who
    carries a planted pattern (recorded as its truth unless `pattern` is None)."""
    rng = w.rng
    pair, home_is_a, nat = _home(w)
    adult = w.person(nat, rng.choice("MF"), rng.uniform(*ages), documented=1.0)
    if pattern is not None:
        w.truth.append((pattern, adult.doc or ""))
    return pair, home_is_a, nat, adult


def plant_minor_escorts(w: World, count: int) -> None:
    rng = w.rng
    for _ in range(count):
        pair, home_is_a, nat, escort = _planted_adult(w, "repeat_escort_of_minors", (22, 60))
        day = rng.uniform(0, w.days - 30)
        for _ in range(rng.choice((2, 2, 3))):
            kids_nat = _other_nationality(w, nat)
            kids = [w.person(kids_nat, rng.choice("MF"), rng.uniform(5, 16.5)) for _ in range(rng.choice((1, 1, 2)))]
            arrival = w.journey([escort, *kids], pair, home_is_a, w.day_time(day), planted=True)
            w.journey([escort], pair, not home_is_a, arrival + dt.timedelta(hours=rng.uniform(2, 60)), planted=True)
            day += rng.uniform(3, 12)


def plant_young_adult_escorts(w: World, count: int) -> None:
    rng = w.rng
    for _ in range(count):
        pair, home_is_a, nat, escort = _planted_adult(w, "escort_of_young_adults", (28, 55))
        sex = "F" if rng.random() < 0.8 else "M"
        trips = rng.choice((2, 2, 3))
        sizes = [rng.randint(1, 3) for _ in range(trips)]
        while sum(sizes) < 3:
            sizes[rng.randrange(trips)] += 1
        day = rng.uniform(0, w.days - 14)
        for size in sizes:
            recruits = [w.person(nat if rng.random() < 0.6 else _other_nationality(w, nat), sex,
                                 rng.uniform(16, 24.5)) for _ in range(size)]
            arrival = w.journey([escort, *recruits], pair, home_is_a, w.day_time(day), planted=True)
            w.journey([escort], pair, not home_is_a, arrival + dt.timedelta(hours=rng.uniform(2, 48)), planted=True)
            day += rng.uniform(1, 6)


def plant_unaccompanied(w: World, count: int) -> None:
    rng = w.rng
    ordinary = [p for p in PAIRS if not p.market]
    for _ in range(count):
        pair = rng.choice(ordinary)
        outbound = rng.random() < 0.5
        kid = w.person(pair.b_country if outbound else pair.a_country, rng.choice("MF"), rng.uniform(6, 16.5),
                       documented=1.0)
        w.truth.append(("unaccompanied_minor", kid.doc or ""))
        w.journey([kid], pair, outbound, w.day_time(rng.uniform(7, w.days)), planted=True)


def plant_shuttles(w: World, count: int) -> None:
    rng = w.rng
    for _ in range(count):
        # Leaving and re-entering the home country must be reported for the shuttle to be observable.
        reported = "shuttle_trips" if not w.one_sided else None
        pair, home_is_a, nat, driver = _planted_adult(w, reported, (22, 60))
        if reported is None and home_is_a:
            w.truth.append(("shuttle_trips", driver.doc or ""))
        day = rng.uniform(0, w.days - 30)
        for _ in range(rng.choice((3, 3, 4))):
            others = [w.person(rng.choice((nat, _other_nationality(w, nat))), rng.choice("MF"), rng.uniform(18, 45))
                      for _ in range(rng.randint(1, 3))]
            arrival = w.journey([driver, *others], pair, home_is_a, w.day_time(day), planted=True)
            w.journey([driver], pair, not home_is_a, arrival + dt.timedelta(hours=rng.uniform(3, 44)), planted=True)
            day += rng.uniform(2.5, 9)


def generate(seed: int, days: int = 45, scale: float = 1.0, planted: int = 30, one_sided: bool = False,
             party_gap_s: tuple[float, float] = (5.0, 45.0)) -> World:
    """`one_sided`: only one country of each crossing point reports (its exits and entries)."""
    w = World(random.Random(seed), days, one_sided, party_gap_s=party_gap_s)
    n = lambda base: max(1, round(base * scale))  # noqa: E731
    families(w, n(2500))
    schools(w, n(25))
    tours(w, n(12))
    commuters(w, n(350))
    markets(w, n(60), n(40))
    couples_and_singles(w, n(3000))
    plant_minor_escorts(w, planted)
    plant_young_adult_escorts(w, planted)
    plant_unaccompanied(w, planted)
    plant_shuttles(w, planted)
    w.events.sort(key=lambda e: (e["occurred_at"], e["event_id"]))
    return w


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=45)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--one-sided", action="store_true", help="only one side of each crossing point reports")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    w = generate(args.seed, args.days, args.scale, one_sided=args.one_sided)
    with args.out.open("w", encoding="utf-8") as handle:
        for event in w.events:
            handle.write(json.dumps(event, ensure_ascii=False) + "\n")
    args.out.with_suffix(".truth.json").write_text(json.dumps(sorted(w.truth)), encoding="utf-8")
    print(f"{len(w.events)} crossings ({len(w.planted_events)} planted) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
