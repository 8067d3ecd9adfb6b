"""What a feature function receives and returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from agents.matching.config import MatcherConfig
from agents.matching.prepared import PreparedPerson


def _uniform(_skeleton: str) -> float:
    return 1.0


@dataclass(frozen=True, slots=True)
class Context:
    """Configuration plus what the index knows: how common a name token is (its weight, 0..1]."""

    config: MatcherConfig
    token_rarity: Callable[[str], float] = _uniform
    #: Token weights already computed while screening one event (filled as features run).
    weights: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Comparison:
    """A feature's verdict: score in -1..1 and the two values it compared (normalized)."""

    score: float
    query: str | None
    candidate: str | None


Feature = Callable[[PreparedPerson, PreparedPerson, Context], "Comparison | None"]
