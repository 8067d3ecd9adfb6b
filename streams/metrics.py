"""Prometheus metrics of a BorderWatch worker.

Everything hangs off a :class:`prometheus_client.CollectorRegistry` passed in by the caller: this
module never touches the process-wide default ``REGISTRY``, so tests (and a process running several
apps) can build as many :class:`Metrics` as they like.

Label discipline: every label takes values from a small closed set. Personal data (names,
document numbers, event or entry ids, checkpoint ids) never goes into a label; use the ``*_label``
helpers below, which fold anything unexpected into ``"OTHER"`` / ``"other"``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, get_args

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from agents.decode import RejectReason
from agents.screening import Processed
from schemas.watchlist import LISTS, MEKONG_COUNTRIES, PRIORITIES

if TYPE_CHECKING:
    from streams.runtime import Runtime

#: The six Lancang-Mekong countries (ISO 3166-1 alpha-3); any other value is reported as "OTHER".
OTHER_COUNTRY = "OTHER"
OTHER = "other"

EVENT_TOPICS: dict[str, str] = {
    "border.crossings": "border_crossing",
    "border.document-checks": "document_check",
}
TOPICS: tuple[str, ...] = (
    "border.crossings",
    "border.document-checks",
    "watchlist.entries",
    "alerts",
    *(f"alerts.{c}" for c in MEKONG_COUNTRIES),
    "alerts.decisions",
    "events.dead-letter",
)
EVENT_TYPES: tuple[str, ...] = ("border_crossing", "document_check")
INVALID_REASONS: tuple[str, ...] = get_args(RejectReason)
DECISIONS: tuple[str, ...] = ("confirmed", "false_positive", "escalated")
LOOP_ERRORS: tuple[str, ...] = ("restart", "unpublishable")

#: Event occurred_at -> alert published. The budget is 50 ms of our own time; the tail covers
#: checkpoint/transport delays and retrospective screening.
LATENCY_BUCKETS: tuple[float, ...] = (
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
)
#: Per-event screening CPU time.
PROCESSING_BUCKETS: tuple[float, ...] = (
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
)
CANDIDATE_BUCKETS: tuple[float, ...] = (0, 1, 2, 5, 10, 20, 50, 100, 200)
BUILD_BUCKETS: tuple[float, ...] = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
RETRO_BUCKETS: tuple[float, ...] = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0)

_COUNTERS = (
    "borderwatch_events_consumed",
    "borderwatch_events_invalid",
    "borderwatch_events_partially_screened",
    "borderwatch_alerts_published",
    "borderwatch_alerts_suppressed",
    "borderwatch_alerts_merged",
    "borderwatch_decisions",
    "borderwatch_dead_letters_published",
    "borderwatch_screening_loop_errors",
)
_HISTOGRAMS = (
    "borderwatch_screening_latency_seconds",
    "borderwatch_processing_seconds",
    "borderwatch_candidates_per_event",
    "borderwatch_watchlist_build_seconds",
    "borderwatch_retro_screen_seconds",
)
_GAUGES = (
    "borderwatch_watchlist_entries",
    "borderwatch_watchlist_version",
    "borderwatch_consumer_lag_messages",
    "borderwatch_last_event_timestamp_seconds",
)

#: Every series name a worker exposes, as Prometheus scrapes it (counters as ``_total`` and
#: ``_created``, histograms as ``_bucket``/``_sum``/``_count``/``_created``, gauges bare).
#: Dashboards and alerting rules may reference only these.
METRIC_NAMES: frozenset[str] = frozenset(
    [f"{n}{s}" for n in _COUNTERS for s in ("_total", "_created")]
    + [f"{n}{s}" for n in _HISTOGRAMS for s in ("_bucket", "_sum", "_count", "_created")]
    + list(_GAUGES)
)


#: At most this many (topic, event_type, country) combinations keep pre-bound children (the folded
#: label sets are far fewer: 2 topics x 2 types x 7 countries).
_HOT_CACHE_MAX = 256


def _closed(value: object, allowed: Iterable[str], default: str = OTHER) -> str:
    if isinstance(value, str):
        v = value.strip()
        if v in allowed:
            return v
    return default


def country_label(code: object) -> str:
    """A checkpoint/route country as a label value: one of the six Mekong codes, else ``"OTHER"``."""
    if isinstance(code, str):
        c = code.strip().upper()
        if c in MEKONG_COUNTRIES:
            return c
    return OTHER_COUNTRY


def topic_label(topic: object) -> str:
    """A topic name as a label value: one of the contract topics, else ``"other"``."""
    return _closed(topic, TOPICS)


def event_type_label(event_type: object) -> str:
    return _closed(event_type, EVENT_TYPES)


def reason_label(reason: object) -> str:
    """Why an event was rejected; anything unknown is ``internal_error``."""
    return _closed(reason, INVALID_REASONS, "internal_error")


def list_label(name: object) -> str:
    return _closed(name, LISTS)


def priority_label(priority: object) -> str:
    return _closed(priority, PRIORITIES)


def decision_label(decision: object) -> str:
    return _closed(decision, DECISIONS)


def bool_label(value: object) -> str:
    return "true" if value is True or value == "true" else "false"


class Metrics:
    """All BorderWatch metrics, registered on ``registry`` (never the global default)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        if registry is None:  # pragma: no cover - defensive: refuse the implicit global registry
            raise TypeError("Metrics needs an explicit CollectorRegistry")
        self.registry = registry
        r = registry

        self.events_consumed = Counter(
            "borderwatch_events_consumed", "Checkpoint events consumed.",
            ["topic", "event_type", "checkpoint_country"], registry=r,
        )
        self.events_invalid = Counter(
            "borderwatch_events_invalid", "Events rejected before screening.",
            ["topic", "reason"], registry=r,
        )
        self.events_partially_screened = Counter(
            "borderwatch_events_partially_screened",
            "Events screened without some invalid fields (a data-quality record went to the dead-letter topic).",
            ["topic"], registry=r,
        )
        self.alerts_published = Counter(
            "borderwatch_alerts_published", "Alerts published, one per route country.",
            ["list", "priority", "route_country", "retrospective"], registry=r,
        )
        self.alerts_suppressed = Counter(
            "borderwatch_alerts_suppressed", "Matches not alerted (duplicate within the window, not shared).",
            ["list"], registry=r,
        )
        self.alerts_merged = Counter(
            "borderwatch_alerts_merged", "Hits merged into an existing alert (update=true).",
            ["list"], registry=r,
        )
        self.screening_latency = Histogram(
            "borderwatch_screening_latency_seconds", "Event occurred_at to alert published.",
            buckets=LATENCY_BUCKETS, registry=r,
        )
        self.processing_time = Histogram(
            "borderwatch_processing_seconds", "Per-event screening CPU time.",
            ["event_type"], buckets=PROCESSING_BUCKETS, registry=r,
        )
        self.candidates = Histogram(
            "borderwatch_candidates_per_event", "Watchlist candidates scored per event.",
            buckets=CANDIDATE_BUCKETS, registry=r,
        )
        self.watchlist_entries = Gauge(
            "borderwatch_watchlist_entries", "Active watchlist entries in the index.", ["list"], registry=r,
        )
        self.watchlist_version = Gauge(
            "borderwatch_watchlist_version", "Version of the watchlist index in use.", registry=r,
        )
        self.watchlist_build = Histogram(
            "borderwatch_watchlist_build_seconds", "Time to (re)build the watchlist index.",
            buckets=BUILD_BUCKETS, registry=r,
        )
        self.consumer_lag = Gauge(
            "borderwatch_consumer_lag_messages", "Messages between committed offset and high watermark.",
            ["topic", "partition"], registry=r,
        )
        self.decisions = Counter(
            "borderwatch_decisions", "Officer decisions consumed.", ["decision"], registry=r,
        )
        self.last_event = Gauge(
            "borderwatch_last_event_timestamp_seconds", "Unix time of the last event seen per country.",
            ["checkpoint_country"], registry=r,
        )
        self.retro_screen = Histogram(
            "borderwatch_retro_screen_seconds", "Retrospective screening run of a new watchlist entry.",
            buckets=RETRO_BUCKETS, registry=r,
        )
        self.dead_letters = Counter(
            "borderwatch_dead_letters_published", "Messages written to events.dead-letter.",
            ["topic"], registry=r,
        )
        self.screening_loop_errors = Counter(
            "borderwatch_screening_loop_errors",
            "Batch screening loop failures: restart (from the committed offsets), unpublishable (one "
            "message's output could never be published and was skipped).",
            ["kind"], registry=r,
        )
        #: Pre-bound children of the per-event series, by the raw (topic, event_type, country) of an
        #: event: the hot path skips label folding and the per-call ``labels()`` lookup. Bounded: past
        #: ``_HOT_CACHE_MAX`` keys, new combinations take the slow path (values are folded either way).
        self._hot: dict[tuple[str, str, str], tuple[Any, Any, Any]] = {}
        self._initialise_children()

    def _initialise_children(self) -> None:
        """Export zero-valued series for the expected label sets so that rate()/increase() and the
        'no events from a country' alert work before the first event arrives."""
        for topic, event_type in EVENT_TOPICS.items():
            for country in MEKONG_COUNTRIES:
                self.events_consumed.labels(topic, event_type, country)
            self.dead_letters.labels(topic)
            self.events_partially_screened.labels(topic)
            for reason in INVALID_REASONS:
                self.events_invalid.labels(topic, reason)
        for name in LISTS:
            self.alerts_suppressed.labels(name)
            self.alerts_merged.labels(name)
            self.watchlist_entries.labels(name)
        for decision in DECISIONS:
            self.decisions.labels(decision)
        for event_type in EVENT_TYPES:
            self.processing_time.labels(event_type)
        for kind in LOOP_ERRORS:
            self.screening_loop_errors.labels(kind)

    # -- convenience recorders (label values are always folded through the helpers) ------------

    def event_consumed(self, topic: str, event_type: str, checkpoint_country: str, timestamp: float) -> None:
        consumed, last_event, _processing = self._event_children(topic, event_type, checkpoint_country)
        consumed.inc()
        last_event.set(timestamp)

    def event_screened(self, topic: str, event_type: str, checkpoint_country: str, timestamp: float,
                       seconds: float, candidates: int) -> None:
        """One screened event: consumed counter, last-event gauge, processing time, candidates.
        Called once per event, so the label children are looked up once per label combination."""
        consumed, last_event, processing = self._event_children(topic, event_type, checkpoint_country)
        consumed.inc()
        last_event.set(timestamp)
        processing.observe(seconds)
        self.candidates.observe(candidates)

    def events_screened(self, topic: str, event_type: str, checkpoint_country: str, timestamp: float,
                        seconds: Iterable[float], candidates: Iterable[int]) -> None:
        """Several screened events of one label combination (the batch loop's slice): one counter
        increment and one gauge set for all of them; the histograms still see every event."""
        consumed, last_event, processing = self._event_children(topic, event_type, checkpoint_country)
        observe = processing.observe
        count = 0
        for value in seconds:
            observe(value)
            count += 1
        consumed.inc(count)
        last_event.set(timestamp)
        observe = self.candidates.observe
        for n in candidates:
            observe(n)

    def _event_children(self, topic: str, event_type: str, checkpoint_country: str) -> tuple[Any, Any, Any]:
        children = self._hot.get((topic, event_type, checkpoint_country))
        return children if children is not None else self._bind_hot(topic, event_type, checkpoint_country)

    def _bind_hot(self, topic: str, event_type: str, checkpoint_country: str) -> tuple[Any, Any, Any]:
        country, kind = country_label(checkpoint_country), event_type_label(event_type)
        children = (self.events_consumed.labels(topic_label(topic), kind, country),
                    self.last_event.labels(country), self.processing_time.labels(kind))
        if len(self._hot) < _HOT_CACHE_MAX:
            self._hot[(topic, event_type, checkpoint_country)] = children
        return children

    def event_partially_screened(self, topic: str) -> None:
        self.events_partially_screened.labels(topic_label(topic)).inc()
        self.dead_letter(topic)  # its data-quality record

    def event_invalid(self, topic: str, reason: str) -> None:
        self.events_invalid.labels(topic_label(topic), reason_label(reason)).inc()

    def alert_published(self, alert: Mapping[str, Any], latency_seconds: float | None = None) -> None:
        """Count an alert (a dict shaped like :class:`schemas.Alert`) once per route country."""
        lst, prio = list_label(alert.get("list")), priority_label(alert.get("priority"))
        retro = bool_label(alert.get("retrospective", False))
        routes = alert.get("route_to") or [None]
        for country in routes:
            self.alerts_published.labels(lst, prio, country_label(country), retro).inc()
        if latency_seconds is not None and latency_seconds >= 0 and not alert.get("retrospective"):
            self.screening_latency.observe(latency_seconds)

    def decision(self, decision: str) -> None:
        self.decisions.labels(decision_label(decision)).inc()

    def dead_letter(self, source_topic: str) -> None:
        self.dead_letters.labels(topic_label(source_topic)).inc()

    def set_lag(self, topic: str, partition: int, lag: float) -> None:
        self.consumer_lag.labels(topic_label(topic), str(int(partition))).set(max(0.0, lag))

    def set_watchlist(self, counts: Mapping[str, int], version: int) -> None:
        for name in LISTS:
            self.watchlist_entries.labels(name).set(counts.get(name, 0))
        self.watchlist_version.set(version)


