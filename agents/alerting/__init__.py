"""Alert policy: ids, priority, recommended action, routing, alert assembly and repeat suppression.

Pure: no Kafka, no I/O, no module-level mutable state; the clock is always an argument.
"""

from agents.alerting.actions import recommended_action, retrospective_note
from agents.alerting.build import build_alert
from agents.alerting.ids import alert_id, traveller_key
from agents.alerting.policy import DEFAULT_PRIORITY_TABLE, AlertPolicy
from agents.alerting.priority import alert_priority, score_band
from agents.alerting.protocols import FeatureScoreLike, MatchLike
from agents.alerting.routing import alert_topics, route_to
from agents.alerting.suppression import (
    Outcome,
    OutcomeKind,
    SuppressionState,
    alert_traveller_key,
    apply_decision,
    decide,
)

__all__ = [
    "DEFAULT_PRIORITY_TABLE",
    "AlertPolicy",
    "FeatureScoreLike",
    "MatchLike",
    "Outcome",
    "OutcomeKind",
    "SuppressionState",
    "alert_id",
    "alert_priority",
    "alert_topics",
    "alert_traveller_key",
    "apply_decision",
    "build_alert",
    "decide",
    "recommended_action",
    "retrospective_note",
    "route_to",
    "score_band",
    "traveller_key",
]
