"""Real passport spellings: recall per script and precision of the real engine on real name pairs.

    .venv/bin/python bench/realspell.py                      # dev and holdout, DOB/sex on both sides when known
    .venv/bin/python bench/realspell.py --no-dob-sex         # names and nationality only
    .venv/bin/python bench/realspell.py --show-misses dev    # list the dev misses (never tune on holdout)
    .venv/bin/python bench/realspell.py --split dev          # the dev split only (what tuning runs)
    .venv/bin/python bench/realspell.py --write              # also write bench/results/realspell.md
    .venv/bin/python bench/realspell.py split                # (re)write realspell_{dev,holdout}.jsonl
    .venv/bin/python bench/realspell.py --pairs FILE         # screen new pairs (not yet in pairs.jsonl), list misses

Data: `tests/data/realspell/pairs.jsonl`, one real person per line (name in their own script and a Latin
spelling that an official or public source used for the same person); provenance per line, sources and
licences in `tests/data/realspell/SOURCES.md`. Nothing here is produced by a romanizer.

How a pair is screened (what a checkpoint would see): the watchlist holds one entry per pair with only the
native-script full name, the nationality of the script and, when the source gives them, date of birth and
sex. The crossing carries the Latin spelling as a passport would (upper case; Thai and Lao given names
then surname, Khmer surname first, Burmese as one given-name field), the same nationality, and the same DOB
and sex unless `--no-dob-sex`. Screening goes through `streams.offline.screen_files`, the worker's exact
engine with default settings (`streams.app.screening_context`).

Counting: a query is a true positive when its own entry alerts. Every alert on another entry is a false
positive. The index holds every pair of both splits (all other real people are namesake candidates) plus the
synthetic evaluation set's dev entries as decoys (`tests/data/evalset_dev.jsonl`, same six nationalities).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests/data/realspell"
PAIRS = DATA / "pairs.jsonl"
SPLITS = {"dev": DATA / "realspell_dev.jsonl", "holdout": DATA / "realspell_holdout.jsonl"}
DECOYS = ROOT / "tests/data/evalset_dev.jsonl"
RESULT = ROOT / "bench/results/realspell.md"
NOTES = "\n## Notes"  # from this heading on, the result file is hand-written and kept by --write

NATIONALITY = {"thai": "THA", "lao": "LAO", "khmer": "KHM", "burmese": "MMR", "chinese": "CHN",
               "vietnamese": "VNM"}
SCRIPTS = tuple(NATIONALITY)
AT = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


# ------------------------------------------------------------------------------------------- data
def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def person_key(pair: dict[str, Any]) -> str:
    """The native name: two Latin spellings of it (one person, or namesakes) always share a split side."""
    return hashlib.sha256(f"{pair['script']}|{pair['native']}".encode()).hexdigest()[:16]


def split_of(pair: dict[str, Any]) -> str:
    """dev or holdout, from a hash of the native name, so that two spellings of one person never land on
    both sides and adding pairs never moves old ones. Fixed before any tuning; never change it to move a pair."""
    return "holdout" if int(person_key(pair)[:2], 16) % 2 else "dev"


def entry_keys(pairs: list[dict[str, Any]]) -> dict[str, str]:
    """pair id -> watchlist entry: one entry per person. Pairs with the same native name are one person
    unless their sources give different dates of birth (real namesakes, e.g. two MPs called ခင်မောင်မြင့်);
    a pair without a DOB joins the namesake with one when there is exactly one."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for pair in pairs:
        groups[person_key(pair)].append(pair)
    out: dict[str, str] = {}
    for key, members in groups.items():
        dobs = sorted({p["dob"] for p in members if p.get("dob")})
        for pair in members:
            dob = pair.get("dob") or (dobs[0] if len(dobs) == 1 else "")
            out[pair["id"]] = f"{key}-{dob}" if dob else key
    return out


def write_splits() -> dict[str, int]:
    pairs = load(PAIRS)
    out: dict[str, list[str]] = {name: [] for name in SPLITS}
    for pair in pairs:
        out[split_of(pair)].append(json.dumps(pair, ensure_ascii=False))
    for name, path in SPLITS.items():
        path.write_text("".join(line + "\n" for line in out[name]), encoding="utf-8")
    return {name: len(lines) for name, lines in out.items()}


# ------------------------------------------------------------------------------------- messages
def passport_name(pair: dict[str, Any]) -> tuple[str | None, str | None]:
    """(given_names, surname) as a passport of that country prints the Latin spelling."""
    tokens = pair["latin"].upper().split()
    script = pair["script"]
    if script == "burmese" or len(tokens) == 1:
        return " ".join(tokens), None
    if script in ("khmer", "chinese", "vietnamese"):
        return " ".join(tokens[1:]), tokens[0]
    return " ".join(tokens[:-1]), tokens[-1]


