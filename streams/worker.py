"""`borderwatch worker`: create topics, serve /metrics, run the Faust worker until SIGINT/SIGTERM.

The worker runs under a small supervisor process that restarts it when it exits abnormally, for
example when the stall watchdog finds that the Faust consumer stopped making progress after a
broker outage (faust-streaming issue #523). A restart is lossless: delivery is at-least-once and
alert ids are deterministic.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import os
import signal
import subprocess
import sys
import time

import structlog

from streams.settings import Settings

log = structlog.get_logger(__name__)
CHILD_ENV = "BW_WORKER_CHILD"
_PR_SET_PDEATHSIG = 1


def run_worker(settings: Settings) -> None:
    if settings.supervise and not os.environ.get(CHILD_ENV):
        raise SystemExit(supervise())
    _run_faust_worker(settings)


def _run_faust_worker(settings: Settings) -> None:
    import faust
    from prometheus_client import CollectorRegistry

    from streams.app import create_app
    from streams.metrics import serve
    from streams.topics import ensure_topics

    use_event_loop(settings.event_loop)
    tune_gc()
    log_matcher_build()
    asyncio.run(ensure_topics(settings))
    registry = CollectorRegistry()
    if settings.metrics_port:
        serve(registry, settings.metrics_host, settings.metrics_port)
        log.info("metrics.serving", port=settings.metrics_port)
    runtime = create_app(settings, registry=registry)
    worker = faust.Worker(runtime.app, loglevel=settings.log_level, quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()


def use_event_loop(choice: str) -> None:
    """uvloop runs the per-message Faust/aiokafka callbacks, tasks and socket I/O in C: less CPU per
    event. "auto" falls back to the stdlib loop when uvloop is not installed (it is optional)."""
    if choice == "asyncio":
        return
    try:
        import uvloop
    except ImportError:
        if choice == "uvloop":
            raise
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    log.info("worker.event_loop", loop="uvloop")


#: Allocations between two young-generation collections (CPython's default: 700). Screening an
#: event allocates and frees a few thousand short-lived objects, almost none in reference cycles,
#: so at 700 a collection ran several times per event. Not much more either: a collection pauses
#: every event in flight. 10,000 keeps young and middle pauses short for a little more CPU per event
#: (measured in-process on a 1M-entry worker when it was set: `git show a1451f3`).
GC_YOUNG_THRESHOLD = 10_000
#: Middle-generation collections between two full ones (CPython's default: 10), raised with the
#: young threshold lowered so full collections stay as rare: they walk everything screening added
#: to the name caches since the index was frozen, which at 1M entries takes long enough to be felt.
GC_OLD_THRESHOLD = 50


def tune_gc() -> None:
    """Collect cycles less often: reference counting frees the per-event garbage."""
    _young, middle, _old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, GC_OLD_THRESHOLD)


def log_matcher_build() -> None:
    """Which builds of the matcher and the pattern detectors run: mypyc-compiled (scripts/setup) or the
    pure-Python source (no C compiler, an edited source not yet rebuilt, or BW_PURE_PYTHON=1): the same
    results, with less CPU per event compiled (bench/results/matcher-1m.md, patterns.md)."""
    import agents.matching  # (puts the compiled build on the path when it is current)
    import agents.patterns  # noqa: F401  (the same for the pattern detectors' build)
    from agents.matching.native import is_compiled
    from agents.patterns.native import is_compiled as is_compiled_patterns

    log.info("worker.matcher", compiled=is_compiled("agents.matching.search"),
             patterns_compiled=is_compiled_patterns("agents.patterns.steps"))


def _die_with_supervisor() -> None:
    # SIGKILL, not SIGTERM: if the supervisor is killed hard, the worker must die the same way.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def supervise(max_backoff: float = 30.0) -> int:
    """Run the worker as a child process; restart it after an abnormal exit, with back-off."""
    stopping = False
    child: subprocess.Popen[bytes] | None = None

    def forward(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    backoff = 1.0
    while True:
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, "-m", "streams.cli", "worker"],
                                 env={**os.environ, CHILD_ENV: "1"}, preexec_fn=_die_with_supervisor)
        code = child.wait()
        if stopping or code == 0:
            return 0 if stopping else code
        if time.monotonic() - started > 2 * max_backoff:
            backoff = 1.0  # it ran for a while: this is a new failure, not a crash loop
        log.warning("worker.restarting", exit_code=code, backoff_s=backoff)
        deadline = time.monotonic() + backoff
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.1)
        if stopping:
            return 0
        backoff = min(max_backoff, backoff * 2)
