"""QUADBIN_KRING against the reference library on random cells (not stored)."""

import json

import pytest
import quadbin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.invoke import InvocationError

# `invoke` holds no state between calls, so sharing it across examples is safe.
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def tiles(draw, max_z=26):
    z = draw(st.integers(0, max_z))
    return draw(st.integers(0, (1 << z) - 1)), draw(st.integers(0, (1 << z) - 1)), z


cells = tiles().map(quadbin.tile_to_cell)


def kring(invoke, cell, size):
    (result,) = invoke([[cell, size]])
    return json.loads(result)


@SETTINGS
@given(cells, st.integers(0, 6))
def test_same_cells_as_reference(invoke, cell, size):
    try:
        expected = quadbin.k_ring(cell, size)
    except TypeError:  # the reference fails when the square leaves the grid; so do we
        with pytest.raises(InvocationError, match="leaves the tile grid"):
            kring(invoke, cell, size)
        return
    assert kring(invoke, cell, size) == expected


@SETTINGS
@given(st.integers(6, 26), st.integers(0, 28), st.data())
def test_size_away_from_poles(invoke, z, size, data):
    margin = size + 1
    x = data.draw(st.integers(margin, (1 << z) - 1 - margin))
    y = data.draw(st.integers(margin, (1 << z) - 1 - margin))
    ring = kring(invoke, quadbin.tile_to_cell((x, y, z)), size)
    assert len(set(ring)) == len(ring) == (2 * size + 1) ** 2
