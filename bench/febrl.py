"""Third-party records: recall and precision of the real engine on Febrl dataset 4.

    .venv/bin/python bench/febrl.py            # 5,000 entries, 5,000 corrupted duplicates as crossings
    .venv/bin/python bench/febrl.py --show 10  # also list misses and false alerts

Data: `tests/data/febrl/` (see its SOURCES.md): 5,000 original records become watchlist entries (name, date
of birth; lists spread over the three kinds), each one's corrupted duplicate (typos, missing or swapped
values) becomes a crossing. The Social Security number is not a travel document, so it is left out: the
matcher sees names and dates only. A crossing found its own entry: true positive; any alert on another entry:
false positive. Screening goes through `streams.offline.screen_files`, the worker's engine with default
settings. Nobody on the team wrote this data, and the matcher was not tuned on it: it is held-out.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import io
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests/data/febrl"
AT = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
LISTS = ("suspect", "missing_person", "suspected_victim")


def records(name: str) -> list[dict[str, str]]:
    with gzip.open(DATA / f"{name}.csv.gz", "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(io.StringIO(f.read()), skipinitialspace=True))
    return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in rows]


def number(rec_id: str) -> int:
    return int(rec_id.split("-")[1])


def dob(value: str) -> str | None:
    """yyyymmdd as an ISO date, or None when missing or not a calendar date (the record keeps the rest)."""
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8])).isoformat() if len(value) == 8 else None
    except ValueError:
        return None


def person(row: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if row["given_name"]:
        out["given_names"] = row["given_name"]
    if row["surname"]:
        out["surname"] = row["surname"]
    if not out:
        out["full_name"] = "unknown"
    born = dob(row["date_of_birth"])
    if born:
        out["date_of_birth"] = born
    return out


def entry_for(row: dict[str, str]) -> dict[str, Any]:
    n = number(row["rec_id"])
    return {"entry_id": f"FE-{n}", "list": LISTS[n % 3], "person": person(row), "source_country": "AUS",
            "source_agency": "febrl bench", "case_ref": f"FE-{n}"}


def crossing_for(row: dict[str, str], i: int) -> dict[str, Any]:
    traveler = person(row)
    return {"event_id": f"EV-{i}-{number(row['rec_id'])}", "event_type": "border_crossing",
            "occurred_at": AT.isoformat(), "checkpoint_id": "BENCH-FEBRL", "checkpoint_country": "THA",
            "direction": "entry", "traveler": traveler}


def evaluate(show: int) -> dict[str, Any]:
    from schemas import Alert
    from streams.app import screening_context
    from streams.offline import screen_files
    from streams.settings import Settings

    originals = records("dataset4a")
    duplicates = records("dataset4b")
    entries = [entry_for(r) for r in originals]
    events = [crossing_for(r, i) for i, r in enumerate(duplicates)]
    hits: dict[str, list[Alert]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="febrl-") as tmp:
        wl, ev = Path(tmp, "watchlist.jsonl"), Path(tmp, "events.jsonl")
        wl.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
        ev.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
        t0 = time.perf_counter()
        for out in screen_files(wl, ev, screening_context(Settings()), now=AT):
            if isinstance(out, tuple):
                raise SystemExit(f"bench event rejected at line {out[0]}: {out[1]}")
            hits[out.event_id].append(out)
        seconds = time.perf_counter() - t0
    by_id = {e["entry_id"]: e for e in entries}
    tp = fp = 0
    misses: list[str] = []
    false: list[str] = []
    for event in events:
        own = "FE-" + event["event_id"].rsplit("-", 1)[1]
        alerts = hits.get(event["event_id"], [])
        found = any(a.entry_id == own for a in alerts)
        tp += found
        wrong = [a for a in alerts if a.entry_id != own]
        fp += len(wrong)
        if not found and len(misses) < show:
            misses.append(f"  {event['traveler']} -> {by_id[own]['person']}")
        for a in wrong[: max(0, show - len(false))]:
            false.append(f"  {event['traveler']} -> {by_id[a.entry_id]['person']} score {a.score:.3f}")
    return {"pos": len(events), "tp": tp, "fp": fp, "seconds": seconds, "misses": misses, "false": false}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--show", type=int, default=0, help="list the first N misses and false alerts")
    args = ap.parse_args(argv)
    r = evaluate(args.show)
    recall = r["tp"] / r["pos"]
    precision = r["tp"] / (r["tp"] + r["fp"]) if r["tp"] + r["fp"] else float("nan")
    print(f"Febrl dataset 4: {r['pos']} crossings against 5,000 entries; screening {r['seconds']:.1f} s")
    print(f"recall {recall:.4f} ({r['tp']}/{r['pos']}), precision {precision:.4f} ({r['fp']} false alerts)")
    if args.show:
        print("misses:", *r["misses"], "false alerts:", *r["false"], sep="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
