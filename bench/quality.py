"""Matcher quality on the labelled evaluation set: precision / recall / F1 per list, per case family.

    .venv/bin/python bench/quality.py                 # dev set
    .venv/bin/python bench/quality.py --set holdout   # the held-out name half
    .venv/bin/python bench/quality.py --show 20       # plus the first 20 misses and false positives
    .venv/bin/python bench/quality.py --min-f1 0.9    # exit 1 when overall F1 < 0.9

Counting (alert level): every returned match is a true positive when its entry is the query's
expected entry, otherwise a false positive (so a positive query that also hits a second entry
costs precision). A positive query whose expected entry is not returned is a false negative.
Per list, TP/FN are counted on the expected entry's list and FP on the list of the wrong entry.
"Blocking recall" is the share of positive queries whose expected entry is among `candidates()`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.evalset.generate import AT, load_evalset
from schemas import BorderCrossing, DocumentCheck, WatchlistEntry

ROOT = Path(__file__).resolve().parents[1]
SETS = {"dev": ROOT / "tests/data/evalset_dev.jsonl", "holdout": ROOT / "tests/data/evalset_holdout.jsonl"}


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    pos: int = 0
    neg: int = 0
    neg_alerted: int = 0
    blocked: int = 0  # positives whose expected entry is among candidates()

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    overall: Counts = field(default_factory=Counts)
    by_family: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_list: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_lang: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    misses: list[str] = field(default_factory=list)
    false_pos: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _subject(event: dict[str, Any]) -> tuple[Any, Any]:
    if event["event_type"] == "document_check":
        ev = DocumentCheck.model_validate(event)
        return ev.holder, ev.document
    bc = BorderCrossing.model_validate(event)
    return bc.traveler, None


def _short(person: Any) -> str:
    name = person.full_name or " ".join(p for p in (person.given_names, person.surname) if p) or "-"
    docs = ",".join(f"{d.issuing_country}:{d.number}" for d in person.documents)
    dob = person.date_of_birth or (f"~{person.birth_year_range}" if person.birth_year_range else "?")
    return f"{name} | dob {dob} | {person.sex or '?'} {person.nationality or '?'} | {docs or 'no doc'}"


def evaluate(path: str | Path, show: int = 0) -> Report:
    from agents.matching import MatcherConfig, build_index, candidates, search

    _meta, entry_dicts, queries = load_evalset(path)
    entries = [WatchlistEntry.model_validate(e) for e in entry_dicts]
    by_id = {e.entry_id: e for e in entries}
    cfg = MatcherConfig()
    index = build_index(entries, cfg)
    rep = Report()
    t0 = time.perf_counter()
    for q in queries:
        person, document = _subject(q["event"])
        expected = q["expected"]
        matches = search(index, person, cfg, at=AT, document=document)
        returned = [m.entry.entry_id for m in matches]
        buckets = [rep.overall, rep.by_family[q["family"]], rep.by_lang[q["lang"]]]
        if expected is not None:
            cands = candidates(index, person, document)
            exp_list = by_id[expected].list
            for c in [*buckets, rep.by_list[exp_list]]:
                c.pos += 1
                c.blocked += expected in cands
                if expected in returned:
                    c.tp += 1
                else:
                    c.fn += 1
            if expected not in returned and len(rep.misses) < show:
                score = "not in candidates" if expected not in cands else "below threshold"
                rep.misses.append(
                    f"[{q['family']}/{q['variant']}/{q['lang']}] {q['query_id']} -> {expected} ({score})\n"
                    f"      query: {_short(person)}"
                    + (f" | inspected {document.number}" if document else "")
                    + f"\n      entry: {_short(by_id[expected].person)}"
                )
        else:
            for c in buckets:
                c.neg += 1
                c.neg_alerted += bool(returned)
        for m in matches:
            if m.entry.entry_id == expected:
                continue
            for c in [*buckets, rep.by_list[m.entry.list]]:
                c.fp += 1
            if len(rep.false_pos) < show:
                top = sorted(m.features, key=lambda f: -abs(f.score * f.weight))[:3]
                why = "; ".join(f"{f.name}={f.score:.2f}" for f in top)
                rep.false_pos.append(
                    f"[{q['family']}/{q['variant']}/{q['lang']}] {q['query_id']} expected {expected} "
                    f"got {m.entry.entry_id} score {m.score:.3f} ({why})\n"
                    f"      query: {_short(person)}\n      entry: {_short(m.entry.person)}"
                )
    rep.seconds = time.perf_counter() - t0
    return rep


def _row(name: str, c: Counts) -> str:
    blk = f"{c.blocked / c.pos:7.1%}" if c.pos else "      -"
    return (
        f"{name:<32}{c.pos:>5}{c.neg:>5}{c.tp:>6}{c.fp:>5}{c.fn:>5}"
        f"{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f} {blk} {c.neg_alerted:>6}"
    )


def render(rep: Report, title: str) -> str:
    head = (
        f"{'':<32}{'pos':>5}{'neg':>5}{'TP':>6}{'FP':>5}{'FN':>5}{'prec':>8}{'recall':>8}{'F1':>8}"
        f" {'block_r':>7} {'negHit':>6}"
    )
    lines = [title, head, "-" * len(head)]
    lines.append("per case family")
    lines += [_row("  " + k, v) for k, v in sorted(rep.by_family.items())]
    lines.append("per list (expected entry's list; FP on the wrong entry's list)")
    lines += [_row("  " + k, v) for k, v in sorted(rep.by_list.items())]
    lines.append("per name language")
    lines += [_row("  " + k, v) for k, v in sorted(rep.by_lang.items())]
    lines.append("-" * len(head))
    lines.append(_row("OVERALL", rep.overall))
    lines.append(
        f"(block_r = recall of candidates() alone; negHit = negative queries that raised any alert; "
        f"screening took {rep.seconds:.2f}s)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Matcher precision/recall/F1 on the labelled evaluation set.")
    ap.add_argument("--set", choices=sorted(SETS), default="dev")
    ap.add_argument("--file", help="an evalset JSONL file (overrides --set)")
    ap.add_argument("--show", type=int, default=0, help="list the first N misses and N false positives")
    ap.add_argument("--min-f1", type=float, default=None, help="exit 1 when overall F1 is below this")
    args = ap.parse_args(argv)
    path = Path(args.file) if args.file else SETS[args.set]
    from agents.matching import MATCHER_VERSION

    rep = evaluate(path, args.show)
    print(
        render(
            rep,
            f"BorderWatch matcher {MATCHER_VERSION} on {path.name} "
            f"({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}Z)",
        )
    )
    if args.show:
        print(f"\nfirst {len(rep.misses)} misses:")
        print("\n".join(rep.misses) or "  none")
        print(f"\nfirst {len(rep.false_pos)} false positives:")
        print("\n".join(rep.false_pos) or "  none")
    if args.min_f1 is not None and rep.overall.f1 < args.min_f1:
        print(f"\nFAIL: overall F1 {rep.overall.f1:.3f} < {args.min_f1}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
