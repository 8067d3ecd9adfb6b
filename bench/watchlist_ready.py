"""Watchlist file → topic → index ready on a worker, with and without the key helper (issues #7, #19).

    .venv/bin/python bench/watchlist_ready.py --entries 1000000 --rounds 2
    .venv/bin/python bench/watchlist_ready.py --entries 1000000 --rounds 1 --native-script 1 \
        --out bench/results/watchlist-ready-thai.md     # Thai entries in Thai script

Starts `LocalKafka()`, writes a synthetic watchlist (bench/evalset/generate.py; with `--population` or
`--native-script`, the population bench's entries, bench/population/generate.py, that share of the
`--script-nats` entries written in their own script: their words are read by the matcher's
romanizers when the index is built, Thai ones by a neural model), loads it once with
`borderwatch watchlist load FILE` (timed, with the CPU time of the load and its validating
processes), then starts a worker (`borderwatch worker`, unsupervised) per variant and round,
alternating the variants so a drifting VM speed hits both alike, and measures process start →
`borderwatch_watchlist_entries` == N on its /metrics (scraped every 0.1 s), the worker's CPU time
until then (its own and its reaped children's, the key helper's), its peak RSS (VmHWM) and, from its
`watchlist.ready` / `watchlist.build_helper` log lines, the start-up, topic read and build times,
whether the helper built a share (it does only when a core is idle: agents/key_helper.py) and its
peak RSS. The targets (issue #19) at a million entries: file → topic + worker start → ready ≤ 60 s,
worker VmHWM ≤ 2 GiB.
Writes a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from bench.e2e import PY, machine, proc_mem_mib, wait_for  # noqa: E402
from bench.evalset.generate import DEFAULT_SEED, synthetic_entry_dicts  # noqa: E402
from bench.population import generate as population  # noqa: E402

VARIANTS = {"helper": "true", "alone": "false"}
RESULTS = ROOT / "bench" / "results"
TARGET_S = 60.0
TARGET_HWM_MIB = 2048.0


def load_avg() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def cpu_s(pid: int) -> float:
    """utime + stime of a process and of its reaped children (/proc/PID/stat), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def watchlist_load(bootstrap: str, path: Path, topic: str, workdir: Path) -> tuple[float, float]:
    """`borderwatch watchlist load FILE`: (wall s, CPU s of the command and its validating processes)."""
    env = {**os.environ, "BW_KAFKA_BOOTSTRAP": bootstrap, "BW_TOPIC_WATCHLIST": topic, "BW_LOG_LEVEL": "WARNING"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with (workdir / "load.log").open("ab") as log:
        subprocess.run([PY, "-m", "streams.cli", "watchlist", "load", str(path)], env=env, cwd=ROOT,
                       stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def log_fields(text: str, event: str) -> dict[str, str]:
    """key=value pairs of the last `event` line of a worker log (structlog's console format)."""
    lines = [ln for ln in text.splitlines() if event in ln]
    if not lines:
        return {}
    return dict(re.findall(r"(\w+)=([^\s]+)", re.sub(r"\x1b\[[0-9;]*m", "", lines[-1])))


def entry_dicts(n: int, args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    """The watchlist written: the evaluation set's synthetic entries, or the population bench's (with
    `--native-script`, some in their own script)."""
    if not args.population:
        yield from synthetic_entry_dicts(n, DEFAULT_SEED)
        return
    in_script = (args.native_script, args.script_nats)
    for d, _truth in population.entries(n, {}, population.SEED, in_script):
        yield d


def data(args: argparse.Namespace) -> str:
    if not args.population:
        return "synthetic entries (the evaluation set's generator, bench/evalset/generate.py, names in Latin letters)"
    scripted = f"{args.native_script:.0%} of the {', '.join(sorted(args.script_nats))} entries in their own script" \
        if args.native_script > 0 else "every name in Latin letters"
    return ("entries of the population bench (bench/population/generate.py: real name-frequency tables, generated "
            f"people; {scripted})")


def described(args: argparse.Namespace) -> str:
    """What the command line was and which data it generated, for the result file."""
    flags = f" --population --native-script {args.native_script:g} --script-nats {','.join(sorted(args.script_nats))}" \
        if args.population else ""
    out = "" if args.out == RESULTS / "watchlist-ready-helper.md" else \
        f" --out {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}"
    return f"--entries {args.entries} --rounds {args.rounds} --variants {args.variants}{flags}{out}"


def one_worker(bootstrap: str, topic: str, entries: int, helper: str, workdir: Path, tag: str) -> dict[str, Any]:
    from streams.demo import start_worker, stop_process
    from streams.testkit import free_port, metric_value, scrape

    port = free_port()
    log = workdir / f"worker-{tag}.log"
    env = {"BW_TOPIC_WATCHLIST": topic, "BW_APP_ID": f"bw-ready-{tag}", "BW_SUPERVISE": "false",
           "BW_STALL_TIMEOUT_S": "3600", "BW_LOG_LEVEL": "INFO", "BW_WATCHLIST_BUILD_HELPER": helper}
    loads = load_avg()
    started = time.perf_counter()
    proc = start_worker(bootstrap, port, log, workdir / f"state-{tag}", extra_env=env)
    try:
        def ready() -> bool:
            if proc.poll() is not None:
                raise RuntimeError(f"worker exited {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                return metric_value(scrape(port), "borderwatch_watchlist_entries") == entries
            except OSError:
                return False

        ready_s = wait_for(ready, 1800, f"{entries:,} entries", 0.1) - started
        cpu = cpu_s(proc.pid)
        hwm, _rss = proc_mem_mib(proc.pid)
        deadline = time.monotonic() + 10
        while "watchlist.ready" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop_process(proc)
    text = log.read_text()
    done, helped = log_fields(text, "watchlist.ready"), log_fields(text, "watchlist.build_helper")
    read_s, build_s = float(done.get("read_s", "nan")), float(done.get("build_s", "nan"))
    return {"ready_s": ready_s, "hwm_mib": hwm, "read_s": read_s, "build_s": build_s, "cpu_s": cpu,
            "startup_s": ready_s - read_s - build_s,
            "helped": float(helped.get("delivered", "0")) > 0,
            "helper_rss_mib": float(helped.get("helper_peak_rss_mib", "nan")),
            "waited_s": float(helped.get("waited_s", "nan")), "load": loads}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated: helper, alone")
    ap.add_argument("--out", type=Path, default=RESULTS / "watchlist-ready-helper.md")
    ap.add_argument("--population", action="store_true",
                    help="the population bench's entries (bench/population/generate.py), not the evaluation set's")
    ap.add_argument("--native-script", type=float, default=0.0, metavar="SHARE",
                    help="write this share of the --script-nats entries in their own script (implies --population)")
    ap.add_argument("--script-nats", default="THA", help="comma-separated, of THA,LAO,KHM,MMR (default THA)")
    args = ap.parse_args(argv)
    args.out = args.out.resolve()
    args.script_nats = frozenset(n.strip() for n in args.script_nats.split(",") if n.strip())
    if not args.script_nats <= population.SCRIPTS:
        ap.error(f"--script-nats: of {sorted(population.SCRIPTS)}")
    args.population = args.population or args.native_script > 0
    variants = {name: VARIANTS[name] for name in args.variants.split(",")}

    from streams.local_kafka import LocalKafka

    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    mach = machine()
    workdir = Path(tempfile.mkdtemp(prefix="bw-ready-"))
    path = workdir / "watchlist.jsonl"
    with path.open("wb") as fh:
        for d in entry_dicts(args.entries, args):
            fh.write(orjson.dumps(d) + b"\n")
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in variants}
    with LocalKafka() as kafka:
        topic = f"bench.ready.{os.getpid()}"
        load_loads = load_avg()
        load_s, load_cpu = watchlist_load(kafka.bootstrap, path, topic, workdir)
        print(f"file → topic {load_s:.1f} s, {load_cpu:.1f} CPU-s, load {load_loads}", flush=True)
        for r in range(args.rounds):
            for name, flag in (variants.items() if r % 2 == 0 else reversed(variants.items())):
                run = one_worker(kafka.bootstrap, topic, args.entries, flag, workdir, f"{name}-{r}")
                print(f"round {r} {name}: {run}", flush=True)
                runs[name].append(run)

    def cell(name: str, key: str, fmt: str = "{:.1f}") -> str:
        values = [run[key] for run in runs[name] if run[key] == run[key]]
        return ", ".join(fmt.format(v) for v in values) or "–"

    def helped(name: str) -> str:
        return ", ".join("yes" if run["helped"] else "no" for run in runs[name])

    best = min(statistics.median(run["ready_s"] for run in runs[name]) for name in variants) + load_s

    lines = [
        "# Watchlist ready on a worker, with and without the key helper (bench/watchlist_ready.py)",
        "",
        f"Command: `.venv/bin/python bench/watchlist_ready.py {described(args)}` "
        f"— started {started}.",
        "",
        f"Machine: git {mach['git']}; nproc {mach['nproc']}; cpu {mach['cpu']}; python {mach['python']}; "
        f"kafka {mach['kafka']}.",
        "",
        f"{args.entries:,} {data(args)}; file → topic (`borderwatch watchlist load`) {load_s:.1f} s "
        f"({load_cpu:.1f} CPU-s: the command and its validating processes; load average {load_loads}), once. "
        "Each round starts one worker per variant, alternating their order.",
        "",
        "| variant | worker start → ready s | median | file → topic + median s | start-up s | topic read s "
        "| decode + build s | worker CPU s (with helper) | helper built a share | worker VmHWM MiB "
        "| helper peak RSS MiB | worker waited for helper s | load avg at start |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in variants:
        median = statistics.median(run["ready_s"] for run in runs[name])
        lines.append(f"| {name} | {cell(name, 'ready_s')} | {median:.1f} | {median + load_s:.1f} | "
                     f"{cell(name, 'startup_s')} | {cell(name, 'read_s')} | {cell(name, 'build_s')} | "
                     f"{cell(name, 'cpu_s')} | {helped(name)} | {cell(name, 'hwm_mib', '{:,.0f}')} | "
                     f"{cell(name, 'helper_rss_mib', '{:,.0f}')} | {cell(name, 'waited_s', '{:.2f}')} | "
                     f"{'; '.join(run['load'] for run in runs[name])} |")
    verdict = "PASS" if best <= TARGET_S else "MISS"
    peak = max(run["hwm_mib"] for name in variants for run in runs[name])
    held = "PASS" if peak <= TARGET_HWM_MIB else "MISS"
    lines += ["", f"{verdict} — {args.entries:,} entries ready on a worker ≤ {TARGET_S:.0f} s (file → topic + "
              f"worker start → ready, best variant's median): {best:.1f} s.",
              "", f"{held} — worker VmHWM ≤ {TARGET_HWM_MIB / 1024:.0f} GiB in every run: highest {peak:,.0f} MiB.",
              "", "Start-up: worker process start → the watchlist feed reading (ready − read − build). The helper "
              "is a separate process (`python -m agents.key_helper`) that lives only during the build; its peak "
              "RSS is its own (it holds the raw values it was given and the share it built)."]
    text = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
