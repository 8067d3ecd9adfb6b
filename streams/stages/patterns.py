"""Faust wiring of the travel-pattern detectors (issue 21; pure logic in agents/patterns/steps.py).

    border.crossings ── by checkpoint_id, in bundles ──▶ <app_id>.patterns.by-checkpoint
        table patterns-checkpoints (RocksDB, changelog): groups being assembled, the checkpoint's baseline
        table patterns-solo (RocksDB, changelog): per checkpoint and traveller, the day a child or young
        person last crossed there alone (agents/patterns/solo.py; deleted after `baseline_days`: `sweep_solo`)
        ── on every crossing, the trip as it stands, one message per member it is for: that member's
           record of it (hashed identity; agents/patterns/messages.py), in bundles ──▶ <app_id>.patterns.trips
        table patterns-persons (RocksDB, changelog): each traveller's recent trips and open pattern alerts
        (deleted once nothing in them can count: `sweep_persons`, hourly)
        ── pattern alerts ──▶ alert candidates (the alerting stage: repeat suppression, officer decisions,
           then `alerts` and `alerts.<country>` by route_to)

Both hops carry bundles (agents/patterns/bundles.py): one Kafka record per partition holds the messages
bound for it (the crossings screened within `ROUTE_WITHIN_S`; the trip records one bundle of crossings
made), sent to the partition the
key's own record would go to, and each key's state is written once per bundle. A Kafka record and a
table write cost a worker far more than a step of the detectors: one record per crossing and per member,
as a plain `group_by` sends, made the stage most of the worker's CPU (bench/results/patterns-worker.md).
Single records (ticks, and messages sent before bundles) are read too.

The checkpoint key covers both ways of travelling together: a travel group crosses at one checkpoint,
and co-crossing is by definition at one checkpoint. Tables are sharded like the topic that updates them,
so both repartition topics and the three changelogs have `event_partitions` partitions (created by
`ensure_topics` when BW_PATTERNS is on: the app does not declare topics). A timer ticks every checkpoint
this worker holds, so groups complete without waiting for the next crossing there (only the
unaccompanied-minor check and the checkpoint's baseline wait for that: every other pattern is decided
on the crossing that completes it, in the person stage that receives it); its clock is the
checkpoint's last crossing time plus the time elapsed since (wall clock before the first), so a replay of
old events closes groups as live traffic would.

Where more than one worker runs, each holds a standby of the table partitions others serve
(BW_TABLE_STANDBY_REPLICAS, default 1), read from the changelogs, so a takeover replays only the latest
changes; `borderwatch_pattern_table_offset` says which worker holds what. After SIGKILL, the tables come
back from their changelogs (or a standby); unacknowledged messages are redelivered and
folded in idempotently (event ids at the checkpoint, the traveller's crossing event ids per person), and
an alert whose evidence is redelivered is published again under the same id.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import time
from collections.abc import Callable, MutableMapping
from typing import TYPE_CHECKING, Any

import orjson
import structlog
from prometheus_client import Gauge

from agents.outgoing import Outgoing, encode_alert
from agents.patterns import CheckpointState, PatternConfig, bundles
from agents.patterns.memo import Memo
from agents.patterns.messages import in_time_order
from agents.patterns.parsed import ParsedStates
from agents.patterns.solo import Seen, entry_key
from agents.patterns.solo import decode as solo_day
from agents.patterns.solo import encode as solo_value
from agents.patterns.solo import stale as solo_stale
from agents.patterns.steps import checkpoint_steps, crossings_by_checkpoint, person_steps, tick, wake_at
from agents.patterns.stored import Loaded, expired
from schemas.alerts import Alert
from streams.kafka_io import key_partition
from streams.stages.screening_batch import BatchScreening
from streams.topics import TopicSpec

if TYPE_CHECKING:
    from streams.runtime import Runtime
    from streams.settings import Settings

log = structlog.get_logger(__name__)

CHECKPOINT_TABLE = "patterns-checkpoints"
PERSON_TABLE = "patterns-persons"
# Apart from the checkpoint's state: a busy checkpoint sees thousands of them, and a bundle there reads and
# writes only its members' entries (agents/patterns/solo.py).
SOLO_TABLE = "patterns-solo"
TICK_INTERVAL_S = 1.0
# Crossings are routed to their checkpoint's partition in bundles (agents/patterns/bundles.py) of what
# was read within a moment (by the batch screening loop, or with Faust screening a take() agent): a Kafka
# record costs the worker far more than the detectors' step, and the wait adds only this much to an
# alert's delay (the target is 2 s).
ROUTE_BATCH = 1_000
ROUTE_WITHIN_S = 0.25
BUNDLE_MAX_BYTES = 512 << 10  # under the broker's and the producer's default record limit (1 MB)
# A bundle's steps give the event loop back this often (as the screening loop's slices), a checkpoint's
# crossings taken this many at a time between the pauses (its state written once per slice).
SLICE_S = 0.02
STEP_SLICE = 64
# The partitioner (murmur2) is pure Python: the partitions of every checkpoint and of the travellers seen
# lately are remembered (an adult whose party crosses one after another is sent several records).
PARTITIONS_CACHED = 20_000
REPLICA_REPORT_INTERVAL_S = 2.0
# How often the states of travellers who stopped crossing are deleted: they only take room (nothing in
# them can count), so once an hour is enough, and the sweep reads every state of the worker's partitions.
SWEEP_INTERVAL_S = 3600.0
SWEEP_YIELD_EVERY = 500
# Parsed states kept per worker (agents/patterns/parsed.py): every checkpoint it holds, and the persons
# written in the last moments (an adult whose party crosses one after another is read again at once).
CHECKPOINTS_PARSED = 1_000
PERSONS_PARSED = 2_000
_DAY_MS = str(86_400_000)
# Each partition of each table (and each standby copy) is its own RocksDB database, and Faust's defaults
# give every one up to three 64 MiB memtables and a 2 GiB block cache: a worker holding a dozen of them
# could grow far past the matcher's memory budget as the tables fill. The states are read mostly right
# after they are written (a party crossing one after another), so small memtables and caches lose little.
ROCKSDB_OPTIONS = {"write_buffer_size": 8 << 20, "max_write_buffer_number": 2, "block_cache_size": 16 << 20}


def pattern_config(settings: Settings) -> PatternConfig:
    """Defaults of agents/patterns/config.py, with BW_PATTERNS_CONFIG (JSON) overriding any of them."""
    if not settings.patterns_config.strip():
        return PatternConfig()
    return PatternConfig.model_validate_json(settings.patterns_config)


def by_checkpoint_topic(settings: Settings) -> str:
    return f"{settings.app_id}.patterns.by-checkpoint"


def trips_topic(settings: Settings) -> str:
    return f"{settings.app_id}.patterns.trips"


def changelog_topic(settings: Settings, table: str) -> str:
    return f"{settings.app_id}-{table}-changelog"  # Faust's own name for a table's changelog


def pattern_topic_specs(settings: Settings) -> list[TopicSpec]:
    """The stage's topics. The repartition topics carry personal data only while it is needed (a day);
    the changelogs are compacted (the latest state per key)."""
    n = settings.event_partitions
    compact = {"cleanup.policy": "compact"}
    return [
        TopicSpec(by_checkpoint_topic(settings), n, {"retention.ms": _DAY_MS}),
        TopicSpec(trips_topic(settings), n, {"retention.ms": _DAY_MS}),
        TopicSpec(changelog_topic(settings, CHECKPOINT_TABLE), n, compact),
        TopicSpec(changelog_topic(settings, PERSON_TABLE), n, compact),
        TopicSpec(changelog_topic(settings, SOLO_TABLE), n, compact),
    ]


def _checkpoint_clock(seen: tuple[dt.datetime, float]) -> dt.datetime:
    """A checkpoint's clock: its last crossing's time (and the monotonic time it was read) plus the
    time elapsed since, so a replay of old events is judged as live traffic would be."""
    at, read = seen
    return at + dt.timedelta(seconds=time.monotonic() - read)


class Slices:
    """Lets the event loop run other work (screening, heartbeats) every `SLICE_S` of a bundle's steps: a
    backlog's bundle holds thousands of crossings."""

    def __init__(self) -> None:
        self._until = time.perf_counter() + SLICE_S

    async def pause(self) -> None:
        if time.perf_counter() >= self._until:
            await asyncio.sleep(0)
            self._until = time.perf_counter() + SLICE_S


