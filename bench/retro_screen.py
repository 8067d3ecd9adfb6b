"""Retro-screen cost: how long does a 30-day look-back take at 100,000 crossings/day?

Times the pure decision (`agents.retro_screening.retro_alerts`: decode + prepare + screen each past event)
on N synthetic past crossings for a batch of changed entries, and extrapolates to 3,000,000 events
(30 days x 100,000/day). Reading those records from Kafka adds the consume cost measured by
bench/e2e.py (the aiokafka consume ceiling in bench/results/e2e.md).

    .venv/bin/python bench/retro_screen.py [--events 20000] [--entries 1 100 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import uuid
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agents.retro_screening import retro_alerts
from bench.evalset.generate import synthetic_entry_dicts, synthetic_events
from schemas import WatchlistEntry
from streams.app import screening_context
from streams.settings import Settings

PER_DAY, DAYS = 100_000, 30


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--entries", type=int, nargs="+", default=[1, 100, 10_000])
    args = ap.parse_args()
    now = dt.datetime.now(dt.UTC)
    ctx = screening_context(Settings(), clock=lambda: now)
    records = []
    for i, (person, _) in enumerate(synthetic_events(args.events, [])):
        event = {"event_id": str(uuid.UUID(int=i)), "event_type": "border_crossing",
                 "occurred_at": (now - dt.timedelta(seconds=i * 25)).isoformat(), "checkpoint_id": "THA-CP01",
                 "checkpoint_country": "THA", "direction": "entry", "traveler": person}
        records.append((ctx.topics.crossings, orjson.dumps(event)))
    print("| changed entries | past events | seconds | µs/event | 30 days x 100k/day (extrapolated) | alerts |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in args.entries:
        changes = [(WatchlistEntry.model_validate(d), None) for d in synthetic_entry_dicts(n, seed=99)]
        started = time.perf_counter()
        alerts = retro_alerts(changes, records, ctx, now=now, since=now - dt.timedelta(days=DAYS),
                              watchlist_version=1)
        took = time.perf_counter() - started
        per = took / len(records)
        print(f"| {n:,} | {len(records):,} | {took:.1f} | {per * 1e6:.0f} | {per * PER_DAY * DAYS / 60:.0f} min "
              f"| {len(alerts)} |", flush=True)


if __name__ == "__main__":
    main()
