"""The review page's side-by-side rows: what the checkpoint read against what the watchlist holds,
feature by feature, with the matcher's own explanation and score."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.alerts import Alert, FeatureReason

STRONG_AT = 0.5  # agreeing evidence at least this strong is marked as such; weaker agreement stays pale


@dataclass(frozen=True, slots=True)
class CompareRow:
    feature: str
    traveller: str
    watchlist: str
    score: float
    weight: float
    explanation: str
    verdict: str  # agree | weak | differ | none | note


def verdict(reason: FeatureReason) -> str:
    """Whether the two values agree: the sign of the feature's score says so (a feature scores what its
    agreement is worth as evidence, so an agreeing nationality is weak and an agreeing document strong)."""
    if reason.weight == 0.0:
        return "note"  # informs the officer without counting (document flags, retrospective sightings)
    if reason.score < 0.0:
        return "differ"
    if reason.score == 0.0:
        return "none"  # a value missing on one side, or no evidence either way
    return "agree" if reason.score >= STRONG_AT else "weak"


def compare_rows(alert: Alert) -> list[CompareRow]:
    """One row per reason, strongest evidence (by weighted contribution) first."""
    reasons = sorted(alert.reasons, key=lambda r: -abs(r.score * r.weight))
    return [CompareRow(r.feature, r.query or "", r.candidate or "", r.score, r.weight, r.explanation, verdict(r))
            for r in reasons]


def compared_names(alert: Alert) -> list[CompareRow]:
    """The name features' rows: the forms the matcher actually compared (romanized from Thai, Lao, Khmer,
    Burmese and Chinese script), shown by the page's toggle next to the names as read."""
    return [row for row in compare_rows(alert) if "name" in row.feature and (row.traveller or row.watchlist)]


def action_kind(alert: Alert) -> str:
    """protect (victims, missing persons) or enforce (suspects): the colour of the action banner."""
    return "enforce" if alert.list == "suspect" else "protect"
