"""Blocking keys of one name form (agents/matching/blocking/keys.py)."""

from __future__ import annotations

from agents.matching.blocking.keys import form_token_keys, split_ts
from agents.matching.names import name_forms


def _keys(name: str) -> set[str]:
    return {key for form in name_forms(name) for key in form_token_keys(form)}


def test_a_ts_within_a_name_is_also_read_as_t_then_s() -> None:
    assert split_ts("phetsarath") == "phetxarath"
    assert split_ts("tsang") == "tsang"  # an initial ts stays one sound
    # a Latin spelling with ts finds the Lao name its skeleton otherwise reads as an affricate
    assert _keys("Phetsarath") & _keys("ເພັດຊະລາດ")
