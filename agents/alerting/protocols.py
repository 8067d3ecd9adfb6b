"""What alerting needs from a matcher result, as structural types.

Declared here rather than imported from agents.matching so alert policy stays independent of the
matcher's implementation (and of anything it imports). Read-only properties let frozen dataclasses
satisfy them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from schemas.watchlist import WatchlistEntry


class FeatureScoreLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def weight(self) -> float: ...
    @property
    def query(self) -> str | None: ...
    @property
    def candidate(self) -> str | None: ...
    @property
    def explanation(self) -> str: ...


class MatchLike(Protocol):
    @property
    def entry(self) -> WatchlistEntry: ...
    @property
    def score(self) -> float: ...
    @property
    def features(self) -> Sequence[FeatureScoreLike]: ...