def serve(registry: CollectorRegistry, host: str = "0.0.0.0", port: int = 9108) -> Any:
    """Start the HTTP ``/metrics`` endpoint for ``registry`` in a daemon thread and return the server
    (``server.server_port`` is the bound port, ``server.shutdown()`` stops it). ``port=0`` picks a
    free port."""
    result = start_http_server(port, addr=host, registry=registry)
    # prometheus_client >= 0.17 returns (server, thread); older versions return None.
    if isinstance(result, tuple):
        return result[0]
    return result


__all__ = [
    "CANDIDATE_BUCKETS",
    "LATENCY_BUCKETS",
    "MEKONG_COUNTRIES",
    "METRIC_NAMES",
    "PROCESSING_BUCKETS",
    "Metrics",
    "bool_label",
    "country_label",
    "decision_label",
    "event_type_label",
    "list_label",
    "priority_label",
    "reason_label",
    "serve",
    "topic_label",
]


@dataclass(slots=True)
class _ScreenedGroup:
    last: dt.datetime
    seconds: list[float] = field(default_factory=list)
    candidates: list[int] = field(default_factory=list)


class ScreenedSlice:
    """Per-event screening metrics gathered over one slice of a batch and written in one go: an
    `Observer` for `screen_one`; `flush()` writes what was gathered (call it before yielding).

    Per event, `Runtime.observe_screened` writes a counter, a gauge and two histograms, each behind its
    own lock, and converts a timestamp; over a slice the counter and gauge are written once per label
    combination and the timestamp converted once. The histograms still see every event, and a rejected
    event is recorded at once (dead-letter counters, warning log), exactly as on the Faust path."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._groups: dict[tuple[str, str, str], _ScreenedGroup] = {}

    def observe(self, topic: str, processed: Processed, seconds: float) -> None:
        event = processed.event
        if processed.rejected is not None or event is None or processed.problems:
            self._runtime.observe_screened(topic, processed, seconds)
            return
        key = (topic, event.event_type, event.checkpoint_country)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = _ScreenedGroup(event.occurred_at)
        else:
            group.last = event.occurred_at  # the gauge keeps the last event's time, as per-event sets do
        group.seconds.append(seconds)
        group.candidates.append(processed.candidates)

    def flush(self) -> None:
        if not self._groups:
            return
        metrics, now = self._runtime.metrics, time.time()
        for (topic, event_type, country), group in self._groups.items():
            # Clamped: a checkpoint clock in the future must not hide a silent checkpoint on the dashboard.
            metrics.events_screened(topic, event_type, country, min(group.last.timestamp(), now),
                                    group.seconds, group.candidates)
        self._groups.clear()
