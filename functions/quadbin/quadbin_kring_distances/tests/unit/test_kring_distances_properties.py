"""QUADBIN_KRING_DISTANCES against the reference library on random cells (not stored)."""

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
@given(cells, st.integers(0, 6))
def test_same_as_reference(invoke, cell, size):
    try:
        expected = quadbin.k_ring_distances(cell, size)
    except TypeError:  # the ring leaves the grid: an error in both
        return
    (result,) = invoke([[cell, size]])
    assert json.loads(result) == expected
