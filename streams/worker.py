"""`borderwatch worker`: create topics, serve /metrics, run the Faust worker until SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio

import structlog
from prometheus_client import CollectorRegistry

from streams.app import create_app
from streams.metrics import serve
from streams.settings import Settings
from streams.topics import ensure_topics

log = structlog.get_logger(__name__)


def run_worker(settings: Settings) -> None:
    import faust

    asyncio.run(ensure_topics(settings))
    registry = CollectorRegistry()
    if settings.metrics_port:
        serve(registry, settings.metrics_host, settings.metrics_port)
        log.info("metrics.serving", port=settings.metrics_port)
    runtime = create_app(settings, registry=registry)
    worker = faust.Worker(runtime.app, loglevel=settings.log_level, quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()
