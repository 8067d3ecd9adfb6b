"""Security on a real secured broker: SASL/SCRAM-SHA-512 (+ SASL_SSL with a test CA), StandardAuthorizer ACLs.

One secured broker per module (`LocalKafka(security=...)`), users created at format time, topics
pre-created and ACLs granted by the admin from `streams.security` (the same data as docs/security.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError, KafkaError, TopicAuthorizationFailedError

from streams.local_kafka import KafkaSecurity, LocalKafka
from streams.security import ACL_COMMAND, Grant, acl_bindings, apply_grants, borderwatch_grants, precreate_topics
from streams.settings import Settings
from streams.testkit import settings_for
from tests.factories import SUSPECT, entry_dict, live_crossing
from tests.helpers import load_watchlist, running_worker

pytestmark = pytest.mark.integration

USERS = ("worker", "officer-tha", "checkpoint-tha")
BASE_ENV = {"BW_EVENT_PARTITIONS": "2", "BW_LOG_LEVEL": "INFO"}


def GRANTS(settings: Settings) -> list[Grant]:
    return borderwatch_grants(settings, officer_countries=["THA", "VNM"], checkpoint_countries=["THA"])




@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalKafka]:
    kafka = LocalKafka(security=KafkaSecurity(users=dict.fromkeys(USERS), tls=True),
                       data_dir=tmp_path_factory.mktemp("secured-kafka"), heap="512m")
    kafka.start()
    try:
        admin = settings_for({**BASE_ENV, **kafka.settings_env("admin")})
        asyncio.run(precreate_topics(admin))
        apply_grants(kafka.run_tool, kafka.bootstrap, str(kafka.admin_properties()), GRANTS(admin))
        yield kafka
    finally:
        kafka.cleanup()


@contextlib.asynccontextmanager
async def producer_as(kafka: LocalKafka, user: str, **kw: Any) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(**kafka.client_kwargs(user, **kw), linger_ms=1, request_timeout_ms=10000)
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


async def read_topic(kafka: LocalKafka, user: str, topic: str, *, group: str | None = None,
                     until: Any = None, timeout: float = 15.0, **kw: Any) -> list[dict[str, Any]]:
    """Consume `topic` as `user` from the beginning until `until(values)` holds; errors propagate."""
    consumer = AIOKafkaConsumer(topic, **kafka.client_kwargs(user, **kw), group_id=group,
                                auto_offset_reset="earliest", fetch_max_wait_ms=100,
                                request_timeout_ms=10000, metadata_max_age_ms=1000)
    await consumer.start()
    values: list[dict[str, Any]] = []
    try:
        async def pump() -> None:
            while not (until and until(values)):
                batch = await consumer.getmany(timeout_ms=500)
                values.extend(orjson.loads(r.value) for recs in batch.values() for r in recs)
        await asyncio.wait_for(pump(), timeout)
        return values
    finally:
        await consumer.stop()


async def assert_read_refused(kafka: LocalKafka, user: str, topic: str) -> None:
    with pytest.raises(TopicAuthorizationFailedError):
        await read_topic(kafka, user, topic, until=lambda v: bool(v), timeout=15.0)


async def assert_write_refused(kafka: LocalKafka, user: str, topic: str) -> None:
    async with producer_as(kafka, user) as producer:
        with pytest.raises(TopicAuthorizationFailedError):
            await producer.send_and_wait(topic, b"{}", key=b"k")


async def test_officer_reads_only_own_country(secured: LocalKafka) -> None:
    async with producer_as(secured, "admin") as admin:
        for topic in ("alerts.THA", "alerts.VNM"):  # not `alerts`: the worker replays it at start
            await admin.send_and_wait(topic, orjson.dumps({"alert_id": f"probe-{topic}"}), key=b"probe")
    seen = await read_topic(secured, "officer-tha", "alerts.THA", group="officer-tha-console",
                            until=lambda v: any(a["alert_id"] == "probe-alerts.THA" for a in v))
    assert any(a["alert_id"] == "probe-alerts.THA" for a in seen)
    await assert_read_refused(secured, "officer-tha", "alerts.VNM")
    await assert_read_refused(secured, "officer-tha", "alerts")
    await assert_write_refused(secured, "officer-tha", "alerts.THA")


async def test_officer_cannot_use_foreign_consumer_group(secured: LocalKafka) -> None:
    with pytest.raises(KafkaError) as refused:
        await read_topic(secured, "officer-tha", "alerts.THA", group="borderwatch",
                         until=lambda v: bool(v), timeout=15.0)
    assert "GroupAuthorizationFailed" in type(refused.value).__name__


async def test_wrong_password_is_refused(secured: LocalKafka, caplog: pytest.LogCaptureFixture) -> None:
    for tls in (False, True):
        caplog.clear()
        producer = AIOKafkaProducer(**secured.client_kwargs("officer-tha", tls=tls, password="not-the-password"),
                                    request_timeout_ms=5000)
        with pytest.raises(KafkaConnectionError):  # aiokafka wraps the broker's SaslAuthenticationFailed
            await asyncio.wait_for(producer.start(), 30)
        await producer.stop()
        assert "SaslAuthenticationFailed" in caplog.text and "invalid credentials" in caplog.text


async def test_checkpoint_writes_events_but_reads_nothing(secured: LocalKafka) -> None:
    async with producer_as(secured, "checkpoint-tha") as producer:
        await producer.send_and_wait("border.crossings", orjson.dumps(live_crossing(SUSPECT)), key=b"cp-1")
        await producer.send_and_wait("border.document-checks", b"{}", key=b"cp-2")
    await assert_read_refused(secured, "checkpoint-tha", "alerts")
    await assert_read_refused(secured, "checkpoint-tha", "alerts.THA")
    await assert_read_refused(secured, "checkpoint-tha", "border.crossings")
    await assert_write_refused(secured, "checkpoint-tha", "alerts.THA")
    await assert_write_refused(secured, "checkpoint-tha", "watchlist.entries")


async def test_worker_screens_end_to_end_with_sasl_ssl(secured: LocalKafka, tmp_path: Path) -> None:
    admin = settings_for({**BASE_ENV, **secured.settings_env("admin")})
    summary = await load_watchlist(admin, tmp_path / "wl.jsonl", [entry_dict("E-SEC", SUSPECT)])
    assert summary.loaded == 1

    env = {**BASE_ENV, **secured.settings_env("worker", tls=True)}
    assert env["BW_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    with running_worker(env, tmp_path, "secure-worker") as worker:
        worker.wait_watchlist(1, timeout=90.0)
        event = live_crossing({**SUSPECT, "full_name": "SOMCHAI SRISUK"})
        async with producer_as(secured, "checkpoint-tha") as producer:
            await producer.send_and_wait("border.crossings", orjson.dumps(event), key=event["event_id"].encode())
        found = await read_topic(secured, "officer-tha", "alerts.THA", group="officer-tha-e2e",
                                 until=lambda v: any(a.get("event_id") == event["event_id"] for a in v),
                                 # Two consumer groups join over TLS first; a slow VM under the
                                 # whole suite's load took over 60 s (a run alone: 37-67 s in all).
                                 timeout=150.0)
        alert = next(a for a in found if a.get("event_id") == event["event_id"])
        assert alert["entry_id"] == "E-SEC" and "THA" in alert["route_to"]
        assert worker.proc.poll() is None
    log_text = worker.log_path.read_text(errors="replace")
    for user in (*USERS, "admin"):
        assert Path(secured.password_file(user)).read_text() not in log_text
    assert "TopicAuthorizationFailed" not in log_text and "ClusterAuthorizationFailed" not in log_text


def test_worker_credentials_come_from_a_file(secured: LocalKafka) -> None:
    env = secured.settings_env("worker")
    assert "BW_KAFKA_SASL_PASSWORD" not in env
    path = Path(env["BW_KAFKA_SASL_PASSWORD_FILE"])
    assert path.stat().st_mode & 0o077 == 0
    settings = settings_for(env)
    assert settings.aiokafka_kwargs()["sasl_plain_password"] == path.read_text().strip()
    assert path.read_text().strip() not in repr(settings)



def test_acls_on_the_broker_are_exactly_the_documented_data(secured: LocalKafka) -> None:
    """The broker holds the grants of streams.security and nothing else (no stray or wider ACLs)."""
    listing = secured.run_tool(ACL_COMMAND, "--bootstrap-server", secured.bootstrap, "--command-config",
                               str(secured.admin_properties()), "--list")
    on_broker = set()
    resource = None
    for line in listing.splitlines():
        if m := re.search(r"resourceType=(\w+), name=(.+?), patternType=(\w+)\)", line):
            resource = (m[1].lower().replace("_", "-"), m[3].lower(), m[2])
        elif m := re.search(r"principal=(\S+), host=\*, operation=(\w+), permissionType=ALLOW", line):
            assert resource is not None
            on_broker.add((m[1], resource[0], resource[1], resource[2], m[2]))
    admin = settings_for({**BASE_ENV, **secured.settings_env("admin")})
    expected = {(p, t, pat, n, op.upper()) for p, t, pat, n, op in acl_bindings(GRANTS(admin))}
    assert on_broker == expected
