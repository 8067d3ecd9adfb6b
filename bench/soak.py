"""Soak: one worker on a local Kafka with a large watchlist, steady traffic, RSS and lag sampled (issue #6).

    .venv/bin/python bench/soak.py --minutes 10 --rate 500 --entries 100000

Starts the project's local Apache Kafka (or uses --bootstrap), publishes a synthetic watchlist
(bench/evalset/generate.py's large generator), starts one worker subprocess, sends crossings at a
steady rate with ~1% planted hits, and every --sample-s seconds records the worker's RSS
(/proc/<pid>/status VmRSS), CPU, events screened, alerts, and the consumer lag computed from the
event topic's end offsets minus the group's committed offsets. Prints a table and writes
bench/results/soak.md. Stops everything it started.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import platform
import random
import shutil
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition  # noqa: E402

from bench.evalset.generate import synthetic_entry_dicts, synthetic_events  # noqa: E402
from streams.demo import start_worker, stop_process  # noqa: E402
from streams.local_kafka import LocalKafka, free_port  # noqa: E402
from streams.settings import Settings  # noqa: E402
from streams.topics import ensure_topics  # noqa: E402

COUNTRIES = ("CHN", "MMR", "LAO", "THA", "KHM", "VNM")


def metric(text: str, name: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and not line.startswith("#"):
            head, _, value = line.rpartition(" ")
            if head.partition("{")[0] == name:
                total += float(value)
    return total


def scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=3) as response:
        return response.read().decode()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Sample:
    t: float
    sent: int
    screened: float
    alerts: float
    rss_mb: float
    cpu_pct: float
    lag: int | None
    lag_metric: float
    stage_lag: int | None


async def publish_watchlist(settings: Settings, n: int) -> tuple[list[dict[str, Any]], float]:
    started = time.monotonic()
    entries = list(synthetic_entry_dicts(n))
    producer = AIOKafkaProducer(**settings.aiokafka_kwargs(), linger_ms=20, max_batch_size=512 * 1024,
                                compression_type=None)
    await producer.start()
    try:
        for e in entries:
            await producer.send(settings.topic_watchlist, orjson.dumps(e), key=e["entry_id"].encode())
        await producer.flush()
    finally:
        await producer.stop()
    return entries, time.monotonic() - started


async def committed_lag(settings: Settings, group: str, topic: str) -> int | None:
    consumer = AIOKafkaConsumer(**settings.aiokafka_kwargs(), group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        parts = consumer.partitions_for_topic(topic) or set()
        if not parts:
            await consumer._client.force_metadata_update()
            parts = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        end = await consumer.end_offsets(tps)
        lag = 0
        for tp in tps:
            done = await consumer.committed(tp)
            lag += end[tp] - (done or 0)
        return lag
    except Exception:
        return None
    finally:
        await consumer.stop()


async def send_traffic(settings: Settings, entries: list[dict[str, Any]], rate: float, seconds: float,
                       hit_share: float, counter: list[int], stop: asyncio.Event) -> None:
    n = int(rate * seconds)
    rng = random.Random(5)
    planted = rng.sample(entries, min(len(entries), max(1, int(n * hit_share))))
    producer = AIOKafkaProducer(**settings.aiokafka_kwargs(), linger_ms=5)
    await producer.start()
    started = time.monotonic()
    try:
        for i, (person, _) in enumerate(synthetic_events(n, planted)):
            if stop.is_set():
                break
            country = rng.choice(COUNTRIES)
            event = {"event_id": str(uuid.UUID(int=rng.getrandbits(128))), "event_type": "border_crossing",
                     "occurred_at": dt.datetime.now(dt.UTC).isoformat(), "checkpoint_id": f"{country}-CP01",
                     "checkpoint_country": country, "direction": "entry", "traveler": person}
            await producer.send(settings.topic_crossings, orjson.dumps(event), key=event["event_id"].encode())
            counter[0] = i + 1
            ahead = (i + 1) / rate - (time.monotonic() - started)
            if ahead > 0:
                await asyncio.sleep(ahead)
        await producer.flush()
    finally:
        await producer.stop()


def table(samples: list[Sample]) -> list[str]:
    rows = ["| t (s) | sent | screened | alerts | worker RSS (MB) | worker CPU % | lag (committed) | lag (metric) "
            "| alert-stage lag |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in samples:
        rows.append(f"| {s.t:.0f} | {s.sent} | {s.screened:.0f} | {s.alerts:.0f} | {s.rss_mb:.0f} | "
                    f"{s.cpu_pct:.0f} | {'?' if s.lag is None else s.lag} | {s.lag_metric:.0f} | "
                    f"{'?' if s.stage_lag is None else s.stage_lag} |")
    return rows


async def soak(args: argparse.Namespace, bootstrap: str, workdir: Path) -> tuple[list[Sample], dict[str, Any]]:
    app_id = f"borderwatch-soak-{uuid.uuid4().hex[:6]}"
    # No supervisor: RSS and CPU are sampled on the worker process itself.
    env = {"BW_APP_ID": app_id, "BW_LOG_LEVEL": "WARNING", "BW_EVENT_PARTITIONS": str(args.partitions),
           "BW_SUPERVISE": "false"}
    settings = Settings(kafka_bootstrap=bootstrap, event_partitions=args.partitions, app_id=app_id)
    await ensure_topics(settings)
    entries, load_s = await publish_watchlist(settings, args.entries)
    print(f"watchlist: {len(entries)} entries published in {load_s:.1f}s", flush=True)
    port = free_port()
    worker = start_worker(bootstrap, port, workdir / "worker.log", workdir / "state", extra_env=env)
    info: dict[str, Any] = {"watchlist_publish_s": load_s, "worker_log": str(workdir / "worker.log")}
    samples: list[Sample] = []
    try:
        started = time.monotonic()
        while True:
            if worker.poll() is not None:
                raise RuntimeError("worker exited:\n" + (workdir / "worker.log").read_text()[-3000:])
            with contextlib.suppress(Exception):
                if metric(scrape(port), "borderwatch_watchlist_entries") == len(entries):
                    break
            if time.monotonic() - started > 600:
                raise TimeoutError("worker did not load the watchlist in 600 s")
            await asyncio.sleep(1)
        info["worker_ready_s"] = time.monotonic() - started
        info["rss_after_load_mb"] = rss_mb(worker.pid)
        print(f"worker ready in {info['worker_ready_s']:.1f}s, RSS {info['rss_after_load_mb']:.0f} MB", flush=True)
        counter, stop = [0], asyncio.Event()
        seconds = args.minutes * 60
        sender = asyncio.ensure_future(send_traffic(settings, entries, args.rate, seconds, args.hit_share,
                                                    counter, stop))
        t0 = time.monotonic()
        cpu0, wall0 = cpu_seconds(worker.pid), t0
        print("\n".join(table([])), flush=True)
        try:
            while time.monotonic() - t0 < seconds + args.drain_s:
                await asyncio.sleep(args.sample_s - ((time.monotonic() - t0) % args.sample_s))
                if worker.poll() is not None:
                    raise RuntimeError("worker exited:\n" + (workdir / "worker.log").read_text()[-3000:])
                text = scrape(port)
                cpu1, wall1 = cpu_seconds(worker.pid), time.monotonic()
                s = Sample(t=wall1 - t0, sent=counter[0],
                           screened=metric(text, "borderwatch_events_consumed_total"),
                           alerts=metric(text, "borderwatch_alerts_published_total"),
                           rss_mb=rss_mb(worker.pid), cpu_pct=100 * (cpu1 - cpu0) / (wall1 - wall0),
                           lag=await committed_lag(settings, app_id, settings.topic_crossings),
                           lag_metric=metric(text, "borderwatch_consumer_lag_messages"),
                           stage_lag=await committed_lag(settings, app_id, settings.topic_alert_candidates))
                cpu0, wall0 = cpu1, wall1
                samples.append(s)
                print(table([s])[-1], flush=True)
                if sender.done() and s.lag == 0:
                    break
        finally:
            stop.set()
            with contextlib.suppress(Exception):
                await sender
        text = scrape(port)
        info["final_screened"] = metric(text, "borderwatch_events_consumed_total")
        info["dead_letters"] = metric(text, "borderwatch_dead_letters_published_total")
    finally:
        stop_process(worker)
    return samples, info


def write_markdown(path: Path, args: argparse.Namespace, samples: list[Sample], info: dict[str, Any]) -> None:
    rss = [s.rss_mb for s in samples]
    lags = [s.lag for s in samples if s.lag is not None]
    lines = [
        "# Soak: one worker, large watchlist, steady traffic",
        "",
        f"Command: `.venv/bin/python bench/soak.py --minutes {args.minutes:g} --rate {args.rate:g} "
        f"--entries {args.entries}` ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
        f"{os.cpu_count()} cores shared with other work; broker, producer and worker on the same machine).",
        "",
        f"- watchlist: {args.entries} synthetic entries published in {info.get('watchlist_publish_s', 0):.1f} s; "
        f"worker ready (index built) {info.get('worker_ready_s', 0):.1f} s after start, "
        f"RSS {info.get('rss_after_load_mb', 0):.0f} MB",
        f"- traffic: {args.rate:g} crossings/s for {args.minutes:g} min, ~{args.hit_share:.0%} planted hits, "
        f"{args.partitions} partitions; sampled every {args.sample_s:g} s",
        f"- RSS min/max over the run: {min(rss, default=0):.0f} / {max(rss, default=0):.0f} MB; "
        f"lag max {max(lags, default=0)}, last {lags[-1] if lags else '?'}",
        f"- screened at the end: {info.get('final_screened', 0):.0f}; dead letters: "
        f"{info.get('dead_letters', 0):.0f}",
        "",
        "Lag (committed) = end offsets of the crossings topic minus the worker group's committed offsets; "
        "lag (metric) = the worker's own `borderwatch_consumer_lag_messages`; alert-stage lag = the same "
        "committed-offset lag on the single-partition alert-candidates topic (candidates not yet through "
        "suppression and published). alerts = `borderwatch_alerts_published_total`, counted once per route "
        "country.",
        "",
        *table(samples),
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--rate", type=float, default=500)
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--hit-share", type=float, default=0.01)
    ap.add_argument("--partitions", type=int, default=6)
    ap.add_argument("--sample-s", type=float, default=10)
    ap.add_argument("--drain-s", type=float, default=60, help="keep sampling after the traffic until lag is 0")
    ap.add_argument("--bootstrap", help="use this broker instead of starting the local one")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "soak.md")
    args = ap.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bw-soak-"))
    kafka = None if args.bootstrap else LocalKafka(data_dir=workdir / "kafka")
    try:
        bootstrap = args.bootstrap or kafka.start()  # type: ignore[union-attr]
        samples, info = asyncio.run(soak(args, bootstrap, workdir))
    finally:
        if kafka is not None:
            kafka.cleanup()
            shutil.rmtree(workdir / "kafka", ignore_errors=True)
    write_markdown(args.out, args, samples, info)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
