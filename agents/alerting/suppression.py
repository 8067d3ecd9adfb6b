"""Repeat suppression and officer decisions as a pure state machine.

`decide(state, alert, now, policy) -> (state', outcome)`; the caller stores the state (a Faust table
later) and publishes `outcome.alert` unless the outcome is `suppressed`. The state never holds names,
document numbers or dates of birth: travellers appear only as keyed hashes (`ids.traveller_key`).

Rules:
- the same entry hit by the same traveller at the same checkpoint within `suppression_window` of the
  FIRST hit is one alert: later hits are published as updates (same alert_id, hit_count + 1,
  update=True). The window is fixed, not sliding, so a traveller crossing daily still raises a fresh
  alert per visit instead of one alert that never closes;
- a redelivered event (Kafka is at-least-once) is re-published unchanged, not counted twice;
- a confirmed false positive silences that entry/traveller pair at every checkpoint for
  `false_positive_suppression`.

Bounded: every record expires, and each table is capped (oldest evicted first). Expired records are
ignored on lookup and pruned when a table overflows, or by `expire()` from a periodic timer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

from rpds import HashTrieMap

from agents.alerting.ids import best_document, composite_key, traveller_key
from agents.alerting.policy import AlertPolicy
from schemas.alerts import Alert, AlertDecision
from schemas.person import Person

STATE_VERSION = 1
MAX_EVENT_IDS = 20  # redeliveries arrive close together; the last few ids are enough to spot them
OutcomeKind = Literal["publish_new", "publish_update", "suppressed"]
_V = TypeVar("_V")


@dataclass(frozen=True, slots=True)
class OpenAlert:
    """An alert that later hits (same entry, traveller, checkpoint) fold into until `opened_at + window`."""

    alert_id: str
    pair: str
    opened_at: dt.datetime
    hit_count: int
    event_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AlertRef:
    """Which entry/traveller pair an alert was about, so a later decision can find it."""

    pair: str
    seen_at: dt.datetime


def _frozen(mapping: Mapping[str, _V] | None = None) -> Mapping[str, _V]:
    # A persistent (structurally shared) map: a transition costs O(log n), not a copy of the table,
    # and a caller holding an old state can never see it change.
    if isinstance(mapping, HashTrieMap):
        return mapping
    return HashTrieMap(dict(mapping or {}))


@dataclass(frozen=True, slots=True)
class SuppressionState:
    """Immutable; every transition returns a new state (copy-on-write of the changed table)."""

    open_alerts: Mapping[str, OpenAlert] = field(default_factory=_frozen)
    false_positives: Mapping[str, dt.datetime] = field(default_factory=_frozen)  # pair -> silenced until
    alerts: Mapping[str, AlertRef] = field(default_factory=_frozen)  # alert_id -> pair

    def __post_init__(self) -> None:
        # Immutable persistent maps, so a caller holding an old state cannot change it under another.
        for name in ("open_alerts", "false_positives", "alerts"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def expire(self, now: dt.datetime, policy: AlertPolicy) -> SuppressionState:
        """Drop every expired record."""
        return SuppressionState(
            {k: v for k, v in self.open_alerts.items() if _open_live(v, now, policy)},
            {k: v for k, v in self.false_positives.items() if v > now},
            {k: v for k, v in self.alerts.items() if now - v.seen_at < policy.decision_horizon},
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (timestamps as ISO 8601 strings)."""
        return {
            "version": STATE_VERSION,
            "open_alerts": {
                k: {
                    "alert_id": v.alert_id,
                    "pair": v.pair,
                    "opened_at": v.opened_at.isoformat(),
                    "hit_count": v.hit_count,
                    "event_ids": list(v.event_ids),
                }
                for k, v in self.open_alerts.items()
            },
            "false_positives": {k: v.isoformat() for k, v in self.false_positives.items()},
            "alerts": {k: {"pair": v.pair, "seen_at": v.seen_at.isoformat()} for k, v in self.alerts.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SuppressionState:
        """Inverse of `to_dict`; raises ValueError on anything else."""
        try:
            if data.get("version") != STATE_VERSION:
                raise ValueError(f"unsupported suppression state version {data.get('version')!r}")
            return cls(
                {
                    k: OpenAlert(
                        str(v["alert_id"]),
                        str(v["pair"]),
                        _timestamp(v["opened_at"]),
                        int(v["hit_count"]),
                        tuple(str(e) for e in v["event_ids"]),
                    )
                    for k, v in data["open_alerts"].items()
                },
                {k: _timestamp(v) for k, v in data["false_positives"].items()},
                {k: AlertRef(str(v["pair"]), _timestamp(v["seen_at"])) for k, v in data["alerts"].items()},
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"malformed suppression state: {exc!r}") from exc


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to do with an alert: publish it as new, publish it as an update, or drop it."""

    kind: OutcomeKind
    alert: Alert | None  # the alert to publish (ids/hit_count adjusted); None when suppressed
    suppressed_until: dt.datetime | None = None


def _timestamp(value: Any) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("suppression state timestamps must carry an offset")
    return parsed


def _require_aware(now: dt.datetime) -> None:
    # Stored times are aware; a naive clock would fail later, mid-comparison, with a less clear error.
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")


def _open_live(record: OpenAlert, now: dt.datetime, policy: AlertPolicy) -> bool:
    return now - record.opened_at < policy.suppression_window


def alert_traveller_key(alert: Alert, policy: AlertPolicy, subject: Person | None = None) -> str:
    """Traveller key for an alert: its document number, else its name (+ DOB if the event's subject is
    given). Pass `subject` on every call or on none, so hits of one traveller get one key."""
    document = alert.traveler_document
    name = alert.traveler_name
    if subject is not None:
        best = best_document(subject)
        document = document or (best.number if best is not None else None)
        name = name or next(iter(subject.names()), None)
    return traveller_key(
        document_number=document,
        name=name,
        date_of_birth=subject.date_of_birth if subject is not None else None,
        salt=policy.identity_salt,
        fallback=alert.event_id,
    )


def pair_key(entry_id: str, traveller: str) -> str:
    return composite_key("pair", entry_id, traveller)


def decide(
    state: SuppressionState,
    alert: Alert,
    now: dt.datetime,
    policy: AlertPolicy,
    *,
    subject: Person | None = None,
) -> tuple[SuppressionState, Outcome]:
    """Fold one alert into the state. `subject`: the event's traveller/holder, for the DOB in the key."""
    _require_aware(now)
    pair = pair_key(alert.entry_id, alert_traveller_key(alert, policy, subject))
    silenced_until = state.false_positives.get(pair)
    if silenced_until is not None and now < silenced_until:
        return state, Outcome("suppressed", None, silenced_until)

    slot = composite_key("open", pair, alert.checkpoint_id)
    current = state.open_alerts.get(slot)
    if current is not None and _open_live(current, now, policy):
        if alert.event_id in current.event_ids:  # redelivery: publish again as it was, count nothing
            kind: OutcomeKind = "publish_update" if current.hit_count > 1 else "publish_new"
            same = alert.model_copy(
                update={
                    "alert_id": current.alert_id,
                    "hit_count": current.hit_count,
                    "update": kind != "publish_new",
                }
            )
            return state, Outcome(kind, same)
        record = replace(
            current,
            hit_count=current.hit_count + 1,
            event_ids=(*current.event_ids, alert.event_id)[-MAX_EVENT_IDS:],
        )
        update = alert.model_copy(
            update={"alert_id": record.alert_id, "hit_count": record.hit_count, "update": True}
        )
        return _store(state, slot, record, AlertRef(pair, now), now, policy), Outcome(
            "publish_update", update
        )

    record = OpenAlert(alert.alert_id, pair, now, 1, (alert.event_id,))
    fresh = alert.model_copy(update={"hit_count": 1, "update": False})
    return _store(state, slot, record, AlertRef(pair, now), now, policy), Outcome("publish_new", fresh)


def apply_decision(
    state: SuppressionState,
    decision: AlertDecision,
    alert_lookup: Callable[[str], Alert | None],
    now: dt.datetime,
    policy: AlertPolicy,
) -> SuppressionState:
    """Record an officer's decision. Only `false_positive` changes suppression: it silences the pair for
    `false_positive_suppression` from the decision's `decided_at` (so replaying decisions later gives
    the same result; never later than `now`, against console clock skew) and closes its open alerts.
    `confirmed` / `escalated` leave the state alone (repeat hits on a real case must keep reaching
    officers).

    The pair is taken from the state when it still remembers the alert, else rebuilt from
    `alert_lookup(alert_id)` (document number or name, no DOB); unknown alerts change nothing.
    """
    _require_aware(now)
    if decision.decision != "false_positive":
        return state
    ref = state.alerts.get(decision.alert_id)
    if ref is not None:
        pair = ref.pair
    else:
        alert = alert_lookup(decision.alert_id)
        if alert is None:
            return state
        pair = pair_key(alert.entry_id, alert_traveller_key(alert, policy))
    decided_at = min(decision.decided_at or now, now)
    until = max(decided_at + policy.false_positive_suppression, state.false_positives.get(pair, now))
    if until <= now:
        return state  # decided so long ago that the suppression is already over
    false_positives = _capped({**state.false_positives, pair: until}, policy.max_false_positives, lambda v: v)
    open_alerts = {k: v for k, v in state.open_alerts.items() if v.pair != pair}
    return SuppressionState(open_alerts, false_positives, state.alerts)


def _store(
    state: SuppressionState,
    slot: str,
    record: OpenAlert,
    ref: AlertRef,
    now: dt.datetime,
    policy: AlertPolicy,
) -> SuppressionState:
    open_alerts: Mapping[str, OpenAlert] = _insert(state.open_alerts, slot, record)
    alerts: Mapping[str, AlertRef] = _insert(state.alerts, record.alert_id, ref)
    if len(open_alerts) > policy.max_open_alerts:
        open_alerts = _capped({k: v for k, v in open_alerts.items() if _open_live(v, now, policy)},
                              policy.max_open_alerts, lambda v: v.opened_at)
    if len(alerts) > policy.max_remembered_alerts:
        alerts = _capped({k: v for k, v in alerts.items() if now - v.seen_at < policy.decision_horizon},
                         policy.max_remembered_alerts, lambda v: v.seen_at)
    return SuppressionState(open_alerts, state.false_positives, alerts)


def _insert(table: Mapping[str, _V], key: str, value: _V) -> Mapping[str, _V]:
    if isinstance(table, HashTrieMap):
        return table.insert(key, value)
    return {**table, key: value}


def _capped(table: dict[str, _V], cap: int, age: Callable[[_V], dt.datetime]) -> dict[str, _V]:
    """Keep at most `cap` records, evicting the oldest by `age`."""
    if len(table) <= cap:
        return table
    keep = sorted(table.items(), key=lambda item: age(item[1]))[len(table) - cap :]
    return dict(keep)
