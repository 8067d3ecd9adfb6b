"""The web console's pure parts: alert state per country, SSE cursors, SLA clocks, side-by-side verdicts,
login throttling, and the fan-out that drops a slow browser instead of waiting for it."""

from __future__ import annotations

import asyncio
import datetime as dt

import orjson
import pytest

from schemas.alerts import Alert, AlertDecision, FeatureReason
from streams.console.web import sla
from streams.console.web.board import Board, ClaimConflict, Filters
from streams.console.web.compare import compare_rows, verdict
from streams.console.web.cursor import Cursor, decode
from streams.console.web.feed import AlertFeed
from streams.console.web.throttle import LoginThrottle
from streams.settings import Settings

T0 = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)


def alert(alert_id: str = "A1", *, priority: str = "high", list_name: str = "suspect", hit_count: int = 1,
          checkpoint: str = "THA-CP01", created_at: dt.datetime = T0, entry_id: str = "E1",
          reasons: list[FeatureReason] | None = None) -> Alert:
    return Alert(alert_id=alert_id, created_at=created_at, event_id=f"ev-{alert_id}-{hit_count}",
                 event_type="border_crossing", occurred_at=created_at, entry_id=entry_id, list=list_name,
                 priority=priority, score=0.9, checkpoint_id=checkpoint, checkpoint_country="THA",
                 case_ref="C-1", source_country="THA", source_agency="RTP", recommended_action="DISCREET CHECK",
                 route_to=["THA"], reasons=reasons or [], matcher_version="m1", thresholds={"suspect": 0.8},
                 watchlist_version=1, hit_count=hit_count, update=hit_count > 1)


def board() -> Board:
    return Board(("THA", "KHM"), epoch="e1")


def test_repeat_hits_fold_into_one_alert_with_its_count_and_first_time() -> None:
    b = board()
    b.apply_alert("THA", 0, 0, alert())
    later = alert(hit_count=2, created_at=T0 + dt.timedelta(minutes=5))
    view = b.apply_alert("THA", 0, 1, later)
    assert [v.alert.alert_id for v in b.listing("THA", Filters())] == ["A1"]
    assert view.alert.hit_count == 2 and view.first_seen == T0 and view.offset == 1
    # a redelivered older version (at-least-once) must not roll the count back
    b.apply_alert("THA", 0, 2, alert())
    assert b.get("THA", "A1").alert.hit_count == 2  # type: ignore[union-attr]


def test_each_country_sees_only_its_own_topic() -> None:
    b = board()
    b.apply_alert("THA", 0, 0, alert("A1"))
    assert b.get("KHM", "A1") is None and b.get("THA", "A1") is not None
    assert b.get("FRA", "A1") is None  # an unknown country has no board at all
    assert b.sightings("KHM", "E1") == []


def test_a_decision_closes_the_alert_even_when_it_arrives_first() -> None:
    b = board()
    b.apply_decision(AlertDecision(alert_id="A2", decision="false_positive", officer="o1"))
    b.apply_alert("THA", 0, 0, alert("A1"))
    b.apply_alert("THA", 0, 1, alert("A2"))
    assert [v.alert.alert_id for v in b.listing("THA", Filters(status="open"))] == ["A1"]
    assert [v.status for v in b.listing("THA", Filters(status="decided"))] == ["false_positive"]
    changed = b.apply_decision(AlertDecision(alert_id="A1", decision="confirmed", officer="o1"))
    assert [(c, v.status) for c, v in changed] == [("THA", "confirmed")]


def test_claims_keep_two_officers_off_the_same_alert() -> None:
    b = board()
    b.apply_alert("THA", 0, 0, alert())
    assert b.claim("THA", "A1", "o1", T0).status == "claimed"
    with pytest.raises(ClaimConflict):
        b.claim("THA", "A1", "o2", T0)
    with pytest.raises(ClaimConflict):
        b.release("THA", "A1", "o2")
    assert b.release("THA", "A1", "o1").status == "open"
    b.apply_decision(AlertDecision(alert_id="A1", decision="escalated", officer="o2"))
    with pytest.raises(ClaimConflict):
        b.claim("THA", "A1", "o1", T0)


