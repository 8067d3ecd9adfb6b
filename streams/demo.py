"""`borderwatch demo`: a local Apache Kafka, the sample watchlists, one worker, live traffic, live alerts.

Everything it starts is stopped on Ctrl-C (or after --duration): worker first, then the broker.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console

from streams.console.terminal import tail_alerts
from streams.console.web.demo_console import start_demo_console
from streams.local_kafka import LocalKafka
from streams.settings import Settings
from streams.simulation.publish import run_simulation
from streams.watchlist_tools import load_file

SAMPLE_WATCHLIST = Path(__file__).parent / "sample_data" / "watchlist.jsonl"


def start_worker(bootstrap: str, metrics_port: int, log_path: Path, data_dir: Path,
                 extra_env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BW_KAFKA_BOOTSTRAP": bootstrap, "BW_METRICS_PORT": str(metrics_port),
           "BW_WORKER_WEB_PORT": "0", "BW_DATA_DIR": str(data_dir), **(extra_env or {})}
    with log_path.open("ab") as log:
        return subprocess.Popen([sys.executable, "-m", "streams.cli", "worker"], env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


async def _live(settings: Settings, rate: float, duration: float | None) -> None:
    count = int(rate * duration) if duration else None
    tail = asyncio.ensure_future(tail_alerts(settings, countries=set(), lists=set(), min_priority="low",
                                             from_beginning=True, json_out=False, max_alerts=None))
    try:
        sent, planted = await run_simulation(settings, rate=rate, count=count, hit_share=0.03,
                                             watchlist=SAMPLE_WATCHLIST, seed=int(time.time()))
        Console().print(f"[bold]simulation done:[/] {sent} crossings, {planted} planted hits")
        await asyncio.sleep(5)  # let the last alerts arrive on screen before shutting down
    finally:
        tail.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await tail


def run_demo(*, rate: float, duration: float | None, metrics_port: int) -> None:
    console = Console()
    workdir = Path(tempfile.mkdtemp(prefix="borderwatch-demo-"))
    console.print("[bold]Starting Apache Kafka[/] (first run downloads it from Maven Central)...")
    with LocalKafka() as kafka:
        settings = Settings(kafka_bootstrap=kafka.bootstrap)
        console.print(f"Kafka at {kafka.bootstrap}; loading sample watchlist...")
        summary = asyncio.run(load_file(settings, SAMPLE_WATCHLIST, None, [], progress=False))
        console.print(f"watchlist: {summary.loaded} entries loaded, {len(summary.rejected)} rejected")
        worker = start_worker(kafka.bootstrap, metrics_port, workdir / "worker.log", workdir / "state")
        console.print(f"worker started (logs {workdir / 'worker.log'}); metrics at "
                      f"http://127.0.0.1:{metrics_port}/metrics")
        web = start_demo_console(kafka.bootstrap, workdir)
        console.print(f"[bold]officer console: {web.url}[/] (log in as {', '.join(web.usernames)}; "
                      f"password {web.password})")
        console.print(f"simulating {rate:g} crossings/s across CHN MMR LAO THA KHM VNM; Ctrl-C to stop\n")
        try:
            asyncio.run(_live(settings, rate, duration))
        except KeyboardInterrupt:
            console.print("\nstopping...")
        finally:
            stop_process(web.proc)
            stop_process(worker)
    console.print("stopped worker and Kafka.")


__all__ = ["run_demo", "start_worker", "stop_process"]
