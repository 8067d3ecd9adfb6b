"""The key helper (a process building the last part of a big build: agents/key_helper.py) changes how
long a build takes, never the index: helped, alone, or with a helper that fails, is late or answers
for other values, the same postings, common skeletons, slots, columns and prepared persons."""

from __future__ import annotations

import sys
import time
from typing import Any

import orjson
import pytest
from structlog.testing import capture_logs

import agents.key_helper as key_helper
from agents.decode import decode_entry
from agents.key_helper import KeyHelper
from agents.matching import MatcherConfig, build_index
from agents.matching.blocking.bulk_build import prepared_share
from agents.watchlist import build_from_latest
from bench.evalset.generate import DEFAULT_SEED, synthetic_entry_dicts
from schemas import WatchlistEntry
from tests.index_support import entries, snapshot

ENTRIES = 1500


@pytest.fixture(scope="module")
def raw() -> dict[bytes, bytes]:
    latest = {d["entry_id"].encode(): orjson.dumps(d) for d in synthetic_entry_dicts(ENTRIES, DEFAULT_SEED)}
    latest[b"broken"] = b'{"entry_id": "broken"}'  # invalid: no slot in either process
    return latest


@pytest.fixture(scope="module")
def alone(raw: dict[bytes, bytes]) -> dict[str, Any]:
    index, invalid = build_from_latest(dict(raw), MatcherConfig(), helper=False)
    assert invalid == 1
    return snapshot(index)


@pytest.fixture
def small_builds_helped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(key_helper, "MIN_VALUES", 1)
    monkeypatch.setattr(key_helper, "has_idle_core", lambda cpus, runnable: True)  # busy CI hosts too


def test_a_helped_build_is_the_build_alone(raw: dict[bytes, bytes], alone: dict[str, Any],
                                           small_builds_helped: None) -> None:
    latest = dict(raw)
    with capture_logs() as logs:
        index, invalid = build_from_latest(latest, MatcherConfig(), helper=True)
    assert invalid == 1
    helped = [e for e in logs if e["event"] == "watchlist.build_helper"]
    # the helper's share is the last values, the invalid one among them
    assert helped and helped[0]["delivered"] == int(len(raw) * key_helper.HELPED_SHARE) - 1
    assert not latest  # consumed as it was indexed, as without a helper
    helped = snapshot(index)
    assert helped["postings"] == alone["postings"]
    assert helped == alone
    assert any(len(p) > 1 for p in alone["postings"].values() if isinstance(p, tuple))


#: Helper programs that fail in their own ways, run as the real one is (`KeyHelper.start(command=)`).
MISBEHAVING = {
    "crashes": "raise SystemExit(3)",
    "other_values": (  # the real helper, answering for one value fewer than it was given
        "import sys, agents.key_helper as k\n"
        "real = k.prepared_share\n"
        "def fewer(entries):\n"
        "    count, records, a, b = real(entries)\n"
        "    return count - 1, records[:-1], a, b\n"
        "k.prepared_share = fewer\n"
        "raise SystemExit(k.main(sys.argv[1:]))"),
    "garbage": "import os, sys; os.write(int(sys.argv[3]), b'not marshal')",
}


@pytest.mark.parametrize("failure", sorted(MISBEHAVING))
def test_a_failed_helper_costs_time_not_entries(raw: dict[bytes, bytes], alone: dict[str, Any],
                                               small_builds_helped: None, monkeypatch: pytest.MonkeyPatch,
                                               failure: str) -> None:
    monkeypatch.setattr(key_helper, "COMMAND", (sys.executable, "-c", MISBEHAVING[failure]))
    index, invalid = build_from_latest(dict(raw), MatcherConfig(), helper=True)
    assert invalid == 1
    assert snapshot(index) == alone


