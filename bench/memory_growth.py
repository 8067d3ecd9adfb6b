"""How a worker's memory grows with traffic once the index is built: the name caches fill with
travellers' names. Builds an index in-process, screens fresh travellers in six chunks and prints
RSS and µs per event (CPU) after each, then the fill and hit rate of every large cache.

    .venv/bin/python bench/memory_growth.py --entries 1000000 --events 300000
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.evalset.generate import AT, DEFAULT_SEED, planted_indices, synthetic_events
from bench.speed_matcher import TimedEntries
from schemas import Person


def memory_mib() -> dict[str, int]:
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS", "VmHWM")):
            out[line.split(":")[0]] = int(line.split()[1]) // 1024
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--events", type=int, default=300_000)
    ap.add_argument("--chunks", type=int, default=6)
    args = ap.parse_args(argv)

    from agents.matching import MatcherConfig, build_index, search

    cfg = MatcherConfig()
    source = TimedEntries(args.entries, DEFAULT_SEED, planted_indices(args.entries, args.events, 0.01, DEFAULT_SEED))
    index = build_index(source, cfg, long_lived=True)
    print(f"index of {len(index):,} built: {memory_mib()}", flush=True)
    events = synthetic_events(args.events, source.planted, DEFAULT_SEED + 1)
    chunk = args.events // args.chunks
    for k in range(args.chunks):
        people = [Person.model_validate(raw) for raw, _ in itertools.islice(events, chunk)]
        start = time.thread_time_ns()
        for person in people:
            search(index, person, cfg, at=AT)
        us = (time.thread_time_ns() - start) / 1e3 / len(people)
        del people
        print(f"after {(k + 1) * chunk:,} travellers: {us:.0f} µs per event, {memory_mib()}", flush=True)
    for name, module in sorted(sys.modules.items()):
        if not name.startswith("agents.matching"):
            continue
        for value in vars(module).values():
            if hasattr(value, "cache_info") and getattr(value, "__module__", "") == name:
                info = value.cache_info()
                if info.currsize > 1000:
                    hits = info.hits / max(1, info.hits + info.misses)
                    print(f"  {name}.{value.__name__}: {info.currsize:,}/{info.maxsize:,}, {hits:.0%} hits")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
