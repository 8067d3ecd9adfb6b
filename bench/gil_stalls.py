"""The longest stretches for which a bulk index build keeps other threads from running.

A worker builds its watchlist index in a thread while the event loop and the Kafka client's
heartbeat thread must keep running. A ticker thread sleeps 1 ms at a time during the build and
records how long each sleep really took; the longest ones are GIL stalls.

    .venv/bin/python bench/gil_stalls.py --entries 100000
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.evalset.generate import DEFAULT_SEED, planted_indices
from bench.speed_matcher import TimedEntries


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--top", type=int, default=8)
    args = ap.parse_args(argv)

    from agents.matching import MatcherConfig, build_index

    gaps: list[tuple[float, float]] = []
    done = threading.Event()

    def tick() -> None:
        last = time.perf_counter()
        while not done.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            gaps.append((now - last, now))
            last = now

    source = TimedEntries(args.entries, DEFAULT_SEED, planted_indices(args.entries, 1000, 0.01, DEFAULT_SEED))
    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    started = time.perf_counter()
    index = build_index(source, MatcherConfig(), long_lived=True)
    took = time.perf_counter() - started
    done.set()
    ticker.join()
    print(f"build of {len(index):,} entries: {took:.1f} s (entry generation included); {len(gaps):,} ticks")
    for gap, at in sorted(gaps, reverse=True)[: args.top]:
        print(f"stall {gap * 1000:7.0f} ms at +{at - started:6.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
