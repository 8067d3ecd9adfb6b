"""Fixtures of the real-broker tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import BrokerSetup, SetUpBroker, set_up_broker


@pytest.fixture
def broker_with_watchlist(kafka_bootstrap: str, namespace: str, tmp_path: Path) -> SetUpBroker:
    """`await broker_with_watchlist(entries, BW_X="...")`: this test's namespaced topics on the session's
    broker, `entries` loaded on its watchlist topic, and the environment (plus `BW_X`) to start a worker with."""
    async def set_up(entries: list[dict[str, Any]], **env: str) -> BrokerSetup:
        return await set_up_broker(kafka_bootstrap, namespace, tmp_path, entries, **env)
    return set_up
