"""CLI tools against the real broker: watchlist add/remove/list/stats, decisions, the HTML report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from streams.testkit import namespaced_env
from tests.factories import entry_dict

pytestmark = pytest.mark.integration

SAMPLE = Path(__file__).resolve().parents[2] / "streams" / "sample_data" / "watchlist.jsonl"


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "streams.cli", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120, check=True)


def test_watchlist_tools_and_report(kafka_bootstrap: str, namespace: str, tmp_path: Path) -> None:
    env = namespaced_env(kafka_bootstrap, namespace)
    loaded = cli(env, "watchlist", "load", str(SAMPLE))
    assert "loaded 20, rejected 0" in loaded.stdout
    person = {"full_name": "Ratha Meas", "date_of_birth": "2010-04-04", "nationality": "KHM"}
    cli(env, "watchlist", "add", json.dumps(entry_dict("E-CLI", person, list="missing_person", source_country="KHM")))
    cli(env, "watchlist", "remove", "WL-CHN-0001")
    listed = cli(env, "watchlist", "list").stdout.splitlines()
    ids = {line.split("\t")[0] for line in listed}
    assert "E-CLI" in ids and "WL-CHN-0001" not in ids and len(ids) == 20
    assert "Ratha" not in "\n".join(listed)  # ids, lists and case refs only: no personal data
    stats = cli(env, "watchlist", "stats").stdout
    assert "total 20" in stats and "missing_person" in stats
    decided = cli(env, "alerts", "decide", "some-alert-id", "--decision", "escalated", "--officer", "KHM-07")
    assert "escalated" in decided.stdout
    out = tmp_path / "report.html"
    reported = cli(env, "report", "--out", str(out))
    assert "0 alerts" in reported.stdout and out.read_text().startswith("<!DOCTYPE html>")