def test_sort_by_priority_then_age_or_by_age_and_filters() -> None:
    b = board()
    b.apply_alert("THA", 0, 0, alert("old-low", priority="low", created_at=T0))
    b.apply_alert("THA", 0, 1, alert("new-crit", priority="critical", created_at=T0 + dt.timedelta(hours=1)))
    b.apply_alert("THA", 0, 2, alert("mid-crit", priority="critical", created_at=T0 + dt.timedelta(minutes=1),
                                     list_name="missing_person", checkpoint="THA-CP02"))
    ids = lambda f: [v.alert.alert_id for v in b.listing("THA", f)]  # noqa: E731
    assert ids(Filters()) == ["mid-crit", "new-crit", "old-low"]
    assert ids(Filters(sort="age")) == ["old-low", "mid-crit", "new-crit"]
    assert ids(Filters(lists=frozenset({"missing_person"}))) == ["mid-crit"]
    assert ids(Filters(checkpoint="THA-CP01")) == ["new-crit", "old-low"]


def test_status_changes_since_a_sequence_or_all_of_them_for_another_process() -> None:
    b = board()
    for i in range(3):
        b.apply_alert("THA", 0, i, alert(f"A{i}"))
    b.claim("THA", "A0", "o1", T0)
    seq = b.status_seq
    b.claim("THA", "A1", "o1", T0)
    assert [v.alert.alert_id for v in b.status_changes_since("THA", "e1", seq)] == ["A1"]
    assert {v.alert.alert_id for v in b.status_changes_since("THA", "other-process", 99)} == {"A0", "A1"}


def test_cursor_round_trip_and_malformed_ids() -> None:
    cursor = Cursor({0: 41, 2: -1}, "3f9a", 12)
    assert decode(cursor.encode()) == cursor
    assert decode("0:5") == Cursor({0: 5})
    for bad in ("", None, "x:1", "0:1;s=e.x", "-1:3", "0:-2", "0:1,abc"):
        assert decode(bad) is None


def test_sla_clock_per_priority_and_overdue() -> None:
    b = board()
    view = b.apply_alert("THA", 0, 0, alert(priority="critical"))
    table = {"critical": 900.0}
    assert sla.deadline(view, table, 43200.0) == T0 + dt.timedelta(minutes=15)
    assert not sla.overdue(view, T0 + dt.timedelta(minutes=14), table, 43200.0)
    assert sla.overdue(view, T0 + dt.timedelta(minutes=16), table, 43200.0)
    assert sla.remaining(view, T0 + dt.timedelta(minutes=16), table, 43200.0).startswith("overdue 1 min")
    low = b.apply_alert("THA", 0, 1, alert("A2", priority="low"))
    assert sla.deadline(low, table, 43200.0) == T0 + dt.timedelta(hours=12)  # the default
    b.apply_decision(AlertDecision(alert_id="A1", decision="confirmed", officer="o"))
    assert not sla.overdue(view, T0 + dt.timedelta(days=1), table, 43200.0)  # decided: no longer due


def reason(feature: str, score: float, weight: float = 1.0) -> FeatureReason:
    return FeatureReason(feature=feature, score=score, weight=weight, query="q", candidate="c", explanation="why")


def test_side_by_side_marks_agreeing_and_differing_fields_strongest_first() -> None:
    assert verdict(reason("document", 1.0)) == "agree"
    assert verdict(reason("nationality", 0.2)) == "weak"
    assert verdict(reason("date_of_birth", -0.6)) == "differ"
    assert verdict(reason("sex", 0.0)) == "none"
    assert verdict(reason("document_check", 0.0, weight=0.0)) == "note"
    rows = compare_rows(alert(reasons=[reason("sex", 0.1, 0.15), reason("name", 0.9, 0.8),
                                       reason("date_of_birth", -0.6, 0.25)]))
    assert [r.feature for r in rows] == ["name", "date_of_birth", "sex"]


