"""`watchlist load` on the real broker: every line accounted for, every entry on its key's partition."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.partitioner import DefaultPartitioner

from schemas import WatchlistEntry
from streams.kafka_io import behind, seek_range, topic_partitions
from streams.testkit import namespaced_env, settings_for
from streams.watchlist_tools import add_entry, load_file
from tests.factories import SUSPECT, entry_dict

pytestmark = pytest.mark.integration


async def create_topic(bootstrap: str, name: str, partitions: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, partitions, 1, topic_configs={"cleanup.policy": "compact"})])
    finally:
        await admin.close()


@pytest.mark.parametrize("workers", [0, 2], ids=["in-process", "worker-processes"])
async def test_load_publishes_every_valid_line_on_its_keys_partition(kafka_bootstrap: str, namespace: str,
                                                                     tmp_path: Path, workers: int) -> None:
    settings = settings_for(namespaced_env(kafka_bootstrap, namespace))
    # The project creates the watchlist topic with one partition; a shared cluster may have more, and
    # then each key must go where the producer's own partitioner sends a later add or removal.
    await create_topic(kafka_bootstrap, settings.topic_watchlist, partitions=3)
    # enough entries for several batches per partition (256 KiB batches, ~300 bytes an entry)
    count = 6_000
    bad_lines = {17: b"{broken", 2_500: orjson.dumps({"entry_id": "no-list"}), 5_999: b'{"entry_id": 1}'}
    path = tmp_path / "wl.jsonl"
    expected: dict[bytes, WatchlistEntry] = {}
    with path.open("wb") as fh:
        for line in range(1, count + 1):
            if line in bad_lines:
                fh.write(bad_lines[line] + b"\n")
                continue
            doc = entry_dict(f"E-{line:05d}", {**SUSPECT, "nationality": " tha"}, source_country="THA")
            expected[doc["entry_id"].encode()] = WatchlistEntry.model_validate(doc)
            fh.write(orjson.dumps(doc) + b"\n")
            if line == 100:
                fh.write(b"\n")  # blank lines are skipped, not counted
    summary = await load_file(settings, path, None, [], progress=False, workers=workers)
    assert summary.loaded == len(expected) == count - len(bad_lines)
    assert [(e.line, bool(e.reason)) for e in summary.rejected] == [(17, True), (2_501, True), (6_000, True)]
    assert "list" in summary.rejected[1].reason

    # a later single add of a loaded id must land on the same partition (compaction keeps the latest)
    updated = entry_dict("E-00001", SUSPECT, source_country="THA", case_ref="CASE-UPDATED")
    await add_entry(settings, orjson.dumps(updated).decode())

    topic = settings.topic_watchlist
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap, group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest")
    await consumer.start()
    try:
        tps = await topic_partitions(consumer, topic)
        end = await seek_range(consumer, tps)
        seen: dict[bytes, list[tuple[int, bytes]]] = {}
        while await behind(consumer, end):
            for tp, messages in (await consumer.getmany(timeout_ms=500)).items():
                for m in messages:
                    seen.setdefault(m.key, []).append((tp.partition, m.value))
    finally:
        await consumer.stop()
    partitions = sorted(tp.partition for tp in tps)
    assert partitions == [0, 1, 2]
    choose = DefaultPartitioner()
    assert set(seen) == set(expected)
    for key, records in seen.items():
        assert {p for p, _ in records} == {choose(key, partitions, partitions)}
        assert WatchlistEntry.model_validate_json(records[-1][1]) == (
            WatchlistEntry.model_validate(updated) if key == b"E-00001" else expected[key])
    assert len(seen[b"E-00001"]) == 2
    assert orjson.loads(seen[b"E-00002"][0][1])["person"]["nationality"] == "THA"  # published normalised
