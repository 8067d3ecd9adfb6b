"""Where a screening call's time goes, stage by stage, on a large synthetic watchlist (one core).

    .venv/bin/python bench/profile_matcher.py --entries 1000000 --events 20000

Builds the index as bench/speed_matcher.py does, then makes three passes over travellers, each
pass over its own travellers, new to the name caches as at a checkpoint: preparing the traveller
alone, preparing and candidate generation, and the whole `search()`. The differences are the
stage costs (µs per event, CPU time); it works on the compiled matcher, whose functions cProfile
cannot see inside. `--cprofile` adds a profile of a fourth pass (meaningful with BW_PURE_PYTHON=1).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.evalset.generate import AT, DEFAULT_SEED, planted_indices, synthetic_events
from bench.speed_matcher import TimedEntries
from schemas import Person


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--cprofile", type=int, default=0, metavar="TOP",
                    help="then profile search() with cProfile and print the TOP functions (run with BW_PURE_PYTHON=1)")
    args = ap.parse_args(argv)

    from agents.matching import MatcherConfig, build_index, search
    from agents.matching.native import is_compiled
    screen_module = importlib.import_module("agents.matching.search")  # the package's `screen` is the function
    from agents.matching.prepared import prepare_person

    cfg = MatcherConfig()
    wanted = planted_indices(args.entries, args.events, 0.01, args.seed)
    source = TimedEntries(args.entries, args.seed, wanted)
    t0 = time.perf_counter()
    index = build_index(source, cfg, long_lived=True)
    print(f"index of {len(index):,} built in {time.perf_counter() - t0 - source.gen_ns / 1e9:.1f} s "
          f"(compiled: {is_compiled(screen_module.__name__)})")
    passes = 4 if args.cprofile else 3
    events = synthetic_events(passes * args.events, source.planted, args.seed)
    people = [Person.model_validate(raw) for raw, _ in events]
    batches = iter([people[k::passes] for k in range(passes)])
    gc.collect()
    candidate_slots = screen_module._candidate_slots

    def prepare_only(p: Person) -> object:
        return prepare_person(p)

    returned = 0

    def with_candidates(p: Person) -> object:
        nonlocal returned
        slots, _ = candidate_slots(index, prepare_person(p))
        returned += len(slots)
        return slots

    def whole(p: Person) -> object:
        return search(index, p, cfg, at=AT)

    results: dict[str, float] = {}
    for name, fn in (("prepare", prepare_only), ("prepare+candidates", with_candidates), ("screen", whole)):
        batch = next(batches)
        clock = time.thread_time_ns
        start = clock()
        for p in batch:
            fn(p)
        results[name] = (clock() - start) / 1e3 / len(batch)
    prep, cand, total = results["prepare"], results["prepare+candidates"], results["screen"]
    print(f"per event (µs, CPU): prepare {prep:.0f}, candidates {cand - prep:.0f}, "
          f"prefilter+scoring {total - cand:.0f}, total {total:.0f} ({1e6 / total:,.0f} events/s)")
    print(f"candidates returned per event: {returned / args.events:.1f}")
    if args.cprofile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for p in next(batches):
            whole(p)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.cprofile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