def entry_for(pair: dict[str, Any], key: str, *, with_dob_sex: bool) -> dict[str, Any]:
    person: dict[str, Any] = {"full_name": pair["native"], "nationality": NATIONALITY[pair["script"]]}
    if with_dob_sex:
        person.update({k: v for k, v in (("date_of_birth", pair.get("dob")), ("sex", pair.get("sex"))) if v})
    nat = NATIONALITY[pair["script"]]
    return {"entry_id": f"RS-{key}", "list": "missing_person", "person": person,
            "source_country": nat, "source_agency": "realspell bench", "case_ref": f"RS-{key}"}


def crossing_for(pair: dict[str, Any], *, with_dob_sex: bool) -> dict[str, Any]:
    given, surname = passport_name(pair)
    traveler: dict[str, Any] = {"given_names": given, "nationality": NATIONALITY[pair["script"]]}
    if surname:
        traveler["surname"] = surname
    if with_dob_sex:
        traveler.update({k: v for k, v in (("date_of_birth", pair.get("dob")), ("sex", pair.get("sex"))) if v})
    return {"event_id": f"EV-{pair['id']}", "event_type": "border_crossing", "occurred_at": AT.isoformat(),
            "checkpoint_id": "BENCH-REALSPELL", "checkpoint_country": NATIONALITY[pair["script"]],
            "direction": "entry", "traveler": traveler}


# ------------------------------------------------------------------------------------- counting
@dataclass
class Counts:
    pos: int = 0
    tp: int = 0
    fp: int = 0

    @property
    def recall(self) -> float:
        return self.tp / self.pos if self.pos else float("nan")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")


@dataclass
class Report:
    by_script: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    overall: Counts = field(default_factory=Counts)
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_alerts: list[tuple[dict[str, Any], str, float]] = field(default_factory=list)
    seconds: float = 0.0


def evaluate(queries: list[dict[str, Any]], *, with_dob_sex: bool, decoys: bool = True,
             extra: list[dict[str, Any]] | None = None) -> Report:
    from schemas import Alert
    from streams.app import screening_context
    from streams.offline import screen_files
    from streams.settings import Settings

    everyone = load(PAIRS)
    known = {p["id"] for p in everyone}
    everyone += [p for p in extra or () if p["id"] not in known]  # pairs not yet in pairs.jsonl join the index
    keys = entry_keys(everyone)
    # the entry of a person is built from the pair that carries the most (DOB, sex) of that person
    best = {}
    for p in sorted(everyone, key=lambda p: ("dob" in p) + ("sex" in p)):
        best[keys[p["id"]]] = p
    entries = [entry_for(p, k, with_dob_sex=with_dob_sex) for k, p in best.items()]
    if decoys:
        entries += [json.loads(line)["entry"] for line in DECOYS.open(encoding="utf-8")
                    if '"kind":"entry"' in line]
    by_event = {f"EV-{q['id']}": q for q in queries}
    rep = Report()
    ctx = screening_context(Settings())
    with tempfile.TemporaryDirectory(prefix="realspell-") as tmp:
        wl, ev = Path(tmp, "watchlist.jsonl"), Path(tmp, "events.jsonl")
        wl.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
        ev.write_text("".join(json.dumps(crossing_for(q, with_dob_sex=with_dob_sex), ensure_ascii=False) + "\n"
                              for q in queries), encoding="utf-8")
        t0 = time.perf_counter()
        hits: dict[str, list[Alert]] = defaultdict(list)
        for out in screen_files(wl, ev, ctx, now=AT):
            if isinstance(out, tuple):
                raise SystemExit(f"bench event rejected at line {out[0]}: {out[1]}")
            hits[out.event_id].append(out)
        rep.seconds = time.perf_counter() - t0
    for event_id, q in by_event.items():
        own = f"RS-{keys[q['id']]}"
        alerts = hits.get(event_id, [])
        for c in (rep.by_script[q["script"]], rep.overall):
            c.pos += 1
            c.tp += any(a.entry_id == own for a in alerts)
            c.fp += sum(a.entry_id != own for a in alerts)
        if not any(a.entry_id == own for a in alerts):
            rep.misses.append(q)
        rep.false_alerts += [(q, a.entry_id, a.score) for a in alerts if a.entry_id != own]
    return rep


