"""Load on the officer web console: N browsers' SSE streams (logged-in sessions) while alerts arrive on
`alerts.THA` at a steady rate. Reports the time from the alert's publication to its arrival on each
stream (p50/p95/p99/max over every alert x stream), the console's RSS and CPU, browsers dropped, and
whether every stream received every alert (a dropped stream reconnects with Last-Event-ID, like a
browser's EventSource, and is replayed from Kafka). `--frozen` streams connect and never read: the console
must drop them (its queue per browser fills) while the others go on.

Alerts are published straight onto the country topic (the worker's screening speed is measured by
bench/e2e.py; this measures the console). The console runs as its own process, as in production.

    .venv/bin/python bench/console_load.py --clients 50 --rate 1000 --minutes 5 \
        --out bench/results/console-load.md
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from schemas.alerts import Alert, FeatureReason
from streams.kafka_io import producer
from streams.local_kafka import LocalKafka, free_port
from streams.testkit import namespaced_env, settings_for
from streams.topics import ensure_topics

PASSWORD = "load test password 1"
PRIORITIES = ("low", "medium", "high", "critical")


@dataclass
class Stream:
    """One simulated browser: a session, an SSE connection that reconnects with Last-Event-ID."""

    index: int
    seen: dict[str, float] = field(default_factory=dict)  # alert id -> arrival (epoch s)
    reconnects: int = 0
    last_id: str = ""


def alert(n: int, now: dt.datetime) -> Alert:
    reason = FeatureReason(feature="name", score=0.93, weight=0.8, query="somchai srisuk", candidate="somchai srisuk",
                           explanation="Names sound and spell alike.")
    return Alert(alert_id=str(uuid.uuid4()), created_at=now, event_id=str(uuid.uuid4()), event_type="border_crossing",
                 occurred_at=now, entry_id=f"E-{n % 500}", list="suspect", priority=PRIORITIES[n % 4], score=0.9,
                 checkpoint_id=f"THA-CP{n % 12:02d}", checkpoint_country="THA", direction="entry",
                 traveler_name=f"Traveller {n}", traveler_document=f"X{n:08d}", watchlist_name="Somchai Srisuk",
                 case_ref=f"CASE-{n % 500}", source_country="THA", source_agency="Immigration Bureau",
                 recommended_action="DISCREET CHECK: do not alert the traveller.", route_to=["THA"],
                 reasons=[reason], matcher_version="bench", thresholds={"suspect": 0.8}, watchlist_version=1)


async def log_in(client: httpx.AsyncClient) -> None:
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no CSRF token on /login"
    response = await client.post("/login", data={"username": "tha.load", "password": PASSWORD,
                                                  "csrf_token": token.group(1)})
    assert response.status_code == 303, response.text[-300:]


async def follow(url: str, stream: Stream, stop: asyncio.Event, logins: asyncio.Semaphore) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(30, read=60)) as client:
        async with logins:  # officers log in over time, not all in the same second (argon2 is slow on purpose)
            await log_in(client)
        while not stop.is_set():
            headers = {"Last-Event-ID": stream.last_id} if stream.last_id else {}
            try:
                async with client.stream("GET", "/stream", headers=headers) as response:
                    event_id = ""
                    async for line in response.aiter_lines():
                        if line.startswith("id: "):
                            event_id = line[4:]
                        elif line.startswith("data: ") and 'data-alert-id="' in line:
                            alert_id = line.split('data-alert-id="', 1)[1].split('"', 1)[0]
                            stream.seen.setdefault(alert_id, time.time())
                        elif line == "" and event_id:
                            stream.last_id = event_id
                        if stop.is_set():
                            return
            except (TimeoutError, httpx.HTTPError):
                pass
            stream.reconnects += 1


async def frozen(url: str, opened: asyncio.Event, stop: asyncio.Event) -> None:
    """A browser that opens its stream and then never reads: the console must drop it, not wait for it.
    A small receive buffer so that the kernel does not read on its behalf for long."""
    import socket

    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        await log_in(client)
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    host, port = url.removeprefix("http://").split(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
    request = f"GET /stream HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n"
    await asyncio.get_running_loop().sock_sendall(sock, request.encode())
    opened.set()
    try:
        await stop.wait()
    finally:
        sock.close()


def proc_stats(pid: int) -> tuple[float, int]:
    """(CPU seconds used, RSS in KiB) of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
               if line.startswith("VmRSS"))
    return cpu, rss


async def health(url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=30) as client:
        return dict((await client.get(f"{url}/healthz")).json())


