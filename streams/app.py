"""The Faust app factory: builds one worker's app from settings and wires the agents. Thin by design."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import faust
import structlog
from faust.sensors.monitor import Monitor
from prometheus_client import CollectorRegistry

from agents.alerting import AlertPolicy
from agents.matching import MatcherConfig
from agents.matching.population import PopulationModel
from agents.screening import ScreeningContext
from agents.watchlist import WatchlistStore
from streams.faust_consumer import use_rewinding_consumer
from streams.metrics import Metrics
from streams.runtime import Runtime, utcnow
from streams.settings import Settings
from streams.stages.alerting import register_alerting_agent
from streams.stages.name_frequency import run_name_frequency
from streams.stages.patterns import register_pattern_agents
from streams.stages.retro_screening import RetroQueue, run_retro_queue
from streams.stages.screening_batch import BatchScreening, screening_group
from streams.stages.screening_faust import FaustScreeningConsumer, register_screening_agent
from streams.stages.watchlist import run_watchlist_feed
from streams.topics import topic_names
from streams.watchdog import Watchdog

log = structlog.get_logger(__name__)


def matcher_config(settings: Settings) -> MatcherConfig:
    base = MatcherConfig()
    overrides = settings.thresholds_override()
    if not overrides:
        return base
    return base.model_copy(update={"thresholds": {**base.thresholds, **overrides}})


def alert_policy(settings: Settings) -> AlertPolicy:
    return AlertPolicy(
        suppression_window=dt.timedelta(seconds=settings.suppression_window_s),
        false_positive_suppression=dt.timedelta(seconds=settings.false_positive_suppression_s),
    )


def screening_context(settings: Settings, clock: Callable[[], dt.datetime] = utcnow) -> ScreeningContext:
    """The engine configuration shared by the worker and offline `borderwatch screen`."""
    return ScreeningContext(topics=topic_names(settings), matcher=matcher_config(settings),
                            policy=alert_policy(settings), max_message_bytes=settings.max_message_bytes,
                            clock=clock, population=PopulationModel() if settings.name_frequency else None)


class LeanMonitor(Monitor):
    """Faust's monitor without its per-message bookkeeping (counters by topic/stream/task, timings,
    a runtime deque): BorderWatch exports its own Prometheus metrics, and these hooks run for every
    message. Kept: the stream inbound time per partition, which Faust's slow-processing checks read."""

    def on_message_in(self, tp: Any, offset: int, message: Any) -> None:
        return None

    def on_stream_event_in(self, tp: Any, offset: int, stream: Any, event: Any) -> dict[str, Any] | None:
        self.stream_inbound_time[tp] = time.monotonic()
        return None

    def on_stream_event_out(self, tp: Any, offset: int, stream: Any, event: Any,
                            state: dict[str, Any] | None = None) -> None:
        return None

    def on_message_out(self, tp: Any, offset: int, message: Any) -> None:
        return None


def _broker_credentials(settings: Settings) -> Any:
    """Faust's credentials object for the configured protocol (mutual TLS when a client cert is set)."""
    protocol = settings.kafka_security_protocol
    if protocol.startswith("SASL"):
        return faust.SASLCredentials(username=settings.kafka_sasl_username or "",
                                     password=settings.sasl_password() or "",
                                     mechanism=settings.kafka_sasl_mechanism or "SCRAM-SHA-512",
                                     ssl_context=settings.ssl_context() if protocol == "SASL_SSL" else None)
    if protocol == "SSL":
        return faust.SSLCredentials(settings.ssl_context())
    return None


def create_app(settings: Settings, *, registry: CollectorRegistry | None = None,
               clock: Callable[[], dt.datetime] = utcnow) -> Runtime:
    """Build the worker: Faust app, watchlist feed, screening (batch loop or Faust agent), alerting agent."""
    brokers = [f"kafka://{b.strip()}" for b in settings.kafka_bootstrap.split(",") if b.strip()]
    app = faust.App(
        settings.app_id,
        broker=brokers,
        broker_credentials=_broker_credentials(settings),
        store="memory://",
        datadir=str(settings.data_dir),
        web_enabled=settings.worker_web_port > 0,
        web_port=settings.worker_web_port or 6066,
        web_host="127.0.0.1",
        topic_partitions=settings.event_partitions,
        topic_allow_declare=False,
        consumer_auto_offset_reset="earliest",
        broker_session_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=max(1.0, settings.session_timeout_s / 4),
        producer_linger_ms=5,
        processing_guarantee="at_least_once",
        table_standby_replicas=settings.table_standby_replicas,
        stream_wait_empty=False,
        logging_config=None,
        monitor=LeanMonitor(),
    )
    use_rewinding_consumer(app)  # partitions never committed are rewound too after a rebalance (see the module)
    ctx = screening_context(settings, clock)
    topics = ctx.topics
    runtime = Runtime(app=app, settings=settings, topics=topics, ctx=ctx,
                      store=WatchlistStore(ctx.matcher),
                      metrics=Metrics(registry or CollectorRegistry()), clock=clock)

    @app.task
    async def _watchlist() -> None:
        await run_watchlist_feed(runtime)

    watchdog = Watchdog(runtime)

    @app.task
    async def _start_watchdog() -> None:
        watchdog.start()

    @app.timer(interval=1.0)
    async def _heartbeat() -> None:
        watchdog.beat()

    @app.task
    async def _name_frequency() -> None:
        await run_name_frequency(runtime)

    retro_queue = RetroQueue()
    runtime.watchlist_listeners.append(retro_queue.add)

    @app.task
    async def _retro() -> None:
        await run_retro_queue(runtime, retro_queue)

    if settings.screening_path == "batch":
        # Earlier versions' pattern stage consumed crossings in the Faust group: its offsets there say
        # nothing about what was screened, so screening must not start from them.
        inherit = None if settings.patterns else settings.app_id
        batch = BatchScreening(screening_group(settings.app_id), inherit_from=inherit)
        runtime.screening = batch

        @app.task
        async def _screen() -> None:
            await batch.run(runtime)

        @app.on_before_shutdown.connect  # type: ignore[arg-type]
        async def _stop_screening(sender: Any, **_: Any) -> None:
            await batch.stop()  # before Faust stops its producer: the last batch still gets acknowledged
    else:
        runtime.screening = FaustScreeningConsumer(app, settings.app_id)
        register_screening_agent(runtime)
    register_alerting_agent(runtime)
    if settings.patterns:
        register_pattern_agents(runtime)
    return runtime