def per_key(key: bytes | None, value: bytes, stage: str) -> dict[bytes, list[bytes]]:
    """A record's messages per key (`bundles`), or none if it is a malformed bundle (logged, skipped)."""
    try:
        return bundles.by_key(bundles.unpack(key, value))
    except bundles.BadBundle as error:
        log.warning("patterns.bad_message", stage=stage, detail=str(error))
        return {}


def _occurred_at(value: bytes) -> dt.datetime | None:
    """A crossing's time (None for a tick or anything unreadable: the step has judged it already)."""
    try:
        raw = orjson.loads(value)
        return dt.datetime.fromisoformat(raw["occurred_at"]) if isinstance(raw, dict) and "tick" not in raw else None
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None


def register_pattern_agents(runtime: Runtime) -> None:
    app, settings = runtime.app, runtime.settings
    cfg = pattern_config(settings)
    n = settings.event_partitions
    raw = {"key_serializer": "raw", "value_serializer": "raw"}
    by_checkpoint = app.topic(by_checkpoint_topic(settings), partitions=n, **raw)
    trips = app.topic(trips_topic(settings), partitions=n, **raw)
    candidates = app.topic(runtime.topics.alert_candidates, **raw)
    # str keys and values (JSON in the changelog): the table serializers come from the types. The store
    # URL names the table: a bare "rocksdb://" parses to an empty (false) URL, and Faust then silently
    # falls back to the app's store (memory://).
    table = {"partitions": n, "key_type": str, "value_type": str, "options": dict(ROCKSDB_OPTIONS)}
    checkpoints = app.Table(CHECKPOINT_TABLE, store=f"rocksdb:{CHECKPOINT_TABLE}",
                            help="Trips being assembled and baselines, by checkpoint.", **table)
    persons = app.Table(PERSON_TABLE, store=f"rocksdb:{PERSON_TABLE}",
                        help="Recent trips and open pattern alerts, by hashed identity.", **table)
    # Keyed by checkpoint and traveller, written while the checkpoint's crossings are handled: in that
    # checkpoint's partition (Faust writes a table in the partition of the message being handled).
    alone = app.Table(SOLO_TABLE, store=f"rocksdb:{SOLO_TABLE}",
                      help="Children and young people seen crossing alone, by checkpoint and hashed identity.",
                      **table)
    watch_replicas(runtime, (checkpoints, persons, alone))
    last_seen: dict[bytes, tuple[dt.datetime, float]] = {}  # checkpoint -> (its last crossing time, monotonic)
    parsed_checkpoints: ParsedStates[CheckpointState] = ParsedStates(CHECKPOINTS_PARSED)
    parsed_persons: ParsedStates[Loaded] = ParsedStates(PERSONS_PARSED)
    memo = Memo()  # answers the checkpoint steps keep between crossings (agents/patterns/memo.py)
    # checkpoint -> when a tick can first close a group there (by the checkpoint's clock); unknown after a
    # restart or a rebalance: such a checkpoint is ticked while it has open groups
    wakes: dict[str, dt.datetime | None] = {}

    every_partition = list(range(n))

    @functools.lru_cache(maxsize=PARTITIONS_CACHED)
    def partition_of(key: bytes) -> int:
        return key_partition(key, every_partition)

    def bundled(topic: str, items: list[tuple[bytes, bytes]]) -> list[Outgoing]:
        return [Outgoing(topic, None, value, partition) for partition, part in
                bundles.by_partition(items, partition_of).items() for value in bundles.pack(part, BUNDLE_MAX_BYTES)]

    async def send_bundles(topic: Any, items: list[tuple[bytes, bytes]]) -> None:
        for out in bundled(topic.get_topic_name(), items):
            await topic.send(value=out.value, partition=out.partition)

    def routed(records: list[Any]) -> list[Outgoing]:
        """A batch of screened records' crossings, by checkpoint, as bundles."""
        values = (r.value for r in records if r.topic == runtime.topics.crossings and r.value is not None)
        return bundled(by_checkpoint.get_topic_name(), crossings_by_checkpoint(values))

    if isinstance(runtime.screening, BatchScreening):
        # The batch screening loop reads every crossing already, a batch at a time: it sends them on with
        # its alerts, so the Faust consumer does not read each crossing a second time.
        runtime.screening.also_send.append(routed)
        runtime.screening.also_within_s = ROUTE_WITHIN_S
    else:
        @app.agent(app.topic(runtime.topics.crossings, **raw), name="borderwatch.patterns.route")
        async def route_crossings(stream: Any) -> None:
            async for values in stream.take(ROUTE_BATCH, within=ROUTE_WITHIN_S):
                await send_bundles(by_checkpoint, crossings_by_checkpoint(v for v in values if v is not None))

    @app.agent(by_checkpoint, name="borderwatch.patterns.checkpoints")
    async def assemble_trips(stream: Any) -> None:
        async for event in stream.events():
            await send_bundles(trips, await assemble(event.key, event.value))

    @app.agent(trips, name="borderwatch.patterns.persons")
    async def detect(stream: Any) -> None:
        async for event in stream.events():
            await publish(await observe(event.key, event.value))

    async def assemble(key: bytes | None, value: bytes) -> list[tuple[bytes, bytes]]:
        """The record's crossings and ticks, checkpoint by checkpoint (its partition's): each state
        written once per slice, and the trip records to send."""
        sent: list[tuple[bytes, bytes]] = []
        slices = Slices()
        for name, values in per_key(key, value, "checkpoint").items():
            if name and name != b"?":
                for start in range(0, len(values), STEP_SLICE):
                    sent.extend(assemble_at(name.decode(), values[start:start + STEP_SLICE]))
                    await slices.pause()
        return in_time_order(sent)  # a traveller seen at two of these checkpoints gets the trips in order

    def seen_at(name: str) -> Seen:
        """Reads the checkpoint's entries of children and young people seen alone (`agents/patterns/solo.py`)."""
        return lambda key: solo_day(alone.get(entry_key(name, key)))

    def assemble_at(name: str, values: list[bytes]) -> list[tuple[bytes, bytes]]:
        before = checkpoints.get(name)
        try:
            stored, sent, bad, noted = checkpoint_steps(before.encode() if before else None, name, values, cfg,
                                                        parsed_checkpoints, memo, seen_at(name))
        except Exception as error:  # a worker never dies on one message, and loses no other with it
            if len(values) > 1:
                return [message for value in values for message in assemble_at(name, [value])]
            log.exception("patterns.internal_error", stage="checkpoint", error=type(error).__name__)
            return []
        for detail in bad:
            log.warning("patterns.bad_message", stage="checkpoint", detail=detail)
        for key, day in noted.items():  # (a crossing redelivered after a crash notes them again)
            alone[entry_key(name, key)] = solo_value(day)
        if stored is not None:
            checkpoints[name] = stored.decode()
            wakes[name] = wake_at(parsed_checkpoints.load(name, stored, CheckpointState.model_validate_json), cfg,
                                  memo)
        occurred = next((at for at in map(_occurred_at, reversed(values)) if at is not None), None)
        if occurred is not None:
            last_seen[name.encode()] = (occurred, time.monotonic())
        return sent

    async def observe(key: bytes | None, value: bytes) -> list[Alert]:
        """The record's trip records, person by person (its partition's): each state written once."""
        alerts: list[Alert] = []
        slices = Slices()
        for person, values in per_key(key, value, "person").items():
            alerts.extend(observe_for(person.decode(), values))
            await slices.pause()
        return alerts

    def observe_for(key: str, values: list[bytes]) -> list[Alert]:
        before = persons.get(key)
        try:
            stored, alerts, bad = person_steps(before.encode() if before else None, values, cfg,
                                               created_at=runtime.clock(), parsed=parsed_persons)
        except Exception as error:
            if len(values) > 1:
                return [alert for value in values for alert in observe_for(key, [value])]
            log.exception("patterns.internal_error", stage="person", error=type(error).__name__)
            return []
        for detail in bad:
            log.warning("patterns.bad_message", stage="person", detail=detail)
        if stored is not None:
            persons[key] = stored.decode()
        return alerts

    async def publish(alerts: list[Alert]) -> None:
        for alert in alerts:
            log.info("patterns.alert", pattern=alert.entry_id, alert_id=alert.alert_id, update=alert.update,
                     checkpoint=alert.checkpoint_id)
            await candidates.send(key=alert.alert_id.encode(), value=encode_alert(alert))

    @app.timer(interval=SWEEP_INTERVAL_S)
    async def _sweep() -> None:
        if not last_seen:  # no crossing here yet: no clock to judge the states by
            return
        now = max(map(_checkpoint_clock, last_seen.values()))
        try:
            deleted = await sweep_persons(persons, now, cfg)
            forgotten = await sweep_solo(alone, now, cfg)
        except Exception as error:  # the next sweep tries again; the worker keeps running
            log.exception("patterns.sweep_failed", error=type(error).__name__)
            return
        log.info("patterns.swept", deleted=deleted, solo_deleted=forgotten)

    @app.timer(interval=TICK_INTERVAL_S)
    async def _tick() -> None:
        try:
            await tick_open_checkpoints()
        except Exception as error:  # the next tick tries again; the worker keeps running
            log.exception("patterns.tick_failed", error=type(error).__name__)

    async def tick_open_checkpoints() -> None:
        for name, stored in list(checkpoints.items()):
            if '"groups":{"' not in stored:  # nothing being assembled there (state JSON is compact): no tick
                continue
            seen = last_seen.get(name.encode())
            now = runtime.clock() if seen is None else _checkpoint_clock(seen)
            wake = wakes.get(name)
            if wake is not None and now < wake:  # no group there can be complete yet
                continue
            await by_checkpoint.send(key=name.encode(), value=tick(now), partition=partition_of(name.encode()))


