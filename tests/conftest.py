"""Shared fixtures: one real Apache Kafka broker per test session, workers as real subprocesses."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.local_kafka import LocalKafka


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """BW_TEST_KAFKA_BOOTSTRAP points at an existing broker; otherwise start the project's own."""
    existing = os.environ.get("BW_TEST_KAFKA_BOOTSTRAP")
    if existing:
        yield existing
        return
    kafka = LocalKafka()
    kafka.start()
    try:
        yield kafka.bootstrap
    finally:
        kafka.cleanup()


@pytest.fixture
def namespace() -> str:
    """A unique topic prefix so tests sharing one broker never see each other's messages."""
    return f"t{uuid.uuid4().hex[:8]}"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path
