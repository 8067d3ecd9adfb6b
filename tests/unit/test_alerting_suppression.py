"""Repeat suppression and officer decisions: a pure state machine driven by an explicit clock."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.alerting import AlertPolicy, SuppressionState, alert_id, apply_decision, decide
from schemas.alerts import Alert, AlertDecision
from schemas.person import Person
from tests.factories import NOW as T0

POLICY = AlertPolicy()
MIN = dt.timedelta(minutes=1)


def alert(
    event_id: str = "ev-1",
    *,
    entry_id: str = "E1",
    document: str | None = "AA1234567",
    name: str | None = "SOMCHAI JAIDEE",
    checkpoint: str = "LAO-BOKEO-1",
) -> Alert:
    return Alert(
        alert_id=alert_id(event_id, entry_id),
        created_at=T0,
        event_id=event_id,
        event_type="border_crossing",
        occurred_at=T0,
        entry_id=entry_id,
        list="suspect",
        priority="medium",
        score=0.9,
        checkpoint_id=checkpoint,
        checkpoint_country="LAO",
        traveler_name=name,
        traveler_document=document,
        case_ref="TH-1",
        source_country="THA",
        source_agency="RTP",
        recommended_action="DISCREET CHECK",
        route_to=["LAO", "THA"],
        reasons=[],
        matcher_version="m1",
        thresholds={"alert": 0.75},
        watchlist_version=1,
    )


def false_positive(alert_id_: str) -> AlertDecision:
    return AlertDecision(alert_id=alert_id_, decision="false_positive", officer="officer-7")


def no_lookup(_: str) -> Alert | None:
    return None


def test_first_hit_is_new() -> None:
    _, outcome = decide(SuppressionState(), alert(), T0, POLICY)
    assert outcome.kind == "publish_new"
    assert outcome.alert is not None and outcome.alert.alert_id == alert_id("ev-1", "E1")
    assert outcome.alert.hit_count == 1 and not outcome.alert.update


def test_repeat_hits_within_window_become_updates_of_the_first_alert() -> None:
    state, first = decide(SuppressionState(), alert("ev-1"), T0, POLICY)
    state, second = decide(state, alert("ev-2"), T0 + 10 * MIN, POLICY)
    state, third = decide(state, alert("ev-3"), T0 + 29 * MIN, POLICY)
    assert (second.kind, third.kind) == ("publish_update", "publish_update")
    assert second.alert is not None and third.alert is not None and first.alert is not None
    assert second.alert.alert_id == third.alert.alert_id == first.alert.alert_id
    assert (second.alert.hit_count, third.alert.hit_count) == (2, 3)
    assert second.alert.update and third.alert.update
    assert third.alert.event_id == "ev-3"  # the update describes the latest hit


def test_window_is_fixed_from_the_first_hit() -> None:
    state, _ = decide(SuppressionState(), alert("ev-1"), T0, POLICY)
    state, _ = decide(state, alert("ev-2"), T0 + 20 * MIN, POLICY)
    state, outcome = decide(state, alert("ev-3"), T0 + 30 * MIN, POLICY)
    assert outcome.kind == "publish_new"
    assert outcome.alert is not None and outcome.alert.alert_id == alert_id("ev-3", "E1")


@pytest.mark.parametrize(
    "other",
    [
        alert("ev-2", entry_id="E2"),  # another entry
        alert("ev-2", document="ZZ999"),  # another traveller
        alert("ev-2", checkpoint="THA-CHIANGKHONG-1"),  # another checkpoint
    ],
)
def test_different_entry_traveller_or_checkpoint_is_a_new_alert(other: Alert) -> None:
    state, _ = decide(SuppressionState(), alert("ev-1"), T0, POLICY)
    _, outcome = decide(state, other, T0 + MIN, POLICY)
    assert outcome.kind == "publish_new"


def test_traveller_identified_by_name_and_dob_without_document() -> None:
    state, _ = decide(SuppressionState(), alert("ev-1", document=None, name="Mai Thi Lan"), T0, POLICY)
    _, same = decide(state, alert("ev-2", document=None, name="LAN mai thi"), T0 + MIN, POLICY)
    assert same.kind == "publish_update"
    born = Person(full_name="Mai Thi Lan", date_of_birth="2010-01-01")
    other = Person(full_name="Mai Thi Lan", date_of_birth="1970-01-01")
    state, _ = decide(SuppressionState(), alert("ev-1", document=None), T0, POLICY, subject=born)
    _, outcome = decide(state, alert("ev-2", document=None), T0 + MIN, POLICY, subject=other)
    assert outcome.kind == "publish_new"  # same name, different date of birth: another person


def test_anonymous_hits_are_never_merged() -> None:
    state, _ = decide(SuppressionState(), alert("ev-1", document=None, name=None), T0, POLICY)
    _, outcome = decide(state, alert("ev-2", document=None, name=None), T0 + MIN, POLICY)
    assert outcome.kind == "publish_new"


def test_redelivered_event_is_not_counted_twice() -> None:
    state, _ = decide(SuppressionState(), alert("ev-1"), T0, POLICY)
    again_state, again = decide(state, alert("ev-1"), T0 + MIN, POLICY)
    assert again.kind == "publish_new" and again.alert is not None and again.alert.hit_count == 1
    assert again_state == state
    state, _ = decide(state, alert("ev-2"), T0 + 2 * MIN, POLICY)
    _, replay = decide(state, alert("ev-2"), T0 + 3 * MIN, POLICY)
    assert replay.kind == "publish_update" and replay.alert is not None and replay.alert.hit_count == 2


def test_false_positive_suppresses_the_pair_everywhere_for_the_configured_time() -> None:
    first = alert("ev-1")
    state, _ = decide(SuppressionState(), first, T0, POLICY)
    state = apply_decision(state, false_positive(first.alert_id), no_lookup, T0 + MIN, POLICY)
    for offset, checkpoint in ((2 * MIN, "LAO-BOKEO-1"), (dt.timedelta(days=29), "KHM-POIPET-1")):
        _, outcome = decide(state, alert("ev-x", checkpoint=checkpoint), T0 + offset, POLICY)
        assert outcome.kind == "suppressed" and outcome.alert is None
        assert outcome.suppressed_until == T0 + MIN + dt.timedelta(days=30)
    _, later = decide(state, alert("ev-y"), T0 + MIN + dt.timedelta(days=30), POLICY)
    assert later.kind == "publish_new"
    _, other_entry = decide(state, alert("ev-z", entry_id="E2"), T0 + 2 * MIN, POLICY)
    assert other_entry.kind == "publish_new"


def test_false_positive_suppression_is_configurable() -> None:
    policy = AlertPolicy(false_positive_suppression=dt.timedelta(hours=1))
    first = alert("ev-1")
    state, _ = decide(SuppressionState(), first, T0, policy)
    state = apply_decision(state, false_positive(first.alert_id), no_lookup, T0, policy)
    assert decide(state, alert("ev-2"), T0 + 59 * MIN, policy)[1].kind == "suppressed"
    assert decide(state, alert("ev-3"), T0 + 61 * MIN, policy)[1].kind == "publish_new"


@pytest.mark.parametrize("decision", ["confirmed", "escalated"])
def test_other_decisions_do_not_suppress(decision: str) -> None:
    first = alert("ev-1")
    state, _ = decide(SuppressionState(), first, T0, POLICY)
    decided = AlertDecision(alert_id=first.alert_id, decision=decision, officer="o")  # type: ignore[arg-type]
    assert apply_decision(state, decided, no_lookup, T0, POLICY) == state


def test_decision_on_forgotten_alert_uses_lookup() -> None:
    first = alert("ev-1")
    calls: list[str] = []

    def lookup(alert_id_: str) -> Alert | None:
        calls.append(alert_id_)
        return first if alert_id_ == first.alert_id else None

    state = apply_decision(SuppressionState(), false_positive(first.alert_id), lookup, T0, POLICY)
    assert calls == [first.alert_id]
    assert decide(state, alert("ev-2"), T0 + MIN, POLICY)[1].kind == "suppressed"
    unknown = apply_decision(state, false_positive("nope"), lookup, T0, POLICY)
    assert unknown == state


def test_decision_on_remembered_alert_keeps_the_dob_key() -> None:
    born = Person(full_name="Mai", date_of_birth="2010-01-01")
    first = alert("ev-1", document=None, name="Mai")
    state, _ = decide(SuppressionState(), first, T0, POLICY, subject=born)
    state = apply_decision(state, false_positive(first.alert_id), no_lookup, T0, POLICY)
    assert (
        decide(state, alert("ev-2", document=None, name="Mai"), T0, POLICY, subject=born)[1].kind
        == "suppressed"
    )


def test_state_is_immutable_and_old_states_stay_valid() -> None:
    empty = SuppressionState()
    state, _ = decide(empty, alert("ev-1"), T0, POLICY)
    assert len(empty.open_alerts) == 0 and len(state.open_alerts) == 1
    with pytest.raises(TypeError):
        state.open_alerts["x"] = state.open_alerts[next(iter(state.open_alerts))]  # type: ignore[index]
    with pytest.raises(AttributeError):
        state.open_alerts = {}  # type: ignore[misc]


def test_state_round_trips_through_json_and_holds_no_personal_data() -> None:
    born = Person(full_name="Mai Thi Lan", date_of_birth="2010-01-01")
    state, _ = decide(SuppressionState(), alert("ev-1"), T0, POLICY)
    state, _ = decide(state, alert("ev-2", document=None, name="Mai Thi Lan"), T0, POLICY, subject=born)
    state = apply_decision(state, false_positive(alert_id("ev-1", "E1")), no_lookup, T0, POLICY)
    text = json.dumps(state.to_dict())
    assert SuppressionState.from_dict(json.loads(text)) == state
    for secret in ("AA1234567", "SOMCHAI", "Mai", "2010-01-01"):
        assert secret.lower() not in text.lower()


@pytest.mark.parametrize(
    "bad", [{}, {"version": 99}, {"version": 1, "open_alerts": {"k": {}}}, {"version": 1}]
)
def test_malformed_state_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="state"):
        SuppressionState.from_dict(bad)


def test_expire_drops_old_records() -> None:
    first = alert("ev-1")
    state, _ = decide(SuppressionState(), first, T0, POLICY)
    state = apply_decision(state, false_positive(first.alert_id), no_lookup, T0, POLICY)
    assert dict(state.expire(T0 + 31 * MIN, POLICY).open_alerts) == {}
    late = state.expire(T0 + dt.timedelta(days=31), POLICY)
    assert (dict(late.open_alerts), dict(late.false_positives), dict(late.alerts)) == ({}, {}, {})


def test_state_size_is_bounded() -> None:
    policy = AlertPolicy(max_open_alerts=5, max_remembered_alerts=7, max_false_positives=3)
    state = SuppressionState()
    for i in range(50):
        hit = alert(f"ev-{i}", document=f"DOC{i}")
        state, _ = decide(state, hit, T0 + i * dt.timedelta(seconds=1), policy)
        state = apply_decision(state, false_positive(hit.alert_id), no_lookup, T0, policy)
    assert len(state.open_alerts) <= 5 and len(state.alerts) <= 7 and len(state.false_positives) <= 3
    # the newest records are the ones kept
    assert alert_id("ev-49", "E1") in state.alerts


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),  # entry
            st.integers(0, 3),  # traveller
            st.integers(0, 1),  # checkpoint
            st.integers(0, 20 * 60),  # seconds since the previous step
            st.booleans(),  # officer marks it a false positive
        ),
        max_size=40,
    )
)
def test_invariants_under_random_traffic(steps: list[tuple[int, int, int, int, bool]]) -> None:
    policy = AlertPolicy(max_open_alerts=6, max_remembered_alerts=8, max_false_positives=4)
    state, now = SuppressionState(), T0
    first_ids: dict[tuple[int, int, int], str] = {}
    for n, (entry, traveller, checkpoint, gap, mark_fp) in enumerate(steps):
        now += dt.timedelta(seconds=gap)
        hit = alert(f"ev-{n}", entry_id=f"E{entry}", document=f"D{traveller}", checkpoint=f"C{checkpoint}")
        state, outcome = decide(state, hit, now, policy)
        if outcome.kind == "publish_new":
            assert outcome.alert is not None and outcome.alert.alert_id == hit.alert_id
            first_ids[(entry, traveller, checkpoint)] = hit.alert_id
        elif outcome.kind == "publish_update":
            assert outcome.alert is not None and outcome.alert.update and outcome.alert.hit_count >= 2
            assert outcome.alert.alert_id == first_ids[(entry, traveller, checkpoint)]
        if mark_fp and outcome.alert is not None:
            state = apply_decision(state, false_positive(outcome.alert.alert_id), no_lookup, now, policy)
        assert len(state.open_alerts) <= 6 and len(state.alerts) <= 8 and len(state.false_positives) <= 4
        assert SuppressionState.from_dict(json.loads(json.dumps(state.to_dict()))) == state


def test_naive_clock_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        decide(SuppressionState(), alert(), T0.replace(tzinfo=None), POLICY)
    with pytest.raises(ValueError, match="timezone"):
        apply_decision(SuppressionState(), false_positive("x"), no_lookup, T0.replace(tzinfo=None), POLICY)


def test_false_positive_counts_from_decision_time_not_replay_time() -> None:
    first = alert("ev-1")
    state, _ = decide(SuppressionState(), first, T0, POLICY)
    decided = AlertDecision(
        alert_id=first.alert_id, decision="false_positive", officer="o", decided_at=T0 + dt.timedelta(days=1)
    )
    replayed = apply_decision(state, decided, no_lookup, T0 + dt.timedelta(days=10), POLICY)
    assert decide(replayed, alert("ev-2"), T0 + dt.timedelta(days=30), POLICY)[1].kind == "suppressed"
    assert decide(replayed, alert("ev-3"), T0 + dt.timedelta(days=31), POLICY)[1].kind == "publish_new"
    # a console clock ahead of ours cannot push the suppression further
    skewed = decided.model_copy(update={"decided_at": T0 + dt.timedelta(days=400)})
    state2 = apply_decision(state, skewed, no_lookup, T0, POLICY)
    assert (
        decide(state2, alert("ev-4"), T0 + dt.timedelta(days=30, seconds=1), POLICY)[1].kind == "publish_new"
    )
    # a decision older than the suppression time changes nothing
    stale = decided.model_copy(update={"decided_at": T0 - dt.timedelta(days=31)})
    assert apply_decision(state, stale, no_lookup, T0, POLICY) == state