async def sweep_persons(persons: MutableMapping[str, str], now: dt.datetime, cfg: PatternConfig,
                        yield_every: int = SWEEP_YIELD_EVERY) -> int:
    """Delete the states of travellers nothing in which can count any more (`stored.expired`, judged
    at `now`, the stream's clock); returns how many (`sweep`)."""
    return await sweep(persons, lambda value: expired(value.encode(), now, cfg), yield_every)


async def sweep_solo(alone: MutableMapping[str, str], now: dt.datetime, cfg: PatternConfig,
                     yield_every: int = SWEEP_YIELD_EVERY) -> int:
    """Delete the entries of children and young people seen alone that no party can count any more
    (`solo.stale`, judged at `now`); returns how many (`sweep`). An unreadable entry counts as never seen."""
    return await sweep(alone, lambda value: solo_stale(value, now, cfg), yield_every)


async def sweep(table: MutableMapping[str, str], stale: Callable[[str], bool],
                yield_every: int = SWEEP_YIELD_EVERY) -> int:
    """Delete the values `stale` says nothing can use any more; returns how many. The table's changelog gets
    a tombstone for each, so a restart or a standby forgets them too. Yields to the event loop every
    `yield_every` values read, and reads a value again before deleting it: a step may have written it
    meanwhile."""
    found: list[str] = []
    try:
        for i, (key, value) in enumerate(table.items()):
            if stale(value):
                found.append(key)
            if i % yield_every == yield_every - 1:
                await asyncio.sleep(0)
    except RuntimeError:  # an in-memory table changed while the sweep yielded: the rest waits for the next
        pass
    deleted = 0
    for key in found:
        current = table.get(key)
        if current is not None and stale(current):
            del table[key]
            deleted += 1
    return deleted