def test_a_late_helper_is_stopped(raw: dict[bytes, bytes]) -> None:
    helper = KeyHelper.start(list(raw.values())[:10], command=(sys.executable, "-c", "import time; time.sleep(600)"))
    assert helper is not None and helper.process is not None
    process = helper.process
    started = time.monotonic()
    assert helper.result(timeout_s=0.3) is None
    assert time.monotonic() - started < 5
    assert process.returncode is not None  # killed and reaped
    assert helper.process is None


def test_the_helper_prepares_and_files_what_the_worker_would(raw: dict[bytes, bytes]) -> None:
    values = list(raw.values())[-200:]  # the invalid value among them
    helper = KeyHelper.start(values)
    assert helper is not None
    try:
        share = helper.result(timeout_s=120)
        assert share is not None
        count, records, skeletons, others = share
        valid = [e for e in map(decode_entry, values) if isinstance(e, WatchlistEntry)]
        expected = prepared_share(valid)
        assert expected is not None
        assert count == expected[0] == len(valid) == len(values) - helper.invalid
        assert list(records) == list(expected[1])
        assert dict(skeletons) == dict(expected[2]) and dict(others) == dict(expected[3])
        assert helper.peak_rss_mib > 0
    finally:
        helper.close()


@pytest.mark.parametrize("repeat_in", ["first", "rest", "across"])
def test_a_repeated_entry_id_ends_the_bulk_mode_with_or_without_help(repeat_in: str) -> None:
    dicts = list(synthetic_entry_dicts(300, DEFAULT_SEED + 1))
    renamed = {**dicts[5 if repeat_in != "rest" else 250], "person": {**dicts[5]["person"],
                                                                      "full_name": "Somchai Srisuk"}}
    at = {"first": 100, "rest": 280, "across": 250}[repeat_in]
    listed = entries([*dicts[:at], renamed, *dicts[at:]])
    first, rest = listed[:200], listed[200:]
    config = MatcherConfig()
    sequential = build_index(listed, config)
    share = prepared_share(rest)
    with_help = build_index(first, config, rest=rest, rest_share=lambda: share)
    assert snapshot(with_help) == snapshot(sequential)
    entry = with_help.get(renamed["entry_id"])
    assert entry is not None and entry.person.full_name == "Somchai Srisuk"


def test_a_share_moves_up_to_the_slots_after_the_first_entries() -> None:
    listed = entries(list(synthetic_entry_dicts(400, DEFAULT_SEED + 2)))
    config = MatcherConfig(max_posting=20)  # common skeletons and pair keys across both parts
    sequential = build_index(listed, config)
    with_help = build_index(listed[:150], config, rest=[], rest_share=lambda: prepared_share(listed[150:]))
    assert snapshot(with_help) == snapshot(sequential)
    assert sequential._common and any(k.startswith("p") for k in sequential._postings)


def test_small_builds_and_busy_or_single_cores_build_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    assert all(n >= 1 for n in key_helper.runnable_samples(3, 0.0))  # this test's own thread runs
    assert key_helper.helped_count(key_helper.MIN_VALUES - 1) == 0
    assert not key_helper.has_idle_core(1, [1, 1, 1])
    assert key_helper.has_idle_core(2, [1, 2, 1])  # this build alone, a blip of something else
    assert not key_helper.has_idle_core(2, [2, 2, 3])  # another worker builds too
    assert key_helper.has_idle_core(4, [2, 3, 2])
    assert key_helper.has_idle_core(2, [])  # the kernel does not say: cores are the rule
    monkeypatch.setattr(key_helper, "usable_cpus", lambda: 2)
    monkeypatch.setattr(key_helper, "runnable_samples", lambda: [1, 1, 1])
    assert 0 < key_helper.helped_count(10 * key_helper.MIN_VALUES) < 10 * key_helper.MIN_VALUES
    monkeypatch.setattr(key_helper, "runnable_samples", lambda: [2, 2, 2])
    assert key_helper.helped_count(10 * key_helper.MIN_VALUES) == 0
