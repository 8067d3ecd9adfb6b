"""The matching algorithm: a declarative weighted list of features, combined into a 0..1 score."""

from __future__ import annotations

from dataclasses import dataclass

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


def explanation(func: Feature) -> str:
    """The first paragraph of a feature's docstring, on one line: what officers read."""
    doc = (func.__doc__ or "").strip().split("\n\n", 1)[0]
    return " ".join(doc.split())


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
    query: PreparedPerson, candidate: PreparedPerson, ctx: Context
) -> tuple[float, tuple[FeatureScore, ...]]:
    """Weighted sum of the applicable features, clamped to 0..1, with every feature's reason."""
    total = 0.0
    reasons: list[FeatureScore] = []
    for name, func in FEATURES:
        weight = ctx.config.weight(name)
        if weight == 0.0:
            continue
        result = func(query, candidate, ctx)
        if result is None:
            continue
        total += weight * result.score
        reasons.append(
            FeatureScore(name, result.score, weight, result.query, result.candidate, explanation(func))
        )
    return min(1.0, max(0.0, total)), tuple(reasons)
