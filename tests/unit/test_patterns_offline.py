"""`borderwatch screen --patterns`: pattern alerts printed next to watchlist alerts, from an events file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from schemas import Alert
from tests.patterns_factories import T0, cross, days, minutes, person

SAMPLE = Path(__file__).resolve().parents[2] / "streams" / "sample_data" / "watchlist.jsonl"


def _events(tmp_path: Path) -> Path:
    adult = person("Somchai", "1975-02-03", nationality="THA", surname="Jaidee", doc="AA100")
    crossings = []
    for n, at in enumerate((T0, T0 + days(5))):
        child = person(["Ma Hla Phyu", "Ma Thiri Zin", "Ma Su Myat"][n], "2015", nationality="MMR", sex="F")
        crossings += [cross(adult, at, group=f"g{n}"), cross(child, at + minutes(0.5), group=f"g{n}")]
    path = tmp_path / "events.jsonl"
    path.write_text("".join(c.model_dump_json() + "\n" for c in crossings), encoding="utf-8")
    return path


def _screen(events: Path, *flags: str) -> list[Alert]:
    out = subprocess.run([sys.executable, "-m", "streams.cli", "screen", "--watchlist", str(SAMPLE),
                          "--events", str(events), *flags], capture_output=True, check=True, timeout=180)
    return [Alert.model_validate_json(line) for line in out.stdout.splitlines() if line.strip()]


def test_patterns_flag_adds_pattern_alerts(tmp_path: Path) -> None:
    events = _events(tmp_path)
    plain = _screen(events)
    with_patterns = _screen(events, "--patterns")
    assert [a for a in plain if a.pattern is not None] == []
    found = [a for a in with_patterns if a.pattern is not None]
    assert [(a.pattern.name, a.traveler_document) for a in found] == [("repeat_escort_of_minors", "AA100")]  # type: ignore[union-attr]
    assert {a.alert_id for a in plain} <= {a.alert_id for a in with_patterns}