def watch_replicas(runtime: Runtime, tables: tuple[Any, ...]) -> None:
    """`borderwatch_pattern_table_offset{table, partition, role}`: the changelog offset this worker's copy
    holds (-1: none yet), per table partition it holds as the active replica or as a standby
    (BW_TABLE_STANDBY_REPLICAS, where more than one worker runs). A standby that keeps up means a takeover
    replays only the latest changes; operators and tests see which worker holds what."""
    gauge = Gauge("borderwatch_pattern_table_offset",
                  "Changelog offset held by this worker's copy of a pattern table partition (-1: none yet).",
                  ["table", "partition", "role"], registry=runtime.metrics.registry)
    app = runtime.app

    @app.timer(interval=REPLICA_REPORT_INTERVAL_S)
    async def _report_replicas() -> None:
        try:
            actives, standbys = app.assignor.assigned_actives(), app.assignor.assigned_standbys()
            recovery = app.tables.recovery
            gauge.clear()  # partitions moved to another worker are no longer this worker's
            for table in tables:
                for tp in sorted(actives | standbys):
                    if tp.topic != table.changelog_topic_name:
                        continue
                    # A standby buffers what it reads (up to the table's standby_buffer_size) and writes it
                    # to its store in batches and before it takes a partition over: it holds what it read.
                    stored = table.data.persisted_offset(tp)  # None: nothing written yet
                    read = None if tp in actives else recovery.standby_offsets.get(tp)
                    offset = max((o for o in (stored, read) if o is not None), default=-1)
                    gauge.labels(table.name, str(tp.partition), "active" if tp in actives else "standby").set(offset)
        except Exception as error:  # a report never stops the worker
            log.warning("patterns.replica_report_failed", error=type(error).__name__)
