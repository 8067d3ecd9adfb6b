"""BorderWatch matching engine: pure code, no Kafka or Faust.

Screens a person seen at a checkpoint against watchlist entries: normalization and romanization
of names in the region's scripts, small explainable features, a weighted scorer with thresholds
per list, and blocking keys so each event meets only a handful of candidates.
"""

from agents.matching import native as _native

_native.extend(__path__)  # the mypyc build of the modules below, when it is current

from agents.matching.blocking.bulk_build import build_index
from agents.matching.blocking.index import WatchlistIndex
from agents.matching.config import MATCHER_VERSION, MatcherConfig
from agents.matching.scorer import FEATURES, FeatureScore, Match
from agents.matching.search import candidates, search

__all__ = [
    "FEATURES",
    "MATCHER_VERSION",
    "FeatureScore",
    "Match",
    "MatcherConfig",
    "WatchlistIndex",
    "build_index",
    "candidates",
    "search",
]
