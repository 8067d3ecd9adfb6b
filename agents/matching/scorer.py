"""The matching algorithm: a declarative weighted list of features, combined into a 0..1 score."""

from __future__ import annotations

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


def score_pair(
    query: PreparedPerson, candidate: PreparedPerson, ctx: Context, *, threshold: float | None = None
) -> tuple[float, tuple[FeatureScore, ...]] | None:
    """Weighted sum of the applicable features, clamped to 0..1, with every feature's reason.

    With a `threshold`, gives up (None) as soon as the features left cannot lift the score to it.
    """
    config = ctx.config
    total = 0.0
    reasons: list[FeatureScore] = []
    remaining = sum(config.weight(name) for name, _ in FEATURES)
    for name, func in FEATURES:
        weight = config.weight(name)
        remaining -= weight
        if weight == 0.0:
            continue
        result = func(query, candidate, ctx)
        if result is not None:
            total += weight * result.score
            reasons.append(FeatureScore(name, result.score, weight, result.query, result.candidate, explanation(func)))
        if threshold is not None and total + remaining < threshold - EPSILON:
            return None
    return min(1.0, max(0.0, total)), tuple(reasons)
