"""QUADBIN_KRING_DISTANCES against the reference library on random cells (not stored)."""

import json

import pytest
import quadbin
from hypothesis import given
from hypothesis import strategies as st

from engine.invoke import InvocationError
from pytest_carto import import_testing

fixture_settings = import_testing("batch_testing").fixture_settings
cells = import_testing("quadbin_testing").cells

SETTINGS = fixture_settings(150)


@SETTINGS
@given(cells, st.integers(0, 6))
def test_same_as_reference(invoke, cell, size):
    try:
        expected = quadbin.k_ring_distances(cell, size)
    except TypeError:
        # the ring leaves the grid: the reference fails on a missing neighbour, we refuse
        with pytest.raises(InvocationError, match="leaves the tile grid"):
            invoke([[cell, size]])
        return
    (result,) = invoke([[cell, size]])
    assert json.loads(result) == expected