async def run(args: argparse.Namespace, bootstrap: str) -> str:
    tmp = Path(tempfile.mkdtemp(prefix="bw-console-load-"))
    port = free_port()
    env = {**namespaced_env(bootstrap, f"load{uuid.uuid4().hex[:6]}"),
           "BW_CONSOLE_ACCOUNTS": str(tmp / "officers.sqlite3"), "BW_CONSOLE_PORT": str(port),
           "BW_CONSOLE_COOKIE_SECURE": "false", "BW_LOG_LEVEL": "WARNING"}
    settings = settings_for(env)
    await ensure_topics(settings)
    cli = [sys.executable, "-m", "streams.cli", "console"]
    subprocess.run([*cli, "user", "add", "tha.load", "--country", "THA", "--agency", "Bench", "--password-stdin"],
                   env={**os.environ, **env}, input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    url = f"http://127.0.0.1:{port}"
    console = subprocess.Popen(cli, env={**os.environ, **env}, stdout=(tmp / "console.log").open("wb"),
                               stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if (await health(url))["ready"]:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("console did not start: " + (tmp / "console.log").read_text()[-2000:])
            await asyncio.sleep(0.2)
        stop = asyncio.Event()
        streams = [Stream(i) for i in range(args.clients)]
        logins = asyncio.Semaphore(2)
        tasks = [asyncio.ensure_future(follow(url, s, stop, logins)) for s in streams]
        opened = [asyncio.Event() for _ in range(args.frozen)]
        tasks += [asyncio.ensure_future(frozen(url, o, stop)) for o in opened]
        while (await health(url))["browsers"] < args.clients + args.frozen:
            await asyncio.sleep(0.2)
        cpu0, rss0 = proc_stats(console.pid)
        rss_max, wall0 = rss0, time.monotonic()
        sent: dict[str, float] = {}
        total = int(args.rate * args.minutes)
        interval = 60.0 / args.rate
        topic = f"{settings.topic_alerts}.THA"
        async with producer(settings, linger_ms=0) as prod:
            start = time.monotonic()
            for n in range(total):
                await asyncio.sleep(max(0.0, start + n * interval - time.monotonic()))
                record = alert(n, dt.datetime.now(dt.UTC))
                sent[record.alert_id] = time.time()
                await prod.send(topic, key=record.alert_id.encode(), value=record.model_dump_json().encode())
                if n % 100 == 0:
                    rss_max = max(rss_max, proc_stats(console.pid)[1])
            await prod.flush()
        publish_s = time.monotonic() - start
        drain_deadline = time.monotonic() + 60
        while time.monotonic() < drain_deadline and any(len(s.seen) < total for s in streams):
            await asyncio.sleep(0.2)
        cpu1, rss1 = proc_stats(console.pid)
        wall = time.monotonic() - wall0
        rss_max = max(rss_max, rss1)
        dropped = (await health(url))["dropped"]
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        console.terminate()
        console.wait(20)

    latencies = sorted((s.seen[a] - t) * 1000 for s in streams for a, t in sent.items() if a in s.seen)
    missed = [(s.index, total - sum(1 for a in sent if a in s.seen)) for s in streams]
    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] if latencies else float("nan")
    cpu_model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), platform.processor())
    lines = [
        "# Console load: SSE fan-out to many browsers",
        "",
        f"Command: `.venv/bin/python bench/console_load.py --clients {args.clients} --rate {args.rate:g} "
        f"--minutes {args.minutes:g} --frozen {args.frozen}{' --bootstrap ...' if args.bootstrap else ''}`",
        f"Machine: {os.cpu_count()} CPU ({cpu_model}), shared with other work; Python {platform.python_version()}; "
        f"run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. Local Apache Kafka broker; one console process "
        "(uvicorn), the simulated browsers in one other process.",
        "",
        f"- {total:,} alerts published on `alerts.THA` over {publish_s:.0f} s ({total / publish_s * 60:,.0f}/min),"
        f" {args.clients} logged-in SSE streams",
        f"- topic-to-stream latency over {len(latencies):,} (alert, stream) deliveries: p50 {pct(50):.0f} ms, "
        f"p95 {pct(95):.0f} ms, p99 {pct(99):.0f} ms, max {latencies[-1] if latencies else float('nan'):.0f} ms",
        f"- missed alerts: {sum(m for _, m in missed)} in total "
        f"({'every stream received every alert' if not any(m for _, m in missed) else missed})",
        f"- streams dropped as too slow: {dropped} (with {args.frozen} frozen stream(s) that never read after "
        f"connecting); reconnects of the reading streams: {sum(s.reconnects for s in streams)}",
        f"- console RSS: {rss0 / 1024:.0f} MiB with the streams connected, {rss_max / 1024:.0f} MiB at most, "
        f"{rss1 / 1024:.0f} MiB at the end",
        f"- console CPU: {(cpu1 - cpu0) / wall * 100:.0f} % of one core on average over {wall:.0f} s",
        "",
        "Latency is measured from just before the producer's send to the line's arrival at the client, on one "
        "clock; the client process shares the machine's cores with the console and the broker.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--clients", type=int, default=50, help="streams that read (simulated browsers)")
    ap.add_argument("--rate", type=float, default=1000.0, help="alerts per minute")
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--frozen", type=int, default=1, help="extra streams that connect and never read")
    ap.add_argument("--bootstrap", help="an existing broker (default: start a local one)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    kafka = None
    if args.bootstrap is None:
        kafka = LocalKafka()
        kafka.start()
    try:
        report = asyncio.run(run(args, args.bootstrap or kafka.bootstrap))  # type: ignore[union-attr]
    finally:
        if kafka is not None:
            kafka.cleanup()
    print(report)
    if args.out:
        args.out.write_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
