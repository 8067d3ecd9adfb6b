"""The matching algorithm: a declarative weighted list of features, combined into a 0..1 score."""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from agents.matching import native
from agents.matching.features import (
    Comparison,
    Context,
    Feature,
    date_of_birth,
    identity_agrees,
    name_similarity,
    nationality,
    other_birth_date,
    other_document_number,
    sex,
    travel_document,
)
from agents.matching.features.dates import AGREEMENT_BITS, date_bits
from agents.matching.features.identity import IDENTITY_LISTS
from agents.matching.features.name import (
    NAMES_CHANGED_AT_MARRIAGE,
    name_bits,
    name_bits_bound,
    query_name_bits_bound,
    read_side,
    specificity,
)
from agents.matching.prepared import PreparedPerson
from schemas.watchlist import LISTS, WatchlistEntry

#: (feature name = key of MatcherConfig.weights, feature function). Order = order of reasons.
FEATURES: tuple[tuple[str, Feature], ...] = (
    ("name", name_similarity),
    ("document", travel_document),
    ("date_of_birth", date_of_birth),
    ("other_document_number", other_document_number),
    ("other_birth_date", other_birth_date),
    ("sex", sex),
    ("nationality", nationality),
    ("identity", identity_agrees),
)
#: Features that count only on some lists (feature name -> those lists); the others count on every list.
LIST_FEATURES: dict[str, frozenset[str]] = {"identity": IDENTITY_LISTS}
#: Features that only ever count against a match (features/conflicts.py): what is left to score
#: never counts their weight as something they could add.
AGAINST_ONLY = frozenset({"other_document_number", "other_birth_date"})


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
    doc = (func.__doc__ or _source_docstring(func)).strip().split("\n\n", 1)[0]
    return " ".join(doc.split())


