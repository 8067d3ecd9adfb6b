"""MatcherConfig: the values derived once per configuration follow its fields, copies included."""

from __future__ import annotations

from agents.matching import MatcherConfig
from schemas.watchlist import LISTS


def test_derived_values_follow_the_fields() -> None:
    config = MatcherConfig(thresholds={"suspect": 0.9}, weights={"name": 0.7, "sex": 0.1})
    assert config.list_thresholds == tuple(config.threshold(name) for name in LISTS) == (0.9, 0.75, 0.75)
    assert config.feature_weights == (0.7, 0.0, 0.0, 0.1, 0.0)
    assert config.sorted_weights == (("name", 0.7), ("sex", 0.1))


def test_a_copy_with_an_update_derives_its_values_afresh() -> None:
    base = MatcherConfig()
    assert base.list_thresholds[0] == 0.80 and base.feature_weights[0] == 0.80  # computed and cached
    copied = base.model_copy(update={"thresholds": {"suspect": 0.95}, "weights": {"name": 0.5}})
    assert copied.list_thresholds == (0.95, 0.75, 0.75)
    assert copied.feature_weights == (0.5, 0.0, 0.0, 0.0, 0.0)
    assert copied.sorted_weights == (("name", 0.5),)
    assert base.list_thresholds[0] == 0.80  # the original keeps its own
    assert "list_thresholds" not in base.model_dump() and base == MatcherConfig()
