"""The worker supervisor restarts a worker process that dies, and screening resumes by itself."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import orjson
import pytest

from tests.factories import entry_dict, live_crossing
from tests.helpers import SetUpBroker, kafka_producer, running_worker, wait_until, watch

pytestmark = pytest.mark.integration

PERSON = {"full_name": "Kanya Boonma", "date_of_birth": "2009-01-20", "sex": "F", "nationality": "THA"}


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


async def test_dead_worker_process_is_restarted_and_screening_resumes(broker_with_watchlist: SetUpBroker,
                                                                      tmp_path: Path) -> None:
    broker = await broker_with_watchlist([entry_dict("E-SUP", PERSON, list="missing_person")])
    settings = broker.settings
    with running_worker(broker.env, tmp_path) as worker:
        worker.wait_watchlist(1)
        first_child = children(worker.proc.pid)
        assert len(first_child) == 1, "the worker runs as a supervised child process"
        os.kill(first_child[0], signal.SIGKILL)
        wait_until(lambda: children(worker.proc.pid) not in ([], first_child), 20.0, "a new worker process")
        worker.wait_watchlist(1)
        async with watch(settings, settings.topic_alerts) as alerts, kafka_producer(settings) as producer:
            event = live_crossing(PERSON)
            await producer.send_and_wait(settings.topic_crossings, orjson.dumps(event),
                                         key=event["event_id"].encode())
            await alerts.wait_for(lambda a: a["event_id"] == event["event_id"], timeout=30.0)
        assert worker.proc.poll() is None
    assert worker.proc.returncode == 0  # SIGTERM to the supervisor stops the worker cleanly
