"""The matching algorithm: a declarative weighted list of features, combined into a 0..1 score."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from agents.matching.features import (
    Context,
    Feature,
    date_of_birth,
    name_similarity,
    nationality,
    sex,
    travel_document,
)
from agents.matching.features.name import name_specificity, specificity_bound
from agents.matching.prepared import PreparedPerson
from schemas.watchlist import WatchlistEntry

#: (feature name = key of MatcherConfig.weights, feature function). Order = order of reasons.
FEATURES: tuple[tuple[str, Feature], ...] = (
    ("name", name_similarity),
    ("document", travel_document),
    ("date_of_birth", date_of_birth),
    ("sex", sex),
    ("nationality", nationality),
)


#: Features are evaluated cheapest first (name alignment last), so a candidate whose date of birth,
#: document, sex and nationality already rule it out is dropped before its names are aligned.
#: Reasons are still reported in FEATURES order.
_EXPENSIVE = frozenset({"name"})
_EVALUATION_ORDER: tuple[tuple[int, str, Feature], ...] = tuple(
    sorted(
        ((position, name, func) for position, (name, func) in enumerate(FEATURES)),
        key=lambda item: item[1] in _EXPENSIVE,
    )
)


@lru_cache(maxsize=64)
def explanation(func: Feature) -> str:
    """The first paragraph of a feature's docstring, on one line: what officers read."""
    doc = (func.__doc__ or "").strip().split("\n\n", 1)[0]
    return " ".join(doc.split())


#: Tolerance of threshold comparisons (sums of float weights are not exact).
EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class FeatureScore:
    name: str
    score: float
    weight: float
    query: str | None
    candidate: str | None
    explanation: str


@dataclass(frozen=True, slots=True)
class Match:
    entry: WatchlistEntry
    score: float
    features: tuple[FeatureScore, ...]


@dataclass(slots=True)
class PartialScore:
    """The cheap features of a pair, scored: what is left is the name (see `_EVALUATION_ORDER`)."""

    total: float
    remaining: float
    found: list[tuple[int, FeatureScore]]
    next_feature: int


def _run(
    query: PreparedPerson,
    candidate: PreparedPerson,
    ctx: Context,
    partial: PartialScore,
    threshold: float | None,
    stop_before_expensive: bool,
) -> PartialScore | None:
    config = ctx.config
    weights = config.weights
    while partial.next_feature < len(_EVALUATION_ORDER):
        position, name, func = _EVALUATION_ORDER[partial.next_feature]
        if (
            stop_before_expensive
            and name == "name"
            and threshold is not None
            and weights.get(name, 0.0) > 0.0
            and _cap(partial.found, ctx, lambda: specificity_bound(query, candidate, ctx)) < threshold - EPSILON
        ):
            return None  # only the name could support it, and no such name is specific enough
        if stop_before_expensive and name in _EXPENSIVE:
            return partial
        partial.next_feature += 1
        weight = weights.get(name, 0.0)
        partial.remaining -= weight
        if weight == 0.0:
            continue
        result = func(query, candidate, ctx)
        if result is not None:
            partial.total += weight * result.score
            partial.found.append(
                (position, FeatureScore(name, result.score, weight, result.query, result.candidate, explanation(func)))
            )
        if threshold is not None and partial.total + partial.remaining < threshold - EPSILON:
            return None
    return partial


def prescore_pair(
    query: PreparedPerson, candidate: PreparedPerson, ctx: Context, *, threshold: float | None = None
) -> PartialScore | None:
    """The cheap features only (documents, date of birth, sex, nationality). With a `threshold`,
    None when even an identical name could not lift the pair to it."""
    weights = ctx.config.weights
    start = PartialScore(0.0, sum(weights.get(name, 0.0) for name, _ in FEATURES), [], 0)
    return _run(query, candidate, ctx, start, threshold, stop_before_expensive=True)


def finish_pair(
    query: PreparedPerson,
    candidate: PreparedPerson,
    ctx: Context,
    partial: PartialScore,
    *,
    threshold: float | None = None,
) -> tuple[float, tuple[FeatureScore, ...]] | None:
    """The remaining (name) features of a prescored pair, and the final score as `score_pair`."""
    done = _run(query, candidate, ctx, partial, threshold, stop_before_expensive=False)
    if done is None:
        return None
    found = sorted(done.found, key=lambda item: item[0])
    reasons = [reason for _, reason in found]
    total = min(done.total, _uncorroborated_cap(reasons, ctx))
    return min(1.0, max(0.0, total)), tuple(reasons)


def score_pair(
    query: PreparedPerson, candidate: PreparedPerson, ctx: Context, *, threshold: float | None = None
) -> tuple[float, tuple[FeatureScore, ...]] | None:
    """Weighted sum of the applicable features, clamped to 0..1, with every feature's reason.

    With a `threshold`, gives up (None) as soon as the features left cannot lift the score to it.
    """
    partial = prescore_pair(query, candidate, ctx, threshold=threshold)
    if partial is None:
        return None
    return finish_pair(query, candidate, ctx, partial, threshold=threshold)


#: A date of birth at least this close (exact, swapped, year+month, year off by one with the same
#: day and month) or a document at least this close (same number, OCR look-alike, one typo)
#: corroborates a name.
CORROBORATING = {"date_of_birth": 0.6, "document": 0.3}
#: How far below the lowest list threshold an uncorroborated, unspecific name is capped.
CAP_MARGIN = 0.05


def _cap(found: list[tuple[int, FeatureScore]], ctx: Context, specificity: Callable[[], float]) -> float:
    """1 when a date of birth or document corroborates, else the cap for that name specificity."""
    for _, reason in found:
        needed = CORROBORATING.get(reason.name)
        if needed is not None and reason.score >= needed:
            return 1.0
    spec = specificity()
    if spec >= 1.0:
        return 1.0
    low = min(ctx.config.thresholds.values(), default=0.75) - CAP_MARGIN
    return low + (1.0 - low) * spec


def _uncorroborated_cap(reasons: list[FeatureScore], ctx: Context) -> float:
    """The highest score a match may reach: 1, or, when only the name supports it, a cap that rises
    from below every list's threshold (a common name: Nguyen Van Anh, Wang Li) to 1 (a rare name)."""
    name = next((reason for reason in reasons if reason.name == "name"), None)
    if name is None:
        return 1.0
    return _cap([(0, reason) for reason in reasons], ctx, lambda: name_specificity(name.query, name.candidate, ctx))
