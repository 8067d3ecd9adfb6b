"""The uncached phonetic skeleton (agents/matching/scripts/phonetic_core.py, and phonetic_core.c built in
its place): the C build gives exactly what the Python reference gives, on names and on any text."""

from __future__ import annotations

from types import ModuleType

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from agents.matching.scripts import phonetic_core as loaded
from tests.c_twins import implementations, python_twin, require_c

SOURCE = python_twin(loaded)
IMPLEMENTATIONS = implementations(loaded, SOURCE)

#: Letters every step treats specially, so that random text exercises each rule often.
_RULE_LETTERS = "aeiouywhtcskpzgdbqxvjlrnCm"


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_skeleton_steps(impl: ModuleType) -> None:
    expected = {
        "": "", "srisuk": "srasak", "srisook": "srasak", "thane": "tan", "tschang": "cang",
        "quynh": "kwan", "kamol": "kaman", "sawad": "sawat", "yad": "yat", "aww": "a", "awww": "aw",
        "yawe": "yawa", "bbaabb": "bab", "vwv": "w", "xiaoyu": "sa", "nguyenthanh": "ngantan",
        # a doubled final is one final, spoken as a single one is (Nariddh as Naridh, Russell as Russel)
        "nariddh": "narat", "naridh": "narat", "russell": "rasan", "vann": "wan", "hallo": "hala",
    }  # fmt: skip
    assert {token: impl.raw_skeleton(token) for token in expected} == expected
    assert impl.collapse_repeats("aabbbc\n\nd") == "abc\n\nd"
    silent = [impl.has_silent_final_e(t) for t in ("thane", "sone", "tree", "ane", "phone")]
    assert silent == [True, True, False, False, True]


def _same(token: str) -> None:
    assert loaded.raw_skeleton(token) == SOURCE.raw_skeleton(token)
    assert loaded.collapse_repeats(token) == SOURCE.collapse_repeats(token)
    assert loaded.has_silent_final_e(token) == SOURCE.has_silent_final_e(token)


@settings(max_examples=3000, deadline=None)
@given(token=st.text(alphabet=_RULE_LETTERS, max_size=16))
@example("ywaw")
@example("yaa")
@example("awe")
def test_the_c_build_gives_the_python_skeleton_of_letter_strings(token: str) -> None:
    require_c(loaded)
    _same(token)


@settings(max_examples=1000, deadline=None)
@given(token=st.text(max_size=12))
@example("é\n\nhh")
@example("\U0001f600aa")
def test_the_c_build_gives_the_python_skeleton_of_any_text(token: str) -> None:
    require_c(loaded)
    _same(token)


def test_the_c_build_refuses_what_is_not_text() -> None:
    require_c(loaded)
    with pytest.raises(TypeError):
        loaded.raw_skeleton(b"thane")  # type: ignore[arg-type]
