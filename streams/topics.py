"""Topic layout and creation. Topic names are the wire contract (see README)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import structlog

from agents.screening import Topics
from schemas.watchlist import MEKONG_COUNTRIES
from streams.settings import Settings

log = structlog.get_logger(__name__)

RETENTION_30D_MS = str(30 * 86400 * 1000)


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    partitions: int
    config: dict[str, str]


def topic_names(settings: Settings) -> Topics:
    return Topics(
        crossings=settings.topic_crossings,
        document_checks=settings.topic_document_checks,
        dead_letter=settings.topic_dead_letter,
        alert_candidates=settings.topic_alert_candidates,
        alerts=settings.topic_alerts,
        decisions=settings.topic_decisions,
        watchlist=settings.topic_watchlist,
    )


def country_alert_topic(settings: Settings, country: str) -> str:
    return f"{settings.topic_alerts}.{country}"


def topic_specs(settings: Settings) -> list[TopicSpec]:
    """Every topic the pipeline uses, with partitions and configs.

    Alert candidates and decisions share one partition so that a single alerting stage sees every
    repeat hit and every officer decision in order (alerts are rare; screening scales separately).
    Crossings keep 30+ days so that retro-screening reads history from Kafka itself.
    """
    n = settings.event_partitions
    keep = {"retention.ms": str(int(max(settings.retro_screen_days + 1, 31) * 86400 * 1000))}
    specs = [
        TopicSpec(settings.topic_crossings, n, keep),
        TopicSpec(settings.topic_document_checks, n, keep),
        TopicSpec(settings.topic_watchlist, 1, {"cleanup.policy": "compact", "min.compaction.lag.ms": "0"}),
        TopicSpec(settings.topic_alerts, n, {"retention.ms": RETENTION_30D_MS}),
        TopicSpec(settings.topic_alert_candidates, 1, {}),
        TopicSpec(settings.topic_decisions, 1, {}),
        TopicSpec(settings.topic_dead_letter, n, {"retention.ms": RETENTION_30D_MS}),
        # One record per event partition: its latest name-frequency sketch (streams/stages/name_frequency.py).
        TopicSpec(settings.topic_name_frequency, 1, {"cleanup.policy": "compact", "min.compaction.lag.ms": "0"}),
    ]
    specs += [TopicSpec(country_alert_topic(settings, c), 1, {}) for c in MEKONG_COUNTRIES]
    if settings.patterns:
        from streams.stages.patterns import pattern_topic_specs

        specs += pattern_topic_specs(settings)
    return specs


async def _wait_for_leaders(admin: Any, names: list[str], timeout: float = 30.0) -> None:
    """New partitions need a leader before producers can write without retry warnings."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        described = await admin.describe_topics(names)
        if all(t["error_code"] == 0 and t["partitions"] and all(p["leader"] >= 0 for p in t["partitions"])
               for t in described):
            return
        await asyncio.sleep(0.1)


async def ensure_topics(settings: Settings) -> list[str]:
    """Create missing topics (idempotent). Returns the names created."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    admin = AIOKafkaAdminClient(**settings.aiokafka_kwargs())  # type: ignore[arg-type]
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [s for s in topic_specs(settings) if s.name not in existing]
        if missing:
            await admin.create_topics(
                [NewTopic(s.name, s.partitions, 1, topic_configs=s.config) for s in missing]
            )
            await _wait_for_leaders(admin, [s.name for s in missing])
            log.info("topics.created", count=len(missing))
        return [s.name for s in missing]
    finally:
        await admin.close()
