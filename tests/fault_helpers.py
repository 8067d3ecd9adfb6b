"""Helpers for the fault tests (worker crash, scale-out takeover, broker restart) and the soak bench.

A scenario is a watchlist of distinctive synthetic entries, and a stream of crossings in which a hit
on one entry is planted every N events (evenly spread over the partitions). The expected alerts are
the deterministic alert ids `uuid5(event_id, entry_id)` of the planted pairs; the scenario checks
offline, with the worker's own engine, that planted events hit and background events do not, so a
missing or extra alert on the broker is the pipeline's doing, not the matcher's.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import random
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer

from agents.alerting.ids import alert_id
from agents.matching import MatcherConfig, build_index, search
from bench.evalset.generate import synthetic_entry_dicts
from schemas import BorderCrossing, WatchlistEntry
from streams.simulation.travellers import background_person
from streams.testkit import metric_value
from tests.helpers import TopicWatcher, Worker

CHECKPOINTS = {"THA": "THA-CP01", "LAO": "LAO-CP01", "KHM": "KHM-CP01", "VNM": "VNM-CP01",
               "MMR": "MMR-CP01", "CHN": "CHN-CP01"}


@dataclass
class Scenario:
    entries: list[dict[str, Any]]
    events: list[tuple[int, dict[str, Any]]]  # (partition, event) in send order
    planted: dict[str, str]  # event_id -> entry_id
    partitions: int

    @property
    def expected_alert_ids(self) -> set[str]:
        return {alert_id(ev, en) for ev, en in self.planted.items()}


def _traveller_from_entry(rng: random.Random, person: dict[str, Any]) -> dict[str, Any]:
    p = dict(person)
    p.pop("birth_year_range", None)
    if rng.random() < 0.5:
        p["given_names"] = p["given_names"].upper()
        if "surname" in p:
            p["surname"] = p["surname"].upper()
    return p


def make_entries(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """`n` distinctive synthetic entries, each with an exact date of birth and a passport."""
    out: list[dict[str, Any]] = []
    rng = random.Random(seed)
    for d in synthetic_entry_dicts(n * 3, seed):
        person = d["person"]
        if len(person.get("date_of_birth", "")) != 10 or "surname" not in person:
            continue
        if not person.get("documents"):
            nat = person["nationality"]
            person["documents"] = [{"type": "P", "number": f"Q{rng.randrange(10**7, 10**8)}",
                                    "issuing_country": nat}]
        out.append({**d, "entry_id": f"FLT-{len(out):05d}", "priority": "high"})
        if len(out) == n:
            break
    return out


def make_scenario(n_events: int, n_hits: int, *, partitions: int = 3, seed: int = 11,
                  entries: list[dict[str, Any]] | None = None, verify: bool = True) -> Scenario:
    """`n_events` crossings, one planted hit every n_events // n_hits events, each on its own entry
    (so suppression never merges two planted hits), round-robin over `partitions`."""
    entries = entries if entries is not None else make_entries(n_hits, seed)
    assert len(entries) >= n_hits
    rng = random.Random(seed)
    step = max(1, n_events // n_hits)
    now = dt.datetime.now(dt.UTC)
    events: list[tuple[int, dict[str, Any]]] = []
    planted: dict[str, str] = {}
    hit = 0
    for i in range(n_events):
        is_hit = hit < n_hits and i % step == step - 1
        if is_hit:
            e = entries[hit]
            person = _traveller_from_entry(rng, e["person"])
            hit += 1
        else:
            person = background_person(rng)
        country = rng.choice(sorted(CHECKPOINTS))
        event = {"event_id": str(uuid.UUID(int=rng.getrandbits(128))), "event_type": "border_crossing",
                 "occurred_at": (now + dt.timedelta(milliseconds=i)).isoformat(),
                 "checkpoint_id": CHECKPOINTS[country], "checkpoint_country": country,
                 "direction": rng.choice(("entry", "exit")), "traveler": person}
        if is_hit:
            planted[event["event_id"]] = e["entry_id"]
        events.append((i % partitions, event))
    scenario = Scenario(entries, events, planted, partitions)
    if verify:
        verify_offline(scenario)
    return scenario


def verify_offline(scenario: Scenario) -> None:
    """Same engine, no broker: planted events hit exactly their entry, background events hit nothing."""
    config = MatcherConfig()
    index = build_index([WatchlistEntry.model_validate(e) for e in scenario.entries], config)
    at = dt.datetime.now(dt.UTC)
    for _, event in scenario.events:
        person = BorderCrossing.model_validate(event).traveler
        hits = {m.entry.entry_id for m in search(index, person, config, at=at)}
        want = {scenario.planted[event["event_id"]]} if event["event_id"] in scenario.planted else set()
        assert hits == want, f"scenario not clean offline: event {event['event_id']} hits {hits}, want {want}"


def probe_events(scenario: Scenario, entries: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """One planted hit per partition (on `entries`, which must be in the watchlist but not in the
    scenario's planted set): when its alert appears, everything before it on that partition was screened."""
    rng = random.Random(len(scenario.events))
    out = []
    for p, e in zip(range(scenario.partitions), entries, strict=False):
        event = {"event_id": str(uuid.uuid4()), "event_type": "border_crossing",
                 "occurred_at": dt.datetime.now(dt.UTC).isoformat(), "checkpoint_id": "THA-CP09",
                 "checkpoint_country": "THA", "direction": "entry",
                 "traveler": _traveller_from_entry(rng, e["person"])}
        scenario.planted[event["event_id"]] = e["entry_id"]
        out.append((p, event))
    return out


async def send_events(producer: AIOKafkaProducer, topic: str, events: Iterable[tuple[int, dict[str, Any]]],
                      rate: float, sent: list[int] | None = None) -> int:
    """Send at a steady `rate` per second, each event to its partition; returns how many were sent."""
    started = time.monotonic()
    n = 0
    for partition, event in events:
        await producer.send(topic, orjson.dumps(event), key=event["event_id"].encode(), partition=partition)
        n += 1
        if sent is not None:
            sent[0] = n
        ahead = n / rate - (time.monotonic() - started)
        if ahead > 0:
            await asyncio.sleep(ahead)
    await producer.flush()
    return n


async def wait_ready(worker: Worker, entries: int, timeout: float = 90.0) -> float:
    """Async wait (the event loop keeps producing/watching) until the worker's index has `entries`."""
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        assert worker.proc.poll() is None, "worker exited:\n" + worker.log_path.read_text()[-3000:]
        with contextlib.suppress(Exception):
            if metric_value(worker.metrics(), "borderwatch_watchlist_entries") == entries:
                return time.monotonic() - started
        await asyncio.sleep(0.2)
    raise AssertionError(f"worker not ready with {entries} entries after {timeout}s; log tail:\n"
                         + worker.log_path.read_text()[-3000:])


async def wait_alerts(watcher: TopicWatcher, topic: str, wanted: set[str], timeout: float) -> float:
    """Wait until every alert id in `wanted` was seen on `topic`; returns seconds waited."""
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        if wanted <= seen_alert_ids(watcher, topic):
            return time.monotonic() - started
        await asyncio.sleep(0.1)
    missing = wanted - seen_alert_ids(watcher, topic)
    raise AssertionError(f"{len(missing)} of {len(wanted)} expected alerts missing after {timeout}s")


def seen_alert_ids(watcher: TopicWatcher, topic: str) -> set[str]:
    return {orjson.loads(r.value)["alert_id"] for r in watcher.records if r.topic == topic}


@dataclass
class AlertAudit:
    expected: int
    distinct_seen: int
    lost: int
    unexpected: int
    published: int
    duplicated_ids: int
    extra_copies: int
    inconsistent_duplicates: int
    inconsistent_fields: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        return (f"expected={self.expected} distinct_seen={self.distinct_seen} lost={self.lost} "
                f"unexpected={self.unexpected} published={self.published} duplicated_ids={self.duplicated_ids} "
                f"extra_copies={self.extra_copies} inconsistent_duplicates={self.inconsistent_duplicates}"
                + (f" fields={dict(self.inconsistent_fields)}" if self.inconsistent_fields else ""))


IGNORED_ON_DUPLICATE = ("created_at",)


def audit_alerts(values: list[dict[str, Any]], scenario: Scenario) -> AlertAudit:
    """Lost / unexpected / duplicated alerts; a duplicate must equal the first copy apart from created_at."""
    expected = scenario.expected_alert_ids
    by_id: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for v in values:
        by_id[v["alert_id"]].append(v)
    seen = set(by_id)
    inconsistent = 0
    fields: Counter[str] = Counter()
    for copies in by_id.values():
        first = {k: v for k, v in copies[0].items() if k not in IGNORED_ON_DUPLICATE}
        for other in copies[1:]:
            rest = {k: v for k, v in other.items() if k not in IGNORED_ON_DUPLICATE}
            if rest != first:
                inconsistent += 1
                fields.update(k for k in set(first) | set(rest) if first.get(k) != rest.get(k))
    dup_ids = sum(1 for c in by_id.values() if len(c) > 1)
    return AlertAudit(expected=len(expected), distinct_seen=len(seen & expected), lost=len(expected - seen),
                      unexpected=len(seen - expected), published=len(values), duplicated_ids=dup_ids,
                      extra_copies=len(values) - len(seen), inconsistent_duplicates=inconsistent,
                      inconsistent_fields=fields)


def consumed(worker: Worker) -> float:
    return metric_value(worker.metrics(), "borderwatch_events_consumed_total")


async def poll_until(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with contextlib.suppress(Exception):
            if condition():
                return time.monotonic() - started
        await asyncio.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


RESULTS = Path(tempfile.gettempdir())


def record_result(section: str, lines: list[str]) -> None:
    """Print figures, and keep the latest per section in $TMPDIR/borderwatch-faults-latest.json."""
    for line in lines:
        print(f"[{section}] {line}")
    path = RESULTS / "borderwatch-faults-latest.json"
    with contextlib.suppress(Exception):
        data = json.loads(path.read_text()) if path.exists() else {}
        data[section] = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "lines": lines}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False))
