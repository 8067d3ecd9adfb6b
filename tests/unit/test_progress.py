from __future__ import annotations

from agents.progress import ProgressTracker

TP = ("border.crossings", 0)


def test_no_stall_while_progressing_or_idle() -> None:
    p = ProgressTracker()
    p.record(*TP, offset=9, now=100.0)
    assert p.stalled({TP: 10}, now=500.0, limit=60, started=0.0) == []  # caught up: idle, not stalled
    assert p.stalled({TP: 50}, now=150.0, limit=60, started=0.0) == []  # behind but moved 50 s ago


def test_stall_when_work_waits_without_progress() -> None:
    p = ProgressTracker()
    p.record(*TP, offset=9, now=100.0)
    assert p.stalled({TP: 50}, now=161.0, limit=60, started=0.0) == [TP]
    other = ("border.crossings", 1)
    assert p.stalled({other: 5}, now=70.0, limit=60, started=0.0) == [other]  # never processed since start
    assert p.stalled({other: 5}, now=50.0, limit=60, started=0.0) == []


def test_lag_prefers_committed_offsets() -> None:
    p = ProgressTracker()
    p.record(*TP, offset=99, now=1.0)
    assert dict(p.lag({TP: 1000}, {TP: 400})) == {TP: 600}
    assert dict(p.lag({TP: 1000}, {})) == {TP: 900}
