"""Reproducible generator of the labelled BorderWatch evaluation set, and of large synthetic data.

Usage::

    python -m bench.evalset.generate evalset [--seed 20260601] [--out-dir tests/data]
    python -m bench.evalset.generate big [--entries 1000000] [--events 100000] --out-dir /tmp/bw

``evalset`` writes ``evalset_dev.jsonl`` and ``evalset_holdout.jsonl``. Each is JSON lines:

* line 1: ``{"kind": "meta", ...}`` (seed, split, generator version, families, counts),
* ``{"kind": "entry", "entry": <WatchlistEntry>}`` for every watchlist entry,
* ``{"kind": "query", "query_id", "family", "variant", "lang", "expected", "expected_list",
  "event": <BorderCrossing | DocumentCheck>}`` for every query; ``expected`` is the entry_id the
  matcher should alert on, or null when it should alert on nothing.

Cross-script pairs come from the hand-written tables in ``bench/evalset/names.py``; nothing here calls
pypinyin, pythainlp, ICU or anyascii (that would be circular: the matcher romanizes with them).

The dev and holdout sets use disjoint halves of every name table (the Vietnamese middle names and
the Burmese honorifics, being few and closed classes, are shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson

from bench.evalset import names as N
from schemas.watchlist import MEKONG_COUNTRIES as MEKONG

GENERATOR_VERSION = "1"
DEFAULT_SEED = 20260601
SPLIT_SEED = 7  # fixed: the dev/holdout split of the name tables never changes with --seed
AT = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
LANGS = ("zh", "vi", "th", "lo", "km", "my")

FAMILIES = (
    "exact",
    "typo",
    "transliteration",
    "romanization_variant",
    "name_order",
    "missing_given",
    "mrz_name",
    "partial_date",
    "dob_fuzz",
    "ocr_docnum",
    "document_only",
    "same_name_diff_person",
    "relatives",
    "unknown_dob_other_nationality",
)

AGENCY = {
    "CHN": "Ministry of Public Security",
    "VNM": "Ministry of Public Security",
    "THA": "Royal Thai Police",
    "LAO": "Ministry of Public Security",
    "KHM": "Cambodian National Police",
    "MMR": "Myanmar Police Force",
}
CHECKPOINTS = {
    "CHN": ["CHN-MOHAN", "CHN-HEKOU", "CHN-RUILI", "CHN-DONGXING"],
    "LAO": ["LAO-BOTEN", "LAO-FRIENDSHIP1", "LAO-HOUAYXAI"],
    "THA": ["THA-MAESAI", "THA-NONGKHAI", "THA-ARANYAPRATHET", "THA-CHIANGKHONG"],
    "MMR": ["MMR-TACHILEIK", "MMR-MUSE", "MMR-MYAWADDY"],
    "KHM": ["KHM-POIPET", "KHM-BAVET", "KHM-CHAMYEAM"],
    "VNM": ["VNM-MOCBAI", "VNM-LAOCAI", "VNM-CAUTREO"],
}
#: Nationalities a traveller with a name of this language plausibly holds when it is not the
#: "home" one (diaspora, naturalisation, false papers).
OTHER_NATIONALITY = {
    "zh": ["MYS", "SGP", "THA", "MMR", "LAO"],
    "vi": ["USA", "AUS", "KHM", "LAO", "FRA"],
    "th": ["LAO", "MMR", "KHM", "USA"],
    "lo": ["THA", "FRA", "USA", "VNM"],
    "km": ["THA", "VNM", "FRA", "USA"],
    "my": ["THA", "CHN", "IND", "MYS"],
}
OCR_CONFUSIONS = {
    "O": "0",
    "0": "O",
    "I": "1",
    "1": "I",
    "S": "5",
    "5": "S",
    "B": "8",
    "8": "B",
    "Z": "2",
    "2": "Z",
}


# ----------------------------------------------------------------------------------------- name model
@dataclass(frozen=True)
class Part:
    native: str
    sex: str
    latin: tuple[str, ...]  # ASCII passport spellings, official / most common first, deduplicated
    keys: frozenset[str]  # normalized Latin forms + native, for collision checks


def norm_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


def _part(row: N.Row, lang: str, kind: str) -> Part:
    native, sex, variants = row
    out: list[str] = []
    if lang == "zh" and kind == "given":
        first = variants[0]
        joined = first.replace(" ", "").capitalize()
        out.append(joined)
        out.extend(variants[1:])  # keep columns aligned with the surname table: pinyin, Cantonese, W-G
        if first != joined:
            out.append(first)  # spaced pinyin, as sometimes typed by hand
    else:
        out.extend(variants)
    dedup = tuple(dict.fromkeys(out))
    keys = frozenset({norm_key(v) for v in dedup} | {native})
    return Part(native, sex, dedup, keys)


def split_tables(split: str) -> dict[str, dict[str, list[Part]]]:
    """Disjoint halves of every name table: "dev" takes one half, "holdout" the other."""
    assert split in ("dev", "holdout", "all")
    out: dict[str, dict[str, list[Part]]] = {}
    for lang, tables in N.TABLES.items():
        out[lang] = {}
        for kind, rows in tables.items():
            parts = [_part(r, lang, kind) for r in rows]
            if split == "all" or kind in ("middle", "honorific"):
                out[lang][kind] = parts
                continue
            order = list(range(len(parts)))
            random.Random(f"{SPLIT_SEED}:{lang}:{kind}").shuffle(order)
            half = set(order[: len(order) // 2])
            out[lang][kind] = [p for i, p in enumerate(parts) if (i in half) == (split == "dev")]
    return out


@dataclass
class Doc:
    type: str
    number: str
    country: str
    expiry: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "number": self.number,
            "issuing_country": self.country,
            "expiry_date": self.expiry,
        }


@dataclass
class Ident:
    lang: str
    sex: str
    surname: Part | None
    given: list[Part]  # vi: [middle, given]; my: the name parts
    honorific: Part | None
    dob: str | None  # full YYYY-MM-DD (truth)
    nationality: str
    doc: Doc | None = None
    pick: dict[int, int] = field(default_factory=dict)  # part position -> variant index used on record


def _all_parts(p: Ident) -> list[Part]:
    return ([p.surname] if p.surname else []) + p.given


def same_name(a: Ident, b: Ident) -> bool:
    """True when two identities can be written the same way (same parts up to spelling)."""
    if a.lang != b.lang:
        return False
    pa, pb = _all_parts(a), _all_parts(b)
    if len(pa) != len(pb):
        return False
    if a.lang == "my":
        return sorted(map(lambda p: p.native, pa)) == sorted(map(lambda p: p.native, pb)) or all(
            x.keys & y.keys for x, y in zip(pa, pb, strict=True)
        )
    return all(x.keys & y.keys for x, y in zip(pa, pb, strict=True))


# ------------------------------------------------------------------------------------------ rendering
def _cap(s: str, upper: bool) -> str:
    return s.upper() if upper else s


def latin_parts(p: Ident, pick: dict[int, int] | None = None) -> tuple[str | None, str]:
    """(surname, given_names) in a Latin spelling; ``pick`` maps part position to variant index."""
    pick = p.pick if pick is None else pick
    parts = _all_parts(p)
    spelled = []
    for i, part in enumerate(parts):
        spelled.append(part.latin[min(pick.get(i, 0), len(part.latin) - 1)])
    if p.surname is None:
        return None, " ".join(spelled)
    return spelled[0], " ".join(spelled[1:])


def native_parts(p: Ident) -> tuple[str | None, str]:
    sep = "" if p.lang in ("zh", "my") else " "
    given = sep.join(g.native for g in p.given)
    return (p.surname.native if p.surname else None), given


def native_full(p: Ident, honorific: bool = False) -> str:
    sur, given = native_parts(p)
    if p.lang == "zh":
        return f"{sur}{given}"
    if p.lang == "my":
        return (p.honorific.native if honorific and p.honorific else "") + given
    if p.lang in N.FAMILY_FIRST:
        return f"{sur} {given}"
    return f"{given} {sur}"


def latin_full(sur: str | None, given: str, lang: str, swapped: bool = False) -> str:
    if sur is None:
        return given
    family_first = (lang in N.FAMILY_FIRST) != swapped
    return f"{sur} {given}" if family_first else f"{given} {sur}"


def mrz_chars(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).upper()
    return "".join(c if "A" <= c <= "Z" or c.isdigit() else "<" for c in text.replace("'", ""))


def mrz_name(sur: str | None, given: str, width: int) -> str:
    name = f"{mrz_chars(sur)}<<{mrz_chars(given)}" if sur else f"{mrz_chars(given)}"
    return name[:width].ljust(width, "<")


def _check_digit(data: str) -> str:
    weights = (7, 3, 1)
    total = 0
    for i, c in enumerate(data):
        v = int(c) if c.isdigit() else (ord(c) - 55 if c.isalpha() else 0)
        total += v * weights[i % 3]
    return str(total % 10)


def _yymmdd(date: str | None) -> str:
    if not date or len(date) != 10:
        return "<<<<<<"
    return date[2:4] + date[5:7] + date[8:10]


def mrz_lines(
    doc: Doc, nationality: str, sur: str | None, given: str, dob: str | None, sex: str, td1: bool
) -> list[str]:
    num = mrz_chars(doc.number)[:9].ljust(9, "<")
    ncd = _check_digit(num)
    b, bcd = _yymmdd(dob), _check_digit(_yymmdd(dob))
    e, ecd = _yymmdd(doc.expiry), _check_digit(_yymmdd(doc.expiry))
    if td1:
        l1 = f"I<{doc.country}{num}{ncd}".ljust(30, "<")
        l2 = f"{b}{bcd}{sex}{e}{ecd}{nationality}".ljust(29, "<")
        comp = _check_digit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
        return [l1, l2 + comp, mrz_name(sur, given, 30)]
    l1 = f"P<{doc.country}" + mrz_name(sur, given, 39)
    opt = "<" * 14
    l2 = f"{num}{ncd}{nationality}{b}{bcd}{sex}{e}{ecd}{opt}{_check_digit(opt)}"
    return [l1, l2 + _check_digit(l2[0:10] + l2[13:20] + l2[21:43])]


# ------------------------------------------------------------------------------------------- randoms
def rand_date(rng: random.Random, y0: int, y1: int) -> str:
    d = dt.date(y0, 1, 1) + dt.timedelta(days=rng.randrange((dt.date(y1, 12, 31) - dt.date(y0, 1, 1)).days))
    return d.isoformat()


def shift_years(date: str, years: int) -> str:
    y, m, d = map(int, date.split("-"))
    if m == 2 and d == 29:
        d = 28
    return dt.date(y + years, m, d).isoformat()


def passport_number(rng: random.Random, country: str) -> str:
    digits = "0123456789"
    if country == "CHN":
        return (
            "E" + "".join(rng.choices(digits, k=8)) if rng.random() < 0.7 else "EA" + "".join(rng.choices(digits, k=7))
        )
    if country == "VNM":
        return rng.choice("BC") + "".join(rng.choices(digits, k=7))
    if country == "THA":
        return "".join(rng.choices("ABCDEFGHJKLMNPRSTUVWXYZ", k=2)) + "".join(rng.choices(digits, k=7))
    if country == "LAO":
        return "P" + "".join(rng.choices(digits, k=7))
    if country == "KHM":
        return "N" + "".join(rng.choices(digits, k=8))
    if country == "MMR":
        return "M" + rng.choice("ABCDE") + "".join(rng.choices(digits, k=6))
    return "".join(rng.choices("ABCDEFGHJKLMNPRSTUVWXYZ", k=1)) + "".join(rng.choices(digits, k=8))


def new_doc(rng: random.Random, country: str) -> Doc:
    return Doc("P", passport_number(rng, country), country, rand_date(rng, 2027, 2035))


# ---------------------------------------------------------------------------------------- edit helpers
_KEYB = dict(zip("qwertyuiopasdfghjklzxcvbnm", "wertyuiopo" + "sdfghjklk" + "xcvbnmn", strict=True))


def typo(rng: random.Random, text: str, edits: int) -> str:
    letters = list(text)
    for _ in range(edits):
        idx = [i for i, c in enumerate(letters) if c.isalpha()]
        if len(idx) < 3:
            break
        i = rng.choice(idx[1:])  # keep the first letter: most real typos do
        op = rng.random()
        if op < 0.35:
            c = letters[i]
            sub = _KEYB.get(c.lower(), "e") if rng.random() < 0.6 else rng.choice("aeiouhnrstyk")
            letters[i] = sub.upper() if c.isupper() else sub
        elif op < 0.6:
            del letters[i]
        elif op < 0.8:
            letters.insert(i, letters[i])
        elif i + 1 < len(letters) and letters[i + 1].isalpha():
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
        else:
            del letters[i]
    out = "".join(letters)
    return out if out != text else text[:-1] + ("x" if text[-1] != "x" else "q")


def ocr_damage(rng: random.Random, number: str, n: int) -> str:
    chars = list(number)
    idx = [i for i, c in enumerate(chars) if c in OCR_CONFUSIONS]
    rng.shuffle(idx)
    for i in idx[:n]:
        chars[i] = OCR_CONFUSIONS[chars[i]]
    out = "".join(chars)
    if out == number:  # nothing confusable: damage a digit into its look-alike letter
        for i, c in enumerate(chars):
            if c.isdigit():
                chars[i] = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z"}.get(c, "B" if c == "3" else c)
                if chars[i] != c:
                    break
        out = "".join(chars)
    return out


def non_ocr_change(rng: random.Random, number: str, n: int) -> str:
    """Change ``n`` digits into digits that are not OCR look-alikes of them."""
    chars = list(number)
    idx = [i for i, c in enumerate(chars) if c.isdigit()]
    rng.shuffle(idx)
    for i in idx[:n]:
        chars[i] = rng.choice([d for d in "34679" if d != chars[i]])
    return "".join(chars)


# ------------------------------------------------------------------------------------------ generator
class EvalsetBuilder:
    def __init__(self, split: str, seed: int, per_cell: int = 7, distractors: int = 700) -> None:
        self.split = split
        self.rng = random.Random(f"{seed}:{split}")
        self.tables = split_tables(split)
        self.per_cell = per_cell
        self.n_distractors = distractors
        self.entries: list[dict[str, Any]] = []
        self.listed: dict[str, list[Ident]] = {lang: [] for lang in LANGS}
        self.entry_ident: dict[str, Ident] = {}
        self.queries: list[dict[str, Any]] = []
        self.used_docs: set[str] = set()
        self.unlisted: dict[str, list[Ident]] = {lang: [] for lang in LANGS}

    # -- identities
    def _pick_part(self, lang: str, kind: str, sex: str) -> Part:
        rows = self.tables[lang][kind]
        fit = [r for r in rows if r.sex in (sex, "U")] or rows
        return self.rng.choice(fit)

    def random_ident(
        self,
        lang: str,
        sex: str | None = None,
        dob_range: tuple[int, int] = (1965, 2006),
        surname: Part | None = None,
        long_surname: bool = False,
    ) -> Ident:
        ident = self._random_ident(lang, sex, dob_range, surname, long_surname)
        if long_surname and lang != "my":  # long given name too, so the MRZ name field overflows
            fits = sorted(self.tables[lang]["given"], key=lambda p: -len(p.latin[0]))[:6]
            ident.given[-1] = self.rng.choice(fits)
            ident.sex = ident.given[-1].sex if ident.given[-1].sex != "U" else ident.sex
        return ident

    def _random_ident(
        self, lang: str, sex: str | None, dob_range: tuple[int, int], surname: Part | None, long_surname: bool
    ) -> Ident:
        rng = self.rng
        sex = sex or rng.choice("MF")
        hon = None
        if lang == "my":
            n = rng.choices((1, 2, 3, 4), weights=(1, 8, 10, 1))[0]  # one-part names are rare
            given = [self._pick_part(lang, "given", sex) for _ in range(n)]
            honorifics = [h for h in self.tables[lang]["honorific"] if h.sex == sex]
            hon = rng.choice(honorifics)
            sur = None
        elif lang == "vi":
            sur = surname or self._vi_surname()
            given = [self._pick_part(lang, "middle", sex), self._pick_part(lang, "given", sex)]
        else:
            sur = surname or self._pick_part(lang, "surname", "U")
            if long_surname and surname is None:
                rows = sorted(self.tables[lang]["surname"], key=lambda p: -max(map(len, p.latin)))
                sur = rng.choice(rows[:3])
            given = [self._pick_part(lang, "given", sex)]
        nat = N.NATIONALITY[lang]
        return Ident(lang, sex, sur, given, hon, rand_date(rng, *dob_range), nat)

    def _vi_surname(self) -> Part:
        rows = self.tables["vi"]["surname"]
        # Vietnamese surnames are very concentrated: weight the table's first rows.
        weights = [8 if r.latin[0] in ("Nguyen", "Tran", "Le", "Pham") else 1 for r in rows]
        return self.rng.choices(rows, weights=weights)[0]

    def collides(self, ident: Ident, with_unlisted: bool = False) -> bool:
        others = self.listed[ident.lang] + (self.unlisted[ident.lang] if with_unlisted else [])
        return any(same_name(ident, other) for other in others)

    def unlisted_like(
        self, anchor: Ident, keep_surname: bool = True, same_initial: bool = False, dob: str | None = None
    ) -> Ident:
        """A person NOT on the list, of the anchor's language, sharing its surname (or a name part)."""
        for attempt in range(400):
            keep_surname = keep_surname and attempt < 200
            if anchor.lang == "my":
                cand = self.random_ident("my", anchor.sex)
                if keep_surname:
                    cand.given[0] = anchor.given[0]
            else:
                cand = self.random_ident(anchor.lang, anchor.sex, surname=anchor.surname if keep_surname else None)
                if same_initial:
                    first = anchor.given[-1].latin[0][0]
                    fits = [
                        p
                        for p in self.tables[anchor.lang]["given"]
                        if p.latin[0][0] == first and not (p.keys & anchor.given[-1].keys)
                    ]
                    if fits:
                        cand.given[-1] = self.rng.choice(fits)
            if not self.collides(cand):
                cand.dob = dob or cand.dob
                self.unlisted[anchor.lang].append(cand)
                return cand
        raise RuntimeError("could not draw an unlisted identity")

    def fresh_doc(self, country: str) -> Doc:
        while True:
            d = new_doc(self.rng, country)
            if d.number not in self.used_docs:
                self.used_docs.add(d.number)
                return d

    # -- watchlist entries
    def add_entry(
        self,
        ident: Ident,
        *,
        lst: str | None = None,
        script: str = "latin",
        with_doc: float = 0.6,
        dob_form: str = "full",
        native_alias: float = 0.3,
        honorific: bool | None = None,
    ) -> str:
        rng = self.rng
        lst = lst or rng.choices(["suspect", "missing_person", "suspected_victim"], weights=[5, 3, 2])[0]
        if ident.doc is None and rng.random() < with_doc:
            ident.doc = self.fresh_doc(ident.nationality)
        entry_id = f"WL-{self.split[:3].upper()}-{len(self.entries) + 1:05d}"
        person: dict[str, Any] = {"sex": ident.sex, "nationality": ident.nationality}
        if ident.pick == {} and rng.random() < 0.3:
            ident.pick = self.rand_pick(ident)
        use_hon = ident.lang == "my" and (rng.random() < 0.4 if honorific is None else honorific)
        if script == "native":
            person["full_name"] = native_full(ident, honorific=use_hon)
            if ident.lang not in ("zh", "my") and rng.random() < 0.5:
                sur, given = native_parts(ident)
                person["surname"], person["given_names"] = sur, given
        else:
            sur, given = latin_parts(ident)
            if use_hon and ident.honorific:
                given = f"{ident.honorific.latin[0]} {given}"
            if sur:
                person["surname"] = sur
            person["given_names"] = given
            if rng.random() < native_alias and ident.lang != "vi":
                person["aliases"] = [native_full(ident)]
        if dob_form == "full":
            person["date_of_birth"] = ident.dob
        elif dob_form == "month":
            person["date_of_birth"] = ident.dob[:7] if ident.dob else None
        elif dob_form == "year":
            person["date_of_birth"] = ident.dob[:4] if ident.dob else None
        elif dob_form == "range" and ident.dob:
            y = int(ident.dob[:4])
            lo = y - rng.randint(0, 3)
            person["birth_year_range"] = [lo, lo + rng.randint(3, 5)]
        if ident.doc is not None:
            person["documents"] = [ident.doc.as_dict()]
        person = {k: v for k, v in person.items() if v is not None}
        entry: dict[str, Any] = {
            "entry_id": entry_id,
            "list": lst,
            "person": person,
            "source_country": ident.nationality if rng.random() < 0.7 else rng.choice(MEKONG),
            "source_agency": "",
            "case_ref": f"{ident.nationality}-{2020 + rng.randrange(7)}-{rng.randrange(10**5):05d}",
            "priority": rng.choice(["low", "medium", "medium", "high", "critical"]),
        }
        entry["source_agency"] = AGENCY.get(entry["source_country"], "National Police")
        if lst == "suspect":
            entry["handling"] = rng.choice(["detain", "discreet_check"])
        else:
            entry["victim_support_contact"] = f"{entry['source_country']} anti-trafficking hotline"
        self.entries.append(entry)
        self.listed[ident.lang].append(ident)
        self.entry_ident[entry_id] = ident
        return entry_id

    def target(self, lang: str, **kw: Any) -> tuple[str, Ident]:
        """A new listed person (name unique on the list) and its entry id."""
        ident_kw = {k: kw.pop(k) for k in ("sex", "dob_range", "long_surname") if k in kw}
        day_le12 = kw.pop("day_le12", False)
        allow_range = kw.pop("allow_range", True)
        lst = kw.get("lst")
        if lst == "suspected_victim" and "dob_range" not in ident_kw:
            ident_kw["dob_range"] = (1998, 2012)
        for _ in range(2000):
            ident = self.random_ident(lang, **ident_kw)
            if not self.collides(ident, with_unlisted=True):
                break
        else:
            raise RuntimeError(f"name space of {lang} exhausted")
        if day_le12:
            y, m, _d = map(int, ident.dob.split("-"))
            ident.dob = dt.date(y, m, self.rng.choice([x for x in range(1, 13) if x != m])).isoformat()
        if allow_range and lst is None and kw.get("dob_form", "full") == "full" and self.rng.random() < 0.08:
            kw["lst"] = "suspected_victim"
            kw["dob_form"] = "range"
        return self.add_entry(ident, **kw), ident

    # -- queries
    def person(
        self,
        ident: Ident,
        *,
        pick: dict[int, int] | None = None,
        script: str = "latin",
        form: str = "fields",
        swapped: bool = False,
        dob: str | None = "same",
        doc: Doc | None = None,
        nationality: str | None = None,
        upper: bool | None = None,
        honorific: bool = False,
    ) -> dict[str, Any]:
        rng = self.rng
        upper = rng.random() < 0.6 if upper is None else upper
        out: dict[str, Any] = {"sex": ident.sex, "nationality": nationality or ident.nationality}
        if script == "native":
            out["full_name"] = native_full(ident, honorific=honorific)
        else:
            sur, given = latin_parts(ident, pick if pick is not None else {})
            sur = _cap(sur, upper) if sur else None
            given = _cap(given, upper)
            if honorific and ident.honorific:
                given = f"{_cap(ident.honorific.latin[-1], upper)} {given}"
            if form == "fields" and not swapped:
                if sur:
                    out["surname"] = sur
                out["given_names"] = given
            elif form == "fields":  # surname and given written into each other's field
                if sur:
                    out["surname"], out["given_names"] = given, sur
                else:
                    out["given_names"] = given
            else:
                out["full_name"] = latin_full(sur, given, ident.lang, swapped)
        out["date_of_birth"] = ident.dob if dob == "same" else dob
        if doc is not None:
            out["documents"] = [doc.as_dict()]
        return {k: v for k, v in out.items() if v is not None}

    def add_query(
        self,
        family: str,
        variant: str,
        lang: str,
        expected: str | None,
        traveler: dict[str, Any],
        *,
        document: Doc | None = None,
        mrz: list[str] | None = None,
    ) -> None:
        rng = self.rng
        n = len(self.queries) + 1
        nat = traveler.get("nationality") or N.NATIONALITY[lang]
        cp_country = rng.choice([c for c in MEKONG if c != nat] or list(MEKONG))
        base: dict[str, Any] = {
            "event_id": f"EV-{self.split[:3].upper()}-{n:05d}",
            "occurred_at": (AT + dt.timedelta(minutes=n)).isoformat(),
            "checkpoint_id": rng.choice(CHECKPOINTS[cp_country]),
            "checkpoint_country": cp_country,
        }
        if document is not None:
            event = {
                **base,
                "event_type": "document_check",
                "document": document.as_dict(),
                "holder": traveler,
            }
            if mrz:
                event["mrz"] = mrz
        else:
            event = {
                **base,
                "event_type": "border_crossing",
                "direction": rng.choice(["entry", "exit"]),
                "traveler": traveler,
            }
        self.queries.append(
            {
                "kind": "query",
                "query_id": f"Q-{self.split[:3].upper()}-{n:05d}",
                "family": family,
                "variant": variant,
                "lang": lang,
                "expected": expected,
                "expected_list": self._list_of(expected),
                "event": event,
            }
        )

    def _list_of(self, entry_id: str | None) -> str | None:
        if entry_id is None:
            return None
        return next(e["list"] for e in self.entries if e["entry_id"] == entry_id)

    def renewed_or_same(self, ident: Ident, p_same: float = 0.35) -> Doc | None:
        if ident.doc is not None and self.rng.random() < p_same:
            return ident.doc
        return self.fresh_doc(ident.nationality) if self.rng.random() < 0.8 else None

    def rand_pick(self, ident: Ident) -> dict[int, int]:
        """A spelling choice: one scheme for the whole name (always for Chinese, mostly otherwise)."""
        n = len(_all_parts(ident))
        if ident.lang == "zh" or self.rng.random() < 0.7:
            scheme = self.rng.randrange(3)
            return dict.fromkeys(range(n), scheme)
        return {i: self.rng.randrange(3) for i in range(n)}

    def anchor(self, lang: str) -> Ident:
        return self.rng.choice(self.listed[lang])

    def variant_pick(self, ident: Ident, differ_from: dict[int, int]) -> dict[int, int] | None:
        """A spelling choice that differs (after normalization) from ``differ_from`` on >= 1 part."""
        parts = _all_parts(ident)
        ascii_len = [len(p.latin) for p in parts]
        options = [i for i, p in enumerate(parts) if ascii_len[i] > 1]
        if not options:
            return None
        for _ in range(20):
            pick = dict(differ_from)
            if ident.lang == "zh":
                pick = self.rand_pick(ident)
            else:
                for i in self.rng.sample(options, k=self.rng.randint(1, len(options))):
                    pick[i] = self.rng.randrange(ascii_len[i])
            a = latin_parts(ident, differ_from)
            b = latin_parts(ident, pick)
            if norm_key(" ".join(filter(None, a))) != norm_key(" ".join(filter(None, b))):
                return pick
        return None

    # -- families
    def build(self) -> None:
        for lang in LANGS:
            for _ in range(self.n_distractors // len(LANGS)):
                self.target(lang)
        for family in FAMILIES:
            fn = getattr(self, f"fam_{family}")
            for lang in LANGS:
                for i in range(self.per_cell):
                    fn(lang, True, i)
                for i in range(self.per_cell):
                    fn(lang, False, i)

    def fam_exact(self, lang: str, pos: bool, i: int) -> None:
        if pos:
            eid, ident = self.target(lang)
            self.add_query(
                "exact",
                "same_spelling",
                lang,
                eid,
                self.person(ident, pick=ident.pick, doc=self.renewed_or_same(ident)),
            )
        else:
            other = self.unlisted_like(self.anchor(lang), keep_surname=i % 2 == 0)
            self.add_query(
                "exact",
                "unlisted_person",
                lang,
                None,
                self.person(other, doc=self.fresh_doc(other.nationality)),
            )

    def fam_typo(self, lang: str, pos: bool, i: int) -> None:
        def typo_person(ident: Ident) -> tuple[dict[str, Any], int]:
            p = self.person(ident, pick=ident.pick, doc=self.renewed_or_same(ident, 0.0))
            keys = [k for k in ("surname", "given_names") if len(p.get(k) or "") >= 4] or ["given_names"]
            key = self.rng.choice(keys)
            letters = sum(c.isalpha() for c in p[key])
            edits = 1 + (i % 2) if letters >= 7 else 1  # two typos in a 4-letter name leave nothing to match
            p[key] = typo(self.rng, p[key], edits)
            return p, edits

        if pos:
            eid, ident = self.target(lang, native_alias=0.0)
            person, edits = typo_person(ident)
            self.add_query("typo", f"{edits}_edits", lang, eid, person)
        else:
            other = self.unlisted_like(self.anchor(lang))
            self.add_query("typo", "unlisted_person", lang, None, typo_person(other)[0])

    def fam_transliteration(self, lang: str, pos: bool, i: int) -> None:
        native_on_list = i % 2 == 0
        direction = "native_list_latin_traveller" if native_on_list else "latin_list_native_traveller"
        if pos:
            eid, ident = self.target(lang, script="native" if native_on_list else "latin", native_alias=0.0)
            pick = self.rand_pick(ident)
            if native_on_list:
                person = self.person(ident, pick=pick, doc=self.renewed_or_same(ident, 0.0))
            else:
                person = self.person(ident, script="native", doc=None)
            self.add_query("transliteration", direction, lang, eid, person)
        else:
            other = self.unlisted_like(self.anchor(lang))
            if native_on_list:
                person = self.person(other, pick=self.rand_pick(other), doc=self.fresh_doc(other.nationality))
            else:
                person = self.person(other, script="native")
            self.add_query("transliteration", direction, lang, None, person)

    def fam_romanization_variant(self, lang: str, pos: bool, i: int) -> None:
        if pos:
            for _ in range(200):
                ident = self.random_ident(lang)
                if self.collides(ident, with_unlisted=True):
                    continue
                ident.pick = self.rand_pick(ident)
                pick = self.variant_pick(ident, ident.pick)
                if pick is not None:
                    break
            else:
                return
            eid = self.add_entry(ident, native_alias=0.0)
            self.add_query(
                "romanization_variant",
                "other_spelling",
                lang,
                eid,
                self.person(ident, pick=pick, doc=self.renewed_or_same(ident, 0.0)),
            )
        else:
            other = self.unlisted_like(self.anchor(lang))
            pick = self.variant_pick(other, {}) or {}
            self.add_query(
                "romanization_variant",
                "unlisted_person",
                lang,
                None,
                self.person(other, pick=pick, doc=self.fresh_doc(other.nationality)),
            )

    def fam_name_order(self, lang: str, pos: bool, i: int) -> None:
        form = "fields" if i % 2 == 0 else "full"
        if lang == "my":  # no surname: the order of the parts is what gets shuffled
            if pos:
                eid, ident = self.target(lang, native_alias=0.0)
                shuffled = replace(
                    ident, given=list(reversed(ident.given)) if len(ident.given) > 1 else ident.given, pick={}
                )
                self.add_query("name_order", "parts_reversed", lang, eid, self.person(shuffled, form=form))
            else:
                other = self.unlisted_like(self.anchor(lang))
                self.add_query(
                    "name_order",
                    "unlisted_person",
                    lang,
                    None,
                    self.person(replace(other, given=list(reversed(other.given))), form=form),
                )
            return
        if pos:
            eid, ident = self.target(lang, native_alias=0.0)
            self.add_query(
                "name_order",
                f"swapped_{form}",
                lang,
                eid,
                self.person(ident, pick=ident.pick, form=form, swapped=True, doc=self.renewed_or_same(ident, 0.0)),
            )
        else:
            other = self.unlisted_like(self.anchor(lang))
            self.add_query(
                "name_order",
                "unlisted_person",
                lang,
                None,
                self.person(other, form=form, swapped=True, doc=self.fresh_doc(other.nationality)),
            )

    def _shorten(self, ident: Ident, pick: dict[int, int], variant: str) -> dict[str, Any]:
        p = self.person(ident, pick=pick, doc=None)
        if ident.lang == "my":
            if variant == "honorific":
                p = self.person(ident, pick=pick, honorific=True, doc=None)
            else:  # first part only as an initial, as on some handwritten records
                parts = p["given_names"].split()
                p["given_names"] = " ".join([parts[0][0] + ".", *parts[1:]]) if len(parts) > 1 else parts[0]
            return p
        given = p["given_names"].split()
        if ident.lang == "vi" and variant == "drop_middle":
            p["given_names"] = given[-1]
        elif variant == "initial":
            p["given_names"] = " ".join(g[0] + "." for g in given)
        else:  # surname only
            p.pop("given_names")
        return p

    def fam_missing_given(self, lang: str, pos: bool, i: int) -> None:
        variants = {"my": ["honorific", "initial"], "vi": ["drop_middle", "initial"]}.get(lang, ["initial"])
        variant = variants[i % len(variants)]
        if pos:
            eid, ident = self.target(lang, native_alias=0.0, honorific=False)
            self.add_query("missing_given", variant, lang, eid, self._shorten(ident, ident.pick, variant))
        else:
            anchor = self.anchor(lang)
            other = self.unlisted_like(
                anchor, same_initial=True, dob=shift_years(anchor.dob, self.rng.choice([-9, -7, -6, 6, 7, 9]))
            )
            self.add_query("missing_given", variant + "_other_person", lang, None, self._shorten(other, {}, variant))

    def _mrz_query(
        self, ident: Ident, expected: str | None, variant: str, pick: dict[int, int], td1: bool | None = None
    ) -> None:
        doc = self.renewed_or_same(ident, 0.3) or self.fresh_doc(ident.nationality)
        sur, given = latin_parts(ident, pick)
        td1 = self.rng.random() < 0.3 if td1 is None else td1
        if td1:
            doc = replace(doc, type="ID")
        lines = mrz_lines(doc, ident.nationality, sur, given, ident.dob, ident.sex, td1)
        width = 30 if td1 else 39
        raw = mrz_name(sur, given, width).rstrip("<")
        holder = {
            "full_name": raw,
            "sex": ident.sex,
            "nationality": ident.nationality,
            "date_of_birth": ident.dob,
            "documents": [doc.as_dict()],
        }
        truncated = len(mrz_name(sur, given, 200).rstrip("<")) > width
        self.add_query(
            "mrz_name",
            variant + ("_truncated" if truncated else ""),
            ident.lang,
            expected,
            holder,
            document=doc,
            mrz=lines,
        )

    def fam_mrz_name(self, lang: str, pos: bool, i: int) -> None:
        long_name = lang in ("th", "lo") and i % 2 == 0  # long surnames: those get truncated
        if pos:
            if long_name:  # the longest spellings, as some holders really write them: overflow TD1's 30

                def longest(ident: Ident) -> dict[int, int]:
                    return {
                        k: max(range(len(p.latin)), key=lambda j, p=p: len(p.latin[j]))
                        for k, p in enumerate(_all_parts(ident))
                    }

                for _ in range(300):
                    ident = self.random_ident(lang, long_surname=True)
                    sur, given = latin_parts(ident, longest(ident))
                    if len(mrz_name(sur, given, 99).rstrip("<")) > 30 and not self.collides(ident, with_unlisted=True):
                        ident.pick = longest(ident)
                        eid = self.add_entry(ident, native_alias=0.0)
                        break
                else:  # no overflowing name in this half of the tables: a long one all the same
                    eid, ident = self.target(lang, native_alias=0.0, long_surname=True)
                    ident.pick = longest(ident)
                pick = ident.pick
            else:
                eid, ident = self.target(lang, native_alias=0.0)
                pick = ident.pick
            self._mrz_query(ident, eid, "td", pick, td1=True if long_name else None)
        else:
            other = self.unlisted_like(self.anchor(lang))
            self._mrz_query(other, None, "td", {})

    def fam_partial_date(self, lang: str, pos: bool, i: int) -> None:
        partial_on_list = i % 2 == 0
        form = "year" if i % 4 < 2 else "month"
        if pos:
            if partial_on_list:
                eid, ident = self.target(lang, dob_form=form, native_alias=0.0, allow_range=False)
                dob = ident.dob
            else:
                eid, ident = self.target(lang, native_alias=0.0, allow_range=False)
                dob = ident.dob[:4] if form == "year" else ident.dob[:7]
            self.add_query(
                "partial_date",
                f"{form}_on_{'list' if partial_on_list else 'traveller'}",
                lang,
                eid,
                self.person(ident, pick=ident.pick, dob=dob, doc=self.renewed_or_same(ident, 0.0)),
            )
        else:  # same name as a listed person whose partial date conflicts: another person
            eid, ident = self.target(
                lang, dob_form=form if partial_on_list else "full", native_alias=0.0, allow_range=False
            )
            other_dob = shift_years(ident.dob, self.rng.choice([-12, -8, -5, 5, 8, 12]))
            dob = other_dob if partial_on_list else (other_dob[:4] if form == "year" else other_dob[:7])
            self.add_query(
                "partial_date",
                f"{form}_conflict",
                lang,
                None,
                self.person(ident, pick=ident.pick, dob=dob, doc=self.fresh_doc(ident.nationality)),
            )

    def _fuzz_dob(self, dob: str, i: int) -> tuple[str, str]:
        y, m, d = map(int, dob.split("-"))
        if i % 2 == 0 and d <= 12 and d != m:
            return dt.date(y, d, m).isoformat(), "day_month_swap"
        return shift_years(dob, self.rng.choice([-1, 1])), "year_pm1"

    def fam_dob_fuzz(self, lang: str, pos: bool, i: int) -> None:
        eid, ident = self.target(lang, native_alias=0.0, allow_range=False, day_le12=i % 2 == 0)
        fuzzed, variant = self._fuzz_dob(ident.dob, i)
        if pos:
            self.add_query(
                "dob_fuzz",
                variant,
                lang,
                eid,
                self.person(ident, pick=ident.pick, dob=fuzzed, doc=self.renewed_or_same(ident, 0.0)),
            )
        else:  # a different person (shares the surname) whose DOB is close to the listed one
            other = self.unlisted_like(ident, dob=fuzzed)
            self.add_query(
                "dob_fuzz",
                variant + "_other_person",
                lang,
                None,
                self.person(other, doc=self.fresh_doc(other.nationality)),
            )

    def fam_ocr_docnum(self, lang: str, pos: bool, i: int) -> None:
        eid, ident = self.target(lang, with_doc=1.0, native_alias=0.0)
        assert ident.doc is not None
        if pos:
            damaged = replace(ident.doc, number=ocr_damage(self.rng, ident.doc.number, 1 + i % 2))
            holder = self.person(ident, pick=ident.pick, dob=ident.dob if i % 3 else None, doc=damaged)
            key = "surname" if "surname" in holder else "given_names"
            holder[key] = typo(self.rng, holder[key], 2)  # weak / garbled name
            if i % 3 == 0:
                holder.pop("given_names", None) if "surname" in holder else None
            self.add_query("ocr_docnum", f"{1 + i % 2}_confusions", lang, eid, holder, document=damaged)
        else:
            changed = replace(ident.doc, number=non_ocr_change(self.rng, ident.doc.number, 1 + i % 2))
            other = self.unlisted_like(ident, keep_surname=False)
            holder = self.person(other, doc=changed)
            self.add_query("ocr_docnum", "near_number_other_person", lang, None, holder, document=changed)

    def fam_document_only(self, lang: str, pos: bool, i: int) -> None:
        eid, ident = self.target(lang, with_doc=1.0, native_alias=0.0)
        assert ident.doc is not None
        other_lang = self.rng.choice(LANGS)
        other = self.unlisted_like(self.anchor(other_lang), keep_surname=False)
        if pos:  # lost/stolen passport presented by someone else
            holder = self.person(other, doc=ident.doc, nationality=ident.doc.country)
            doc = ident.doc
            self.add_query(
                "document_only",
                "stolen_passport_other_holder",
                lang,
                eid,
                holder,
                document=doc if i % 2 == 0 else None,
            )
        else:
            if i % 2 == 0:
                country = self.rng.choice([c for c in MEKONG if c != ident.doc.country])
                doc = replace(ident.doc, country=country)
                variant = "same_number_other_country"
            else:
                doc = replace(ident.doc, number=non_ocr_change(self.rng, ident.doc.number, 2))
                variant = "number_2_digits_off"
            holder = self.person(other, doc=doc, nationality=doc.country)
            self.add_query("document_only", variant, lang, None, holder, document=doc if i % 2 == 0 else None)

    def fam_same_name_diff_person(self, lang: str, pos: bool, i: int) -> None:
        eid, ident = self.target(lang, with_doc=1.0, native_alias=0.0, allow_range=False)
        if pos:
            self.add_query(
                "same_name_diff_person",
                "same_person_same_passport",
                lang,
                eid,
                self.person(ident, pick=ident.pick, doc=ident.doc),
            )
        else:
            dob = shift_years(ident.dob, self.rng.choice([-15, -9, -4, 4, 9, 15]))
            self.add_query(
                "same_name_diff_person",
                "same_name_other_dob_other_passport",
                lang,
                None,
                self.person(ident, pick=ident.pick, dob=dob, doc=self.fresh_doc(ident.nationality)),
            )

    def fam_relatives(self, lang: str, pos: bool, i: int) -> None:
        eid, ident = self.target(lang, native_alias=0.0, allow_range=False)
        if pos:
            self.add_query(
                "relatives",
                "listed_person_itself",
                lang,
                eid,
                self.person(ident, pick=ident.pick, doc=self.renewed_or_same(ident, 0.0)),
            )
        else:
            gap = self.rng.choice([-30, -26, -4, -2, 3, 5, 25])  # parent, sibling or child
            rel = self.unlisted_like(ident, dob=shift_years(ident.dob, gap))
            rel.pick = dict(ident.pick)
            self.add_query(
                "relatives",
                "shares_surname_other_given_other_dob",
                lang,
                None,
                self.person(rel, pick=rel.pick, doc=self.fresh_doc(rel.nationality)),
            )

    def fam_unknown_dob_other_nationality(self, lang: str, pos: bool, i: int) -> None:
        dob_missing_on_list = i % 2 == 0
        eid, ident = self.target(
            lang,
            dob_form="none" if dob_missing_on_list else "full",
            native_alias=0.0,
            with_doc=0.0,
            allow_range=False,
        )
        dob = ident.dob if dob_missing_on_list else None
        if pos:  # same name, DOB unknown on one side, nationality agrees -> alert
            self.add_query(
                "unknown_dob_other_nationality",
                "same_nationality",
                lang,
                eid,
                self.person(ident, pick=ident.pick, dob=dob),
            )
        else:  # same name, DOB unknown on one side, nationality contradicts -> no alert (see README)
            nat = self.rng.choice(OTHER_NATIONALITY[lang])
            self.add_query(
                "unknown_dob_other_nationality",
                "other_nationality",
                lang,
                None,
                self.person(ident, pick=ident.pick, dob=dob, nationality=nat, doc=self.fresh_doc(nat)),
            )

    def records(self, seed: int) -> list[dict[str, Any]]:
        fam_counts = {f: [0, 0] for f in FAMILIES}
        for q in self.queries:
            fam_counts[q["family"]][0 if q["expected"] else 1] += 1
        meta = {
            "kind": "meta",
            "split": self.split,
            "seed": seed,
            "generator_version": GENERATOR_VERSION,
            "entries": len(self.entries),
            "queries": len(self.queries),
            "families": {f: {"positives": p, "negatives": n} for f, (p, n) in fam_counts.items()},
            "at": AT.isoformat(),
        }
        return [meta] + [{"kind": "entry", "entry": e} for e in self.entries] + self.queries


def build_evalset(split: str, seed: int = DEFAULT_SEED, per_cell: int = 7, distractors: int = 700) -> list[dict]:
    builder = EvalsetBuilder(split, seed, per_cell=per_cell, distractors=distractors)
    builder.build()
    return builder.records(seed)


def dumps_jsonl(records: list[dict[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(r, option=orjson.OPT_SORT_KEYS) + b"\n" for r in records)


def load_evalset(path: str | Path) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """(meta, entries, queries) of an evalset file, as plain dicts."""
    meta: dict[str, Any] = {}
    entries, queries = [], []
    with open(path, "rb") as fh:
        for line in fh:
            rec = orjson.loads(line)
            if rec["kind"] == "meta":
                meta = rec
            elif rec["kind"] == "entry":
                entries.append(rec["entry"])
            else:
                queries.append(rec)
    return meta, entries, queries


# ------------------------------------------------------------------------------ big synthetic data
# Romanized syllables used to compose many distinct Latin names for the speed bench (names there need
# realistic lengths and block sizes, not labels).
_SYL = {
    "zh": [
        "an",
        "ao",
        "bai",
        "bin",
        "bo",
        "chang",
        "chao",
        "chen",
        "cheng",
        "chun",
        "da",
        "dan",
        "de",
        "dong",
        "fang",
        "fei",
        "feng",
        "gang",
        "guang",
        "gui",
        "hai",
        "han",
        "hao",
        "hong",
        "hua",
        "hui",
        "jia",
        "jian",
        "jie",
        "jin",
        "jing",
        "jun",
        "kai",
        "kang",
        "lan",
        "lei",
        "li",
        "liang",
        "lin",
        "ling",
        "long",
        "mei",
        "min",
        "ming",
        "na",
        "ning",
        "peng",
        "ping",
        "qi",
        "qian",
        "qiang",
        "qing",
        "rong",
        "rui",
        "shan",
        "sheng",
        "shu",
        "si",
        "tao",
        "ting",
        "wei",
        "wen",
        "xia",
        "xian",
        "xiang",
        "xiao",
        "xin",
        "xing",
        "xiu",
        "xu",
        "xue",
        "yan",
        "yang",
        "yi",
        "ying",
        "yong",
        "yu",
        "yuan",
        "yue",
        "yun",
        "ze",
        "zhen",
        "zhi",
        "zhong",
        "zhu",
        "zi",
    ],
    "th": [
        "a",
        "chai",
        "chan",
        "charoen",
        "dee",
        "kaew",
        "kan",
        "khong",
        "kit",
        "klang",
        "kul",
        "lak",
        "mani",
        "na",
        "nak",
        "nan",
        "ngam",
        "niti",
        "non",
        "pat",
        "phan",
        "phon",
        "phong",
        "pra",
        "prasert",
        "rak",
        "rat",
        "sa",
        "sak",
        "sakul",
        "sawat",
        "si",
        "siri",
        "som",
        "sri",
        "suk",
        "sup",
        "sut",
        "tha",
        "thai",
        "than",
        "thong",
        "ti",
        "wan",
        "wat",
        "wong",
        "wut",
        "yot",
    ],
    "lo": [
        "bou",
        "boun",
        "chan",
        "chanh",
        "dao",
        "kham",
        "keo",
        "la",
        "lath",
        "ma",
        "many",
        "mixay",
        "phet",
        "phom",
        "phon",
        "phone",
        "sa",
        "savanh",
        "say",
        "seng",
        "si",
        "sisouk",
        "som",
        "sone",
        "souk",
        "souli",
        "thanh",
        "thong",
        "va",
        "vanh",
        "vong",
        "xay",
        "vilay",
        "inthava",
        "douang",
    ],
    "km": [
        "bo",
        "chan",
        "chea",
        "da",
        "dara",
        "kun",
        "leak",
        "ly",
        "mony",
        "nak",
        "nary",
        "pheak",
        "phal",
        "pis",
        "ra",
        "rith",
        "sam",
        "sok",
        "sophea",
        "sovann",
        "srey",
        "tha",
        "thy",
        "vanna",
        "vi",
        "vuth",
        "ya",
        "rotha",
        "seyha",
        "bopha",
        "chan",
        "dy",
        "heng",
        "kea",
        "kim",
        "kosal",
        "lin",
        "mak",
        "nin",
        "pov",
        "rin",
        "sam",
        "sey",
        "thea",
        "vong",
        "rachna",
        "sina",
    ],
}


def _big_name(rng: random.Random, lang: str, full: dict[str, dict[str, list[Part]]]) -> tuple[str | None, str]:
    t = full[lang]
    if lang == "zh":
        sur = rng.choice(t["surname"]).latin[0]
        syl = _SYL["zh"]
        given = "".join(rng.choice(syl) for _ in range(rng.choice((1, 2, 2, 2)))).capitalize()
        return sur, given
    if lang == "vi":
        sur = (
            rng.choices(t["surname"], weights=[30 if i == 0 else 3 if i < 6 else 1 for i in range(len(t["surname"]))])[
                0
            ]
        ).latin[0]
        middle = " ".join(rng.choice(t["middle"]).latin[0] for _ in range(rng.choice((1, 1, 2))))
        return sur, f"{middle} {rng.choice(t['given']).latin[0]}"
    if lang == "my":
        return None, " ".join(rng.choice(t["given"]).latin[0] for _ in range(rng.choice((2, 3, 3, 3, 4))))
    syl = _SYL[lang]
    if lang == "km":
        sur = rng.choice(t["surname"]).latin[0]
        given = "".join(rng.choice(syl) for _ in range(rng.choice((1, 2, 2, 2)))).capitalize()
        return sur, given
    sur = "".join(rng.choice(syl) for _ in range(rng.choice((2, 3, 3, 4)))).capitalize()
    given = "".join(rng.choice(syl) for _ in range(rng.choice((1, 2, 2)))).capitalize()
    return sur, given


def synthetic_entry_dicts(n: int, seed: int = DEFAULT_SEED) -> Iterator[dict[str, Any]]:
    """``n`` synthetic watchlist entries as plain dicts (fast; ~1M in well under a minute)."""
    rng = random.Random(f"big:{seed}")
    full = split_tables("all")
    lists = ["suspect"] * 5 + ["missing_person"] * 3 + ["suspected_victim"] * 2
    lang_w = ["zh"] * 3 + ["vi"] * 2 + ["th"] * 2 + ["lo", "km", "my"]
    for k in range(n):
        lang = rng.choice(lang_w)
        nat = N.NATIONALITY[lang]
        sur, given = _big_name(rng, lang, full)
        y = rng.randint(1950, 2010)
        person: dict[str, Any] = {"given_names": given, "sex": rng.choice("MF"), "nationality": nat}
        if sur:
            person["surname"] = sur
        r = rng.random()
        if r < 0.85:
            person["date_of_birth"] = f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        elif r < 0.93:
            person["date_of_birth"] = str(y)
        elif r < 0.97:
            person["birth_year_range"] = [y - 2, y + 2]
        if rng.random() < 0.6:
            person["documents"] = [{"type": "P", "number": passport_number(rng, nat), "issuing_country": nat}]
        lst = rng.choice(lists)
        yield {
            "entry_id": f"BIG-{k:07d}",
            "list": lst,
            "person": person,
            "source_country": nat,
            "source_agency": AGENCY[nat],
            "case_ref": f"{nat}-{k}",
            "priority": "medium",
        }


def construct_entry(d: dict[str, Any]) -> Any:
    """A WatchlistEntry from a synthetic dict, built without re-validation (the shapes are valid)."""
    from schemas import Document, Person, WatchlistEntry

    p = dict(d["person"])
    p["documents"] = [Document.model_construct(**x) for x in p.get("documents", ())]
    if "birth_year_range" in p:
        p["birth_year_range"] = tuple(p["birth_year_range"])
    p.setdefault("aliases", [])  # explicit: pydantic inspects default factories slowly in model_construct
    person = Person.model_construct(**p)
    return WatchlistEntry.model_construct(**{**d, "person": person})


def validate_entry(d: dict[str, Any]) -> Any:
    """A validated WatchlistEntry from a synthetic dict (pydantic-core: faster than model_construct)."""
    from schemas import WatchlistEntry

    return WatchlistEntry.model_validate(d)


def synthetic_entries(n: int, seed: int = DEFAULT_SEED) -> Iterator[Any]:
    """``n`` synthetic WatchlistEntry objects (see ``synthetic_entry_dicts``)."""
    return map(validate_entry, synthetic_entry_dicts(n, seed))


def _as_read_at_checkpoint(rng: random.Random, p: dict[str, Any]) -> dict[str, Any]:
    """A traveller's record always has a full DOB and a passport (read from the document)."""
    dob = p.get("date_of_birth")
    rng_years = p.pop("birth_year_range", None)
    if dob is None or len(dob) < 10:
        if dob:
            year = int(dob[:4])
        elif rng_years:
            year = rng.randint(rng_years[0], rng_years[1])
        else:
            year = rng.randint(1950, 2010)
        month = int(dob[5:7]) if dob and len(dob) == 7 else rng.randint(1, 12)
        p["date_of_birth"] = f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
    if not p.get("documents"):
        nat = p.get("nationality") or "THA"
        p["documents"] = [{"type": "P", "number": passport_number(rng, nat), "issuing_country": nat}]
    return p


def noisy_copy(rng: random.Random, person: dict[str, Any]) -> dict[str, Any]:
    """A traveller record of a listed person with light, realistic noise."""
    p = dict(person)
    noise = rng.random()
    if noise < 0.3:
        p["given_names"] = p["given_names"].upper()
        if "surname" in p:
            p["surname"] = p["surname"].upper()
    elif noise < 0.5 and "surname" in p:
        p["full_name"] = f"{p.pop('given_names')} {p.pop('surname')}"
    elif noise < 0.7:
        p["given_names"] = typo(rng, p["given_names"], 1)
    return _as_read_at_checkpoint(rng, p)


def synthetic_events(
    n: int, planted: list[dict[str, Any]], seed: int = DEFAULT_SEED
) -> Iterator[tuple[dict[str, Any], str | None]]:
    """``n`` traveller persons (dicts) with the planted entry_id or None.

    ``planted`` are synthetic entry dicts: each becomes one traveller (a noisy copy) at a random
    position. The others are drawn from the same name model with another seed and may coincide
    with an entry by chance, as in real traffic. Every traveller has a full DOB and a passport.
    """
    rng = random.Random(f"events:{seed}")
    positions = dict(zip(rng.sample(range(n), min(len(planted), n)), planted, strict=False))
    background = synthetic_entry_dicts(n, seed + 1)
    for pos in range(n):
        bg = next(background)
        if pos in positions:
            d = positions[pos]
            yield noisy_copy(rng, d["person"]), d["entry_id"]
        else:
            yield _as_read_at_checkpoint(rng, dict(bg["person"])), None


def planted_indices(n_entries: int, n_events: int, hit_rate: float, seed: int = DEFAULT_SEED) -> set[int]:
    return set(random.Random(f"plant:{seed}").sample(range(n_entries), min(n_entries, int(n_events * hit_rate))))


def write_planted_watchlist(path: Path, n_entries: int, n_events: int, hit_rate: float,
                            seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """Write `n_entries` synthetic entries to `path` as JSONL; return those picked to be planted in the
    crossings (`planted_indices`), for `synthetic_events`."""
    wanted = planted_indices(n_entries, n_events, hit_rate, seed)
    planted: list[dict[str, Any]] = []
    with path.open("wb") as out:
        for k, d in enumerate(synthetic_entry_dicts(n_entries, seed)):
            if k in wanted:
                planted.append(d)
            out.write(orjson.dumps(d) + b"\n")
    return planted


# ----------------------------------------------------------------------------------------------- CLI
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    ev = sub.add_parser("evalset", help="write evalset_dev.jsonl and evalset_holdout.jsonl")
    ev.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ev.add_argument("--out-dir", default="tests/data")
    ev.add_argument("--per-cell", type=int, default=7, help="positives (and negatives) per family x language")
    ev.add_argument("--distractors", type=int, default=700)
    big = sub.add_parser("big", help="write a large synthetic watchlist and event stream (JSON lines)")
    big.add_argument("--entries", type=int, default=1_000_000)
    big.add_argument("--events", type=int, default=100_000)
    big.add_argument("--seed", type=int, default=DEFAULT_SEED)
    big.add_argument("--out-dir", required=True)
    args = ap.parse_args(argv)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if args.cmd == "evalset":
        for split in ("dev", "holdout"):
            recs = build_evalset(split, args.seed, args.per_cell, args.distractors)
            path = out / f"evalset_{split}.jsonl"
            path.write_bytes(dumps_jsonl(recs))
            print(f"{path}: {recs[0]['entries']} entries, {recs[0]['queries']} queries", file=sys.stderr)
        return 0
    t0 = time.perf_counter()
    wanted = planted_indices(args.entries, args.events, 0.01, args.seed)
    planted = []
    with open(out / "watchlist_big.jsonl", "wb") as fh:
        for k, d in enumerate(synthetic_entry_dicts(args.entries, args.seed)):
            if k in wanted:
                planted.append(d)
            fh.write(orjson.dumps(d) + b"\n")
    t1 = time.perf_counter()
    with open(out / "events_big.jsonl", "wb") as fh:
        for p, expected in synthetic_events(args.events, planted, args.seed):
            fh.write(orjson.dumps({"person": p, "expected": expected}) + b"\n")
    print(
        f"{args.entries} entries in {t1 - t0:.1f}s, {args.events} events in {time.perf_counter() - t1:.1f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
