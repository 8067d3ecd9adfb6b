"""The screening agent's decision logic, without a broker.

`process_event` is everything the agent does with one message: decode, screen, build the alert
candidates or the dead letter. It returns the messages to send; the Faust agent only sends them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from agents.alerting import AlertPolicy, build_alert
from agents.decode import EVENT_MODELS, Rejected, dead_letter
from agents.documents import check_document
from agents.matching import MATCHER_VERSION, MatcherConfig, WatchlistIndex, search
from agents.matching.population import MIN_TRAVELLERS, Ahead, PopulationModel
from agents.matching.prepared import PreparedPerson, prepare_person
from agents.outgoing import Outgoing, encode_alert
from agents.salvage import Salvaged, decode_screenable
from schemas import Alert, BorderCrossing, DocumentCheck, ScreeningEvent
from schemas.alerts import FeatureReason
from schemas.person import Document


@dataclass(frozen=True, slots=True)
class Topics:
    crossings: str
    document_checks: str
    dead_letter: str
    alert_candidates: str
    alerts: str
    decisions: str
    watchlist: str


@dataclass(frozen=True, slots=True)
class ScreeningContext:
    """What screening needs besides the event: passed in, never global."""

    topics: Topics
    matcher: MatcherConfig
    policy: AlertPolicy
    max_message_bytes: int
    clock: Callable[[], dt.datetime]
    #: How common names are among the travellers screened; None: only the watchlist says.
    population: PopulationModel | None = None


@dataclass(frozen=True, slots=True)
class Processed:
    """Result of one message: what to send, plus what metrics need to know."""

    outgoing: list[Outgoing]
    event: ScreeningEvent | None = None
    rejected: Rejected | None = None
    alerts: tuple[Alert, ...] = ()
    candidates: int = 0
    #: Fields the event was screened without (agents/salvage.py); empty for a valid event.
    problems: tuple[str, ...] = ()


def model_for_topic(topics: Topics, topic: str) -> type[BorderCrossing] | type[DocumentCheck]:
    if topic == topics.document_checks:
        return EVENT_MODELS["document_check"]
    return EVENT_MODELS["border_crossing"]


def alerts_for_event(event: ScreeningEvent, index: WatchlistIndex, ctx: ScreeningContext,
                     *, now: dt.datetime, retrospective: bool = False,
                     on_candidates: Callable[[int], None] | None = None,
                     problems: tuple[str, ...] = (), prepared: PreparedPerson | None = None) -> list[Alert]:
    """Screen one validated event against the index and build one alert per matching entry; the
    fields it was screened without (`problems`) are named among each alert's reasons. `prepared`:
    the traveller as `prepared_traveller` made them, when the caller has them already."""
    document = screened_document(event)
    nationality = event.subject.nationality
    population = ctx.population
    commonness = partial(population.per_100k, nationality=nationality) if population is not None else None
    matches = search(index, event.subject, ctx.matcher, at=event.occurred_at if retrospective else now,
                     document=document, on_candidates=on_candidates, commonness=commonness,
                     rarest_per_100k=population.rarest_per_100k() if population is not None else 0.0,
                     rarest_of=partial(population.rarest_name_per_100k, nationality=nationality)
                     if population is not None else None,
                     prepared=prepared)
    flags: list[str] = []
    if matches and isinstance(event, DocumentCheck):  # document flags travel in alerts only
        flags = check_document(event.document, event.mrz, event.holder, now.date())
    alerts = [
        build_alert(event, match, now=now, policy=ctx.policy, matcher_version=MATCHER_VERSION,
                    thresholds=dict(ctx.matcher.thresholds), watchlist_version=index.version,
                    retrospective=retrospective, document_flags=tuple(flags))
        for match in matches
    ]
    if commonness is not None:
        assert ctx.population is not None  # commonness is its per_100k
        alerts = [_with_name_commonness(a, ctx.population, nationality) for a in alerts]
    if problems:
        note = data_quality_reason(problems)
        alerts = [a.model_copy(update={"reasons": [*a.reasons, note]}) for a in alerts]
    return alerts


def screened_document(event: ScreeningEvent) -> Document | None:
    """The inspected document of a document check, compared besides the traveller's own; None otherwise."""
    return event.document if isinstance(event, DocumentCheck) else None


def prepared_traveller(event: ScreeningEvent) -> PreparedPerson:
    """The traveller of an event as the matcher compares them (name forms, dates, documents)."""
    return prepare_person(event.subject, screened_document(event))


def _with_name_commonness(alert: Alert, population: PopulationModel, nationality: str | None) -> Alert:
    name = next((r for r in alert.reasons if r.feature == "name" and r.query), None)
    if name is None or name.query is None:
        return alert
    if population.total < MIN_TRAVELLERS:
        told = name_commonness_reason(population.prior_per_100k(name.query), counted=False)
    else:
        told = name_commonness_reason(population.per_100k(name.query, nationality), counted=True)
    return alert.model_copy(update={"reasons": [*alert.reasons, told]})


