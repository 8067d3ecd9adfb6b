"""streams.metrics: separate registries, exact names, bounded labels, /metrics endpoint."""

from __future__ import annotations

import urllib.request

import pytest
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from streams.metrics import (
    MEKONG_COUNTRIES,
    METRIC_NAMES,
    Metrics,
    country_label,
    list_label,
    reason_label,
    serve,
    topic_label,
)

EXPECTED = {
    "events_consumed": (
        "borderwatch_events_consumed", "counter", {"topic", "event_type", "checkpoint_country"},
    ),
    "events_invalid": ("borderwatch_events_invalid", "counter", {"topic", "reason"}),
    "alerts_published": (
        "borderwatch_alerts_published", "counter", {"list", "priority", "route_country", "retrospective"},
    ),
    "alerts_suppressed": ("borderwatch_alerts_suppressed", "counter", {"list"}),
    "alerts_merged": ("borderwatch_alerts_merged", "counter", {"list"}),
    "screening_latency": ("borderwatch_screening_latency_seconds", "histogram", set()),
    "processing_time": ("borderwatch_processing_seconds", "histogram", {"event_type"}),
    "candidates": ("borderwatch_candidates_per_event", "histogram", set()),
    "watchlist_entries": ("borderwatch_watchlist_entries", "gauge", {"list"}),
    "watchlist_version": ("borderwatch_watchlist_version", "gauge", set()),
    "watchlist_build": ("borderwatch_watchlist_build_seconds", "histogram", set()),
    "consumer_lag": ("borderwatch_consumer_lag_messages", "gauge", {"topic", "partition"}),
    "decisions": ("borderwatch_decisions", "counter", {"decision"}),
    "last_event": ("borderwatch_last_event_timestamp_seconds", "gauge", {"checkpoint_country"}),
    "retro_screen": ("borderwatch_retro_screen_seconds", "histogram", set()),
    "dead_letters": ("borderwatch_dead_letters_published", "counter", {"topic"}),
    "screening_loop_errors": ("borderwatch_screening_loop_errors", "counter", {"kind"}),
}


def _exercise(m: Metrics) -> None:
    m.event_consumed("border.crossings", "border_crossing", "tha", 1_700_000_000.0)
    m.event_invalid("border.document-checks", "invalid_json")
    m.alert_published(
        {"list": "suspect", "priority": "high", "route_to": ["THA", "LAO"], "retrospective": False}, 0.02
    )
    m.alerts_suppressed.labels("suspect").inc()
    m.alerts_merged.labels("missing_person").inc()
    m.processing_time.labels("border_crossing").observe(0.0003)
    m.candidates.observe(7)
    m.set_watchlist({"suspect": 10, "missing_person": 3}, 42)
    m.watchlist_build.observe(0.5)
    m.set_lag("border.crossings", 3, 12)
    m.decision("confirmed")
    m.retro_screen.observe(2.0)
    m.dead_letter("border.crossings")


def _samples(registry: CollectorRegistry) -> list:
    text = generate_latest(registry).decode()
    return [s for fam in text_string_to_metric_families(text) for s in fam.samples]


def test_build_twice_on_separate_registries_and_not_on_default() -> None:
    before = set(REGISTRY._names_to_collectors)
    r1, r2 = CollectorRegistry(), CollectorRegistry()
    m1, m2 = Metrics(r1), Metrics(r2)
    m1.decision("confirmed")
    assert r1.get_sample_value("borderwatch_decisions_total", {"decision": "confirmed"}) == 1.0
    assert r2.get_sample_value("borderwatch_decisions_total", {"decision": "confirmed"}) == 0.0
    assert m1.registry is r1 and m2.registry is r2
    assert set(REGISTRY._names_to_collectors) == before


@pytest.mark.parametrize("attr", sorted(EXPECTED))
def test_metric_attributes_names_types_labels(attr: str) -> None:
    m = Metrics(CollectorRegistry())
    name, kind, labels = EXPECTED[attr]
    metric = getattr(m, attr)
    assert metric._name == name
    assert metric._type == kind
    assert set(metric._labelnames) == labels


