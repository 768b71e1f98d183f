"""QUADBIN_TOCHILDREN against the reference library on random cells (not stored)."""

import json

import quadbin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# `invoke` holds no state between calls, so sharing it across examples is safe.
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def tiles(draw, max_z=26):
    z = draw(st.integers(0, max_z))
    return draw(st.integers(0, (1 << z) - 1)), draw(st.integers(0, (1 << z) - 1)), z


cells = tiles().map(quadbin.tile_to_cell)


@SETTINGS
@given(cells, st.integers(1, 5))
def test_children_as_reference_and_back_to_parent(invoke, cell, levels):
    resolution = quadbin.get_resolution(cell) + levels
    if resolution > 26:
        return
    (result,) = invoke([[cell, resolution]])
    children = json.loads(result)
    assert children == quadbin.cell_to_children(cell, resolution)
    parent_resolution = quadbin.get_resolution(cell)
    assert {quadbin.cell_to_parent(c, parent_resolution) for c in children} == {cell}