def name_commonness_reason(per_100k: float, *, counted: bool) -> FeatureReason:
    """How many travellers screened carry the traveller's name: a common name needs a date of birth
    or a document to agree before it can alert."""
    # Two significant figures, and no running count in the text: a redelivered event re-publishes its
    # alert under the same id, and the copies should read the same while the counts move on.
    rounded = float(f"{per_100k:.2g}")
    if not counted:
        told = ("Fewer than 10,000 travellers screened so far: how common this name is at the border is known "
                "from published name statistics alone")
        told += f" (about {rounded:,g} per 100,000)." if rounded >= 0.5 else "."
    elif rounded >= 0.5:
        told = f"About {rounded:,g} per 100,000 travellers screened carry this name."
    else:
        told = "Fewer than 1 in 100,000 travellers screened carry this name."
    return FeatureReason(feature="name_commonness", score=0.0, weight=0.0, explanation=told)


def data_quality_reason(problems: tuple[str, ...]) -> FeatureReason:
    """Some of what the checkpoint sent was unusable, and the traveller was screened on the rest:
    the fields named here did not count, for or against. Check them at the checkpoint."""
    return FeatureReason(feature="data_quality", score=0.0, weight=0.0,
                         explanation="Screened without: " + "; ".join(problems))


@dataclass(slots=True)
class Begun:
    """An event decoded and its traveller prepared, not screened yet (`begin_event`)."""

    now: dt.datetime
    event: ScreeningEvent
    #: The traveller as the matcher compares them (`prepared_traveller`).
    query: PreparedPerson
    #: Fields the event was screened without (agents/salvage.py); empty for a valid event.
    problems: tuple[str, ...]
    #: The data-quality record of a salvaged event, sent ahead of its alerts.
    outgoing: list[Outgoing]
    #: The traveller's name counting worked out (`PopulationModel.ahead`), counted once he is screened.
    counting: Ahead | None = None


def process_event(raw: bytes | None, key: bytes | None, *, topic: str, partition: int, offset: int,
                  index: WatchlistIndex, ctx: ScreeningContext) -> Processed:
    """Decode, screen, and say what to send. Never raises for bad input: it becomes a dead letter."""
    begun = begin_event(raw, key, topic=topic, partition=partition, offset=offset, ctx=ctx)
    if isinstance(begun, Processed):
        return begun
    return finish_event(begun, topic=topic, partition=partition, index=index, ctx=ctx)


def begin_event(raw: bytes | None, key: bytes | None, *, topic: str, partition: int, offset: int,
                ctx: ScreeningContext) -> Begun | Processed:
    """`process_event` up to screening: decode, prepare the traveller. A message that cannot be screened
    is done here (its dead letter). Reads nothing another event's screening changes (not the index, not the
    name counts: the traveller's counting is only worked out), so a batch's events can all be begun before
    the first is screened."""
    now = ctx.clock()
    decoded = decode_screenable(raw, model_for_topic(ctx.topics, topic), ctx.max_message_bytes, now)
    if isinstance(decoded, Rejected):
        letter = dead_letter(raw, key, topic=topic, partition=partition, offset=offset,
                             rejected=decoded, now=now)
        return Processed([Outgoing(ctx.topics.dead_letter, key, letter.model_dump_json().encode())],
                         rejected=decoded)
    outgoing: list[Outgoing] = []
    problems: tuple[str, ...] = ()
    event = decoded.event if isinstance(decoded, Salvaged) else decoded
    if isinstance(decoded, Salvaged):
        problems = decoded.problems
        # The data-quality record: the original whole, and what it was screened without.
        record = dead_letter(raw, key, topic=topic, partition=partition, offset=offset, now=now,
                             rejected=Rejected("invalid_schema", "screened without: " + "; ".join(problems)))
        record = record.model_copy(update={"error": "partially_screened"})
        outgoing.append(Outgoing(ctx.topics.dead_letter, key, record.model_dump_json().encode()))
    # Prepared once: screening compares the name forms, and the name-frequency model counts them.
    query = prepared_traveller(event)
    population = ctx.population
    counting = (population.ahead(f"{topic}:{partition}", query.forms, event.subject.nationality)
                if population is not None else None)
    return Begun(now, event, query, problems, outgoing, counting)


def finish_event(begun: Begun, *, topic: str, partition: int, index: WatchlistIndex,
                 ctx: ScreeningContext) -> Processed:
    """The rest of `process_event`: screen, count the traveller's names, build the alert candidates.
    Events are finished in the order they came: each is counted before the next is screened."""
    event, query, problems = begun.event, begun.query, begun.problems
    counted: list[int] = []
    alerts = alerts_for_event(event, index, ctx, now=begun.now, on_candidates=counted.append, problems=problems,
                              prepared=query)
    if ctx.population is not None:  # after screening: a traveller is not his own namesake
        ctx.population.observe_ahead(f"{topic}:{partition}", query.forms, event.subject.nationality, begun.counting)
    outgoing = begun.outgoing + [Outgoing(ctx.topics.alert_candidates, a.entry_id.encode(), encode_alert(a))
                                 for a in alerts]
    return Processed(outgoing, event=event, alerts=tuple(alerts), candidates=sum(counted), problems=problems)


def internal_error(raw: bytes | None, key: bytes | None, *, topic: str, partition: int, offset: int,
                   error: BaseException, ctx: ScreeningContext) -> Outgoing:
    """Dead letter for a bug hit while screening one message: the partition carries on."""
    letter = dead_letter(raw, key, topic=topic, partition=partition, offset=offset,
                         rejected=Rejected("internal_error", type(error).__name__), now=ctx.clock())
    return Outgoing(ctx.topics.dead_letter, key, letter.model_dump_json().encode())