def test_metric_names_match_exposition_exactly() -> None:
    registry = CollectorRegistry()
    _exercise(Metrics(registry))
    exposed = {s.name for s in _samples(registry)}
    assert exposed == METRIC_NAMES
    for name in METRIC_NAMES:
        assert name.startswith("borderwatch_")


def test_histogram_buckets() -> None:
    registry = CollectorRegistry()
    m = Metrics(registry)
    m.screening_latency.observe(0.001)

    def bounds(metric: str) -> list[float]:
        return sorted(
            float(s.labels["le"]) for s in _samples(registry) if s.name == metric and "le" in s.labels
            and s.labels.get("event_type", "border_crossing") == "border_crossing"
        )

    lat = bounds("borderwatch_screening_latency_seconds_bucket")
    assert lat[0] == 0.005 and 0.05 in lat and lat[-2] == 60.0 and lat[-1] == float("inf")
    proc = bounds("borderwatch_processing_seconds_bucket")
    assert proc[0] == 0.00005 and proc[-2] == 1.0
    cand = bounds("borderwatch_candidates_per_event_bucket")
    assert cand[:-1] == [0, 1, 2, 5, 10, 20, 50, 100, 200]


def test_country_label_bounded() -> None:
    for code in MEKONG_COUNTRIES:
        assert country_label(code) == code
        assert country_label(f" {code.lower()} ") == code
    for bad in ("USA", "D<<", "", None, 7, "Somchai Jaidee", "THAI"):
        assert country_label(bad) == "OTHER"
    assert topic_label("border.crossings") == "border.crossings"
    assert topic_label("secret.topic.of.some.person") == "other"
    assert reason_label("whatever") == "internal_error"
    assert list_label("suspect") == "suspect" and list_label("x") == "other"


def test_label_values_stay_bounded_under_hostile_input() -> None:
    registry = CollectorRegistry()
    m = Metrics(registry)
    for i in range(200):
        m.event_consumed(f"topic-{i}", f"type-{i}", f"X{i:02d}", float(i))
        m.event_invalid(f"topic-{i}", f"reason {i}")
        m.alert_published({"list": f"l{i}", "priority": f"p{i}", "route_to": [f"Name {i}"]})
        m.decision(f"d{i}")
        m.dead_letter(f"t{i}")
    allowed = {
        "topic": {"border.crossings", "border.document-checks", "other"},
        "checkpoint_country": {*MEKONG_COUNTRIES, "OTHER"},
        "route_country": {*MEKONG_COUNTRIES, "OTHER"},
        "event_type": {"border_crossing", "document_check", "other"},
        "reason": {"invalid_json", "invalid_schema", "too_large", "internal_error"},
        "list": {"suspect", "missing_person", "suspected_victim", "other"},
        "priority": {"low", "medium", "high", "critical", "other"},
        "decision": {"confirmed", "false_positive", "escalated", "other"},
        "retrospective": {"true", "false"},
    }
    samples = _samples(registry)
    assert len(samples) < 600
    for s in samples:
        for key, value in s.labels.items():
            if key in allowed:
                assert value in allowed[key], (s.name, key, value)


def test_no_events_alert_series_exist_before_first_event() -> None:
    registry = CollectorRegistry()
    Metrics(registry)
    for code in MEKONG_COUNTRIES:
        v = registry.get_sample_value(
            "borderwatch_events_consumed_total",
            {"topic": "border.crossings", "event_type": "border_crossing", "checkpoint_country": code},
        )
        assert v == 0.0


def test_serve_exposes_metrics_on_loopback() -> None:
    registry = CollectorRegistry()
    m = Metrics(registry)
    m.decision("escalated")
    server = serve(registry, "127.0.0.1", 0)
    try:
        port = server.server_port
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
            body = resp.read().decode()
        assert 'borderwatch_decisions_total{decision="escalated"} 1.0' in body
    finally:
        server.shutdown()
        server.server_close()