def _source_docstring(func: Feature) -> str:
    """The docstring as written in the source: mypyc-compiled functions do not keep theirs."""
    name, module = getattr(func, "__name__", ""), getattr(func, "__module__", "")
    try:
        tree = ast.parse(native.source_path(module).read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return ""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return ast.get_docstring(node) or ""
    return ""


#: Tolerance of threshold comparisons (sums of float weights are not exact).
EPSILON = 1e-9


# Its own __init__, and not frozen, for the reason NameForm has (agents/matching/names.py): one is made
# per feature of every pair scored to the end. Never modified once made: hashed and compared by its
# fields, as a frozen dataclass is.
@dataclass(slots=True, init=False, unsafe_hash=True)
class FeatureScore:
    name: str
    score: float
    weight: float
    query: str | None
    candidate: str | None
    explanation: str

    def __init__(self, name: str, score: float, weight: float, query: str | None, candidate: str | None,
                 explanation: str) -> None:
        self.name = name
        self.score = score
        self.weight = weight
        self.query = query
        self.candidate = candidate
        self.explanation = explanation


@dataclass(frozen=True, slots=True)
class Match:
    entry: WatchlistEntry
    score: float
    features: tuple[FeatureScore, ...]


#: One step of the evaluation plan: (position in FEATURES, feature name, function, weight).
Step = tuple[int, str, Feature, float]


@lru_cache(maxsize=16)
def _plan_for(weights: tuple[tuple[str, float], ...], list_name: str | None) -> tuple[tuple[Step, ...], float]:
    weight = dict(weights)
    steps = tuple(
        (position, name, func, weight[name])
        for position, name, func in _EVALUATION_ORDER
        if weight.get(name, 0.0) and (name not in LIST_FEATURES or list_name in LIST_FEATURES[name])
    )
    return steps, sum(step[3] for step in steps if step[1] not in AGAINST_ONLY)


@lru_cache(maxsize=16)
def _plans_for(weights: tuple[tuple[str, float], ...]) -> dict[str, tuple[tuple[Step, ...], float]]:
    return {name: _plan_for(weights, name) for name in LISTS}


def list_plans(ctx: Context) -> dict[str, tuple[tuple[Step, ...], float]]:
    """`evaluation_plan` of every list, by list name (one lookup per event)."""
    return _plans_for(ctx.config.sorted_weights)


def evaluation_plan(ctx: Context, list_name: str | None = None) -> tuple[tuple[Step, ...], float]:
    """The features with a weight that count on the list (`LIST_FEATURES`; without a list, those
    that count on every list), cheapest first, and the most they can add (the sum of the weights of
    the features that can count for a match)."""
    return _plan_for(ctx.config.sorted_weights, list_name)


@dataclass(slots=True, init=False)
class PartialScore:
    """The cheap features of a pair, scored: what is left is the name (see `_EVALUATION_ORDER`).

    `found` keeps each applicable feature's verdict; the officer-facing FeatureScore is made only
    for pairs that are finished, not for the many candidates the cheap features rule out."""

    total: float
    remaining: float
    found: list[tuple[Step, Comparison]]
    next_feature: int
    plan: tuple[Step, ...]

    # Its own __init__: one is made per candidate, and a dataclass's generated one runs interpreted.
    def __init__(self, total: float, remaining: float, found: list[tuple[Step, Comparison]], next_feature: int,
                 plan: tuple[Step, ...]) -> None:
        self.total = total
        self.remaining = remaining
        self.found = found
        self.next_feature = next_feature
        self.plan = plan


def _run(
    query: PreparedPerson,
    candidate: PreparedPerson,
    ctx: Context,
    partial: PartialScore,
    threshold: float | None,
    stop_before_expensive: bool,
) -> PartialScore | None:
    plan = partial.plan
    limit = None if threshold is None else threshold - EPSILON
    while partial.next_feature < len(plan):
        step = plan[partial.next_feature]
        name = step[1]
        if stop_before_expensive and name in _EXPENSIVE:
            if (
                limit is not None
                and name == "name"
                and _cap(
                    ((st[1], r.score) for st, r in partial.found),
                    ctx,
                    lambda _alone: name_bits_bound(query, candidate, ctx),
                )
                < limit
            ):
                return None  # only the name could support it, and no such name is specific enough
            return partial
        partial.next_feature += 1
        weight = step[3]
        if name not in AGAINST_ONLY:
            partial.remaining -= weight
        result = step[2](query, candidate, ctx)
        if result is not None:
            partial.total += weight * result.score
            partial.found.append((step, result))
        if limit is not None and partial.total + partial.remaining < limit:
            return None
    return partial


def prescore_pair(
    query: PreparedPerson,
    candidate: PreparedPerson,
    ctx: Context,
    *,
    threshold: float | None = None,
    plan: tuple[tuple[Step, ...], float] | None = None,
) -> PartialScore | None:
    """The cheap features only (documents, date of birth, sex, nationality). With a `threshold`,
    None when even an identical name could not lift the pair to it. `plan` is
    `evaluation_plan(ctx)`, passed in by callers that score many pairs."""
    steps, total = plan or evaluation_plan(ctx)
    start = PartialScore(0.0, total, [], 0, steps)
    return _run(query, candidate, ctx, start, threshold, stop_before_expensive=True)


def _feature_score(step: Step, result: Comparison) -> FeatureScore:
    _position, name, func, weight = step
    return FeatureScore(name, result.score, weight, result.query, result.candidate, explanation(func))


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
    found = sorted(done.found, key=lambda item: item[0][0])
    reasons = [_feature_score(step, result) for step, result in found]
    total = min(done.total, _uncorroborated_cap(reasons, ctx, query, candidate), _ruled_out_cap(reasons, ctx))
    return min(1.0, max(0.0, total)), tuple(reasons)


def score_pair(
    query: PreparedPerson,
    candidate: PreparedPerson,
    ctx: Context,
    *,
    threshold: float | None = None,
    list_name: str | None = None,
) -> tuple[float, tuple[FeatureScore, ...]] | None:
    """Weighted sum of the applicable features, clamped to 0..1, with every feature's reason.

    With a `threshold`, gives up (None) as soon as the features left cannot lift the score to it.
    `list_name` is the candidate's list (features that count only on some lists need it).
    """
    partial = prescore_pair(query, candidate, ctx, threshold=threshold, plan=evaluation_plan(ctx, list_name))
    if partial is None:
        return None
    return finish_pair(query, candidate, ctx, partial, threshold=threshold)


#: A date of birth at least this close (exact, swapped, year+month, year off by one with the same
#: day and month) or a document at least this close (same number, OCR look-alike, one typo)
#: corroborates a name (blocking/prefilter.py reads it as "may reach any score").
CORROBORATING = {"date_of_birth": 0.6, "document": 0.3}
#: How far below the lowest list threshold a match whose evidence could be chance is capped.
CAP_MARGIN = 0.05
#: Bits of evidence the same recorded sex adds (one person in two shares it).
SEX_BITS = 1.0
#: Bits of evidence against that a document of the same type and issuing country with another number
#: carries: a listed person may have renewed it, but most people with another number are other people.
OTHER_DOCUMENT_BITS = 1.0
#: The most a date of birth that does not corroborate (below CORROBORATING) and the sex can add.
_MOST_UNCORROBORATING_BITS = (
    max(bits for score, bits in AGREEMENT_BITS.items() if score < CORROBORATING["date_of_birth"]) + SEX_BITS
)


def _cap(found: Iterable[tuple[str, float]], ctx: Context, name_bits_of: Callable[[bool], float]) -> float:
    """1 when a document corroborates; else a cap that rises from below every list's threshold to 1
    with the evidence's bits: the name's (`name_bits_of(alone)`, alone: no date agrees), the date of
    birth's and the sex's. `found` holds the (feature name, score) of the features scored so far."""
    dated = False
    bits = 0.0
    for name, score in found:
        if name == "document":
            if score >= CORROBORATING["document"]:
                return 1.0
            if score < 0.0:
                bits -= OTHER_DOCUMENT_BITS
        if name == "date_of_birth":
            bits += date_bits(score)
            dated = score > 0.0
        elif name == "sex" and score > 0.0:
            bits += SEX_BITS
    if not dated:
        bits = min(bits, 0.0)  # a name alone: the sex adds nothing, another document still counts against
    spec = specificity(bits + name_bits_of(not dated), ctx, alone=not dated)
    if spec >= 1.0:
        return 1.0
    low = min(ctx.config.thresholds.values(), default=0.75) - CAP_MARGIN
    return low + (1.0 - low) * spec


def name_only_ceiling(query: PreparedPerson, ctx: Context) -> float:
    """The highest score any pair of this traveller can reach when neither a date of birth nor a
    document corroborates the name (`CORROBORATING`): the cap of `_cap` for the traveller's own
    name, with the most a non-corroborating date and the sex can add."""
    return _cap((), ctx, lambda _alone: query_name_bits_bound(query, ctx) + _MOST_UNCORROBORATING_BITS)


#: A feature whose full verdict against (-1) rules the pair out whatever else agrees: the score stays
#: below every list's threshold, whatever the weights and thresholds are set to.
RULING_OUT = frozenset({"other_birth_date"})


def _ruled_out_cap(reasons: list[FeatureScore], ctx: Context) -> float:
    """Below every list's threshold when a RULING_OUT feature found against the pair, else 1."""
    for reason in reasons:
        if reason.name in RULING_OUT and reason.score <= -1.0 and reason.weight > 0.0:
            return min(ctx.config.thresholds.values(), default=0.75) - CAP_MARGIN
    return 1.0


#: Name feature score two Latin spellings must reach to support a match when no date of birth
#: agrees at all: the same name, spelled the same or with a typo.
NAME_ALONE_SAME = 0.9
#: ... and when only a birth year or an estimated age window agrees (about one person in ten to
#: fifty shares either): close to the same name.
NAME_WITH_PARTIAL_DATE = 0.85


def _uncorroborated_cap(
    reasons: list[FeatureScore], ctx: Context, query: PreparedPerson, candidate: PreparedPerson
) -> float:
    """The highest score a match may reach: 1, or, when its evidence could well be chance on a list
    this long, a cap that rises from below every list's threshold (a common name, nothing else: Nguyen
    Van Anh, Wang Li; or a common name and a date that only nearly agrees) to 1 (a rare name, or any
    name and the same date of birth). How much evidence that takes grows with the list.

    Nor can a name alone stand against a recorded sex that differs: with nothing else to go on,
    that is two people who share a name.

    A name that only resembles the listed one (Fangmeng / Fengming Wang, Sihalath / Sisoulith) is
    another person's name more often than a misspelling of it: when both were written in Latin
    letters, a match no date of birth or document corroborates needs the same name
    (`NAME_ALONE_SAME`, `NAME_WITH_PARTIAL_DATE`). A name romanized here from another script keeps
    the cap alone: spellings of one name across scripts differ by nature (real passport spellings)."""
    name = next((reason for reason in reasons if reason.name == "name"), None)
    if name is None:
        return 1.0
    found = [(reason.name, reason.score) for reason in reasons]
    if not _corroborated(found) and (
        _sex_differs(reasons) or (query.latin and candidate.latin and name.score < _same_name_needed(reasons))
    ):
        return _cap(found, ctx, _no_bits)
    spelled = query.latin and candidate.latin
    kept = query.nationality not in NAMES_CHANGED_AT_MARRIAGE and candidate.nationality not in NAMES_CHANGED_AT_MARRIAGE
    read = read_side(query, candidate)
    return _cap(found, ctx, lambda alone: name_bits(name.query, name.candidate, ctx, alone=alone, spelled=spelled,
                                                    names_kept=kept, read=read))


def _corroborated(found: list[tuple[str, float]]) -> bool:
    return any(score >= CORROBORATING.get(name, 2.0) for name, score in found)


def _same_name_needed(reasons: list[FeatureScore]) -> float:
    """The name score an uncorroborated Latin-to-Latin match needs, by how much the date agrees."""
    if any(reason.name == "date_of_birth" and reason.score > 0.0 for reason in reasons):
        return NAME_WITH_PARTIAL_DATE
    return NAME_ALONE_SAME


def _sex_differs(reasons: list[FeatureScore]) -> bool:
    return any(reason.name == "sex" and reason.score < 0.0 for reason in reasons)


def _no_bits(_alone: bool) -> float:
    return -math.inf
