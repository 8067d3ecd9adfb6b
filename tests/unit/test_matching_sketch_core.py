"""The name-frequency sketch's cell reads and update (agents/matching/sketch_core.py, and sketch_core.c built
in its place): count-min's estimate and conservative update, and the C build gives exactly what the
Python reference gives."""

from __future__ import annotations

from array import array
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.matching import sketch_core as loaded
from tests.c_twins import implementations, python_twin, require_c

SOURCE = python_twin(loaded)
IMPLEMENTATIONS = implementations(loaded, SOURCE)
CEILING = 0xFFFF


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_only_the_smallest_counters_rise_to_it_plus_the_count(impl: ModuleType) -> None:
    table = array("H", [5, 3, 9, 0, 3, 7])
    assert impl.smallest(table, [0, 1, 2]) == 3
    impl.raise_to(table, [0, 1, 2], 2, CEILING)
    assert table.tolist() == [5, 5, 9, 0, 3, 7]  # 3 + 2: the 5 and the 9 already say as much
    impl.raise_to(table, [3], 1, CEILING)
    assert table.tolist() == [5, 5, 9, 1, 3, 7]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_counters_stop_at_the_ceiling(impl: ModuleType) -> None:
    table = array("H", [CEILING - 1, CEILING, 4])
    impl.raise_to(table, [0, 1], 5, CEILING)
    assert table.tolist() == [CEILING, CEILING, 4]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_bad_cells_raise_as_indexing_does(impl: ModuleType) -> None:
    table = array("H", [1, 2, 3])
    with pytest.raises(IndexError):
        impl.smallest(table, [0, 3])
    with pytest.raises(IndexError):
        impl.raise_to(table, [0, 3], 1, CEILING)
    with pytest.raises(ValueError):
        impl.smallest(table, [])
    assert impl.smallest(table, [-1]) == 3
    assert table.tolist() == [1, 2, 3]


def test_the_c_build_refuses_a_table_of_other_counters_or_read_only() -> None:
    require_c(loaded)
    with pytest.raises(TypeError):
        loaded.smallest(array("I", [1, 2]), [0])
    with pytest.raises(BufferError):
        loaded.raise_to(b"\x00\x00", [0], 1, CEILING)  # read-only


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, CEILING), min_size=1, max_size=40), st.data())
def test_the_c_build_updates_as_the_python_reference(values: list[int], data: st.DataObject) -> None:
    require_c(loaded)
    ours, theirs = array("H", values), array("H", values)
    for _ in range(data.draw(st.integers(1, 20))):
        cells = data.draw(st.lists(st.integers(0, len(values) - 1), min_size=1, max_size=4, unique=True))
        count = data.draw(st.integers(1, 300))
        assert loaded.smallest(ours, cells) == SOURCE.smallest(theirs, cells)
        loaded.raise_to(ours, cells, count, CEILING)
        SOURCE.raise_to(theirs, cells, count, CEILING)
        assert ours == theirs
