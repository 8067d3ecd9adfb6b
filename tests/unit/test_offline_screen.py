"""`borderwatch screen`: offline batch screening with the worker's engine and thresholds."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import orjson

from schemas import Alert
from streams.simulation.travellers import traffic
from streams.watchlist_io import read_entries

SAMPLE = Path(__file__).resolve().parents[2] / "streams" / "sample_data" / "watchlist.jsonl"


def test_screen_command_finds_the_planted_hits(tmp_path: Path) -> None:
    entries = [e for _, e in read_entries(SAMPLE)]
    events = list(itertools.islice(traffic(entries, hit_share=0.2, seed=11), 200))
    planted = {(ev["event_id"], hit) for ev, hit in events if hit}
    path = tmp_path / "events.jsonl"
    lines = [orjson.dumps(ev) for ev, _ in events] + [b'{"event_type": "border_crossing"}']
    path.write_bytes(b"\n".join(lines) + b"\n")
    out = subprocess.run([sys.executable, "-m", "streams.cli", "screen", "--watchlist", str(SAMPLE),
                          "--events", str(path)], capture_output=True, check=True, timeout=120)
    alerts = [Alert.model_validate_json(line) for line in out.stdout.splitlines() if line.strip()]
    found = {(a.event_id, a.entry_id) for a in alerts}
    assert len(planted) >= 20
    missed = planted - found
    assert len(missed) <= len(planted) // 20, f"missed {len(missed)} of {len(planted)} planted hits"
    assert len(found - planted) <= 2, "background travellers alerted"
    assert b"line 201" in out.stderr  # the invalid line is reported with its number
