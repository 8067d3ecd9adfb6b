"""Support shared by the tests and the benchmarks that drive a live deployment: topics namespaced per
run on one broker, settings from such an environment, and the worker's Prometheus metrics read back.

Neither tests/ nor bench/ imports the other; both import this.
"""

from __future__ import annotations

import urllib.request

from streams.local_kafka import free_port
from streams.settings import Settings

__all__ = ["TOPIC_FIELDS", "free_port", "metric_value", "namespaced_env", "scrape", "settings_for"]

TOPIC_FIELDS = ("crossings", "document_checks", "watchlist", "alerts", "decisions", "dead_letter",
                "alert_candidates", "name_frequency")


def namespaced_env(bootstrap: str, namespace: str) -> dict[str, str]:
    defaults = Settings(kafka_bootstrap=bootstrap)
    env = {f"BW_TOPIC_{f.upper()}": f"{namespace}.{getattr(defaults, 'topic_' + f)}" for f in TOPIC_FIELDS}
    env.update({"BW_KAFKA_BOOTSTRAP": bootstrap, "BW_APP_ID": f"borderwatch-{namespace}",
                "BW_EVENT_PARTITIONS": "3", "BW_LOG_LEVEL": "INFO"})
    return env


def settings_for(env: dict[str, str]) -> Settings:
    kwargs = {k[3:].lower(): v for k, v in env.items() if k.startswith("BW_")}
    return Settings(**kwargs)  # type: ignore[arg-type]


def scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
        return response.read().decode()


def metric_value(text: str, name: str, **labels: str) -> float:
    """Sum of the samples of `name` whose labels include `labels`."""
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name):
            continue
        head, _, value = line.rpartition(" ")
        metric, _, label_text = head.partition("{")
        if metric != name:
            continue
        if all(f'{k}="{v}"' in label_text for k, v in labels.items()):
            total += float(value)
    return total
