"""Fault tests on the real broker (issue #6): worker crashes, scale-out and takeover, broker restart.

Each test streams crossings with a planted watchlist hit every N events and proves with counts that
every planted hit was alerted (0 lost), that duplicates (allowed: at-least-once) carry the same
alert_id and the same content apart from created_at, and that no event outside the planted set
alerted. The figures are printed (run with -s); bench/results/faults.md keeps a recorded run.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path
from typing import Any

import pytest

from agents.alerting.ids import alert_id
from streams.local_kafka import LocalKafka, free_port
from streams.testkit import metric_value
from tests.fault_helpers import (
    Scenario,
    audit_alerts,
    consumed,
    make_entries,
    make_scenario,
    poll_until,
    probe_events,
    record_result,
    send_events,
    wait_alerts,
    wait_ready,
)
from tests.helpers import BrokerSetup, Worker, kafka_producer, running_worker, set_up_broker, watch

pytestmark = pytest.mark.integration

SESSION_TIMEOUT_S = "6"


async def prepare(bootstrap: str, namespace: str, tmp: Path, n_events: int,
                  n_hits: int) -> tuple[BrokerSetup, Scenario, list]:
    entries = make_entries(n_hits + 3)
    broker = await set_up_broker(bootstrap, namespace, tmp, entries, BW_SESSION_TIMEOUT_S=SESSION_TIMEOUT_S,
                                 BW_STALL_TIMEOUT_S="30")
    assert broker.summary.loaded == len(entries) and not broker.summary.rejected
    scenario = make_scenario(n_events, n_hits, partitions=int(broker.env["BW_EVENT_PARTITIONS"]), entries=entries)
    return broker, scenario, entries[n_hits:]


def first_alert_after(watcher: Any, topic: str, t: float, known: set[str]) -> float | None:
    """Seconds from wall time `t` to the broker timestamp of the first new alert published after it."""
    stamps = [r.timestamp / 1000 for r in watcher.records
              if r.topic == topic and r.timestamp / 1000 >= t]
    return min(stamps) - t if stamps else None


async def crash_run(kafka_bootstrap: str, namespace: str, tmp: Path, *, kills: int, n_events: int,
                    n_hits: int, rate: float, label: str) -> None:
    broker, scenario, probe_entries = await prepare(kafka_bootstrap, namespace, tmp, n_events, n_hits)
    env, settings = broker.env, broker.settings
    n_entries = len(scenario.entries)
    restarts: list[str] = []
    with running_worker(env, tmp) as worker:
        await wait_ready(worker, n_entries)
        async with watch(settings, settings.topic_alerts, settings.topic_dead_letter) as seen, \
                kafka_producer(settings) as producer:
            sent = [0]
            feeding = asyncio.ensure_future(
                send_events(producer, settings.topic_crossings, scenario.events, rate, sent))
            for k in range(kills):
                # Kill while the worker is screening: it has consumed some events since (re)start.
                # Spread the kills over the stream: kill k waits for its share of the events to be sent.
                share = (k + 1) * len(scenario.events) // (kills + 1)
                await poll_until(lambda: (consumed(worker) >= 50 and sent[0] >= share) or feeding.done(),  # noqa: B023
                                 300, "the worker to screen events before the kill")
                before = consumed(worker)
                killed_at = time.time()
                worker.kill()
                worker.start()
                ready = await wait_ready(worker, n_entries)
                await poll_until(lambda: consumed(worker) > 0 or feeding.done(), 120,
                                 "the restarted worker to screen again")
                resumed = time.time() - killed_at
                restarts.append(f"kill {k + 1}: sent={sent[0]} consumed_before_kill={before:.0f} "
                                f"restart_ready_s={ready:.1f} kill_to_screening_again_s={resumed:.1f}")
            await feeding
            probes = probe_events(scenario, probe_entries)
            await send_events(producer, settings.topic_crossings, probes, rate=100)
            started = time.time()
            waited = await wait_alerts(seen, settings.topic_alerts, scenario.expected_alert_ids, timeout=90)
            # Nothing more is queued once the probes (last on every partition) have alerted.
            audit = audit_alerts(seen.values(settings.topic_alerts), scenario)
            letters = len(seen.values(settings.topic_dead_letter))
    record_result(label, [f"events={len(scenario.events) + len(probes)} planted={len(scenario.planted)} "
                          f"kills={kills} rate={rate}/s session_timeout_s={SESSION_TIMEOUT_S}",
                          *restarts, audit.line(), f"dead_letters={letters}",
                          f"last_alert_wait_after_stream_s={waited:.1f} (from {started:.0f})"])
    assert audit.lost == 0, audit.line()
    assert audit.unexpected == 0, audit.line()
    assert audit.inconsistent_duplicates == 0, audit.line()
    assert letters == 0


async def test_worker_sigkill_twice_loses_no_alert(kafka_bootstrap: str, namespace: str, tmp_path: Path) -> None:
    await crash_run(kafka_bootstrap, namespace, tmp_path, kills=2, n_events=1500, n_hits=50, rate=100,
                    label="crash-short")


@pytest.mark.slow
async def test_worker_sigkill_repeatedly_loses_no_alert(kafka_bootstrap: str, namespace: str,
                                                        tmp_path: Path) -> None:
    await crash_run(kafka_bootstrap, namespace, tmp_path, kills=6, n_events=3000, n_hits=100, rate=40,
                    label="crash-long")


async def test_two_workers_share_partitions_and_survivor_takes_over(kafka_bootstrap: str, namespace: str,
                                                                    tmp_path: Path) -> None:
    broker, scenario, probe_entries = await prepare(kafka_bootstrap, namespace, tmp_path, 1200, 40)
    env, settings = broker.env, broker.settings
    n_entries = len(scenario.entries)
    half = len(scenario.events) // 2
    with running_worker(env, tmp_path, "a") as a, running_worker(env, tmp_path, "b") as b:
        await wait_ready(a, n_entries)
        await wait_ready(b, n_entries)
        async with watch(settings, settings.topic_alerts, settings.topic_dead_letter) as seen, \
                kafka_producer(settings) as producer:
            first = {k for k, v in scenario.planted.items() if any(e["event_id"] == k
                                                                 for _, e in scenario.events[:half])}
            await send_events(producer, settings.topic_crossings, scenario.events[:half], rate=150)
            await wait_alerts(seen, settings.topic_alerts, {alert_id(k, scenario.planted[k]) for k in first}, 60)
            shares = {"a": consumed(a), "b": consumed(b)}
            entries_seen = {"a": a.metrics(), "b": b.metrics()}
            wl = {k: metric_value(v, "borderwatch_watchlist_entries") for k, v in entries_seen.items()}
            stage = {k: metric_value(v, "borderwatch_alerts_published_total") for k, v in entries_seen.items()}
            assert shares["a"] > 0 and shares["b"] > 0, f"both workers must screen: {shares}"
            assert wl == {"a": n_entries, "b": n_entries}, wl
            killed_at = time.time()
            a.kill()
            probes = probe_events(scenario, probe_entries)  # one per partition, sent right after the kill
            await send_events(producer, settings.topic_crossings, probes, rate=100)
            takeover = await wait_alerts(seen, settings.topic_alerts,
                                         {alert_id(e["event_id"], scenario.planted[e["event_id"]]) for _, e in probes},
                                         timeout=60)
            takeover_s = time.time() - killed_at
            await send_events(producer, settings.topic_crossings, scenario.events[half:], rate=150)
            await wait_alerts(seen, settings.topic_alerts, scenario.expected_alert_ids, timeout=60)
            audit = audit_alerts(seen.values(settings.topic_alerts), scenario)
            letters = len(seen.values(settings.topic_dead_letter))
            survivor = consumed(b)
    record_result("scale-out", [
        f"events={len(scenario.events) + len(probes)} planted={len(scenario.planted)} "
        f"session_timeout_s={SESSION_TIMEOUT_S}",
        f"phase 1 consumed: a={shares['a']:.0f} b={shares['b']:.0f}; watchlist entries a={wl['a']:.0f} "
        f"b={wl['b']:.0f}; alerts published by a={stage['a']:.0f} b={stage['b']:.0f} (a killed)",
        f"takeover: kill a -> probe alerts on all {len(probes)} partitions = {takeover_s:.1f}s "
        f"(wait after sending probes {takeover:.1f}s)",
        f"survivor b consumed total={survivor:.0f}", audit.line(), f"dead_letters={letters}"])
    assert audit.lost == 0 and audit.unexpected == 0 and audit.inconsistent_duplicates == 0, audit.line()
    assert letters == 0


def worker_children(worker: Worker) -> list[int]:
    path = Path(f"/proc/{worker.proc.pid}/task/{worker.proc.pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


BROKER_RESTART_HANG = (
    "after a long outage the Faust consumer may never rejoin (faust-streaming #523); the stall watchdog "
    "restarts the worker process, which this slow test exercises")


async def test_broker_restart_mid_stream_loses_no_alert(namespace: str, tmp_path: Path) -> None:
    await broker_restart_run(namespace, tmp_path, outage_s=0.0, label="broker-restart")


@pytest.mark.slow
@pytest.mark.xfail(strict=False, reason=BROKER_RESTART_HANG)
async def test_long_broker_outage_loses_no_alert(namespace: str, tmp_path: Path) -> None:
    """Broker down for 45 s (several session timeouts): the group coordinator must be rediscovered."""
    await broker_restart_run(namespace, tmp_path, outage_s=45.0, label="broker-outage-45s")


async def broker_restart_run(namespace: str, tmp_path: Path, *, outage_s: float, label: str) -> None:
    kafka = LocalKafka(port=free_port(), data_dir=tmp_path / "kafka", heap="512m")
    await asyncio.to_thread(kafka.start)
    try:
        broker, scenario, probe_entries = await prepare(kafka.bootstrap, namespace, tmp_path, 1500, 50)
        env, settings = broker.env, broker.settings
        third = len(scenario.events) // 3
        lines = [f"events={len(scenario.events) + 3} planted={len(scenario.planted) + 3} "
                 f"broker={kafka.bootstrap}"]
        with running_worker(env, tmp_path) as worker:
            await wait_ready(worker, len(scenario.entries))
            async with kafka_producer(settings) as producer:
                await send_events(producer, settings.topic_crossings, scenario.events[:third], rate=300)
            await poll_until(lambda: consumed(worker) >= 100, 60, "the worker to screen before the restart")
            at_stop = consumed(worker)
            stopped_at = time.monotonic()
            await asyncio.to_thread(kafka.stop)
            down_s = time.monotonic() - stopped_at
            if outage_s:
                await asyncio.sleep(outage_s)  # the fault itself: a deliberate outage, not a wait for a condition
            restart_at = time.monotonic()
            await asyncio.to_thread(kafka.start)
            broker_start_s = time.monotonic() - restart_at
            back_wall = time.time()
            lines.append(f"broker stopped with worker consumed={at_stop:.0f} of {third} sent; stop took "
                         f"{down_s:.1f}s, extra outage {outage_s:.0f}s, start took {broker_start_s:.1f}s")
            async with watch(settings, settings.topic_alerts, settings.topic_dead_letter) as seen, \
                    kafka_producer(settings) as producer:
                rest = [*scenario.events[third:], *probe_events(scenario, probe_entries)]
                sending = asyncio.ensure_future(send_events(producer, settings.topic_crossings, rest, rate=150))
                try:
                    first_child = worker_children(worker)

                    def screening() -> bool:
                        # either the same process moves on, or the supervisor replaced a stalled one
                        # (its counters start again from zero) and the new process screens
                        restarted = worker_children(worker) not in ([], first_child)
                        return consumed(worker) > (0 if restarted else at_stop)
                    screening_again = await poll_until(screening, 150,
                                                       "the worker to screen again after the broker restart")
                    assert worker.proc.poll() is None, "worker died with the broker"
                    await poll_until(lambda: first_alert_after(seen, settings.topic_alerts, back_wall, set())
                                     is not None, 120, "a first alert published after the broker restart")
                    first_new = first_alert_after(seen, settings.topic_alerts, back_wall, set())
                    await sending
                    waited = await wait_alerts(seen, settings.topic_alerts, scenario.expected_alert_ids,
                                               timeout=120)
                finally:
                    if not sending.done():
                        sending.cancel()
                        with contextlib.suppress(BaseException):
                            await sending
                    worker_alive = worker.proc.poll() is None
                audit = audit_alerts(seen.values(settings.topic_alerts), scenario)
                letters = len(seen.values(settings.topic_dead_letter))
            lines += [f"worker screening again {screening_again:.1f}s after the broker answered; first alert "
                      f"published after the restart {first_new:.1f}s after the broker answered",
                      f"all planted alerted {waited:.1f}s after the stream ended; worker alive={worker_alive}",
                      audit.line(), f"dead_letters={letters}"]
            record_result(label, lines)
        assert audit.lost == 0 and audit.unexpected == 0 and audit.inconsistent_duplicates == 0, audit.line()
        assert letters == 0
    finally:
        kafka.cleanup()