# --------------------------------------------------------------------------------------- output
def table(rep: Report) -> list[str]:
    lines = ["| script | pairs | found (TP) | missed | false alerts | recall | precision |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for script in SCRIPTS:
        c = rep.by_script.get(script)
        if c is None:
            continue
        lines.append(f"| {script} | {c.pos} | {c.tp} | {c.pos - c.tp} | {c.fp} | {c.recall:.3f} | "
                     f"{c.precision:.3f} |")
    c = rep.overall
    lines.append(f"| **all** | {c.pos} | {c.tp} | {c.pos - c.tp} | {c.fp} | {c.recall:.3f} | {c.precision:.3f} |")
    return lines


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu or 'unknown CPU'}, " \
           f"Python {platform.python_version()}"


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Recall/precision on real passport spellings (dev and holdout).")
    ap.add_argument("command", nargs="?", choices=("run", "split"), default="run")
    ap.add_argument("--no-dob-sex", action="store_true", help="leave DOB and sex out of entries and crossings")
    ap.add_argument("--no-decoys", action="store_true", help="index only the real pairs")
    ap.add_argument("--show-misses", choices=("dev",), help="print the misses of the dev split")
    ap.add_argument("--split", choices=tuple(SPLITS), help="run one split only (tuning: dev)")
    ap.add_argument("--write", action="store_true", help=f"write {RESULT.relative_to(ROOT)}")
    ap.add_argument("--pairs", type=Path, help="screen the pairs of this file instead of the splits (index: "
                    "pairs.jsonl plus this file plus decoys) and list its misses")
    args = ap.parse_args(argv)
    if args.command == "split":
        print(write_splits())
        return 0
    if args.pairs:
        fresh = load(args.pairs)
        rep = evaluate(fresh, with_dob_sex=not args.no_dob_sex, decoys=not args.no_decoys, extra=fresh)
        print(f"\n{args.pairs.name}, {'without' if args.no_dob_sex else 'with'} DOB/sex, screening {rep.seconds:.2f} s")
        print("\n".join(table(rep)))
        for q in rep.misses:
            given, surname = passport_name(q)
            print(f"  miss [{q['script']}] {q['native']}  <-  {given or ''} / {surname or '-'}  "
                  f"(dob {q.get('dob', '?')}, sex {q.get('sex', '?')})")
        for q, entry_id, score in rep.false_alerts:
            print(f"  false alert [{q['script']}] {q['latin']} -> {entry_id} score {score:.3f}")
        return 0
    from agents.matching import MATCHER_VERSION

    # --write records both variants so the result file shows what DOB/sex contribute
    modes = [True, False] if args.write else [not args.no_dob_sex]
    cmd = " ".join(["bench/realspell.py", *(argv if argv is not None else sys.argv[1:])])
    sections: list[str] = []
    reports: dict[str, Report] = {}
    for with_dob_sex in modes:
        for name, path in SPLITS.items():
            if args.split and name != args.split:
                continue
            rep = evaluate(load(path), with_dob_sex=with_dob_sex, decoys=not args.no_decoys)
            reports.setdefault(name, rep)
            title = (f"{name} ({path.name}), {'with' if with_dob_sex else 'without'} DOB/sex, "
                     f"screening {rep.seconds:.2f} s")
            print(f"\n{title}")
            print("\n".join(table(rep)))
            sections += [f"### {title}", "", *table(rep), ""]
    if args.show_misses:
        print(f"\n{args.show_misses} misses:")
        for q in reports[args.show_misses].misses:
            given, surname = passport_name(q)
            print(f"  [{q['script']}] {q['native']}  <-  {given or ''} / {surname or '-'}  "
                  f"(dob {q.get('dob', '?')}, sex {q.get('sex', '?')})")
        print(f"\n{args.show_misses} false alerts:")
        for q, entry_id, score in reports[args.show_misses].false_alerts:
            print(f"  [{q['script']}] {q['latin']} -> {entry_id} score {score:.3f}")
    if args.write:
        # a hand-written "## Notes" section (e.g. a before/after record) survives a rewrite of the tables
        old = RESULT.read_text(encoding="utf-8") if RESULT.exists() else ""
        notes = old[old.index(NOTES):].rstrip("\n").split("\n") if NOTES in old else []
        text = [
            "# Real passport spellings (`bench/realspell.py`)", "",
            f"Command: `.venv/bin/python {cmd}` (runs the default variant, with DOB/sex, and `--no-dob-sex`).",
            f"Machine: {machine()}. Commit {commit()}, matcher {MATCHER_VERSION}, "
            f"run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}Z.", "",
            "Data: `tests/data/realspell/` (real people, provenance per pair, `SOURCES.md`). Engine: "
            "`streams.offline.screen_files` with default settings. Entries: list `missing_person`, native-script "
            "full name, nationality of the script, DOB and sex where the source gives them. Index: one entry per "
            "real person of both splits plus the synthetic dev evaluation set's entries as decoys. Precision "
            "counts every alert on another entry as false. Tune on dev only "
            "(`bench/realspell.py --show-misses dev` lists its misses).", "",
            *sections,
            *notes,
        ]
        RESULT.write_text("\n".join(text) + "\n", encoding="utf-8")
        print(f"\nwrote {RESULT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
