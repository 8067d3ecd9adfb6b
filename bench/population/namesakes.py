"""How many ordinary travellers of the population bench have an exact namesake on the list: what no matcher
can tell apart without a document (the generator's people counted directly, no matcher involved).

    .venv/bin/python -m bench.population.namesakes --entries 1000000

An exact namesake: the same name tokens in any order, diacritics dropped. Counted against entries without
a document (another passport number could tell two people apart), born on the traveller's day, or with no
date of birth at all.
"""

from __future__ import annotations

import argparse
import unicodedata
from typing import Any

from bench.population.generate import SEED, entries, planted_families, travellers


def name_key(person: dict[str, Any]) -> str:
    text = f"{person.get('given_names') or ''} {person.get('surname') or ''}"
    folded = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    return " ".join(sorted(folded.encode("ascii", "ignore").decode().lower().split()))


def count(n_entries: int, n_travellers: int, seed: int = SEED) -> dict[str, int]:
    families = planted_families(n_entries, n_travellers, seed)
    same_day: set[tuple[str, str]] = set()
    no_dob: set[str] = set()
    truths: dict[int, Any] = {}
    for k, (d, truth) in enumerate(entries(n_entries, families, seed)):
        p = d["person"]
        if truth is not None:
            truths[k] = truth
        if p.get("documents"):
            continue
        dob = p.get("date_of_birth")
        if dob and len(dob) == 10:
            same_day.add((name_key(p), dob))
        elif not dob and "birth_year_range" not in p:
            no_dob.add(name_key(p))
    out = {"ordinary": 0, "same_day": 0, "no_dob": 0}
    for raw, expected, _family in travellers(n_travellers, truths, families, seed):
        if expected is not None:
            continue
        t = raw["traveler"]
        out["ordinary"] += 1
        out["same_day"] += (name_key(t), t["date_of_birth"]) in same_day
        out["no_dob"] += name_key(t) in no_dob
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--travellers", type=int, default=100_000)
    args = ap.parse_args()
    c = count(args.entries, args.travellers)
    n = c["ordinary"]
    print(f"{args.entries:,} entries, {n:,} ordinary travellers: an exact namesake born the same day on an entry "
          f"without a document {c['same_day']:,} = {c['same_day'] / n:.3%}; on an entry with no date of birth and "
          f"no document {c['no_dob']:,} = {c['no_dob'] / n:.3%}")


if __name__ == "__main__":
    main()
