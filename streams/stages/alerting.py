"""Faust agent: suppression and routing of alert candidates; officer decisions. Decode, decide, send.

The suppression state is rebuilt from the `alerts` and `alerts.decisions` topics whenever this
worker is (re)assigned the stage's partition, so a takeover continues where the previous owner left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import structlog

from agents.alerting import SuppressionState
from agents.alerting.stage import handle_candidate, handle_decision, replay

if TYPE_CHECKING:
    from streams.runtime import Runtime

log = structlog.get_logger(__name__)


def register_alerting_agent(runtime: Runtime) -> None:
    app, topics = runtime.app, runtime.topics
    source = app.topic(topics.alert_candidates, topics.decisions, key_serializer="raw", value_serializer="raw")
    stale = {"flag": True}

    @app.on_partitions_assigned.connect  # type: ignore[misc]
    async def _assigned(sender: Any, assigned: Any, **_: Any) -> None:
        stale["flag"] = True

    @app.agent(source, name="borderwatch.alerting")
    async def alerting(stream: Any) -> None:
        state = SuppressionState()
        async for event in stream.events():
            if stale["flag"]:
                state = await rebuild_state(runtime)
                stale["flag"] = False
            state, outgoing = alert_one(runtime, state, event.message)
            await runtime.publish_all(outgoing)


def alert_one(runtime: Runtime, state: SuppressionState, message: Any) -> tuple[SuppressionState, list[Any]]:
    now = runtime.clock()
    policy = runtime.ctx.policy
    try:
        if message.topic == runtime.topics.decisions:
            result = handle_decision(state, message.value, now=now, policy=policy)
            if result.decision is not None:
                runtime.metrics.decision(result.decision.decision)
            return result.state, []
        result = handle_candidate(state, message.value, now=now, policy=policy,
                                  alerts_topic=runtime.topics.alerts)
    except Exception as error:  # never stop the stage on one record
        log.exception("alerting.internal_error", error=type(error).__name__, offset=message.offset)
        return state, []
    if result.invalid:
        log.warning("alerting.invalid_record", topic=message.topic, detail=result.invalid)
    outcome = result.outcome
    if outcome is not None and result.candidate is not None:
        runtime.observe_outcome(outcome, result.candidate, now)
    return result.state, result.outgoing


async def rebuild_state(runtime: Runtime) -> SuppressionState:
    from streams.history import read_since

    policy = runtime.ctx.policy
    now = runtime.clock()
    published = await read_since(runtime.settings, runtime.topics.alerts, now - policy.suppression_window)
    decisions = await read_since(runtime.settings, runtime.topics.decisions,
                                 now - policy.false_positive_suppression)
    state = replay(SuppressionState(), published, decisions, now=now, policy=policy)
    log.info("alerting.state_rebuilt", alerts=len(published), decisions=len(decisions))
    return state

