"""QUADBIN_SIBLING against the reference library on random cells (not stored)."""

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
@given(
    st.lists(st.tuples(cells, st.sampled_from(["up", "down", "left", "right", "UP"])), min_size=1)
)
def test_same_as_reference(invoke, rows):
    expected = [quadbin.cell_sibling(c, d) for c, d in rows]
    assert invoke([list(r) for r in rows]) == expected
