"""CPU per crossing of the worker's `process_event`, two or more source trees side by side (A/B).

    .venv/bin/python bench/ab_trees.py /tmp/main-tree . --entries 1000000 --chunks 30

Each tree runs in a process of its own (its own compiled matcher when its build is current), builds
the same synthetic watchlist (bench/evalset/generate.py, as bench/e2e.py) and screens the same
crossings through `agents.screening.process_event` as the worker does (name-frequency model on,
`tune_gc`, a fixed clock), after a warm-up that also teaches the model. Then chunks of crossings new
to every cache, each tree in turn in a rotating order, CPU time of the screening thread per chunk: on
a shared, noisy machine the trees see the same load, and the median per-chunk ratio to the first
tree says more than either mean. Every message each tree would send is written to OUT/<n>.out, so
the trees' outputs can be compared line for line (`cmp`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CHILD = r'''
import datetime as dt, gc, hashlib, json, os, resource, sys, time
import orjson
from bench.evalset.generate import AT, planted_indices, synthetic_entry_dicts, synthetic_events, validate_entry
from bench.e2e import crossing
import random

def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n"); sys.stdout.flush()

args = json.loads(sys.argv[1])
from agents.matching import build_index, native
from agents.screening import process_event
from streams.app import screening_context
from streams.settings import Settings
try:
    from streams.worker import tune_gc
except ImportError:  # a tree from before it
    def tune_gc(): pass
fixed = AT if isinstance(AT, dt.datetime) else dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
ctx = screening_context(Settings(), clock=lambda: fixed)
n, seed = args["entries"], args["seed"]
total_events = args["warm"] + args["chunks"] * args["chunk"]
wanted = planted_indices(n, total_events, 0.02, seed)
planted = []
def source():
    for k, d in enumerate(synthetic_entry_dicts(n, seed)):
        if k in wanted:
            planted.append(d)
        yield validate_entry(d)
c0 = time.process_time()
index = build_index(source(), ctx.matcher, long_lived=True)
build_cpu = time.process_time() - c0
rng = random.Random(f"ab:{seed}:{n}")
stamp = fixed.isoformat()
raws = []
for i, (person, _expected) in enumerate(synthetic_events(total_events, planted, seed)):
    ev = crossing(person, rng, f"EV-{n}-{i:07d}")
    ev["occurred_at"] = stamp
    raws.append(orjson.dumps(ev))
del planted
gc.collect()
tune_gc()
out = open(args["out"], "wb")
topic = ctx.topics.crossings
partitions = 6
def run(lo, hi):
    alerts = 0
    for i in range(lo, hi):
        p = process_event(raws[i], None, topic=topic, partition=i % partitions, offset=i, index=index, ctx=ctx)
        alerts += len(p.alerts)
        for o in p.outgoing:
            out.write(o.topic.encode() + b"\t" + (o.key or b"") + b"\t" + o.value + b"\n")
    return alerts
run(0, args["warm"])
say({"ready": True, "pid": os.getpid(), "compiled": native.is_compiled("agents.matching.scorer"),
     "build_cpu_s": build_cpu,
     "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
for line in sys.stdin:
    k = int(line)
    if k < 0:
        break
    lo = args["warm"] + k * args["chunk"]
    t = time.thread_time_ns()
    a = run(lo, lo + args["chunk"])
    say({"k": k, "cpu_ns": time.thread_time_ns() - t, "alerts": a})
out.close()
say({"done": True, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
'''


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("trees", nargs="+", help="source trees (the first is the reference)")
    ap.add_argument("--entries", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--warm", type=int, default=12_000, help="crossings screened before timing (not timed)")
    ap.add_argument("--chunks", type=int, default=20)
    ap.add_argument("--chunk", type=int, default=1_000)
    ap.add_argument("--out", default="/tmp/ab_trees")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    python = str(Path(sys.executable))
    procs = []
    for n, tree in enumerate(args.trees):
        root = str(Path(tree).resolve())
        child_args = {"entries": args.entries, "seed": args.seed, "warm": args.warm, "chunks": args.chunks,
                      "chunk": args.chunk, "out": str(out / f"{n}.out")}
        env = {**os.environ, "PYTHONPATH": root}
        procs.append(subprocess.Popen([python, "-c", CHILD, json.dumps(child_args)], cwd=root, env=env,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
    for n, p in enumerate(procs):
        assert p.stdout is not None
        print(f"tree {n} ({args.trees[n]}): {p.stdout.readline().strip()}", flush=True)
    cpu: list[list[float]] = [[] for _ in procs]
    alerts = [0 for _ in procs]
    for k in range(args.chunks):
        order = [(k + j) % len(procs) for j in range(len(procs))]
        for n in order:
            p = procs[n]
            assert p.stdin is not None and p.stdout is not None
            p.stdin.write(f"{k}\n")
            p.stdin.flush()
            reply = json.loads(p.stdout.readline())
            cpu[n].append(reply["cpu_ns"] / args.chunk / 1e3)
            alerts[n] += reply["alerts"]
    for p in procs:
        assert p.stdin is not None and p.stdout is not None
        p.stdin.write("-1\n")
        p.stdin.flush()
        print(p.stdout.readline().strip())
        p.wait()
    print(f"load average: {os.getloadavg()}; {args.entries:,} entries, {args.chunks} chunks of {args.chunk}, "
          f"{time.strftime('%H:%M UTC', time.gmtime())}")
    for n, tree in enumerate(args.trees):
        ratios = [a / b for a, b in zip(cpu[n], cpu[0], strict=True)]
        print(f"tree {n} {tree}: mean {statistics.fmean(cpu[n]):.1f} µs CPU/event, median chunk "
              f"{statistics.median(cpu[n]):.1f}, median ratio to tree 0 {statistics.median(ratios):.3f}, "
              f"alerts {alerts[n]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
