# ruff: noqa  -- a one-off recovery script, kept: the first e2e run was rebuilt with it (results/HISTORY.md)
"""Rebuild bench/results/e2e.md + png from the e2e.py log when a run was cut short.

    python bench/e2e_from_log.py RUN.log RSS_SAMPLES.log 'STARTED' ELAPSED_S [PROFILE.pkl]

RUN.log: stdout of bench/e2e.py; RSS_SAMPLES.log: lines 'time pid app_id VmHWM_kB VmRSS_kB' sampled from
the workers' /proc/<pid>/status; PROFILE.pkl: a pickled bench.e2e.Profile (run_profile run separately)."""
import argparse
import os
import re
import sys
sys.path.insert(0, "/work/main")
from pathlib import Path
from bench.e2e import Ceilings, Lat, Run, render, chart, machine, RESULTS
log = Path(sys.argv[1]).read_text().splitlines()
rss = {}
for ln in Path(sys.argv[2]).read_text().splitlines():
    t, pid, app, hwm, r = ln.split()
    ns = app.replace("borderwatch-", "")
    h0, r0 = rss.get(ns, (0, 0))
    rss[ns] = (max(h0, int(hwm) / 1024), max(r0, int(r) / 1024))
ceil = None; runs = {}; loads = {}; order = []
for ln in log:
    if ln.startswith("ceilings: "):
        ceil = eval(ln[len("ceilings: "):])
    m = re.match(r"watchlist load ([\d,]+): ([\d.]+)s", ln)
    if m: loads[int(m[1].replace(",", ""))] = float(m[2])
    m = re.match(r"\s+(e2e(\d+)w(\d)x\w+): watchlist ready on \d worker\(s\) after ([\d.]+)s", ln)
    if m:
        ns, n, w = m[1], int(m[2]), int(m[3])
        runs[ns] = dict(entries=n, workers=w, ready=float(m[4]), lat=[]); order.append(ns)
    m = re.match(r"\s+(e2e\w+): ([\d.]+) crossings/s over ([\d.]+)s, ([\d.]+) CPU s/1k, load (.*)$", ln)
    if m: runs[m[1]].update(eps=float(m[2]), window=float(m[3]), cpu=float(m[4]), load=m[5])
    m = re.match(r"\s+(e2e\w+): @\d+/s (Lat\(.*\))$", ln)
    if m: runs[m[1]]["lat"].append(eval(m[2].replace("nan", "float('nan')")))
out = []
seen_sizes = set()
for ns in order:
    r = runs[ns]
    if "eps" not in r: continue
    h, rr = rss.get(ns, (float("nan"), float("nan")))
    for item in os.environ.get("RSS_OVERRIDE", "").split(","):  # e.g. 100000=476/476 (entries=HWM/RSS MiB)
        if item and ns not in rss and int(item.split("=")[0]) == r["entries"]:
            h, rr = (float(x) for x in item.split("=")[1].split("/"))
    first = r["entries"] not in seen_sizes; seen_sizes.add(r["entries"])
    out.append(Run(r["entries"], r["workers"], 0, r["eps"], r["window"], r["cpu"], h, rr, r["ready"],
                   loads.get(r["entries"]) if first else None, r["lat"], r["load"], r["load"]))
args = argparse.Namespace(quick=False, path="batch", command="")  # the run's own arguments are not in its log
import pickle, os
prof = pickle.load(open(sys.argv[5], "rb")) if len(sys.argv) > 5 and os.path.exists(sys.argv[5]) else None
text = render(machine(), args, ceil, out, prof, sys.argv[3], float(sys.argv[4]))
print(text)
(RESULTS / "e2e.md").write_text(text)
chart(out, RESULTS / "e2e_latency.png", "BorderWatch e2e latency vs rate (2 cores, shared)")