def test_login_throttle_blocks_after_failures_and_forgets_after_the_window() -> None:
    throttle = LoginThrottle(max_failures=3, window_s=60)
    keys = ["user:a", "addr:1.2.3.4"]
    for t in range(3):
        assert throttle.retry_after(keys, t) == 0
        throttle.failed(keys, t)
    assert throttle.retry_after(["user:a"], 10) == pytest.approx(50)
    assert throttle.retry_after(["user:b", "addr:1.2.3.4"], 10) > 0  # the address is blocked for any user
    assert throttle.retry_after(keys, 61) == 0
    throttle.failed(["user:z"], 0)
    throttle.retry_after(["user:z"], 100)
    assert "user:z" not in throttle._failures  # expired keys leave the table


async def test_fan_out_drops_a_slow_browser_and_keeps_serving_the_others() -> None:
    feed = AlertFeed(Settings(), Board(("THA",), "e1"), queue_size=2)
    slow, _ = feed.subscribe("THA", Filters())
    fast, cursor = feed.subscribe("THA", Filters())
    assert cursor.offsets == {}
    received = []
    for offset in range(4):
        feed._apply("THA", 0, offset, alert(f"A{offset}").model_dump_json().encode())
        received.append(fast.queue.get_nowait().offset)  # the fast browser keeps up
    assert slow.dropped and feed.dropped_total == 1 and slow not in feed._subscribers["THA"]
    assert received == [0, 1, 2, 3] and not fast.dropped
    assert feed.cursor("THA").offsets == {0: 3}
    feed._apply("THA", 0, 4, b"not json")  # a bad record is counted and skipped
    assert feed.invalid_total == 1 and fast.queue.empty()
    await asyncio.sleep(0)


def test_alerts_with_fields_this_console_does_not_know_still_show() -> None:
    feed = AlertFeed(Settings(), Board(("THA",), "e1"), queue_size=10)
    record = {**alert("A9").model_dump(mode="json"), "added_by_a_newer_stage": {"x": 1}}
    feed._apply("THA", 0, 0, orjson.dumps(record))
    assert feed.board.get("THA", "A9") is not None and feed.invalid_total == 0
    for bad in (b"[]", b"null", orjson.dumps({**record, "priority": "urgent"})):
        feed._apply("THA", 0, 1, bad)
    assert feed.invalid_total == 3


def test_every_hit_folded_into_an_alert_is_kept_for_the_case_view() -> None:
    b = board()
    b.apply_alert("THA", 0, 0, alert())
    second = alert(hit_count=2, created_at=T0 + dt.timedelta(minutes=5))
    b.apply_alert("THA", 0, 1, second)
    b.apply_alert("THA", 0, 2, second)  # redelivered: not a third sighting
    view = b.sightings("THA", "E1")[0]
    assert [h.occurred_at for h in view.hits.values()] == [T0, T0 + dt.timedelta(minutes=5)]


def test_memory_stays_bounded_forgetting_decided_alerts_first() -> None:
    b = Board(("THA",), "e1", max_alerts=10)
    for i in range(10):
        b.apply_alert("THA", 0, i, alert(f"A{i}", created_at=T0 + dt.timedelta(minutes=i)))
    b.apply_decision(AlertDecision(alert_id="A5", decision="confirmed", officer="o"))
    b.apply_alert("THA", 0, 10, alert("A10", created_at=T0 + dt.timedelta(minutes=10)))
    kept = {v.alert.alert_id for v in b.listing("THA", Filters(status="all"))}
    assert len(kept) == 9 and "A5" not in kept and "A0" not in kept and "A10" in kept
