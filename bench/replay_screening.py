"""The batch screening path without Kafka: CPU per crossing of `screen_one` over a synthetic backlog.

    .venv/bin/python bench/replay_screening.py [--entries 1000000] [--events 50000] [--chunks 20]
        [--modes batch,one] [--data /tmp/bw_replay] [--profile OUT.pstats] [--alerts OUT.txt]

Builds the index of a synthetic watchlist once (bench/evalset/generate.py, cached as JSONL in --data), then
replays the crossings as the batch loop screens them (streams/stages/screening_batch.py), `STAGED`
records at a time through `screen_many` (mode `batch`), or each through `screen_one` as the Faust agent
does (mode `one`), with the slice's metrics gathered by `ScreenedSlice` and flushed every `MAX_RECORDS`.
The chunks go to the modes in turn, so the modes alternate over one index in one process. Prints the CPU
time (process_time) per crossing of each chunk, and per mode; each chunk's travellers are new to the name
caches, as at a checkpoint. Consuming from and producing to Kafka are not included. The clock is fixed, so
the messages written by --alerts (topic, key, value, in order) compare byte for byte across code versions.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple

import orjson

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.evalset.generate import DEFAULT_SEED, synthetic_events, write_planted_watchlist

AT = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
#: Crossings screened before the timed chunks (the last of the file's): not timed, not written.
WARM_UP = 1000
CHECKPOINTS = {"THA": ("TH-BKK-AIR", "TH-NKP-LAND"), "KHM": ("KH-PNH-AIR",), "MYS": ("MY-KUL-AIR",)}


class Record(NamedTuple):
    """What `screen_one` reads of an aiokafka record."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes


def ensure_data(data: Path, entries: int, events: int, seed: int) -> tuple[Path, Path]:
    watchlist, crossings = data / f"watchlist_{entries}.jsonl", data / f"crossings_{entries}_{events}.jsonl"
    data.mkdir(parents=True, exist_ok=True)
    if watchlist.exists() and crossings.exists():
        return watchlist, crossings
    planted = write_planted_watchlist(watchlist, entries, events, 0.02, seed)
    rng = random.Random(f"replay:{seed}:{entries}")
    with crossings.open("wb") as out:
        for i, (person, _expected) in enumerate(synthetic_events(events, planted, seed)):
            country = rng.choice(list(CHECKPOINTS))
            ev = {"event_id": f"EV-{i:07d}", "event_type": "border_crossing",
                  "occurred_at": (AT - dt.timedelta(seconds=events - i)).isoformat(),
                  "checkpoint_id": rng.choice(CHECKPOINTS[country]), "checkpoint_country": country,
                  "direction": rng.choice(("entry", "exit")), "traveler": person, "lane": "B-07"}
            if rng.random() < 0.2:
                ev["travel_group_id"] = f"GRP-{rng.randrange(10**6):06d}"
            out.write(orjson.dumps(ev) + b"\n")
    return watchlist, crossings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--events", type=int, default=50_000)
    ap.add_argument("--chunks", type=int, default=20, help="timed chunks the events are split into")
    ap.add_argument("--modes", default="batch,one",
                    help="comma-separated: batch (screen_many, STAGED at a time; batch:N: N), one (screen_one)")
    ap.add_argument("--data", type=Path, default=Path("/tmp/bw_replay"))
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--profile", type=Path, help="write a cProfile of the replay here (slower)")
    ap.add_argument("--alerts", type=Path, help="write every message screening produced here, in order")
    args = ap.parse_args(argv)

    from prometheus_client import CollectorRegistry

    from agents.watchlist import WatchlistStore, build_from_latest
    from streams.app import screening_context
    from streams.metrics import Metrics, ScreenedSlice
    from streams.runtime import Runtime
    from streams.settings import Settings
    from streams.stages.screening_batch import MAX_RECORDS, STAGED
    from streams.stages.screening_step import screen_many, screen_one
    from streams.worker import tune_gc

    watchlist, crossings = ensure_data(args.data, args.entries, args.events, args.seed)
    settings = Settings()
    ctx = screening_context(settings, clock=lambda: AT)
    store = WatchlistStore(ctx.matcher)
    c0 = time.process_time()
    latest = {orjson.loads(line)["entry_id"].encode(): line for line in watchlist.open("rb")}
    store.index, _invalid = build_from_latest(latest, ctx.matcher)
    del latest
    print(f"index: {len(store.index):,} entries, {time.process_time() - c0:.1f} s CPU", flush=True)
    tune_gc()  # as the worker runs
    runtime = Runtime(app=None, settings=settings, topics=ctx.topics, ctx=ctx, store=store,
                      metrics=Metrics(CollectorRegistry()), clock=lambda: AT)
    records = [Record(ctx.topics.crossings, i % 6, i, None, line.rstrip(b"\n"))
               for i, line in enumerate(crossings.open("rb"))]
    out = args.alerts.open("wb") if args.alerts else None
    profiler = cProfile.Profile() if args.profile else None
    for start in range(0, WARM_UP, STAGED):  # lazy imports and first touches, not timed (nor written)
        screen_many(runtime, records[-WARM_UP:][start:start + STAGED], ScreenedSlice(runtime).observe)
    records = records[:-WARM_UP]
    size = len(records) // args.chunks
    modes = args.modes.split(",")
    per_mode: dict[str, list[float]] = {mode: [] for mode in modes}
    produced = 0
    for k in range(args.chunks):
        chunk = records[k * size:(k + 1) * size]
        mode = modes[k % len(modes)]
        outputs: list[Any] = []
        if profiler is not None:
            profiler.enable()
        c = time.process_time()
        for start in range(0, len(chunk), MAX_RECORDS):  # one fetch of the batch loop
            tally = ScreenedSlice(runtime)
            fetched = chunk[start:start + MAX_RECORDS]
            if mode == "one":
                outputs += [screen_one(runtime, message, tally.observe) for message in fetched]
            else:  # batch, or batch:N (N records staged)
                staged = int(mode.partition(":")[2] or STAGED)
                for first in range(0, len(fetched), staged):
                    outputs += screen_many(runtime, fetched[first:first + staged], tally.observe)
            tally.flush()
        spent = time.process_time() - c
        if profiler is not None:
            profiler.disable()
        per_mode[mode].append(spent / len(chunk) * 1e6)
        produced += sum(len(o) for o in outputs)
        if out is not None:
            for outgoing in outputs:
                for o in outgoing:
                    out.write(b"%s %s %s\n" % (o.topic.encode(), o.key or b"-", o.value))
        print(f"chunk {k} ({mode}): {len(chunk):,} crossings, {per_mode[mode][-1]:.1f} µs CPU per crossing",
              flush=True)
    if out is not None:
        out.close()
    if profiler is not None:
        profiler.dump_stats(args.profile)
    for mode, spent_us in per_mode.items():
        print(f"{mode}: mean {sum(spent_us) / len(spent_us):.1f} µs CPU per crossing over {len(spent_us)} chunks "
              f"({', '.join(f'{x:.1f}' for x in spent_us)})", flush=True)
    print(f"{produced:,} messages out", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
