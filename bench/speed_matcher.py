"""Matcher speed on one core: index build over a large synthetic watchlist, then per-event screening.

    .venv/bin/python bench/speed_matcher.py                          # 1,000,000 entries, 100,000 events
    .venv/bin/python bench/speed_matcher.py --entries 100000 --events 20000   # quick look

Prints index build time (entry generation time is measured separately and subtracted), peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``, i.e. the whole process: interpreter, generator and
index), screening throughput and p50/p99/max per ``search()`` call (``time.perf_counter_ns``), and
how many of the ~1 % planted travellers were found. Targets: build <= 60 s, peak RSS <= 2 GiB,
>= 5,000 events/s, p99 <= 5 ms.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
from array import array
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.evalset.generate import (
    AT,
    DEFAULT_SEED,
    planted_indices,
    synthetic_entry_dicts,
    synthetic_events,
    validate_entry,
)
from schemas import Person

TARGETS = {"build_s": 60.0, "rss_gib": 2.0, "events_per_s": 5000.0, "p99_ms": 5.0}


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def current_rss_mib() -> float:
    try:
        with open(f"/proc/{os.getpid()}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


class TimedEntries:
    """Streams synthetic entries into build_index, timing the generation apart and keeping planted ones."""

    def __init__(self, n: int, seed: int, wanted: set[int]) -> None:
        self.n, self.seed, self.wanted = n, seed, wanted
        self.gen_ns = 0
        self.gen_cpu_ns = 0
        self.planted: list[dict] = []

    def __iter__(self):  # type: ignore[no-untyped-def]
        dicts = synthetic_entry_dicts(self.n, self.seed)
        clock, cpu = time.perf_counter_ns, time.thread_time_ns
        for k in range(self.n):
            t, c = clock(), cpu()
            d = next(dicts)
            entry = validate_entry(d)
            if k in self.wanted:
                self.planted.append(d)
            self.gen_ns += clock() - t
            self.gen_cpu_ns += cpu() - c
            yield entry


def pct(sorted_ns: array, q: float) -> float:
    return sorted_ns[min(len(sorted_ns) - 1, int(q * len(sorted_ns)))] / 1e6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Matcher build/screen speed on synthetic data (one core).")
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--hit-rate", type=float, default=0.01, help="share of events that are planted hits")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args(argv)

    from agents.matching import MATCHER_VERSION, MatcherConfig, build_index, search

    print(
        f"BorderWatch matcher {MATCHER_VERSION}: {args.entries:,} entries, {args.events:,} events, "
        f"pid {os.getpid()}, python {sys.version.split()[0]}"
    )
    rss0 = rss_mib()
    cfg = MatcherConfig()
    wanted = planted_indices(args.entries, args.events, args.hit_rate, args.seed)
    source = TimedEntries(args.entries, args.seed, wanted)
    t0, c0 = time.perf_counter_ns(), time.process_time()
    index = build_index(source, cfg, long_lived=True)  # as a worker builds its watchlist
    total_build = (time.perf_counter_ns() - t0) / 1e9
    build_cpu = time.process_time() - c0 - source.gen_cpu_ns / 1e9
    gen_s = source.gen_ns / 1e9
    build_s = total_build - gen_s
    rss_build = rss_mib()
    print(
        f"index build           {build_s:8.1f} s   (CPU {build_cpu:.1f} s; + {gen_s:.1f} s generating entries; "
        f"{len(index):,} entries; by list {index.counts_by_list()})"
    )
    print(
        f"RSS after build       {current_rss_mib():8.0f} MiB (peak so far {rss_build:.0f} MiB, {rss0:.0f} MiB before)"
    )

    # Travellers are generated and validated one at a time, outside the timed calls: a list of
    # 100,000 validated persons would add hundreds of MB to the process's peak RSS, which measures the index.
    travellers = synthetic_events(args.events, source.planted, args.seed)
    gc.collect()
    times = array("q", bytes(8 * args.events))
    cpu_times = array("q", bytes(8 * args.events))
    thread_ns = time.thread_time_ns
    progress = max(1, args.events // 10)
    alerts_by_nat: Counter[str] = Counter()
    travellers_by_nat: Counter[str] = Counter()
    planted = found = background_alerts = alerts = 0
    clock = time.perf_counter_ns
    w0 = clock()
    for i, (raw, expected) in enumerate(travellers):
        person = Person.model_validate(raw)
        c = thread_ns()
        t = clock()
        matches = search(index, person, cfg, at=AT)
        times[i] = clock() - t
        cpu_times[i] = thread_ns() - c
        alerts += len(matches)
        if progress and (i + 1) % progress == 0:
            print(f"  screened {i + 1:,} events", file=sys.stderr, flush=True)
        if expected is not None:
            planted += 1
            found += any(m.entry.entry_id == expected for m in matches)
        else:
            travellers_by_nat[person.nationality or "?"] += 1
            if matches:
                background_alerts += 1
                alerts_by_nat[person.nationality or "?"] += 1
    n_travellers = i + 1
    wall = (clock() - w0) / 1e9
    screen_s = sum(times) / 1e9
    ordered = array("q", sorted(times))
    eps = n_travellers / screen_s if screen_s else float("inf")
    p50, p99, p999, mx = pct(ordered, 0.50), pct(ordered, 0.99), pct(ordered, 0.999), ordered[-1] / 1e6
    cpu_ordered = array("q", sorted(cpu_times))
    cpu_s = sum(cpu_times) / 1e9
    cpu_eps = n_travellers / cpu_s if cpu_s else float("inf")
    cpu_p50, cpu_p99 = pct(cpu_ordered, 0.50), pct(cpu_ordered, 0.99)
    peak = rss_mib()
    print(
        f"screening             {eps:8.0f} events/s (search() time {screen_s:.1f} s, "
        f"loop wall with traveller generation {wall:.1f} s)"
    )
    print(f"per event             p50 {p50:.3f} ms   p99 {p99:.3f} ms   p99.9 {p999:.3f} ms   max {mx:.1f} ms")
    print(f"per event, CPU time   p50 {cpu_p50:.3f} ms   p99 {cpu_p99:.3f} ms   ({cpu_eps:.0f} events/s of CPU)")
    print(f"planted hits found    {found}/{planted} ({found / planted:.1%})" if planted else "no planted hits")
    print(
        f"background alerts     {background_alerts} of {n_travellers - planted} non-planted travellers "
        f"({alerts} alerts in all; chance look-alikes of synthetic names)"
    )
    print(
        "  by nationality      "
        + ", ".join(f"{nat} {alerts_by_nat[nat] / n:.1%}" for nat, n in sorted(travellers_by_nat.items()) if n)
    )
    print(f"peak RSS              {peak:8.0f} MiB")
    rows = [
        ("index build (s)", build_s, TARGETS["build_s"], build_s <= TARGETS["build_s"]),
        ("peak RSS (GiB)", peak / 1024, TARGETS["rss_gib"], peak / 1024 <= TARGETS["rss_gib"]),
        ("events/s", eps, TARGETS["events_per_s"], eps >= TARGETS["events_per_s"]),
        ("p99 per event (ms)", p99, TARGETS["p99_ms"], p99 <= TARGETS["p99_ms"]),
        ("events/s (CPU)", cpu_eps, TARGETS["events_per_s"], cpu_eps >= TARGETS["events_per_s"]),
        ("p99 CPU (ms)", cpu_p99, TARGETS["p99_ms"], cpu_p99 <= TARGETS["p99_ms"]),
    ]
    print("\ntarget check")
    for name, value, target, ok in rows:
        print(
            f"  {name:<20}{value:>12.2f}   target {'>=' if name.startswith('events/s') else '<='} {target:<8g} "
            f"{'PASS' if ok else 'FAIL'}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
